/**
 * Diagnostic-settings archives in Azure Blob Storage → data/raw: Entra sends each sign-in category to its own
 * container (insights-logs-signinlogs, insights-logs-noninteractiveusersigninlogs, …) as hourly blobs
 * (…/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json, one record per line, appended during the hour). Each blob is kept
 * byte for byte under <out>/<container>/<blob name>, written through a rename; a ledger of blob name and etag
 * makes a re-run fetch only blobs that are new or changed since (an hour's blob grows until the hour ends).
 */
import { join, normalize, sep } from "node:path";
import type { BlobServiceClient } from "@azure/storage-blob";
import { writeFileAtomic } from "../write_file_atomic.ts";
import { type Ledger, readLedger, writeLedger } from "./ledger.ts";

/** Containers diagnostic settings write sign-ins to: insights-logs-signinlogs, …managedidentitysigninlogs. */
export const SIGNIN_CONTAINER = /^insights-logs-[a-z]*signinlogs$/i;

export interface StoragePullOptions {
  service: BlobServiceClient;
  /** Raw directory for this account (the ledger lives in it). */
  outDir: string;
  /** Containers to pull; default every container matching SIGNIN_CONTAINER. */
  containers?: string[];
  signal?: AbortSignal;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface StoragePullResult {
  containers: string[];
  listed: number;
  fetched: number;
  unchanged: number;
  /** Blobs that are not JSON (not diagnostic archives), left alone. */
  ignored: number;
  bytes: number;
}

export class StoragePullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoragePullError";
  }
}

export async function pullStorage(o: StoragePullOptions): Promise<StoragePullResult> {
  const log = o.log ?? (() => {});
  const now = o.now ?? (() => new Date());
  const account = o.service.accountName;
  const ledger: Ledger = await readLedger(o.outDir, account);
  const containers = o.containers?.length
    ? o.containers
    : await signInContainers(o.service, account, o.signal);
  const result: StoragePullResult = { containers, listed: 0, fetched: 0, unchanged: 0, ignored: 0, bytes: 0 };
  for (const name of containers) {
    const container = o.service.getContainerClient(name);
    if (!(await container.exists({ abortSignal: o.signal }))) {
      throw new StoragePullError(`container ${name} does not exist in storage account ${account}`);
    }
    for await (const blob of container.listBlobsFlat({ abortSignal: o.signal })) {
      result.listed++;
      if (!/\.json$/i.test(blob.name)) {
        result.ignored++;
        continue;
      }
      const key = `${name}/${blob.name}`;
      const etag = blob.properties.etag ?? "";
      const file = localPath(name, blob.name);
      const known = ledger.blobs[key];
      if (known && known.etag === etag && await exists(join(o.outDir, known.file))) {
        result.unchanged++;
        continue;
      }
      // ifMatch: the bytes kept are exactly those of the etag the ledger records, even if the blob is being
      // appended to right now (then the download fails and the next run fetches it).
      const data = await container.getBlobClient(blob.name).downloadToBuffer(undefined, undefined, {
        abortSignal: o.signal,
        conditions: etag ? { ifMatch: etag } : undefined,
      });
      await writeFileAtomic(
        join(o.outDir, file),
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
      ledger.blobs[key] = {
        etag,
        size: data.byteLength,
        lastModified: blob.properties.lastModified?.toISOString() ?? null,
        fetchedAt: now().toISOString(),
        file,
      };
      await writeLedger(o.outDir, ledger);
      result.fetched++;
      result.bytes += data.byteLength;
      log(`fetched ${key} (${data.byteLength} bytes)`);
    }
  }
  return result;
}

async function signInContainers(service: BlobServiceClient, account: string, signal?: AbortSignal) {
  const all: string[] = [];
  for await (const c of service.listContainers({ abortSignal: signal })) all.push(c.name);
  const found = all.filter((n) => SIGNIN_CONTAINER.test(n)).sort();
  if (found.length === 0) {
    throw new StoragePullError(
      `no insights-logs-*signinlogs container in storage account ${account} (found: ${
        all.join(", ") || "none"
      }): check the diagnostic setting sends the sign-in categories to this account, or name --container`,
    );
  }
  return found;
}

/** <container>/<blob name> as a relative path, refusing names that would leave the directory. */
export function localPath(container: string, blobName: string): string {
  const rel = normalize(join(container, ...blobName.split("/")));
  if (rel.startsWith("..") || rel.startsWith(sep) || blobName.split("/").includes("..")) {
    throw new StoragePullError(
      `blob name ${JSON.stringify(blobName)} in ${container} is not a safe file name`,
    );
  }
  return rel;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
