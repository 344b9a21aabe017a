import { athenaType } from "./athena_types.ts";
import {
  ATHENA_DEFAULTS,
  type AthenaDdlOptions,
  checkAthenaDdlOptions,
  dtProjectionProperties,
} from "./athena_ddl.ts";
import { SIGNIN_FIELDS } from "./signin_fields.ts";
import { resultExpression } from "../store/result_class.ts";
import { derivedSelect } from "../store/derived_columns.ts";

/** The lake's table of sign-ins, on Trino and on Athena. */
export const LAKE_TABLE = "signin_lake";

/** The lake lives in its own database and prefix: its `signins` view must not replace the raw pages' one. */
export const ATHENA_LAKE_DEFAULTS = {
  ...ATHENA_DEFAULTS,
  database: "signin_lens_lake",
  location: "s3://your-bucket/signin-lens-lake/",
} as const;

const ident = (s: string) => `\`${s.replaceAll("`", "``")}\``;
const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Hive types of the lake's side-table columns (lake.json gives them as Trino types). */
const HIVE_OF_TRINO: Record<string, string> = {
  "varchar": "string",
  "bigint": "bigint",
  "integer": "int",
  "double": "double",
  "boolean": "boolean",
  "date": "date",
  "timestamp(3)": "timestamp",
  "array(varchar)": "array<string>",
};

/**
 * The Athena table over the Parquet lake (`deno task lake`, pushed with `deno task push --lake`): the record's
 * columns with their nested types (lower-case names, as the files have them), created_at as a millisecond
 * timestamp (Athena engine v3 refuses more precise ones), partitioned by dt with partition projection.
 */
export function athenaLakeTableDdl(options: AthenaDdlOptions = {}): string {
  const o = { ...ATHENA_LAKE_DEFAULTS, ...options };
  const location = checkAthenaDdlOptions(o);
  const table = `${location}signins/`;
  const columns = [
    ...SIGNIN_FIELDS.map((f) => `  ${ident(f.name.toLowerCase())} ${athenaType(f.type)}`),
    `  ${ident("created_at")} timestamp`,
    `  ${ident("sign_in_kind")} string`,
    `  ${ident("source_format")} string`,
  ];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ident(o.database)}.${ident(LAKE_TABLE)} (`,
    columns.join(",\n"),
    `)`,
    `PARTITIONED BY (${ident("dt")} string)`,
    `STORED AS PARQUET`,
    `LOCATION ${quoted(table)}`,
    `TBLPROPERTIES (`,
    `  'parquet.compression' = 'ZSTD',`,
    ...dtProjectionProperties(table, o.projectionStart),
    `)`,
  ].join("\n");
}

/**
 * The `signins` view over the lake table, on Athena and Trino alike: the stored columns, created_at as a
 * timestamp with time zone (the type the raw-pages view's from_iso8601_timestamp gives) and the result class.
 * `database` is the quoted schema name the view and table live in.
 */
export function lakeViewDdl(database: string): string {
  const fields = SIGNIN_FIELDS.map((f) => `"${f.name.toLowerCase()}"`);
  return [
    `CREATE OR REPLACE VIEW ${database}."signins" AS`,
    `SELECT ${fields.join(", ")},`,
    `  with_timezone(created_at, 'UTC') AS created_at,`,
    `  ${resultExpression(`status.errorcode`)} AS result, sign_in_kind, source_format,`,
    `  ${derivedSelect()}`,
    `FROM ${database}."${LAKE_TABLE}"`,
  ].join("\n");
}

export function athenaLakeViewDdl(options: AthenaDdlOptions = {}): string {
  const o = { ...ATHENA_LAKE_DEFAULTS, ...options };
  checkAthenaDdlOptions(o);
  return lakeViewDdl(`"${o.database}"`);
}

/** An Athena table over one of the lake's side tables (`<location><table>/<table>.parquet`, lake.json). */
export function athenaSideTableDdl(
  table: string,
  columns: readonly { name: string; trino: string }[],
  options: AthenaDdlOptions = {},
): string {
  const o = { ...ATHENA_LAKE_DEFAULTS, ...options };
  const location = checkAthenaDdlOptions(o);
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`${JSON.stringify(table)} is not a table name`);
  const cols = columns.map((c) => {
    const hive = HIVE_OF_TRINO[c.trino];
    if (!hive) {
      throw new Error(`lake.json: ${table}.${c.name} has type ${c.trino}, which has no Athena form here`);
    }
    return `  ${ident(c.name)} ${hive}`;
  });
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ident(o.database)}.${ident(table)} (`,
    cols.join(",\n"),
    `)`,
    `STORED AS PARQUET`,
    `LOCATION ${quoted(`${location}${table}/`)}`,
  ].join("\n");
}
