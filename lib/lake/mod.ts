/**
 * The Parquet lake: the store's sign-ins as `dt=YYYY-MM-DD/signins.parquet` (zstd, nested types, lower-case
 * names) that DuckDB, Trino and Athena read with the same queries.
 *
 * @module
 */
export {
  LAKE_FILE,
  type LakeDay,
  writeLake,
  type WriteLakeOptions,
  type WriteLakeResult,
} from "./write_lake.ts";
export { type LakeConnection, openLakeOnDuckdb } from "./open_lake.ts";
export { lakeDuckdbType, lakeSelectList, lakeSideViewSql, lakeViewSql } from "./lake_sql.ts";
export {
  LAKE_MANIFEST,
  LAKE_SIDE_TABLES,
  type LakeManifest,
  readLakeManifest,
  writeSideTables,
} from "./lake_tables.ts";
