import { parseAthenaValue } from "../athena/athena_values.ts";

/** Trino's description of a column type in the client protocol (`columns[].typeSignature`). */
export interface TrinoTypeSignature {
  rawType: string;
  arguments?: {
    kind: string;
    value: unknown;
  }[];
}

export interface TrinoColumn {
  name: string;
  type: string;
  typeSignature?: TrinoTypeSignature;
}

interface NamedField {
  fieldName?: { name: string };
  typeSignature: TrinoTypeSignature;
}

const INTEGERS = new Set(["bigint", "integer", "smallint", "tinyint"]);

/**
 * One value of Trino's JSON result encoding → the plain value every engine returns (lib/query/to_js.ts):
 * integers as numbers (strings beyond 2^53), DATE as "YYYY-MM-DD", timestamps as ISO instants in UTC with
 * milliseconds, rows as objects keyed by field name, arrays and maps element by element.
 *
 * Trino sends rows as positional JSON arrays; the field names come from the type signature.
 */
export function trinoValue(value: unknown, signature: TrinoTypeSignature | undefined): unknown {
  if (value === null || value === undefined) return null;
  const raw = signature?.rawType ?? "";
  if (raw === "row" && Array.isArray(value)) {
    const fields = (signature!.arguments ?? []).map((a) => a.value as NamedField);
    return Object.fromEntries(
      fields.map((f, i) => [f.fieldName?.name ?? `field${i}`, trinoValue(value[i], f.typeSignature)]),
    );
  }
  if (raw === "array" && Array.isArray(value)) {
    const element = signature!.arguments?.[0]?.value as TrinoTypeSignature | undefined;
    return value.map((v) => trinoValue(v, element));
  }
  if (raw === "map" && typeof value === "object") {
    const valueType = signature!.arguments?.[1]?.value as TrinoTypeSignature | undefined;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, trinoValue(v, valueType)]),
    );
  }
  if (INTEGERS.has(raw)) {
    if (typeof value === "number") return value;
    return parseAthenaValue(String(value), "bigint");
  }
  if (raw === "double" || raw === "real") {
    // NaN and the infinities arrive as strings.
    return typeof value === "number" ? value : Number(value);
  }
  if (raw === "decimal") return Number(value);
  if (raw.startsWith("timestamp")) return parseAthenaValue(String(value), "timestamp");
  return value;
}
