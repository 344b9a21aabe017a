import type { LocalAthenaEngine } from "../athena/local_endpoint.ts";
import { type TrinoClientOptions, trinoStatement } from "./client.ts";

/** Trino's type name → the one Athena puts in ColumnInfo.Type ("row", "array", "timestamp with time zone" …). */
export function athenaTypeOfTrino(type: string): string {
  const t = type.toLowerCase();
  if (t.startsWith("row(")) return "row";
  if (t.startsWith("array(")) return "array";
  if (t.startsWith("map(")) return "map";
  if (t.startsWith("timestamp")) {
    return t.includes("with time zone") ? "timestamp with time zone" : "timestamp";
  }
  return t.replace(/\(.*\)$/, "");
}

/**
 * The local Athena endpoint's engine as a real Trino: each received statement (parameters already in place,
 * as Athena binds ExecutionParameters) runs on Trino, so the Athena client path is tested with the answers of
 * Athena engine v3's own engine rather than DuckDB's.
 */
export function trinoAthenaEngine(options: Omit<TrinoClientOptions, "prepared">): LocalAthenaEngine {
  return async (sql) => {
    const r = await trinoStatement(sql, options);
    const names = r.columns.map((c) => c.name.toLowerCase());
    return {
      columns: r.columns.map((c, i) => ({ name: names[i], type: athenaTypeOfTrino(c.type) })),
      rows: r.rows.map((row) => names.map((n) => row[n])),
    };
  };
}
