/**
 * `deno task lake`: the store → a Hive-partitioned Parquet lake.
 * Exit codes: 0 done, 1 failed (one-line reason), 2 wrong option.
 */
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { writeLake } from "../lib/lake/mod.ts";
import { openReportSource } from "../lib/report_data.ts";

const USAGE = `Usage: deno task lake --out DIR [--db FILE] [--day YYYY-MM-DD]...

Writes the store's sign-ins as a Parquet lake: DIR/dt=YYYY-MM-DD/signins.parquet (zstd, one row per sign-in,
the signins columns with their nested types, lower-case names, created_at in UTC). Re-running rewrites each
day in one atomic rename: readers see the old day or the new one, never a mix. Days not in the store are
left as they are. DuckDB, Trino (deno task trino up --lake DIR) and Athena (deno task ddl --format parquet,
deno task push --lake DIR) read it with the same queries.

Options:
  --out DIR    the lake folder (required; created)
  --db FILE    the store (default data/signins.duckdb, else the bundled sample tenant)
  --day D      only this UTC day; repeat for several (default every day in the store)
  -h, --help   show this help

Example:
  deno task lake --out data/lake`;

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: { out: { type: "string" }, db: { type: "string" }, day: { type: "string", multiple: true } },
  });
  const out = values.out as string | undefined;
  if (!out) usageExit("--out DIR is required", USAGE);
  const log = (line: string) => console.error(line);
  const source = await openReportSource(values.db as string | undefined, log);
  try {
    const r = await writeLake(source.store.connection, out, {
      days: values.day as string[] | undefined,
      log,
    });
    log(
      `wrote ${r.rows} sign-ins in ${r.days.length} day(s), ${(r.bytes / 1e6).toFixed(1)} MB, to ${out} ` +
        `(${r.seconds.toFixed(1)} s)${source.sample ? " — the bundled sample tenant, not yours" : ""}`,
    );
  } finally {
    source.store.close();
  }
});
