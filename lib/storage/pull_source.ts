/**
 * The `--source` option of `deno task pull`. Kept apart from storage_cli.ts and free of any Azure SDK import:
 * tasks/pull.ts imports this statically, and the storage and identity SDKs (~15 MiB of RSS and ~0.2 s of
 * CPU) are loaded only once `--source storage` is chosen.
 */

/** The help line `deno task pull --help` adds for the other source. */
export const SOURCE_OPTION_HELP = `

Other sources:
  --source storage      diagnostic-settings archives in an Azure Storage account instead of Graph
                        (see deno task pull --source storage --help)`;

/** Takes `--source NAME` / `--source=NAME` out of the pull's arguments: graph (default) or storage. */
export function splitSource(args: string[]): { source: string; rest: string[] } {
  const rest: string[] = [];
  let source = "graph";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--source") {
      source = args[++i] ?? "";
    } else if (a.startsWith("--source=")) {
      source = a.slice("--source=".length);
    } else rest.push(a);
  }
  return { source, rest };
}
