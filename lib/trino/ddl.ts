import { athenaViewDdl } from "../schema/athena_ddl.ts";
import type { FieldType } from "../schema/field_type.ts";
import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { resultExpression } from "../store/result_class.ts";

const SCALARS = { string: "varchar", int: "integer", double: "double", boolean: "boolean" } as const;

/**
 * The Trino type of one schema type, field names lower-cased: the OpenX JSON reader matches JSON keys
 * case-insensitively, and the lake's Parquet files are written with lower-case names (lib/lake).
 */
export function trinoType(type: FieldType): string {
  if (typeof type === "string") return SCALARS[type];
  if ("array" in type) return `array(${trinoType(type.array)})`;
  return `row(${type.struct.map((x) => `"${x.name.toLowerCase()}" ${trinoType(x.type)}`).join(", ")})`;
}

/** Schema of the raw-pages table and its `signins` view; Athena's default database name. */
export const RAW_SCHEMA = "signin_lens";
/** Schema of the Parquet lake table and its `signins` view. */
export const LAKE_SCHEMA = "signin_lens_lake";
/** The lake's table name, on Trino and on Athena. */
export const LAKE_TABLE = "signin_lake";

const str = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The lake's stored columns (before the dt partition), in the `signins` column order. */
export function lakeColumns(): { name: string; trino: string }[] {
  return [
    ...SIGNIN_FIELDS.map((f) => ({ name: f.name.toLowerCase(), trino: trinoType(f.type) })),
    { name: "created_at", trino: "timestamp(3)" },
  ];
}

/**
 * Statements that make a Trino Hive catalog serve both data layouts, in order:
 * - `<RAW_SCHEMA>.signin_pages` over `<rawLocation>/dt=…/*.json` (Graph pages, one per line, OpenX JSON: the
 *   Trino form of Athena's generated table), plus its partitions, and the generated Athena `signins` view
 *   verbatim;
 * - `<LAKE_SCHEMA>.signin_lake` over the Parquet lake (`dt=…/*.parquet`), partitions, and its `signins` view.
 *
 * Locations are Trino file-system URIs (`local:///…` or `s3://…`), each the folder holding the dt= folders.
 */
export function trinoSetupStatements(
  options: { catalog?: string; rawLocation?: string; lakeLocation?: string },
): string[] {
  const c = options.catalog ?? "hive";
  const out: string[] = [];
  if (options.rawLocation) {
    const value = trinoType({ array: { struct: SIGNIN_FIELDS } });
    out.push(
      `CREATE SCHEMA IF NOT EXISTS ${c}.${RAW_SCHEMA}`,
      `DROP VIEW IF EXISTS ${c}.${RAW_SCHEMA}.signins`,
      `DROP TABLE IF EXISTS ${c}.${RAW_SCHEMA}.signin_pages`,
      `CREATE TABLE ${c}.${RAW_SCHEMA}.signin_pages (value ${value}, dt varchar) WITH (` +
        `format = 'OPENX_JSON', external_location = ${
          str(options.rawLocation)
        }, partitioned_by = ARRAY['dt'])`,
      `CALL ${c}.system.sync_partition_metadata('${RAW_SCHEMA}', 'signin_pages', 'FULL')`,
      athenaViewDdl({ database: RAW_SCHEMA }),
    );
  }
  if (options.lakeLocation) {
    const columns = lakeColumns().map((x) => `"${x.name}" ${x.trino}`).join(", ");
    out.push(
      `CREATE SCHEMA IF NOT EXISTS ${c}.${LAKE_SCHEMA}`,
      `DROP VIEW IF EXISTS ${c}.${LAKE_SCHEMA}.signins`,
      `DROP TABLE IF EXISTS ${c}.${LAKE_SCHEMA}.${LAKE_TABLE}`,
      `CREATE TABLE ${c}.${LAKE_SCHEMA}.${LAKE_TABLE} (${columns}, dt varchar) WITH (` +
        `format = 'PARQUET', external_location = ${str(options.lakeLocation)}, partitioned_by = ARRAY['dt'])`,
      `CALL ${c}.system.sync_partition_metadata('${LAKE_SCHEMA}', '${LAKE_TABLE}', 'FULL')`,
      lakeViewDdl(`"${LAKE_SCHEMA}"`),
    );
  }
  return out;
}

/**
 * The `signins` view over the lake: the stored columns, created_at as a timestamp with time zone (what the
 * raw view's from_iso8601_timestamp gives, so both views have one type) and the result class.
 */
export function lakeViewDdl(database: string): string {
  const fields = SIGNIN_FIELDS.map((f) => `"${f.name.toLowerCase()}"`);
  return [
    `CREATE OR REPLACE VIEW ${database}."signins" AS`,
    `SELECT ${fields.join(", ")},`,
    `  with_timezone(created_at, 'UTC') AS created_at,`,
    `  ${resultExpression(`status.errorcode`)} AS result`,
    `FROM ${database}."${LAKE_TABLE}"`,
  ].join("\n");
}
