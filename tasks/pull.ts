/**
 * `deno task pull`: Microsoft Graph sign-in / audit logs → data/raw page files.
 * Exit codes: 0 done, 1 the pull failed (one-line reason on stderr), 2 wrong option or configuration,
 * 130 interrupted (re-run to resume).
 *
 * The task runs with `--v8-flags=--max-semi-space-size=4` (deno.json): the pull keeps nothing per record, but
 * V8 goes on growing its young generation (semi-spaces up to 32 MB by default on a 24 GB machine) over the
 * first tens of thousands of records, so a 100k pull peaked 7.5 % above a 10k one (101 vs 94 MiB); with 4 MB
 * semi-spaces it is 3.9 % (95.0 vs 91.4 MiB). Cost: 12–13 scavenges instead of 8–9 per 100k records, GC time
 * 60–100 ms either way; 2 MB semi-spaces cost ~20 % more CPU (bench/pull_rss.ts, medians of 5).
 */
import { ConfigError, configSecrets, readConfig } from "../lib/config.ts";
import { loadEnvFile } from "../lib/env_file.ts";
import { exitCodeFor } from "../lib/cli/exit_codes.ts";
import {
  parsePullArgs,
  ProgressLine,
  pull,
  PULL_USAGE,
  PullAbortedError,
  Redactor,
  UsageError,
} from "../lib/graph/mod.ts";
import { SOURCE_OPTION_HELP, splitSource } from "../lib/storage/pull_source.ts";

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, " ").trim();
}

async function main(argv: string[]): Promise<number> {
  const { source, rest: args } = splitSource(argv);
  if (source === "storage") {
    // Imported here, not above, so a Graph pull never loads the storage and identity SDKs (~15 MiB of RSS,
    // ~0.2 s of CPU). A literal specifier: deno check still type-checks it and the module graph still
    // resolves it (tests/tasks/pull_imports_test.ts checks both).
    const { storagePullMain } = await import("../lib/storage/storage_cli.ts");
    return await storagePullMain(args);
  }
  if (source !== "graph") {
    console.error(
      `error: --source ${source}: expected graph (default) or storage\n\n${PULL_USAGE}${SOURCE_OPTION_HELP}`,
    );
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(PULL_USAGE + SOURCE_OPTION_HELP);
    return 0;
  }
  let cli;
  try {
    cli = parsePullArgs(args, Date.now());
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${PULL_USAGE}`);
    return 2;
  }
  const redactor = new Redactor();
  let config;
  try {
    await loadEnvFile();
    config = readConfig();
  } catch (e) {
    if (
      !(e instanceof ConfigError) && !(e instanceof Error && e.message.startsWith("cannot read the env file"))
    ) {
      throw e;
    }
    console.error(`error: ${oneLine((e as Error).message)}`);
    return 2;
  }
  for (const s of configSecrets(config)) redactor.add(s);
  if (config.credential.kind === "certificate") {
    // Configuration, so exit 2, and before anything is written under --out.
    try {
      await Deno.stat(config.credential.certificatePath);
    } catch (e) {
      console.error(
        `error: AZURE_CLIENT_CERTIFICATE_PATH ${config.credential.certificatePath}: ${
          e instanceof Deno.errors.NotFound ? "no such file" : oneLine((e as Error).message)
        }`,
      );
      return 2;
    }
  }

  const progress = new ProgressLine(Deno.stderr.isTerminal());
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    const r = await pull({
      config,
      outDir: cli.outDir,
      range: cli.range,
      kinds: cli.kinds,
      eventTypes: cli.eventTypes,
      api: cli.api,
      windowMs: cli.windowMs,
      overlapMs: cli.overlapMs,
      top: cli.top,
      pace: cli.pace,
      idleTimeoutMs: cli.idleTimeoutMs,
      deadlineMs: cli.deadlineMs,
      minBytesPerSecond: cli.minBytesPerSecond,
      redactor,
      signal: controller.signal,
      onEvent: progress.onEvent,
    });
    progress.close();
    if (!cli.quiet) {
      const secs = r.elapsedMs / 1000;
      const rate = secs > 0 ? Math.round(r.records / secs) : r.records;
      const windows = [`${r.windowsFetched} windows fetched`];
      if (r.windowsSkipped) windows.push(`${r.windowsSkipped} already done`);
      if (r.windowsRedone) windows.push(`${r.windowsRedone} redone after an interrupted run`);
      console.log(
        `pulled ${r.records.toLocaleString("en-US")} records in ${r.pages} pages (${windows.join(", ")}) ` +
          `to ${cli.outDir} in ${secs.toFixed(1)} s (${rate.toLocaleString("en-US")} records/s)`,
      );
    }
    return 0;
  } catch (e) {
    progress.close();
    const message = redactor.redact(oneLine(e instanceof Error ? e.message : String(e)));
    console.error(`error: ${message}`);
    return e instanceof PullAbortedError ? 130 : exitCodeFor(e);
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
}

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (e) {
    // Unexpected: still one line, still no stack (it could hold request details).
    console.error(`error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    code = 1;
  }
  Deno.exit(code);
}
