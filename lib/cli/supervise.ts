/**
 * Crash reporting for tasks: the task's work runs in a child process (the same script, same arguments, same
 * Deno) and a child killed by a signal — a segfault in DuckDB's native code, the OOM killer — is reported in one
 * line saying what was being done and what that means for the user's data, instead of a bare exit 139.
 *
 * In a task: `await supervise({ doing: "loading … into …", afterCrash })` before the work. In the parent it
 * runs the child and exits with the child's code; in the child (and when supervision is off) it returns.
 */
import { EXIT } from "./exit_codes.ts";

/** Set in the child's environment; `SIGNIN_LENS_SUPERVISE=0` turns supervision off (work in one process). */
export const SUPERVISED_ENV = "SIGNIN_LENS_SUPERVISED";
export const SUPERVISE_ENV = "SIGNIN_LENS_SUPERVISE";

export interface SuperviseOptions {
  /** What the task is doing, for the crash line: "loading 3 path(s) into data/lens.duckdb". */
  doing: string;
  /**
   * Runs after a crash and says what it means for the user's data ("the store was left unchanged"); may tidy
   * up (remove a store the crashed first load created).
   */
  afterCrash?: () => Promise<string> | string;
  /** The script and arguments the child runs (default: this task, as it was started). */
  script?: string;
  args?: string[];
  /** Where the crash line goes and how the process ends (tests inject these). */
  io?: { err(text: string): void; exit(code: number): never };
}

/** The one line printed when the child died by `signal`; `lastLine` is the last thing it said on stderr. */
export function crashLine(
  doing: string,
  signal: string,
  lastLine: string | undefined,
  outcome: string,
): string {
  const what = signal === "SIGSEGV"
    ? "crashed (SIGSEGV, a segmentation fault in native code)"
    : signal === "SIGKILL"
    ? "was killed (SIGKILL: out of memory, or killed from outside)"
    : `was killed by ${signal}`;
  const step = lastLine ? ` at "${lastLine.trim().slice(0, 120)}"` : "";
  return `error: ${doing} ${what}${step}; ${outcome}`;
}

const encoder = new TextEncoder();
const defaultIo = {
  err: (t: string) => Deno.stderr.writeSync(encoder.encode(t)),
  exit: (code: number): never => Deno.exit(code),
};

/** Returns in the child; in the parent runs the child, reports a signal death, and exits with its code. */
export async function supervise(options: SuperviseOptions): Promise<void> {
  if (Deno.env.get(SUPERVISED_ENV) === "1" || Deno.env.get(SUPERVISE_ENV) === "0") return;
  // Without leave to start Deno itself the work runs here, unsupervised (a task line without --allow-run).
  if (Deno.permissions.querySync({ name: "run", command: Deno.execPath() }).state !== "granted") return;
  const io = options.io ?? defaultIo;
  const script = options.script ?? new URL(Deno.mainModule).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissionFlags(), script, ...(options.args ?? Deno.args)],
    env: { [SUPERVISED_ENV]: "1" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  // The parent only watches: Ctrl-C reaches the child through the process group, and the child says why it ended.
  const ignore = () => {};
  for (const s of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(s, ignore);
  let lastLine: string | undefined;
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    Deno.stderr.writeSync(chunk);
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const l of lines) if (l.trim()) lastLine = l;
  }
  if (pending.trim()) lastLine = pending;
  const status = await child.status;
  for (const s of ["SIGINT", "SIGTERM"] as const) Deno.removeSignalListener(s, ignore);
  if (status.signal && status.signal !== "SIGINT" && status.signal !== "SIGTERM") {
    let outcome: string;
    try {
      outcome = options.afterCrash ? await options.afterCrash() : "nothing was saved";
    } catch (e) {
      outcome = `and tidying up failed: ${(e as Error).message}`;
    }
    io.err(crashLine(options.doing, status.signal, lastLine, outcome) + "\n");
    return io.exit(EXIT.failed);
  }
  if (status.signal) return io.exit(EXIT.interrupted);
  return io.exit(status.code);
}

const PERMISSIONS = ["read", "write", "net", "env", "run", "ffi", "sys", "import"] as const;

/**
 * The child gets the permissions this process holds outright; a permission granted only for some paths or hosts
 * (`--allow-write=data`) cannot be read back from Deno, so supervised tasks must hold theirs whole.
 */
export function permissionFlags(): string[] {
  return PERMISSIONS.filter((name) => {
    try {
      return Deno.permissions.querySync({ name } as Deno.PermissionDescriptor).state === "granted";
    } catch {
      return false;
    }
  }).map((name) => `--allow-${name}`);
}
