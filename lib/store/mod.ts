export {
  checkStorePath,
  openExistingStore,
  openStore,
  type OpenStoreOptions,
  type Store,
  StoreBusyError,
  StoreLayoutError,
  StorePathError,
} from "./open_store.ts";
export { LoadError, loadFiles, type LoadOptions, type LoadResult } from "./load_files.ts";
export { type Detected, detectShape, type Shape, UnknownShapeError } from "./detect_shape.ts";
export { INTERRUPT_CODES, resultExpression } from "./result_class.ts";
export { installPrestoCompat, PRESTO_COMPAT_MACROS } from "./presto_compat.ts";
export { RECORD_TYPE } from "./store_schema.ts";
