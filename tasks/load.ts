import { DEFAULT_DB } from "../lib/paths.ts";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { supervise } from "../lib/cli/supervise.ts";
import { checkStorePath, loadFiles, openStore } from "../lib/store/mod.ts";
import { discoverFiles } from "../lib/store/discover_files.ts";
import { EXIT_SOME_REJECTED, loadSummaryNotes } from "../lib/sources/load_summary.ts";

const USAGE =
  `Usage: deno task load <file-or-dir>... [--db FILE] [--force] [--wait SECONDS] [--skip-bad-records]

Loads sign-in logs into a DuckDB store. Accepts Graph API pages (as pulled, or merged into one file), NDJSON of
signIn records, Azure Monitor diagnostic exports and Log Analytics SigninLogs exports (JSON or NDJSON), each
optionally gzipped; the shape of each file is detected. Directories are searched recursively. A sign-in already
in the store is not added again; a later state of it (same id) replaces the earlier one. Files whose size and
modification time were already loaded are skipped. A failed load leaves the store exactly as it was, and
creates none when there was none.

Options:
  --db FILE   the store (default ${DEFAULT_DB})
  --force     read files again even if they were loaded before
  --wait S    how long to wait for a report or notebook query holding the store to finish (default 30)
  --skip-bad-records
              load every good record; keep each bad one (file, line or byte offset, reason, raw text) in
              the store's rejected_records table and exit ${EXIT_SOME_REJECTED} (without it one bad record fails the
              whole load, exit 1, store unchanged)
  -h, --help  show this help

Example:
  deno task load data/raw --db ${DEFAULT_DB}`;

await runTask(async () => {
  const { values, positionals } = parseCli(Deno.args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      force: { type: "boolean" },
      wait: { type: "string" },
      "skip-bad-records": { type: "boolean" },
    },
  });
  if (positionals.length === 0) usageExit("name at least one file or directory to load", USAGE);
  const wait = values.wait === undefined ? 30 : Number(values.wait);
  if (!/^\d+(\.\d+)?$/.test(String(values.wait ?? "30")) || !Number.isFinite(wait)) {
    usageExit(`--wait ${values.wait}: expected a number of seconds`, USAGE);
  }
  const db = (values.db as string | undefined) ?? DEFAULT_DB;
  // Everything that can be checked without the store is checked before it is opened: opening creates the
  // file, and an empty store left by a failed first load would be reported on as a tenant with no sign-ins.
  const existed = await checkStorePath(db) !== "missing";
  for (const path of positionals) {
    try {
      await Deno.stat(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      usageExit(
        `${path}: no such file or directory (nothing was loaded${existed ? "" : ", no store created"})`,
        USAGE,
      );
    }
  }
  if ((await discoverFiles(positionals)).length === 0) {
    throw new Error(
      `nothing to load: no .json, .ndjson, .jsonl or .csv files (gzipped or not) in ${
        positionals.join(", ")
      }` +
        (existed ? "" : `; no store created at ${db}`),
    );
  }
  // The load runs in a child process: a crash in DuckDB's native code is then reported in one line.
  await supervise({
    doing: `loading ${positionals.join(", ")} into ${db}`,
    afterCrash: async () => {
      if (existed) return `the store ${db} was left unchanged (the load's transaction never committed)`;
      await Deno.remove(db).catch(() => {});
      await Deno.remove(`${db}.wal`).catch(() => {});
      return `nothing was loaded and no store was created at ${db}`;
    },
  });
  const store = await openStore({ path: db, lockWaitMs: wait * 1000, log: (l) => console.error(l) });
  let ok = false;
  try {
    const r = await loadFiles(store, positionals, {
      force: values.force === true,
      skipBadRecords: values["skip-bad-records"] === true,
      log: (line) => console.error(line),
    });
    console.log(
      `loaded ${r.files} file(s) (${r.skippedFiles} unchanged, skipped): ${r.read} records read, ` +
        `${r.added} added, ${r.updated} updated${r.audits ? `, ${r.audits} directory audits` : ""}; ` +
        `${r.totalRecords} sign-ins in ${store.path} (${r.seconds.toFixed(2)} s)`,
    );
    for (const line of loadSummaryNotes(r, store.path)) console.error(line);
    ok = true;
    if (r.rejected > 0) Deno.exitCode = EXIT_SOME_REJECTED;
  } finally {
    store.close();
    if (!ok && !existed) {
      // The first load failed: the store it created holds nothing and must not be mistaken for a tenant.
      await Deno.remove(db).catch(() => {});
      await Deno.remove(`${db}.wal`).catch(() => {});
    }
  }
});
