/**
 * Amazon Athena: run queries/*.sql on Athena with the same results as the DuckDB engine, and push raw pages
 * to S3 in the layout the Athena DDL (lib/schema/athena_ddl.ts) expects.
 *
 * @example
 * ```ts
 * import { runQueryOnAthena } from "./mod.ts";
 * // ATHENA_OUTPUT_LOCATION=s3://my-results/athena/ AWS_REGION=eu-west-1 in the environment
 * const result = await runQueryOnAthena("failed_by_country", { from: "2026-10-01", to: "2026-11-01" });
 * console.log(result.rows, result.stats.bytesScanned);
 * ```
 *
 * @module
 */
export { type AthenaRunOptions, type AthenaSend, runOnAthena } from "./runner.ts";
export { type AthenaQueryConfig, runQueryOnAthena } from "./run_query.ts";
export { type AthenaFailureKind, AthenaQueryError } from "./errors.ts";
export { athenaStatement, type PositionalQuery, toPositional } from "./positional.ts";
export { sqlLiteral } from "./sql_literal.ts";
export { type AthenaColumnInfo, parseAthenaValue } from "./athena_values.ts";
export {
  ATHENA_CONFIG_DEFAULTS,
  type AthenaConfig,
  AthenaConfigError,
  athenaConfigFromEnv,
  athenaSetupStatus,
} from "./config.ts";
export { createAthenaClient, createS3Client } from "./client.ts";
export { explainAwsError } from "./aws_errors.ts";
export {
  HASH_METADATA_KEY,
  MAX_ROW_BYTES,
  PushError,
  type PushEvent,
  type PushOptions,
  pushRaw,
  type PushResult,
} from "./push.ts";
export { listLakeFiles, pushLake, type PushLakeOptions, type PushLakeResult } from "./push_lake.ts";
export { listRawFiles, type RawFile } from "./raw_files.ts";
export { parseS3Url, type S3Location } from "./s3_url.ts";
export { toSingleLine } from "./single_line.ts";
export {
  type LocalAthena,
  type LocalAthenaEngine,
  type LocalAthenaOptions,
  startLocalAthena,
} from "./local_endpoint.ts";
