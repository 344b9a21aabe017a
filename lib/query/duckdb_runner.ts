import {
  DATE,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from "@duckdb/node-api";
import { toDuckdbSql } from "./duckdb_dialect.ts";
import type { ParamValue } from "./params.ts";
import type { QueryFile } from "./query_file.ts";
import type { QueryResult } from "./result.ts";
import { toPlain } from "./to_js.ts";

/** A query's parameter values with the DuckDB types they bind as (timestamps travel as ISO strings). */
export function duckdbBindings(
  query: QueryFile,
  params: Record<string, ParamValue>,
): [Record<string, DuckDBValue>, Record<string, DuckDBType>] {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const spec of query.params) {
    values[spec.name] = params[spec.name] as DuckDBValue;
    types[spec.name] = spec.type === "integer" ? INTEGER : spec.type === "double" ? DOUBLE : VARCHAR;
  }
  return [values, types];
}

/** Runs a query file's SQL on a DuckDB connection, binding its named parameters (never splicing them in). */
export async function runOnDuckdb(
  connection: DuckDBConnection,
  query: QueryFile,
  params: Record<string, ParamValue>,
): Promise<QueryResult> {
  const started = performance.now();
  const [values, types] = duckdbBindings(query, params);
  let reader;
  try {
    reader = await connection.runAndReadAll(toDuckdbSql(query.sql), values, types);
  } catch (e) {
    throw new Error(`query ${query.name} failed on DuckDB: ${(e as Error).message}`);
  }
  const names = reader.columnNames().map((n) => n.toLowerCase());
  const typeNames = reader.columnTypes().map((t) => t.toString());
  const rows = reader.getRowsJS().map((row) =>
    Object.fromEntries(
      row.map((v, i) => [names[i], toPlain(v, typeNames[i] === DATE.toString() ? "DATE" : "")]),
    )
  );
  return {
    name: query.name,
    columns: names.map((name, i) => ({ name, type: typeNames[i] })),
    rows,
    engine: "duckdb",
    stats: { seconds: (performance.now() - started) / 1000 },
  };
}
