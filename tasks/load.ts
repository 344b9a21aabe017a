import { DEFAULT_DB } from "../lib/paths.ts";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { loadFiles, openStore } from "../lib/store/mod.ts";

const USAGE = `Usage: deno task load <file-or-dir>... [--db FILE] [--force]

Loads sign-in logs into a DuckDB store. Accepts Graph API pages (as pulled, or merged into one file), NDJSON of
signIn records, Azure Monitor diagnostic exports and Log Analytics SigninLogs exports (JSON or NDJSON), each
optionally gzipped; the shape of each file is detected. Directories are searched recursively. A sign-in already
in the store is not added again; a later state of it (same id) replaces the earlier one. Files whose size and
modification time were already loaded are skipped. A failed load leaves the store exactly as it was.

Options:
  --db FILE   the store (default ${DEFAULT_DB})
  --force     read files again even if they were loaded before
  -h, --help  show this help

Example:
  deno task load data/raw --db ${DEFAULT_DB}`;

await runTask(async () => {
  const { values, positionals } = parseCli(Deno.args, {
    usage: USAGE,
    allowPositionals: true,
    options: { db: { type: "string" }, force: { type: "boolean" } },
  });
  if (positionals.length === 0) usageExit("name at least one file or directory to load", USAGE);
  const store = await openStore({ path: (values.db as string | undefined) ?? DEFAULT_DB });
  try {
    const r = await loadFiles(store, positionals, {
      force: values.force === true,
      log: (line) => console.error(line),
    });
    console.log(
      `loaded ${r.files} file(s) (${r.skippedFiles} unchanged, skipped): ${r.read} records read, ` +
        `${r.added} added, ${r.updated} updated${r.audits ? `, ${r.audits} directory audits` : ""}; ` +
        `${r.totalRecords} sign-ins in ${store.path} (${r.seconds.toFixed(2)} s)`,
    );
  } finally {
    store.close();
  }
});
