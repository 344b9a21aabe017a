/**
 * `deno task coverage`: which UTC days the store has sign-ins for, by kind and source, which days have none,
 * which were fetched only in part, and which are past Graph's retention.
 * Exit codes: 0 done, 1 failed, 2 wrong option, 4 a --require-day day has no sign-ins or was fetched in part.
 */
import { DEFAULT_DB } from "../lib/paths.ts";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { openExistingStore } from "../lib/store/mod.ts";
import { coverage } from "../lib/coverage/coverage.ts";
import { formatCoverage } from "../lib/coverage/format_coverage.ts";

/** A required day is missing or partial: distinct from 1 (the command failed) so cron can tell. */
export const EXIT_DAY_MISSING = 4;

const USAGE =
  `Usage: deno task coverage [--db FILE] [--from DAY] [--to DAY] [--raw DIR] [--require-day DAY]...
                        [--format table|json]

Shows the sign-ins per UTC day of a store, by kind (interactive, nonInteractive, servicePrincipal,
managedIdentity, adfs) and source (graph, storage, azure_monitor, log_analytics, portal_csv, purview, …), the days
with none, the days a pull checkpoint or a storage ledger under --raw says were fetched only in part, and the
days past Graph's 30-day retention. Check it before trusting a "nothing found" answer.

Options:
  --db FILE          the store (default ${DEFAULT_DB})
  --from DAY         first day, YYYY-MM-DD (default: the first day anything covers)
  --to DAY           last day, YYYY-MM-DD (default: the last day anything covers)
  --raw DIR          where pull checkpoints and storage ledgers are (default data/raw)
  --require-day DAY  exit ${EXIT_DAY_MISSING} unless DAY (YYYY-MM-DD, yesterday or today) has sign-ins and was fetched
                     whole; repeat for several days
  --format F         table (default) or json
  -h, --help         show this help

Example (nightly, after pull and load):
  deno task coverage --require-day yesterday`;

function dayArg(name: string, v: string, now: Date): string {
  const DAY = 86_400_000;
  if (v === "today") return now.toISOString().slice(0, 10);
  if (v === "yesterday") return new Date(now.getTime() - DAY).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
    usageExit(`${name} ${v}: expected YYYY-MM-DD, yesterday or today`, USAGE);
  }
  return v;
}

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: {
      db: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      raw: { type: "string" },
      "require-day": { type: "string", multiple: true },
      format: { type: "string" },
    },
  });
  const now = new Date();
  const format = (values.format as string | undefined) ?? "table";
  if (format !== "table" && format !== "json") usageExit(`--format ${format}: expected table or json`, USAGE);
  const required = ((values["require-day"] as string[] | undefined) ?? []).map((d) =>
    dayArg("--require-day", d, now)
  );
  let from = values.from === undefined ? undefined : dayArg("--from", values.from as string, now);
  let to = values.to === undefined ? undefined : dayArg("--to", values.to as string, now);
  const db = (values.db as string | undefined) ?? DEFAULT_DB;
  const store = await openExistingStore(db);
  let c;
  try {
    // Required days must be inside the range even when the store ends before them: that is the point.
    if (required.length) {
      const first = [...required].sort()[0];
      const last = [...required].sort().at(-1)!;
      const base = await coverage(store, { rawDir: values.raw as string | undefined, now, from, to });
      from = from ?? (base.from < first ? base.from : first);
      to = to ?? (base.to > last ? base.to : last);
    }
    c = await coverage(store, { rawDir: values.raw as string | undefined, now, from, to });
  } finally {
    store.close();
  }
  console.log(format === "json" ? JSON.stringify(c, null, 1) : formatCoverage(c, db));
  const failed: string[] = [];
  for (const day of required) {
    const d = c.days.find((x) => x.day === day);
    if (!d || d.signins === 0) failed.push(`${day} has no sign-ins in ${db}`);
    else if (d.gaps.length > 0) failed.push(`${day} was fetched only in part (${d.gaps.join("; ")})`);
  }
  if (failed.length) {
    for (const f of failed) console.error(`error: ${f}`);
    Deno.exit(EXIT_DAY_MISSING);
  }
});
