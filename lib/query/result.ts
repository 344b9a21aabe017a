/** What every engine returns: lower-case column names (Athena lower-cases them), plain values. */
export interface QueryResult {
  name: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  engine: "duckdb" | "athena" | "trino";
  /** Wall time of the query, and for Athena and Trino the bytes it scanned. */
  stats: { seconds: number; bytesScanned?: number; queryId?: string };
}
