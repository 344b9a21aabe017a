import { join } from "node:path";
import { writeFileAtomic } from "../write_file_atomic.ts";

/** What a storage pull fetched: per blob (container/name) its etag, size and times. */
export interface Ledger {
  version: 1;
  account: string;
  blobs: Record<string, LedgerEntry>;
}

export interface LedgerEntry {
  etag: string;
  size: number;
  lastModified: string | null;
  fetchedAt: string;
  /** The raw copy, relative to the ledger's directory. */
  file: string;
}

/** Hidden, so the loader never takes it for data. */
export const LEDGER_NAME = ".storage-ledger.json";

export const ledgerPath = (dir: string) => join(dir, LEDGER_NAME);

export async function readLedger(dir: string, account: string): Promise<Ledger> {
  let text: string;
  try {
    text = await Deno.readTextFile(ledgerPath(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { version: 1, account, blobs: {} };
    throw e;
  }
  let ledger: Ledger;
  try {
    ledger = JSON.parse(text);
  } catch (e) {
    throw new Error(`${ledgerPath(dir)}: the storage ledger is not valid JSON (${(e as Error).message})`);
  }
  if (ledger?.version !== 1 || typeof ledger.blobs !== "object") {
    throw new Error(`${ledgerPath(dir)}: not a signin-lens storage ledger (version 1)`);
  }
  if (ledger.account !== account) {
    throw new Error(
      `${
        ledgerPath(dir)
      } belongs to storage account ${ledger.account}, not ${account}: pull each account into ` +
        `its own --out directory`,
    );
  }
  return ledger;
}

/** Written whole through a rename after every blob, so an interrupted pull keeps what it fetched. */
export async function writeLedger(dir: string, ledger: Ledger): Promise<void> {
  await writeFileAtomic(ledgerPath(dir), JSON.stringify(ledger, null, 1) + "\n");
}
