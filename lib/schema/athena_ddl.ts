import { athenaType } from "./athena_types.ts";
import { SIGNIN_FIELDS } from "./signin_fields.ts";
import { AUDIT_FIELDS } from "./audit_fields.ts";
import { resultExpression } from "../store/result_class.ts";
import { signInKindSql } from "../sources/sign_in_kind.ts";
import { derivedSelect } from "../store/derived_columns.ts";

export interface AthenaDdlOptions {
  database?: string;
  /** s3://bucket/prefix/ under which `signins/dt=YYYY-MM-DD/` partitions live. */
  location?: string;
  /** First day partition projection may return (yyyy-MM-dd). */
  projectionStart?: string;
}

export const ATHENA_DEFAULTS = {
  database: "signin_lens",
  location: "s3://your-bucket/signin-lens/",
  projectionStart: "2020-01-01",
} as const;

// Hive DDL quotes identifiers with backticks; Trino's views take double quotes (names checked above).
const ident = (s: string) => `\`${s.replaceAll("`", "``")}\``;
const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Refuses options that would make invalid or unsafe DDL (the values are written into its text); returns the
 * location ending in "/".
 */
export function checkAthenaDdlOptions(o: Required<AthenaDdlOptions>): string {
  if (!/^[a-z0-9_]+$/.test(o.database)) {
    throw new Error(
      `--database ${JSON.stringify(o.database)}: Athena database names are lower-case letters, digits, _`,
    );
  }
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^'\s]*)?$/.test(o.location)) {
    throw new Error(`--location ${JSON.stringify(o.location)}: expected s3://bucket/prefix/`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.projectionStart)) {
    throw new Error(`projection start ${JSON.stringify(o.projectionStart)}: expected yyyy-MM-dd`);
  }
  return o.location.endsWith("/") ? o.location : `${o.location}/`;
}

/**
 * TBLPROPERTIES lines of a table partitioned by `dt` (`<table>dt=YYYY-MM-DD/`) with partition projection, so
 * new days need no MSCK REPAIR.
 */
export function dtProjectionProperties(table: string, projectionStart: string): string[] {
  return [
    `  'projection.enabled' = 'true',`,
    `  'projection.dt.type' = 'date',`,
    `  'projection.dt.format' = 'yyyy-MM-dd',`,
    `  'projection.dt.range' = ${quoted(`${projectionStart},NOW`)},`,
    `  'projection.dt.interval' = '1',`,
    `  'projection.dt.interval.unit' = 'DAYS',`,
    `  'storage.location.template' = ${quoted(`${table}dt=\${dt}/`)}`,
  ];
}

/**
 * The Athena table over raw Graph pages: OpenX JsonSerDe, one page per line, `value` typed from lib/schema,
 * partitioned by `dt` with partition projection so new days need no MSCK REPAIR.
 */
export function athenaTableDdl(options: AthenaDdlOptions = {}): string {
  return pagesTableDdl(options, "signin_pages", "signins", athenaType({ array: { struct: SIGNIN_FIELDS } }));
}

/** The Hive type of the audit pages' `value`: the audit properties, objects and arrays as their JSON text. */
export const AUDIT_VALUE_TYPE = `array<struct<${
  AUDIT_FIELDS.map((f) => `${f.name.toLowerCase()}:string`).join(",")
}>>`;

/**
 * The Athena table over raw directory-audit pages (`<location>audits/dt=YYYY-MM-DD/`, as `deno task push`
 * uploads them), like the sign-in pages' table. initiatedBy, targetResources and additionalDetails are string
 * columns: the SerDe gives an object or array there as its JSON text, which the queries read with
 * json_extract_scalar as they do the store's JSON columns.
 */
export function athenaAuditTableDdl(options: AthenaDdlOptions = {}): string {
  return pagesTableDdl(options, "audit_pages", "audits", AUDIT_VALUE_TYPE);
}

function pagesTableDdl(options: AthenaDdlOptions, name: string, folder: string, valueType: string): string {
  const o = { ...ATHENA_DEFAULTS, ...options };
  const table = `${checkAthenaDdlOptions(o)}${folder}/`;
  const value = valueType.replaceAll(",", ",\n    ").replace(/^array<struct</, "array<struct<\n    ");
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ident(o.database)}.${ident(name)} (`,
    `  ${ident("value")} ${value}`,
    `)`,
    `PARTITIONED BY (${ident("dt")} string)`,
    `ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'`,
    `WITH SERDEPROPERTIES ('case.insensitive' = 'true', 'ignore.malformed.json' = 'false')`,
    `STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'`,
    `OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'`,
    `LOCATION ${quoted(table)}`,
    `TBLPROPERTIES (`,
    ...dtProjectionProperties(table, o.projectionStart),
    `)`,
  ].join("\n");
}

/**
 * The `signins` view: the seed's `CROSS JOIN UNNEST(value)`, one row per sign-in id (latest createdDateTime),
 * with the same columns as the DuckDB store's `signins` (record fields, created_at, result, sign_in_kind,
 * source_format, the derived auth_step_* columns; the Athena table holds Graph pages, so source_format is
 * 'graph').
 *
 * Trino (Athena engine v3) expands an UNNEST of array(row) into one column per row field, so the seed's single
 * alias `AS t(records)`, which Presto 0.172 (engine v1) accepted, fails there with "Column alias list has 1
 * entries". The view names every field in the alias list instead, generated from the same schema.
 */
export function athenaViewDdl(options: AthenaDdlOptions = {}): string {
  const o = { ...ATHENA_DEFAULTS, ...options };
  checkAthenaDdlOptions(o);
  const fields = SIGNIN_FIELDS.map((f) => f.name.toLowerCase());
  const createdAt = `from_iso8601_timestamp(replace(t.createddatetime, ' ', 'T'))`;
  return [
    `CREATE OR REPLACE VIEW "${o.database}"."signins" AS`,
    `SELECT ${fields.map((f) => `"${f}"`).join(", ")}, created_at,`,
    `  ${resultExpression(`status.errorcode`)} AS result,`,
    `  ${signInKindSql(`"signineventtypes"`, `"isinteractive"`)} AS sign_in_kind, 'graph' AS source_format,`,
    `  ${derivedSelect()}`,
    `FROM (`,
    `  SELECT ${fields.map((f) => `t.${f} AS "${f}"`).join(", ")},`,
    `    ${createdAt} AS created_at,`,
    `    row_number() OVER (PARTITION BY t.id ORDER BY ${createdAt} DESC) AS lens_rank`,
    `  FROM "${o.database}"."signin_pages"`,
    `  CROSS JOIN UNNEST(value) AS t(${fields.join(", ")})`,
    `)`,
    `WHERE lens_rank = 1`,
  ].join("\n");
}

/**
 * The `directory_audits` view over the audit pages: one row per audit id, with the store's `directory_audits`
 * columns in its order (the audit properties, activity_at, _source), so the queries that read it
 * (detect_persistence, account_audits) run on Athena and Trino over the raw pages. activity_at is NULL for
 * a time that does not parse, as the store's TRY_CAST; _source is the page's object path.
 */
export function athenaAuditViewDdl(options: AthenaDdlOptions = {}): string {
  const o = { ...ATHENA_DEFAULTS, ...options };
  checkAthenaDdlOptions(o);
  const fields = AUDIT_FIELDS.map((f) => f.name.toLowerCase());
  return [
    `CREATE OR REPLACE VIEW "${o.database}"."directory_audits" AS`,
    `SELECT ${fields.map((f) => `"${f}"`).join(", ")}, activity_at, _source`,
    `FROM (`,
    `  SELECT ${fields.map((f) => `t.${f} AS "${f}"`).join(", ")},`,
    `    try(from_iso8601_timestamp(replace(t.activitydatetime, ' ', 'T'))) AS activity_at, "$path" AS _source,`,
    // A re-pulled day can hold an audit twice: one row per id, as the store skips an id it already holds.
    `    row_number() OVER (PARTITION BY t.id ORDER BY "$path") AS lens_rank`,
    `  FROM "${o.database}"."audit_pages"`,
    `  CROSS JOIN UNNEST(value) AS t(${fields.join(", ")})`,
    `)`,
    `WHERE lens_rank = 1`,
  ].join("\n");
}
