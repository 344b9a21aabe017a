import type { ParamSpec } from "../query/query_file.ts";
import type { ParamValue } from "../query/params.ts";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The one place a parameter value becomes SQL text: an Athena ExecutionParameter is a literal that the engine
 * parses on its side, so every value goes through here and nothing a user typed is ever spliced into a query.
 *
 * - string → `'…'` with each `'` doubled (backslashes are not escapes in Trino or DuckDB strings)
 * - timestamp → the ISO 8601 instant as a string literal, which the query wraps in `from_iso8601_timestamp`
 * - integer → bare digits (safe integers only)
 * - double → `DOUBLE '…'`, a typed literal both engines read as a double, never as a decimal
 *
 * @throws {TypeError} when the value does not fit the declared type
 * @example
 * ```ts
 * sqlLiteral("O'Brien", "string"); // "'O''Brien'"
 * sqlLiteral(5, "integer"); // "5"
 * ```
 */
export function sqlLiteral(value: ParamValue, type: ParamSpec["type"]): string {
  switch (type) {
    case "string":
      if (typeof value !== "string") throw new TypeError(`a string parameter got ${typeof value}`);
      return quote(value);
    case "timestamp":
      if (typeof value !== "string" || !ISO_INSTANT.test(value)) {
        throw new TypeError(
          `a timestamp parameter must be an ISO 8601 instant, got ${JSON.stringify(value)}`,
        );
      }
      return quote(value);
    case "integer":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) {
        throw new TypeError(`an integer parameter must be a safe integer, got ${JSON.stringify(value)}`);
      }
      return String(value);
    case "double":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new TypeError(`a double parameter must be a finite number, got ${JSON.stringify(value)}`);
      }
      return `DOUBLE ${quote(String(value))}`;
  }
}

function quote(s: string): string {
  if (s.includes("\u0000")) throw new TypeError("a SQL string literal cannot contain a NUL character");
  return `'${s.replaceAll("'", "''")}'`;
}
