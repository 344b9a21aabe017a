/**
 * Trino: run queries/*.sql on any Trino (self-hosted, Starburst, or the local one `deno task trino up` starts),
 * with parameters bound by EXECUTE … USING and the same plain values as the DuckDB engine.
 *
 * @example
 * ```ts
 * import { runQueryOnTrino } from "./mod.ts";
 * const result = await runQueryOnTrino("failed_by_country", {}, { url: "http://127.0.0.1:8080" });
 * console.log(result.rows, result.stats.bytesScanned);
 * ```
 *
 * @module
 */
export {
  type TrinoClientOptions,
  trinoStatement,
  type TrinoStatementResult,
  type TrinoStats,
} from "./client.ts";
export { type TrinoFailureKind, TrinoQueryError } from "./errors.ts";
export { type TrinoColumn, type TrinoTypeSignature, trinoValue } from "./values.ts";
export { PREPARED_NAME, runOnTrino, trinoExecute, type TrinoRunOptions } from "./runner.ts";
export { runQueryOnTrino, type TrinoQueryConfig } from "./run_query.ts";
export { athenaTypeOfTrino, trinoAthenaEngine } from "./athena_engine.ts";
export {
  LAKE_SCHEMA,
  LAKE_TABLE,
  lakeColumns,
  lakeViewDdl,
  RAW_SCHEMA,
  trinoSetupStatements,
  trinoType,
} from "./ddl.ts";
export { findJava, installTrino, TRINO_ARTIFACTS, TRINO_VERSION, trinoCacheDir } from "./install.ts";
export {
  type RunningTrino,
  startTrino,
  stopTrino,
  trinoConfigFiles,
  type TrinoS3Lake,
  type TrinoServerOptions,
} from "./server.ts";
