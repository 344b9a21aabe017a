import { positionalStatement } from "../athena/positional.ts";
import type { ParamValue } from "../query/params.ts";
import type { QueryFile } from "../query/query_file.ts";
import type { QueryResult } from "../query/result.ts";
import { type TrinoClientOptions, trinoStatement } from "./client.ts";
import { TrinoQueryError } from "./errors.ts";

export type TrinoRunOptions = Omit<TrinoClientOptions, "prepared">;

/** The name our query text is prepared under for the one request that runs it. */
export const PREPARED_NAME = "lens_query";

/**
 * The prepared statement and the EXECUTE that binds a query file's parameters: `$name`s become positional `?`,
 * each value one literal in `USING` produced by sqlLiteral from the type-checked value. The query text itself
 * is sent unchanged (as X-Trino-Prepared-Statement), so no value is ever spliced into it.
 */
export function trinoExecute(
  query: QueryFile,
  params: Record<string, ParamValue>,
): { prepared: string; execute: string } {
  const { sql, literals } = positionalStatement(query, params);
  return {
    prepared: sql,
    execute: literals.length > 0
      ? `EXECUTE ${PREPARED_NAME} USING ${literals.join(", ")}`
      : `EXECUTE ${PREPARED_NAME}`,
  };
}

/**
 * Runs a query file on Trino with its parameters bound through EXECUTE … USING; rows come back as the same
 * plain values the DuckDB engine returns, with Trino's own statistics (bytes read from storage, wall time).
 *
 * @throws {TrinoQueryError} Trino's error message and query id; ABORTED after cancelling on the server
 */
export async function runOnTrino(
  query: QueryFile,
  params: Record<string, ParamValue>,
  options: TrinoRunOptions,
): Promise<QueryResult> {
  const started = performance.now();
  const { prepared, execute } = trinoExecute(query, params);
  let result;
  try {
    result = await trinoStatement(execute, { ...options, prepared: { [PREPARED_NAME]: prepared } });
  } catch (e) {
    if (e instanceof TrinoQueryError) {
      throw new TrinoQueryError(e.kind, e.queryId, e.reason, e.errorName, query.name);
    }
    throw e;
  }
  return {
    name: query.name,
    columns: result.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type })),
    rows: result.rows,
    engine: "trino",
    stats: {
      seconds: (performance.now() - started) / 1000,
      bytesScanned: result.stats.physicalInputBytes,
      queryId: result.queryId,
    },
  };
}
