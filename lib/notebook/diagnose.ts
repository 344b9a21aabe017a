/**
 * Recovers the real reason when the kernel only says "Execution failed" (a syntax error or an
 * import that does not resolve): `deno check` on the cell's code, placed where the kernel runs.
 *
 * @module
 */

/** The reply the kernel gives for code it cannot parse or link. */
export function isOpaqueFailure(
  ename: string | undefined,
  evalue: string | undefined,
  traceback?: string[],
): boolean {
  return ename === "Error" && evalue === "Execution failed" && (traceback?.length ?? 0) === 0;
}

export interface Diagnosis {
  ename: string;
  evalue: string;
}

/**
 * Pure part: picks the parse or module-graph error out of `deno check` output, or undefined when
 * the only complaints are type errors (the kernel does not type-check, so they are not the cause).
 */
export function parseCheckOutput(output: string, fileUrl: string, label: string): Diagnosis | undefined {
  const text = output.split(fileUrl).join(label);
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith("error: "));
  if (start < 0) return undefined;
  const first = lines[start].slice("error: ".length);
  if (/^Type checking failed/.test(first)) return undefined;
  const rest: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("Stack backtrace:") || line.startsWith("error: ")) break;
    rest.push(line);
  }
  const named = /^([A-Z][A-Za-z]*Error): (.*)$/.exec(first);
  const detail = rest.join("\n").trimEnd();
  const message = named ? named[2] : first;
  return {
    ename: named ? named[1] : "ModuleError",
    evalue: detail === "" ? message : `${message}\n${detail}`,
  };
}

export interface DiagnoseOptions {
  /** Where the kernel runs: relative imports and deno.json resolve from here. */
  cwd: string;
  execPath?: string;
  env?: Record<string, string>;
  /** Used in place of the temporary file's URL in the message, e.g. "cell 4". */
  label: string;
  timeoutMs?: number;
}

/** Runs `deno check` on a cell's code; undefined when it finds no syntax or import error. */
export async function diagnoseCell(code: string, options: DiagnoseOptions): Promise<Diagnosis | undefined> {
  const file = `${options.cwd}/.signin-lens-cell-${crypto.randomUUID()}.ts`;
  await Deno.writeTextFile(file, code);
  try {
    const command = new Deno.Command(options.execPath ?? Deno.execPath(), {
      args: ["check", "--quiet", file],
      cwd: options.cwd,
      env: { ...Deno.env.toObject(), ...options.env, NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
    });
    const { stdout, stderr } = await command.output();
    const decoder = new TextDecoder();
    const output = decoder.decode(stderr) + decoder.decode(stdout);
    const url = new URL(`file://${file}`).href;
    return parseCheckOutput(output, url, options.label);
  } catch {
    return undefined;
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}
