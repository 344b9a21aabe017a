/** The SQL the benchmark runs outside signin-lens's own code: bare DuckDB loads and the raw-pages report. */
import { RECORD_TYPE, resultExpression } from "../lib/store/mod.ts";

/** How a bare DuckDB load reads the pages. */
export type BareVariant = "lateral" | "lateral_ndjson" | "select_ndjson";
export const BARE_VARIANTS: readonly BareVariant[] = ["lateral", "lateral_ndjson", "select_ndjson"];
export type RawFormat = "auto" | "newline_delimited";

export const BARE_LABELS: Record<BareVariant, string> = {
  lateral: "bare DuckDB: read_json + CROSS JOIN UNNEST + CREATE TABLE",
  lateral_ndjson: "bare DuckDB: same, format='newline_delimited'",
  select_ndjson: "bare DuckDB: select-list unnest, format='newline_delimited'",
};

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** CREATE TABLE t from the pages matched by `glob`, with the store's explicit record type. */
export function bareLoadSql(glob: string, variant: BareVariant): string {
  const format = variant === "lateral" ? "" : `, format = 'newline_delimited'`;
  const read = `read_json(${quote(glob)}, columns = {value: '${RECORD_TYPE}[]'}${format})`;
  return variant === "select_ndjson"
    ? `CREATE TABLE t AS SELECT r.* FROM (SELECT unnest(value) AS r FROM ${read})`
    : `CREATE TABLE t AS SELECT r.* FROM ${read} AS p CROSS JOIN UNNEST(p.value) AS u(r)`;
}

/** Only the fields the report's header and failed-by-country need. */
const NEEDED_TYPE = `STRUCT(id VARCHAR, "createdDateTime" VARCHAR, "userPrincipalName" VARCHAR, ` +
  `"ipAddress" VARCHAR, status STRUCT("errorCode" INTEGER), location STRUCT("countryOrRegion" VARCHAR))[]`;

/**
 * The report's summary (sign-ins, users, failures, interrupts, source IPs) and failed sign-ins by country,
 * in one pass straight over the raw pages: select-list unnest, only the needed fields typed. One row per
 * country plus a total row (`is_total`).
 */
export function rawReportSql(glob: string, format: RawFormat, from: string, to: string): string {
  const fmt = format === "auto" ? "" : `, format = '${format}'`;
  return `WITH r AS (SELECT unnest(value) AS r FROM read_json(${
    quote(glob)
  }, columns = {value: '${NEEDED_TYPE}'}${fmt})), ` +
    `c AS (SELECT r.location."countryOrRegion" AS country, r."userPrincipalName" AS upn, r."ipAddress" AS ip, ` +
    `${resultExpression(`r.status."errorCode"`)} AS result FROM r ` +
    `WHERE TRY_CAST(r."createdDateTime" AS TIMESTAMPTZ) >= TIMESTAMPTZ ${quote(from)} ` +
    `AND TRY_CAST(r."createdDateTime" AS TIMESTAMPTZ) < TIMESTAMPTZ ${quote(to)}) ` +
    `SELECT country, grouping(country) = 1 AS is_total, count(*) AS signins, count(DISTINCT upn) AS users, ` +
    `count(*) FILTER (WHERE result = 'failure') AS failures, ` +
    `count(*) FILTER (WHERE result = 'interrupt') AS interrupts, count(DISTINCT ip) AS ips ` +
    `FROM c GROUP BY GROUPING SETS ((country), ())`;
}
