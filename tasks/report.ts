import { basename, dirname } from "node:path";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { DEFAULT_DB } from "../lib/paths.ts";
import { normalizeInstant, ParamError, runQuery, toTable } from "../lib/query/mod.ts";
import { openReportSource, reportRange } from "../lib/report_data.ts";
import { plural } from "../lib/charts/svg_text.ts";
import { buildReport, reportTriage, toSummary, writeReport } from "../lib/report/mod.ts";

const USAGE =
  `Usage: deno task report [--db FILE] [--from DATE] [--to DATE] [--out DIR|FILE.html] [--png] [--allow-empty]

Writes reports/signins-report.html: one self-contained file (inline SVG and CSS, no network) with the failed
logins map, failures per user over time, failure reasons per user, successful logins by OS and more, and prints a
summary on stdout. Without --db it reports on ${DEFAULT_DB} if you loaded one, else on the bundled sample tenant
(built and loaded on first use).

Options:
  --db FILE     the store to report on
  --from DATE   start of the range (YYYY-MM-DD or ISO instant; default: the first sign-in's day)
  --to DATE     end of the range, exclusive (default: the day after the last sign-in)
  --out DIR     where to write the report (default reports); a path ending in .html names the file itself
  --png         also write each chart as a PNG beside the report
  --allow-empty write the report even when the range has no sign-ins (it then says so in a banner); without
                it an empty store or range is an error (exit 1) and nothing is written
  -h, --help    show this help

Example:
  deno task report --db ${DEFAULT_DB} --from 2026-10-01 --to 2026-11-01 --png`;

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: {
      db: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      out: { type: "string" },
      png: { type: "boolean" },
      "allow-empty": { type: "boolean" },
    },
  });
  const started = performance.now();
  // Options are checked before any store is opened: a typo must not first build the sample tenant.
  const given = { from: values.from as string | undefined, to: values.to as string | undefined };
  try {
    if (given.from !== undefined) given.from = normalizeInstant(given.from, "--from");
    if (given.to !== undefined) given.to = normalizeInstant(given.to, "--to");
  } catch (e) {
    if (e instanceof ParamError) usageExit(e.message, USAGE);
    throw e;
  }
  if (given.from !== undefined && given.to !== undefined && given.from >= given.to) {
    usageExit(`--from ${given.from} is not before --to ${given.to}`, USAGE);
  }
  const source = await openReportSource(values.db as string | undefined, (l) => console.error(l));
  try {
    const { from, to } = await reportRange(source.store, given.from, given.to);
    if (from >= to) {
      // One bound came from the data: say so, never as if the user had typed it.
      usageExit(
        given.from !== undefined
          ? `--from ${given.from.slice(0, 10)} is not before the end of the store's sign-ins (${
            to.slice(0, 10)
          }, exclusive): give an earlier --from, or --to`
          : `--to ${to.slice(0, 10)} is not after the store's first sign-in day (${from.slice(0, 10)})`,
        USAGE,
      );
    }
    const report = await buildReport({
      run: async (name, params) => (await runQuery(source.store, name, params)).rows,
      tenant: source.tenant,
      from,
      to,
      generatedAt: new Date().toISOString(),
      allowEmpty: values["allow-empty"] === true,
      // The whole store's totals, so an empty report says whether the store or only the range is empty.
      storeTotals: toSummary((await runQuery(source.store, "summary", {})).rows),
      // Opens with "Accounts that may be compromised" and an investigation per account.
      triage: reportTriage(source.store),
    });
    const out = (values.out as string | undefined) ?? "reports";
    // `--out x.html` names the report file itself; anything else is the folder it goes in.
    const asFile = /\.html?$/i.test(out);
    const written = await writeReport(report, asFile ? dirname(out) : out, {
      png: values.png === true,
      fileName: asFile ? basename(out) : undefined,
    });
    const s = report.summary;
    console.log(`${source.tenant}: ${from.slice(0, 10)} to ${to.slice(0, 10)}`);
    console.log(
      `${plural(s.signins, "sign-in")}, ${plural(s.users, "user")}, ${plural(s.failures, "failure")}, ` +
        `${plural(s.interrupts, "interrupt")}, ${plural(s.countries, "country", "countries")}\n`,
    );
    for (
      const [title, name] of [
        ["Failed sign-ins by country", "failed_by_country"],
        ["Failed sign-ins by reason", "failed_by_reason"],
        ["Failed sign-ins by operating system", "failed_by_os"],
      ] as const
    ) {
      const result = await runQuery(source.store, name, { from, to });
      console.log(`${title}\n${toTable(result, { limit: 8 })}`);
    }
    for (const e of report.errors) console.error(`warning: section ${e.query} failed: ${e.message}`);
    console.log(`report: ${written.html}${written.pngs.length ? ` (+ ${written.pngs.length} PNGs)` : ""}`);
    console.error(`${source.note} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    source.store.close();
  }
});
