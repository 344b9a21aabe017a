import {
  DATE,
  DOUBLE,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  StatementType,
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

/** A query file that is not one read-only SELECT as DuckDB parses it; it is refused before it runs. */
export class QueryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueryRefusedError";
  }
}

/**
 * Runs `fn` inside a READ ONLY transaction on `connection`: any write to an attached database (DELETE, UPDATE,
 * INSERT, a sequence's nextval …) fails inside it, and it is always rolled back.
 */
export async function inReadOnlyTransaction<T>(
  connection: DuckDBConnection,
  fn: () => Promise<T>,
): Promise<T> {
  await connection.run("BEGIN TRANSACTION READ ONLY");
  try {
    return await fn();
  } finally {
    await connection.run("ROLLBACK").catch(() => {});
  }
}

/**
 * Prepares a query file's SQL and checks, with DuckDB's own parser, that it is exactly one SELECT: COPY, ATTACH,
 * INSTALL, SET, PRAGMA … are other statement types and never run, whatever the text check before missed.
 */
export async function prepareSelect(connection: DuckDBConnection, query: QueryFile) {
  const sql = toDuckdbSql(query.sql);
  const statements = await connection.extractStatements(sql);
  if (statements.count !== 1) {
    throw new QueryRefusedError(`query ${query.name}: DuckDB reads ${statements.count} statements, not one`);
  }
  const prepared = await statements.prepare(0);
  if (prepared.statementType !== StatementType.SELECT) {
    const type = StatementType[prepared.statementType] ?? String(prepared.statementType);
    prepared.destroySync();
    throw new QueryRefusedError(
      `query ${query.name} is a ${type} statement, not a SELECT; refusing to run it`,
    );
  }
  return prepared;
}

/**
 * Runs a query file's SQL on a DuckDB connection, binding its named parameters (never splicing them in). The
 * query must be one SELECT (checked by DuckDB's parser) and runs in a read-only transaction, so a query file
 * can read the store but never change it.
 */
export async function runOnDuckdb(
  connection: DuckDBConnection,
  query: QueryFile,
  params: Record<string, ParamValue>,
): Promise<QueryResult> {
  const started = performance.now();
  const [values, types] = duckdbBindings(query, params);
  let reader;
  try {
    const prepared = await prepareSelect(connection, query);
    try {
      prepared.bind(values, types);
      reader = await inReadOnlyTransaction(connection, () => prepared.runAndReadAll());
    } finally {
      prepared.destroySync();
    }
  } catch (e) {
    if (e instanceof QueryRefusedError) throw e;
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
