import { stripLiterals } from "./query_file.ts";

/**
 * Trino functions that take lambdas cannot be DuckDB macros (a macro cannot pass a lambda on), and built-ins
 * of the same name but another meaning cannot be shadowed by one, so the DuckDB runner renames them to
 * DuckDB's equivalents. Only whole function-call tokens outside comments and string literals are renamed;
 * everything else of the query text runs as written.
 */
const RENAMES: Record<string, string> = {
  transform: "list_transform",
  // Trino's date_diff counts whole units elapsed (10:00:00.900 → 10:00:01.100 is 0 seconds); DuckDB's
  // date_diff counts unit boundaries crossed (1 second), its date_sub whole units, as Trino (parity suite).
  date_diff: "date_sub",
};

export function toDuckdbSql(sql: string): string {
  const visible = stripLiterals(sql);
  let out = "";
  let last = 0;
  for (const m of visible.matchAll(/\b([a-z_]+)\s*\(/gi)) {
    const target = RENAMES[m[1].toLowerCase()];
    if (!target) continue;
    const before = m.index === 0 ? "" : visible[m.index - 1];
    if (before === "." || before === '"') continue;
    out += sql.slice(last, m.index) + target;
    last = m.index + m[1].length;
  }
  return out + sql.slice(last);
}
