export {
  pullStorage,
  SIGNIN_CONTAINER,
  type StoragePullOptions,
  type StoragePullResult,
} from "./pull_storage.ts";
export { STORAGE_PULL_USAGE, storagePullMain } from "./storage_cli.ts";
export { type Ledger, LEDGER_NAME, readLedger } from "./ledger.ts";
