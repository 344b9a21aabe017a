/**
 * `deno task pull --source storage …`: the command line of the storage pull, the Azure SDK's credential
 * conventions, and the run. Exit codes as every task: 0 done, 1 the pull failed, 2 wrong option or
 * configuration, 130 interrupted (run again: the ledger resumes).
 */
import { parseArgs } from "node:util";
import { BlobServiceClient } from "@azure/storage-blob";
import { EnvironmentCredential } from "@azure/identity";
import { join } from "node:path";
import { pullStorage, StoragePullError } from "./pull_storage.ts";

export const STORAGE_PULL_USAGE =
  `Usage: deno task pull --source storage [--connection-string CS | --account-url URL [--sas TOKEN]]
                       [--container NAME]... [--out DIR] [--quiet]

Fetches the sign-in logs a diagnostic setting archives to an Azure Storage account: every blob of the
insights-logs-*signinlogs containers (insights-logs-signinlogs, insights-logs-noninteractiveusersigninlogs,
insights-logs-serviceprincipalsigninlogs, insights-logs-managedidentitysigninlogs, insights-logs-adfssigninlogs,
…), kept byte for byte under DIR/<container>/<blob name> (hourly PT1H.json, one record per line). A ledger of
blob names and etags (DIR/.storage-ledger.json) makes a re-run fetch only new or changed blobs. Load them with
deno task load DIR.

Credentials, as the Azure SDK takes them:
  --connection-string CS  or AZURE_STORAGE_CONNECTION_STRING (account key or SAS connection string)
  --account-url URL       https://<account>.blob.core.windows.net, with
    --sas TOKEN           a SAS token (or AZURE_STORAGE_SAS_TOKEN) with list and read permissions, or else
                          Entra client credentials from AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET
                          (or AZURE_CLIENT_CERTIFICATE_PATH) for an identity with Storage Blob Data Reader

Options:
  --container NAME  pull this container; repeat for several (default: every insights-logs-*signinlogs one)
  --out DIR         where the raw blobs and the ledger go (default data/raw/storage/<account>)
  --quiet           no summary line
  -h, --help        show this help

Example:
  AZURE_STORAGE_CONNECTION_STRING='DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=…' \\
    deno task pull --source storage && deno task load data/raw/storage/acmelogs`;

export class StorageUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StorageUsageError";
  }
}

export interface StorageCli {
  connectionString?: string;
  accountUrl?: string;
  sas?: string;
  containers: string[];
  out?: string;
  quiet: boolean;
}

/** Parses the storage pull's arguments (without `--source storage`); env supplies what options do not. */
export function parseStorageArgs(args: string[], env: (k: string) => string | undefined): StorageCli {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "connection-string": { type: "string" },
        "account-url": { type: "string" },
        sas: { type: "string" },
        container: { type: "string", multiple: true },
        out: { type: "string" },
        quiet: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new StorageUsageError((e as Error).message.split("\n")[0].split(". To specify")[0]);
  }
  const connectionString = values["connection-string"] ??
    (values["account-url"] ? undefined : env("AZURE_STORAGE_CONNECTION_STRING"));
  const accountUrl = values["account-url"];
  if (connectionString && accountUrl) {
    throw new StorageUsageError("give either --connection-string or --account-url, not both");
  }
  if (!connectionString && !accountUrl) {
    throw new StorageUsageError(
      "no storage account: set AZURE_STORAGE_CONNECTION_STRING, or give --connection-string or --account-url",
    );
  }
  if (accountUrl && !/^https?:\/\/[^/\s]+/.test(accountUrl)) {
    throw new StorageUsageError(
      `--account-url ${accountUrl}: expected https://<account>.blob.core.windows.net`,
    );
  }
  const containers = (values.container ?? []).flatMap((c) => c.split(",")).map((c) => c.trim()).filter(
    Boolean,
  );
  for (const c of containers) {
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(c)) {
      throw new StorageUsageError(`--container ${c}: not a valid container name (3–63 of a-z, 0-9, -)`);
    }
  }
  const sas = values.sas ?? (accountUrl ? env("AZURE_STORAGE_SAS_TOKEN") : undefined);
  return { connectionString, accountUrl, sas, containers, out: values.out, quiet: values.quiet === true };
}

/** The client for the parsed credentials: connection string, SAS URL, or Entra client credentials. */
export function storageService(cli: StorageCli, env: (k: string) => string | undefined): BlobServiceClient {
  if (cli.connectionString) {
    try {
      return BlobServiceClient.fromConnectionString(cli.connectionString);
    } catch (e) {
      throw new StorageUsageError(`the storage connection string is not usable: ${(e as Error).message}`);
    }
  }
  const url = cli.accountUrl!.replace(/\/+$/, "");
  if (cli.sas) return new BlobServiceClient(`${url}?${cli.sas.replace(/^\?/, "")}`);
  if (!env("AZURE_TENANT_ID") || !env("AZURE_CLIENT_ID")) {
    throw new StorageUsageError(
      "--account-url without --sas needs Entra client credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID and " +
        "AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)",
    );
  }
  return new BlobServiceClient(url, new EnvironmentCredential());
}

/** Runs the storage pull for `deno task pull --source storage`; returns the exit code. */
export async function storagePullMain(args: string[], env = (k: string) => Deno.env.get(k)): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(STORAGE_PULL_USAGE);
    return 0;
  }
  let cli: StorageCli;
  let service: BlobServiceClient;
  try {
    cli = parseStorageArgs(args, env);
    service = storageService(cli, env);
  } catch (e) {
    if (!(e instanceof StorageUsageError)) throw e;
    console.error(`error: ${e.message}\n\n${STORAGE_PULL_USAGE}`);
    return 2;
  }
  const outDir = cli.out ?? join("data", "raw", "storage", service.accountName);
  const controller = new AbortController();
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  const started = performance.now();
  try {
    const r = await pullStorage({
      service,
      outDir,
      containers: cli.containers,
      signal: controller.signal,
      log: cli.quiet ? undefined : (line) => console.error(line),
    });
    if (!cli.quiet) {
      console.log(
        `pulled ${r.fetched} blob(s) (${r.bytes} bytes; ${r.unchanged} unchanged${
          r.ignored ? `, ${r.ignored} not JSON, left alone` : ""
        }) from ${r.containers.join(", ")} of ${service.accountName} to ${outDir} in ${
          ((performance.now() - started) / 1000).toFixed(1)
        } s`,
      );
    }
    return 0;
  } catch (e) {
    if (controller.signal.aborted) {
      console.error(`error: interrupted; blobs fetched so far are kept, run again to fetch the rest`);
      return 130;
    }
    const message = e instanceof StoragePullError ? e.message : oneLine(e);
    console.error(`error: ${message}`);
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
}

function oneLine(e: unknown): string {
  // Never print a SAS or key the SDK may echo in a URL.
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s*\r?\n\s*/g, " ");
  return text.replace(/([?&]sig=)[^&\s]+/gi, "$1…").replace(/(AccountKey=)[^;\s]+/gi, "$1…");
}
