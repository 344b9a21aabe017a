import { athenaAuditViewDdl, athenaViewDdl } from "../schema/athena_ddl.ts";
import { AUDIT_FIELDS } from "../schema/audit_fields.ts";
import { LAKE_TABLE, lakeViewDdl } from "../schema/athena_lake_ddl.ts";
import type { FieldType } from "../schema/field_type.ts";
import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";

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
export { LAKE_TABLE, lakeViewDdl };

const str = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The lake's stored columns (before the dt partition), in the `signins` column order. */
export function lakeColumns(): { name: string; trino: string }[] {
  return [
    ...SIGNIN_FIELDS.map((f) => ({ name: f.name.toLowerCase(), trino: trinoType(f.type) })),
    { name: "created_at", trino: "timestamp(3)" },
    { name: "sign_in_kind", trino: "varchar" },
    { name: "source_format", trino: "varchar" },
  ];
}

/** The audit pages' `value` in Trino: the audit properties as varchar (objects and arrays as JSON text). */
export const AUDIT_VALUE_TRINO = `array(row(${
  AUDIT_FIELDS.map((f) => `"${f.name.toLowerCase()}" varchar`).join(", ")
}))`;

/**
 * Statements that make a Trino Hive catalog serve both data layouts, in order:
 * - `<RAW_SCHEMA>.signin_pages` over `<rawLocation>/dt=…/*.json` (Graph pages, one per line, OpenX JSON: the
 *   Trino form of Athena's generated table), plus its partitions, and the generated Athena `signins` view
 *   verbatim; with `rawAuditLocation`, `audit_pages` over the audit pages and the generated Athena
 *   `directory_audits` view verbatim;
 * - `<LAKE_SCHEMA>.signin_lake` over the Parquet lake (`<lake>/signins/dt=…/*.parquet`), partitions, and its
 *   `signins` view; the lake's side tables (`<lake>/<table>/`) in both schemas, but for the raw schema's
 *   `directory_audits` when the raw audit pages give it.
 *
 * Locations are Trino file-system URIs (`local:///…` or `s3://…`): the raw ones hold the dt= folders, the lake
 * one is the lake's root. `directory_audits` is a view in one setup and a table in another: the caller drops
 * whichever exists first (Trino refuses DROP TABLE on a view and DROP VIEW on a table, even with IF EXISTS).
 */
export function trinoSetupStatements(
  options: {
    catalog?: string;
    rawLocation?: string;
    /** The raw audit pages' folder (holding dt=…/), beside rawLocation's sign-in pages. */
    rawAuditLocation?: string;
    lakeLocation?: string;
    /** The lake's side tables (lake.json), made in both schemas: queries join them whatever the sign-ins. */
    sideTables?: Record<string, { name: string; trino: string }[]>;
  },
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
  const rawAudits = options.rawLocation !== undefined && options.rawAuditLocation !== undefined;
  if (rawAudits) {
    out.push(
      `DROP TABLE IF EXISTS ${c}.${RAW_SCHEMA}.audit_pages`,
      `CREATE TABLE ${c}.${RAW_SCHEMA}.audit_pages (value ${AUDIT_VALUE_TRINO}, dt varchar) WITH (` +
        `format = 'OPENX_JSON', external_location = ${
          str(options.rawAuditLocation!)
        }, partitioned_by = ARRAY['dt'])`,
      `CALL ${c}.system.sync_partition_metadata('${RAW_SCHEMA}', 'audit_pages', 'FULL')`,
      athenaAuditViewDdl({ database: RAW_SCHEMA }),
    );
  }
  if (options.lakeLocation) {
    const lake = options.lakeLocation.replace(/\/+$/, "");
    const columns = lakeColumns().map((x) => `"${x.name}" ${x.trino}`).join(", ");
    out.push(
      `CREATE SCHEMA IF NOT EXISTS ${c}.${LAKE_SCHEMA}`,
      `DROP VIEW IF EXISTS ${c}.${LAKE_SCHEMA}.signins`,
      `DROP TABLE IF EXISTS ${c}.${LAKE_SCHEMA}.${LAKE_TABLE}`,
      `CREATE TABLE ${c}.${LAKE_SCHEMA}.${LAKE_TABLE} (${columns}, dt varchar) WITH (` +
        `format = 'PARQUET', external_location = ${str(`${lake}/signins`)}, partitioned_by = ARRAY['dt'])`,
      `CALL ${c}.system.sync_partition_metadata('${LAKE_SCHEMA}', '${LAKE_TABLE}', 'FULL')`,
      lakeViewDdl(`"${LAKE_SCHEMA}"`),
    );
    for (const [table, cols] of Object.entries(options.sideTables ?? {})) {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) {
        throw new Error(`lake.json: ${JSON.stringify(table)} is not a table name`);
      }
      const list = cols.map((x) => `"${x.name.replaceAll('"', '""')}" ${x.trino}`).join(", ");
      for (const schema of options.rawLocation ? [RAW_SCHEMA, LAKE_SCHEMA] : [LAKE_SCHEMA]) {
        if (schema === RAW_SCHEMA && table === "directory_audits" && rawAudits) continue;
        out.push(
          `DROP TABLE IF EXISTS ${c}.${schema}.${table}`,
          `CREATE TABLE ${c}.${schema}.${table} (${list}) WITH (` +
            `format = 'PARQUET', external_location = ${str(`${lake}/${table}`)})`,
        );
      }
    }
  }
  return out;
}
