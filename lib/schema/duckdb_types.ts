import type { Field, FieldType } from "./field_type.ts";

const SCALARS = { string: "VARCHAR", int: "INTEGER", double: "DOUBLE", boolean: "BOOLEAN" } as const;

/** Quotes an identifier for DuckDB; Graph names are plain, but quoting keeps reserved words safe. */
export function duckdbIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The DuckDB type of one schema type, e.g. `STRUCT("city" VARCHAR, …)[]`. */
export function duckdbType(type: FieldType): string {
  if (typeof type === "string") return SCALARS[type];
  if ("array" in type) return `${duckdbType(type.array)}[]`;
  return `STRUCT(${type.struct.map((x) => `${duckdbIdent(x.name)} ${duckdbType(x.type)}`).join(", ")})`;
}

/** The record struct type: what one element of a Graph page's `value` array is. */
export function duckdbRecordType(fields: readonly Field[]): string {
  return duckdbType({ struct: fields });
}

/**
 * The `json_transform` structure description of a type (DuckDB's JSON-shaped type spec),
 * used to turn JSON text from other export shapes into the same record struct.
 */
export function duckdbJsonStructure(type: FieldType): unknown {
  if (typeof type === "string") return SCALARS[type];
  if ("array" in type) return [duckdbJsonStructure(type.array)];
  return Object.fromEntries(type.struct.map((x) => [x.name, duckdbJsonStructure(x.type)]));
}
