/**
 * moto's S3-compatible server (PyPI, maintained by the moto project), pinned, installed into a venv in the
 * signin-lens cache by the tests themselves (or .ci/run), and run on 127.0.0.1 for the S3 tests: a real S3
 * implementation others maintain, not a home-made fake. Fails loudly when it cannot be installed.
 */
import { join } from "node:path";
import { trinoCacheDir } from "../../lib/trino/mod.ts";
import { pathExists } from "../../lib/path_exists.ts";

export const MOTO_VERSION = "5.2.5";

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${out.code}): ${err}`);
  }
}

/** The moto_server executable, installing `moto[server]==MOTO_VERSION` into a venv on first use. */
export async function ensureMoto(): Promise<string> {
  const venv = join(trinoCacheDir(), `moto-${MOTO_VERSION}`);
  const bin = join(venv, "bin", "moto_server");
  if (await pathExists(join(venv, ".installed"))) return bin;
  // The marker is written last: a half-made venv (an interrupted install) is made again from scratch.
  await Deno.remove(venv, { recursive: true }).catch(() => {});
  const python = Deno.env.get("PYTHON") ?? "python3";
  try {
    await run(python, ["-m", "venv", venv]);
    await run(join(venv, "bin", "pip"), ["install", "--quiet", `moto[server]==${MOTO_VERSION}`]);
  } catch (e) {
    throw new Error(`cannot install moto ${MOTO_VERSION} from PyPI: ${(e as Error).message}`);
  }
  await Deno.writeTextFile(join(venv, ".installed"), `${MOTO_VERSION}\n`);
  return bin;
}

export interface RunningMoto {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts moto_server on 127.0.0.1 (a free port) and waits until it answers. */
export async function startMoto(): Promise<RunningMoto> {
  const bin = await ensureMoto();
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const child = new Deno.Command(bin, {
    args: ["-H", "127.0.0.1", "-p", String(port)],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${endpoint}/moto-api/`);
      await r.body?.cancel();
      if (r.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    endpoint,
    port,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      await child.status;
    },
  };
}
