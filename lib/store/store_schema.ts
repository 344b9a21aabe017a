import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { duckdbIdent, duckdbRecordType, duckdbType } from "../schema/duckdb_types.ts";
import { DERIVED_COLUMNS, STORED_COLUMNS } from "./derived_columns.ts";
import { AUDIT_FIELDS } from "../schema/audit_fields.ts";

/** Bumped whenever the stored layout changes, so an old database file is reported instead of misread. */
export const STORE_LAYOUT_VERSION = 4;

export const RECORD_TYPE = duckdbRecordType(SIGNIN_FIELDS);
export const FIELD_LIST = SIGNIN_FIELDS.map((f) => duckdbIdent(f.name)).join(", ");
/** The directory audit properties as DuckDB columns: `"id" VARCHAR, …, "initiatedBy" JSON, …`. */
export const AUDIT_COLUMNS = AUDIT_FIELDS.map((f) => `${duckdbIdent(f.name)} ${f.json ? "JSON" : "VARCHAR"}`)
  .join(", ");

/** Columns kept beside each record: when it happened, which version of it this is, where it came from. */
const BOOKKEEPING = [
  // UTC wall time; see createdAt() in shape_sql.ts for why not TIMESTAMPTZ.
  `created_at TIMESTAMP`,
  `_version_at TIMESTAMPTZ`,
  `_source VARCHAR`,
  `_loaded_at TIMESTAMPTZ`,
  // interactive, nonInteractive, servicePrincipal, managedIdentity, adfs, unknown (lib/sources/sign_in_kind.ts)
  `sign_in_kind VARCHAR`,
  // graph, azure_monitor, storage, log_analytics, portal_csv, portal_json, purview, defender
  `source_format VARCHAR`,
  // Record fields filled by signin-lens rather than the source (e.g. location.countryOrRegion from the IP).
  `derived_fields VARCHAR[]`,
  // The result class and what the authentication steps say, computed at load (lib/store/derived_columns.ts).
  ...STORED_COLUMNS.map((c) => `${c.name} ${c.duckdb}`),
];

export const CREATE_STORE: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS lens_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS signin_records (${
    [...SIGNIN_FIELDS.map((f) => `${duckdbIdent(f.name)} ${duckdbType(f.type)}`), ...BOOKKEEPING].join(", ")
  })`,
  `CREATE TABLE IF NOT EXISTS loaded_files (path VARCHAR, size BIGINT, mtime TIMESTAMPTZ, shape VARCHAR, ` +
  `records BIGINT, loaded_at TIMESTAMPTZ)`,
  // Records a --skip-bad-records load left out, with where they were and why.
  `CREATE TABLE IF NOT EXISTS rejected_records (path VARCHAR, line BIGINT, byte_offset BIGINT, reason VARCHAR, ` +
  `raw VARCHAR, rejected_at TIMESTAMPTZ)`,
  // Athena's and Trino's `directory_audits` view has the same columns (lib/schema/athena_ddl.ts).
  `CREATE TABLE IF NOT EXISTS directory_audits (${AUDIT_COLUMNS}, activity_at TIMESTAMPTZ, _source VARCHAR)`,
  // What every query reads: one row per sign-in (latest state), the record's own columns plus created_at
  // and the result class. Athena's `signins` view has the same columns (lib/schema/athena_ddl.ts).
  `CREATE OR REPLACE VIEW signins AS SELECT ${FIELD_LIST}, created_at, ` +
  `result, sign_in_kind, source_format, ${DERIVED_COLUMNS.map((c) => c.name).join(", ")} FROM signin_records`,
  // The records regrouped as Graph-shaped pages (one per UTC day) of exactly the Athena table's type,
  // so the seed's own `CROSS JOIN UNNEST(value) AS t(records)` queries run here unchanged.
  `CREATE OR REPLACE VIEW signin_pages AS SELECT dt, list(rec ORDER BY created_at DESC) AS value FROM (` +
  `SELECT strftime(created_at, '%Y-%m-%d') AS dt, created_at, ` +
  `CAST(struct_pack(${
    SIGNIN_FIELDS.map((f) => `${duckdbIdent(f.name)} := ${duckdbIdent(f.name)}`).join(", ")
  }) ` +
  `AS ${RECORD_TYPE}) AS rec FROM signin_records) GROUP BY dt`,
];
