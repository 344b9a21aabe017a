/**
 * `.env` support for tasks and notebooks. Deno's own `--env-file` warns on every run without a `.env`, which
 * breaks the one-line stderr a nightly job's mail should carry, so tasks load the file themselves: only when it
 * exists, and never over a variable the real environment already sets.
 */

/** Parses KEY=VALUE lines: `#` comments, optional `export `, single or double quotes (\n in double quotes). */
export function parseEnvFile(text: string, file = ".env"): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}: expected KEY=VALUE`);
    let value = m[2];
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      const end = value.lastIndexOf(quote);
      if (end === 0) throw new Error(`${file}:${i + 1}: unterminated ${quote} quote in ${m[1]}`);
      value = value.slice(1, end);
      if (quote === '"') value = value.replaceAll("\\n", "\n").replaceAll('\\"', '"');
    } else {
      value = value.replace(/\s+#.*$/, "").trim();
    }
    out[m[1]] = value;
  });
  return out;
}

export interface EnvTarget {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/**
 * Loads the env file named by SIGNIN_LENS_ENV_FILE (empty: none), else `.env` in the working directory, if it
 * exists. Returns the names it set (values are secrets and are never returned or printed).
 */
export async function loadEnvFile(env: EnvTarget = Deno.env): Promise<string[]> {
  const chosen = env.get("SIGNIN_LENS_ENV_FILE");
  const path = chosen ?? ".env";
  if (path === "") return [];
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && chosen === undefined) return [];
    throw new Error(`cannot read the env file ${path}: ${(e as Error).message}`);
  }
  const set: string[] = [];
  for (const [key, value] of Object.entries(parseEnvFile(text, path))) {
    if (env.get(key) !== undefined) continue;
    env.set(key, value);
    set.push(key);
  }
  return set;
}
