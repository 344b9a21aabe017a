import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import {
  ATHENA_DEFAULTS,
  athenaAuditTableDdl,
  athenaAuditViewDdl,
  athenaTableDdl,
  athenaViewDdl,
} from "../lib/schema/athena_ddl.ts";
import { athenaLakeTableDdl, athenaLakeViewDdl, athenaSideTableDdl } from "../lib/schema/athena_lake_ddl.ts";
import { readLakeManifest } from "../lib/lake/mod.ts";
import { ipIntelAthenaDdl } from "../lib/ipintel/athena_ddl.ts";

const USAGE =
  `Usage: deno task ddl [--database NAME] [--location s3://bucket/prefix/] [--projection-start DATE]
                      [--format json|parquet] [--lake DIR]

Prints the Amazon Athena DDL generated from lib/schema: the external table over raw Graph sign-in pages (OpenX
JsonSerDe, one page per line, partitioned by dt with partition projection) and the signins view (the original
blog post's CROSS JOIN UNNEST(value) AS t(records), one row per sign-in); the same over the directory-audit
pages (audit_pages and the directory_audits view, the store's columns, read by detect_persistence and
account_audits); then the triage's IP intelligence (the asn_ranges table; the asn_classes, ip_addresses and
ip_intel_lookup views; ip_intel materialised by CTAS). Run the statements in Athena, in that order.

Options:
  --database NAME          Athena database (default ${ATHENA_DEFAULTS.database})
  --location URI           S3 prefix that holds signins/dt=YYYY-MM-DD/ and audits/dt=YYYY-MM-DD/, as
                           deno task push uploads them (default ${ATHENA_DEFAULTS.location})
  --projection-start DATE  first day partition projection covers (default ${ATHENA_DEFAULTS.projectionStart})
  --format F               json (default: the raw pages) or parquet (the lake of deno task lake, pushed with
                           deno task push --lake; give it its own --location and --database)
  --lake DIR               with parquet: also the tables of the lake's lake.json (audits, IP intelligence)
  -h, --help               show this help

Example:
  deno task ddl --database security_logs --location s3://acme-logs/entra/`;

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: {
      database: { type: "string" },
      location: { type: "string" },
      "projection-start": { type: "string" },
      format: { type: "string" },
      lake: { type: "string" },
    },
  });
  const format = (values.format as string | undefined) ?? "json";
  if (format !== "json" && format !== "parquet") usageExit(`--format ${format}: use json or parquet`, USAGE);
  if (values.lake !== undefined && format !== "parquet") usageExit("--lake needs --format parquet", USAGE);
  const options = {
    database: values.database as string | undefined,
    location: values.location as string | undefined,
    projectionStart: values["projection-start"] as string | undefined,
  };
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const start = options.projectionStart;
  if (start !== undefined) {
    const d = new Date(`${start}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(d.getTime()) || !d.toISOString().startsWith(start)
    ) {
      usageExit(`--projection-start ${JSON.stringify(start)}: expected a date YYYY-MM-DD`, USAGE);
    }
  }
  // Every value here comes from an option: a bad one is a wrong option (exit 2, with the usage), as in push.
  let ddl: string;
  const side = values.lake ? (await readLakeManifest(values.lake as string)).tables : {};
  try {
    ddl = format === "parquet"
      ? [
        athenaLakeTableDdl(defined),
        athenaLakeViewDdl(defined),
        ...Object.entries(side).map(([t, cols]) => athenaSideTableDdl(t, cols, defined)),
      ].map((x) => `${x};`).join("\n\n")
      : [
        athenaTableDdl(defined),
        athenaViewDdl(defined),
        athenaAuditTableDdl(defined),
        athenaAuditViewDdl(defined),
        // The triage's IP intelligence over the raw pages (lib/ipintel/athena_ddl.ts): upload the ranges
        // file written by `deno task triage --write-asn-ranges FILE` to <location>asn_ranges/.
        ...(await ipIntelAthenaDdl({
          database: options.database ?? ATHENA_DEFAULTS.database,
          location: options.location ?? ATHENA_DEFAULTS.location,
        })),
      ].map((x) => `${x};`).join("\n\n");
  } catch (e) {
    return usageExit((e as Error).message, USAGE);
  }
  console.log(ddl);
});
