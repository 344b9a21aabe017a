import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { duckdbIdent, duckdbJsonStructure, duckdbType } from "../schema/duckdb_types.ts";
import type { Field } from "../schema/field_type.ts";
import type { JsonFormat, SqlShape } from "./detect_shape.ts";
import { RECORD_TYPE } from "./store_schema.ts";
import { instantSql } from "../sources/instant.ts";
import { signInKindSql } from "../sources/sign_in_kind.ts";

/** Azure Monitor diagnostic records that carry sign-ins: every category ending in SignInLogs (ADFSSignInLogs, …). */
const isSignInCategory = (col: string) => `lower(${col}) LIKE '%signinlogs'`;

/** sign_in_kind and source_format of a Graph-shaped record whose columns are reachable as `${prefix}name`. */
const kindColumns = (prefix: string, format: string, category?: string) =>
  `${signInKindSql(`${prefix}"signInEventTypes"`, `${prefix}"isInteractive"`, category)} AS sign_in_kind, ` +
  `'${format}' AS source_format`;

export interface ReadOptions {
  format: JsonFormat;
  /** Largest JSON value DuckDB may meet; a merged Graph file is far above DuckDB's 16 MiB default. */
  maximumObjectSize: number;
}

const fieldsFrom = (struct: string, createdDateTime = `${struct}."createdDateTime"`) =>
  SIGNIN_FIELDS.map((f) =>
    `${f.name === "createdDateTime" ? createdDateTime : `${struct}.${duckdbIdent(f.name)}`} AS ${
      duckdbIdent(f.name)
    }`
  ).join(", ");

const readArgs = (o: ReadOptions) =>
  `format = '${o.format}', filename = true, maximum_object_size = ${Math.trunc(o.maximumObjectSize)}`;

/**
 * A SELECT over the files bound to `$files` that yields the store's record columns plus created_at,
 * _version_at and _source, for one input shape. Only code-made text goes in here; file names are bound.
 */
export function shapeSelect(shape: SqlShape, o: ReadOptions): string {
  switch (shape) {
    case "graph_pages":
      // The seed's unnest, over pages typed exactly as the Athena table's `value` column.
      return `SELECT records.*, ${createdAt(`records."createdDateTime"`)} AS created_at, ` +
        `CAST(NULL AS TIMESTAMPTZ) AS _version_at, p.filename AS _source, ${
          kindColumns("records.", "graph")
        } ` +
        `FROM read_json($files, columns = {value: '${RECORD_TYPE}[]'}, ${readArgs(o)}) AS p ` +
        `CROSS JOIN UNNEST(p.value) AS t(records)`;
    case "signin_records":
      return `SELECT ${SIGNIN_FIELDS.map((f) => duckdbIdent(f.name)).join(", ")}, ` +
        `${createdAt(`"createdDateTime"`)} AS created_at, CAST(NULL AS TIMESTAMPTZ) AS _version_at, ` +
        `filename AS _source, ${kindColumns("", "graph")} FROM read_json($files, columns = {${
          SIGNIN_FIELDS.map((f) => `${duckdbIdent(f.name)}: '${duckdbType(f.type)}'`).join(", ")
        }}, ${readArgs(o)})`;
    case "azure_monitor":
      // A record without properties.createdDateTime takes its top-level time, the event time.
      return `SELECT ${fieldsFrom("r.properties", `coalesce(r.properties."createdDateTime", r."time")`)}, ${
        createdAt(`coalesce(r.properties."createdDateTime", r."time")`)
      } AS created_at, ` +
        `${createdAt(`r."time"`)} AT TIME ZONE 'UTC' AS _version_at, w._source AS _source, ` +
        `${kindColumns("r.properties.", "azure_monitor", "r.category")} FROM (` +
        `SELECT unnest(p.records) AS r, p.filename AS _source FROM read_json($files, columns = {records: ` +
        `'STRUCT("time" VARCHAR, category VARCHAR, properties ${RECORD_TYPE})[]'}, ${readArgs(o)}) AS p` +
        `) AS w(r, _source) WHERE ${isSignInCategory("r.category")}`;
    case "log_analytics":
      return logAnalyticsSelect(o);
  }
}

/** Azure Monitor storage-account exports: one diagnostic record per line rather than a {"records":…} wrapper. */
export function azureMonitorLinesSelect(o: ReadOptions): string {
  return `SELECT ${fieldsFrom("properties", `coalesce(properties."createdDateTime", "time")`)}, ${
    createdAt(`coalesce(properties."createdDateTime", "time")`)
  } AS created_at, ` +
    `${createdAt(`"time"`)} AT TIME ZONE 'UTC' AS _version_at, filename AS _source, ` +
    `${kindColumns("properties.", "storage", "category")} FROM read_json($files, columns = {` +
    `"time": 'VARCHAR', category: 'VARCHAR', properties: '${RECORD_TYPE}'}, ${readArgs(o)}) ` +
    `WHERE ${isSignInCategory("category")}`;
}

/**
 * Per category, the diagnostic records of the files bound to `$files` that are not sign-ins (AuditLogs,
 * RiskyUsers, …): counted in the load summary rather than dropped without a word.
 */
export function azureMonitorOtherCategoriesSelect(o: ReadOptions, wrapped: boolean): string {
  const from = wrapped
    ? `(SELECT unnest(records).category AS category FROM read_json($files, columns = {records: ` +
      `'STRUCT(category VARCHAR)[]'}, ${readArgs(o)}))`
    : `read_json($files, columns = {category: 'VARCHAR'}, ${readArgs(o)})`;
  return `SELECT coalesce(category, '(none)') AS category, count(*) AS n FROM ${from} ` +
    `WHERE NOT coalesce(${isSignInCategory("category")}, false) GROUP BY ALL ORDER BY category`;
}

/**
 * The sign-in time as a UTC TIMESTAMP. Parsed as TIMESTAMPTZ so any offset counts (a direct TIMESTAMP cast drops
 * "+02:00" silently), then stored without zone: date and hour arithmetic on TIMESTAMPTZ goes through ICU and
 * made the report's queries ~20× slower per cast (170 ms vs 7 ms per 1M rows, measured).
 */
function createdAt(col: string): string {
  return `(${instantSql(col)})`;
}

/** Log Analytics column names that do not follow "Graph name with a capital first letter". */
const LA_NAMES: Record<string, string> = {
  ipAddress: "IPAddress",
  appliedConditionalAccessPolicies: "ConditionalAccessPolicies",
  location: "LocationDetails",
  riskEventTypes_v2: "RiskEventTypes_V2",
  resourceId: "ResourceIdentity",
};

export function logAnalyticsColumn(field: Field): string {
  return LA_NAMES[field.name] ?? field.name[0].toUpperCase() + field.name.slice(1);
}

/**
 * Log Analytics SigninLogs rows: PascalCase columns, nested columns as objects or as JSON-encoded strings,
 * `ResultType` a string. Each row is rebuilt as a Graph-shaped JSON object and typed by json_transform.
 */
function logAnalyticsSelect(o: ReadOptions): string {
  const unwrap = (x: string) =>
    `(CASE WHEN json_type(${x}) = 'VARCHAR' AND regexp_matches(${x} ->> '$', '^\\s*[\\[{]') ` +
    `THEN json(${x} ->> '$') ELSE ${x} END)`;
  const parts = SIGNIN_FIELDS.filter((f) => f.name !== "status" && f.name !== "createdDateTime").map((f) =>
    `'${f.name}', ${unwrap(`j -> '${logAnalyticsColumn(f)}'`)}`
  );
  // Some exports drop CreatedDateTime; TimeGenerated is then the closest time Log Analytics has.
  parts.push(`'createdDateTime', coalesce(j -> 'CreatedDateTime', j -> 'TimeGenerated')`);
  const status = unwrap(`j -> 'Status'`);
  parts.push(
    `'status', json_object('errorCode', coalesce(TRY_CAST(j ->> 'ResultType' AS INTEGER), ` +
      `TRY_CAST(${status} ->> 'errorCode' AS INTEGER)), 'failureReason', coalesce(j ->> 'ResultDescription', ` +
      `${status} ->> 'failureReason'), 'additionalDetails', ${status} ->> 'additionalDetails')`,
  );
  const structure = JSON.stringify(duckdbJsonStructure({ struct: SIGNIN_FIELDS })).replaceAll("'", "''");
  // Category says which tab a row came from; SigninLogs-family table names (Type) say it too, after "AAD".
  const category = `coalesce(j ->> 'Category', regexp_replace(j ->> 'Type', '^AAD', ''))`;
  return `SELECT ${fieldsFrom("s")}, ${
    createdAt(`s."createdDateTime"`)
  } AS created_at, _version_at, _source, ` +
    `${kindColumns("s.", "log_analytics", "category")}, ` +
    `result_type FROM (SELECT json_transform(json_object(${parts.join(", ")}), '${structure}') AS s, ` +
    `${category} AS category, ` +
    `TRY_CAST(j ->> 'TimeGenerated' AS TIMESTAMPTZ) AS _version_at, filename AS _source, ` +
    `j ->> 'ResultType' AS result_type FROM (SELECT json AS j, filename FROM read_json_objects($files, ` +
    `format = '${o.format}', filename = true, maximum_object_size = ${Math.trunc(o.maximumObjectSize)})))`;
}
