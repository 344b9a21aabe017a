export { type GivenParams, runQuery } from "./run_query.ts";
export { listQueries, loadQuery, QUERIES_DIR, UnknownQueryError } from "./query_library.ts";
export {
  type ParamBound,
  type ParamSpec,
  parseQueryFile,
  type QueryFile,
  SqlSyntaxError,
  type SqlToken,
  stripLiterals,
  tokenizeSql,
} from "./query_file.ts";
export { normalizeInstant, ParamError, type ParamValue, parseParamArgs, resolveParams } from "./params.ts";
export {
  duckdbBindings,
  inReadOnlyTransaction,
  prepareSelect,
  QueryRefusedError,
  runOnDuckdb,
} from "./duckdb_runner.ts";
export { toDuckdbSql } from "./duckdb_dialect.ts";
export { formatResult, type OutputFormat, toCsv, toJson, toTable } from "./format.ts";
export type { QueryResult } from "./result.ts";
export { toPlain } from "./to_js.ts";
export { checkTrino, TRINO_FUNCTIONS, type TrinoCheck } from "./trino_check.ts";
