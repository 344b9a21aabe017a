import type { FieldType } from "../schema/field_type.ts";
import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { resultExpression } from "../store/result_class.ts";
import { derivedSelect } from "../store/derived_columns.ts";

const SCALARS = { string: "VARCHAR", int: "INTEGER", double: "DOUBLE", boolean: "BOOLEAN" } as const;

/**
 * The DuckDB type of a schema type with every field name lower-cased. The lake stores lower-case names at
 * every level: Athena's and Trino's Hive tables match Parquet names after lower-casing them, and DuckDB's
 * struct access is case-insensitive, so every engine reads `location.countryorregion` alike.
 */
export function lakeDuckdbType(type: FieldType): string {
  if (typeof type === "string") return SCALARS[type];
  if ("array" in type) return `${lakeDuckdbType(type.array)}[]`;
  return `STRUCT(${
    type.struct.map((x) => `"${x.name.toLowerCase()}" ${lakeDuckdbType(x.type)}`).join(", ")
  })`;
}

/** The SELECT list that turns the store's `signins` columns into the lake's (casts by name, lower-cased). */
export function lakeSelectList(): string {
  return [
    ...SIGNIN_FIELDS.map((f) =>
      `CAST("${f.name}" AS ${lakeDuckdbType(f.type)}) AS "${f.name.toLowerCase()}"`
    ),
    // Milliseconds in the file (Parquet TIMESTAMP(MILLIS)): Athena engine v3 fails a query on timestamps more
    // precise than its columns' 3 digits, and Trino rounds them; cut, not rounded, like from_iso8601_timestamp.
    `CAST(date_trunc('millisecond', created_at) AS TIMESTAMP_MS) AS created_at`,
    `sign_in_kind`,
    `source_format`,
  ].join(", ");
}

/** A DuckDB string literal (paths in COPY and read_parquet cannot be bound as parameters). */
export function duckdbString(s: string): string {
  if (s.includes("\u0000")) throw new Error("a path cannot contain a NUL character");
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * The `signins` view over a lake folder on DuckDB: the same columns as the store's view (record fields,
 * created_at, result, sign_in_kind, source_format), read from `<dir>/signins/dt=*\/*.parquet`.
 */
export function lakeViewSql(dir: string): string {
  const fields = SIGNIN_FIELDS.map((f) => `"${f.name.toLowerCase()}"`).join(", ");
  const glob = `${dir.replace(/\/+$/, "")}/signins/dt=*/*.parquet`;
  return `CREATE OR REPLACE TEMP VIEW signins AS SELECT ${fields}, CAST(created_at AS TIMESTAMP) AS created_at, ` +
    `${resultExpression("status.errorcode")} AS result, sign_in_kind, source_format, ${derivedSelect()} ` +
    `FROM read_parquet(${duckdbString(glob)})`;
}

/** A side table of the lake as a DuckDB view (`<dir>/<table>/*.parquet`). */
export function lakeSideViewSql(dir: string, table: string): string {
  const glob = `${dir.replace(/\/+$/, "")}/${table}/*.parquet`;
  return `CREATE OR REPLACE TEMP VIEW "${table}" AS SELECT * FROM read_parquet(${duckdbString(glob)})`;
}
