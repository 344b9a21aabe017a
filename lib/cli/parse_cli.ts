import { parseArgs } from "node:util";
import { exitCodeFor } from "./exit_codes.ts";

export interface CliSpec {
  /** Options as node:util parseArgs takes them. */
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;
  /** Full usage text: options, defaults and an example. */
  usage: string;
  allowPositionals?: boolean;
}

export interface ParsedCli {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses argv strictly. `--help` prints the usage and exits 0; anything unknown or malformed prints one
 * line naming the problem plus the usage and exits 2: a user never sees a stack trace for a typo.
 */
export function parseCli(argv: string[], spec: CliSpec, io = defaultIo): ParsedCli {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.out(spec.usage.trimEnd() + "\n");
    io.exit(0);
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: spec.options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
    return { values: values as ParsedCli["values"], positionals };
  } catch (e) {
    return usageExit(parseArgsMessage(e), spec.usage, io);
  }
}

/** node:util's parseArgs appends advice about positionals after the first sentence; the first sentence is the error. */
export function parseArgsMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].split(". To specify")[0];
}

export function usageExit(message: string, usage: string, io = defaultIo): never {
  io.err(`error: ${message}\n\n${usage.trimEnd()}\n`);
  return io.exit(2);
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  exit(code: number): never;
}

const encoder = new TextEncoder();
export const defaultIo: CliIo = {
  out: (t) => Deno.stdout.writeSync(encoder.encode(t)),
  err: (t) => Deno.stderr.writeSync(encoder.encode(t)),
  exit: (code) => Deno.exit(code),
};

/**
 * Runs a task's main function: a failure prints one line on stderr and exits with the code for its kind (see
 * exit_codes.ts: 2 for a wrong option or configuration, else 1). The stack trace, useful only to developers,
 * is shown with SIGNIN_LENS_DEBUG=1.
 */
export async function runTask(main: () => Promise<void> | void, io = defaultIo): Promise<void> {
  try {
    await main();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`error: ${err.message.replace(/\s*\r?\n\s*/g, " ")}\n`);
    if (Deno.env.get("SIGNIN_LENS_DEBUG")) io.err(`${err.stack}\n`);
    io.exit(exitCodeFor(e));
  }
}
