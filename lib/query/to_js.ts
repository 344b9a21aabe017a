/**
 * Converts one engine value into the plain JSON-able value every caller gets, whichever engine ran the query:
 * integers as numbers (as strings only beyond 2^53), DATE as "YYYY-MM-DD", timestamps as ISO strings in UTC.
 */
export function toPlain(value: unknown, typeName: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) {
    return typeName === "DATE" ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (Array.isArray(value)) return value.map((v) => toPlain(v, ""));
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPlain(v, "")]),
    );
  }
  return value;
}
