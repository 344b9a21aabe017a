import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { DEFAULT_DB } from "../lib/paths.ts";
import { openReportSource, reportRange } from "../lib/report_data.ts";
import { triageBlindSpots } from "../lib/detections/coverage.ts";
import { formatTriage, type TriageFormat } from "../lib/detections/format.ts";
import { SCORING_SUMMARY } from "../lib/detections/score.ts";
import { triageStore } from "../lib/detections/triage_store.ts";
import { ASN_ATTRIBUTION } from "../lib/ipintel/dataset.ts";
import { writeAsnRangesTsv } from "../lib/ipintel/athena_ddl.ts";

const USAGE =
  `Usage: deno task triage [--db FILE] [--from DATE] [--to DATE] [--format table|json|csv] [--min-score N]

Ranks accounts by evidence of compromise, most suspicious first: a spray or brute force that got the password,
a session used from two networks (AiTM), device-code phishing, MFA fatigue that ended in approval, risky
sign-ins that succeeded, passwords tested over ROPC/legacy auth, new hosting/VPN/Tor networks, first sign-ins
from new countries or networks, and persistence (MFA method, device, consent, credential, role) right after.
Each finding names its rule, MITRE ATT&CK technique, time, address, ASN and evidence. Offline: ASNs come from
the records and the bundled @ip-location-db/asn dataset. Without --db it reads ${DEFAULT_DB} if you loaded one,
else the bundled sample tenant. Exits 0 whether or not anything was found.

Options:
  --db FILE        the store to triage
  --from DATE      start of the range (YYYY-MM-DD or ISO instant; default: the first sign-in's day);
                   first-seen rules still learn from the whole stored history
  --to DATE        end of the range, exclusive (default: the day after the last sign-in)
  --format F       table (default), json (one object per account with its findings) or csv (one line per finding)
  --min-score N    leave out accounts scoring below N (default 1; 0 lists every account with a finding)
  --write-asn-ranges FILE
                   also write the ASN range table as the tab-separated file deno task ddl's Athena
                   asn_ranges table reads (upload it to <location>asn_ranges/)
  -h, --help       show this help

Example:
  deno task triage --db ${DEFAULT_DB} --from 2026-10-01 --format json --min-score 5`;

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: {
      db: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      format: { type: "string" },
      "min-score": { type: "string" },
      "write-asn-ranges": { type: "string" },
    },
  });
  const format = (values.format as string | undefined) ?? "table";
  if (!["table", "json", "csv"].includes(format)) {
    usageExit(`--format ${format}: expected table, json or csv`, USAGE);
  }
  const minText = values["min-score"] as string | undefined;
  const minScore = minText === undefined ? 1 : Number(minText);
  if (minText !== undefined && (minText.trim() === "" || !Number.isFinite(minScore) || minScore < 0)) {
    usageExit(`--min-score ${minText}: expected a number, 0 or more`, USAGE);
  }
  const started = performance.now();
  const source = await openReportSource(values.db as string | undefined, (l) => console.error(l));
  try {
    const { from, to } = await reportRange(
      source.store,
      values.from as string | undefined,
      values.to as string | undefined,
    );
    if (from >= to) usageExit(`--from ${from} is not before --to ${to}`, USAGE);
    const blind = await triageBlindSpots(source.store);
    const { rows } = await triageStore(source.store, { from, to, minScore });
    const tsv = values["write-asn-ranges"] as string | undefined;
    if (tsv !== undefined) {
      console.error(`wrote ${await writeAsnRangesTsv(source.store, tsv)} ASN ranges to ${tsv}`);
    }
    console.log(formatTriage(rows, format as TriageFormat, { from, to, minScore }));
    if (format === "table") console.log(`\n${SCORING_SUMMARY}\n${ASN_ATTRIBUTION}`);
    for (const note of blind) console.error(`note: ${note}`);
    console.error(
      `${source.note.replace(/^reporting on/, "triage of")} (${
        ((performance.now() - started) / 1000).toFixed(1)
      } s)`,
    );
  } finally {
    source.store.close();
  }
});
