import assert from "node:assert/strict";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { pullStorage } from "../../lib/storage/pull_storage.ts";
import { LEDGER_NAME } from "../../lib/storage/ledger.ts";
import { loadFiles } from "../../lib/store/mod.ts";
import { runScript } from "../fakes/run_script.ts";
import { rows, withStore } from "../store/_helpers.ts";
import { startAzurite } from "./azurite.ts";

const TENANT = "tenantId=72f988bf-86f1-41af-91ab-2d7cd011db47";
const blobName = (h: string) => `${TENANT}/y=2026/m=10/d=05/h=${h}/m=00/PT1H.json`;
const PULL = new URL("../../tasks/pull.ts", import.meta.url).pathname;

/** The quirks fixture's records, one blob per category as diagnostic settings write them. */
async function records(): Promise<{ category: string }[]> {
  const text = await Deno.readTextFile(
    new URL("../fixtures/inputs/azure_monitor_quirks_lines.json", import.meta.url),
  );
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

async function seed(service: BlobServiceClient): Promise<Map<string, string>> {
  const byContainer = new Map<string, string>();
  for (const r of await records()) {
    const c = `insights-logs-${r.category.toLowerCase()}`;
    byContainer.set(c, (byContainer.get(c) ?? "") + JSON.stringify(r) + "\n");
  }
  for (const [c, text] of byContainer) {
    await service.getContainerClient(c).createIfNotExists();
    await service.getContainerClient(c).getBlockBlobClient(blobName("13")).upload(text, text.length);
  }
  return byContainer;
}

Deno.test({
  name:
    "pullStorage() fetches every insights-logs-*signinlogs blob once, byte for byte, then only changed ones",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const azurite = await startAzurite();
    const out = await Deno.makeTempDir();
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      const seeded = await seed(service);
      const first = await pullStorage({ service, outDir: out });
      // Six sign-in categories; AuditLogs and RiskyUsers containers are not sign-ins and are left alone.
      assert.deepEqual(first.containers, [
        "insights-logs-adfssigninlogs",
        "insights-logs-managedidentitysigninlogs",
        "insights-logs-microsoftserviceprincipalsigninlogs",
        "insights-logs-noninteractiveusersigninlogs",
        "insights-logs-serviceprincipalsigninlogs",
        "insights-logs-signinlogs",
      ]);
      assert.equal(first.fetched, 6);
      for (const c of first.containers) {
        assert.equal(await Deno.readTextFile(`${out}/${c}/${blobName("13")}`), seeded.get(c));
      }
      const ledger = JSON.parse(await Deno.readTextFile(`${out}/${LEDGER_NAME}`));
      assert.equal(ledger.account, "devstoreaccount1");
      assert.equal(Object.keys(ledger.blobs).length, 6);

      const again = await pullStorage({ service, outDir: out });
      assert.deepEqual([again.fetched, again.unchanged], [0, 6]);

      // The hour's blob grows (diagnostic settings append) and a new hour starts: only those two are fetched.
      const grown = seeded.get("insights-logs-signinlogs")! + seeded.get("insights-logs-signinlogs")!.replace(
        /"4d0c0000-0000-4000-8000-000000000001"/,
        `"4d0c0000-0000-4000-8000-0000000000a1"`,
      );
      const signins = service.getContainerClient("insights-logs-signinlogs");
      await signins.getBlockBlobClient(blobName("13")).upload(grown, grown.length);
      await signins.getBlockBlobClient(blobName("14")).upload(grown, grown.length);
      const third = await pullStorage({ service, outDir: out });
      assert.deepEqual([third.fetched, third.unchanged], [2, 5]);
      assert.equal(await Deno.readTextFile(`${out}/insights-logs-signinlogs/${blobName("13")}`), grown);

      // What was pulled loads as storage-format sign-ins.
      await withStore(async (store) => {
        const r = await loadFiles(store, [out]);
        assert.equal(r.added, 7);
        const got = await rows(store, `SELECT DISTINCT source_format AS f FROM signins`);
        assert.deepEqual(got, [{ f: "storage" }]);
      });

      // --container picks one; a container that does not exist is named.
      const only = await pullStorage({
        service,
        outDir: await Deno.makeTempDir(),
        containers: ["insights-logs-signinlogs"],
      });
      assert.equal(only.fetched, 2);
      await assert.rejects(
        () => pullStorage({ service, outDir: out, containers: ["insights-logs-nosuchlogs"] }),
        /container insights-logs-nosuchlogs does not exist in storage account devstoreaccount1/,
      );
    } finally {
      await azurite.stop();
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name: "deno task pull --source storage: connection string, account URL with SAS, and refusals",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const azurite = await startAzurite();
    const out = await Deno.makeTempDir();
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await seed(service);
      const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
      const run = await runScript(PULL, ["--source", "storage", "--out", `${out}/a`], { env });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /pulled 6 blob\(s\) .* of devstoreaccount1 to /);

      const key = azurite.connectionString.match(/AccountKey=([^;]+)/)![1];
      const sas = generateAccountSASQueryParameters({
        expiresOn: new Date(Date.now() + 3600_000),
        permissions: AccountSASPermissions.parse("rl"),
        resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
        services: AccountSASServices.parse("b").toString(),
      }, new StorageSharedKeyCredential("devstoreaccount1", key)).toString();
      const viaSas = await runScript(PULL, [
        "--source=storage",
        "--account-url",
        azurite.accountUrl,
        "--sas",
        sas,
        "--container",
        "insights-logs-signinlogs",
        "--out",
        `${out}/b`,
      ], { env: { AZURE_STORAGE_CONNECTION_STRING: "" } });
      assert.equal(viaSas.code, 0, viaSas.stderr);
      assert.match(viaSas.stdout, /pulled 1 blob\(s\)/);
      assert.doesNotMatch(viaSas.stdout + viaSas.stderr, new RegExp(sas.slice(-20)));

      const wrong = await runScript(PULL, ["--source", "storage", "--bogus"], { env });
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /bogus/);
      const none = await runScript(PULL, ["--source", "storage"], {
        env: { AZURE_STORAGE_CONNECTION_STRING: "" },
      });
      assert.equal(none.code, 2);
      assert.match(none.stderr, /no storage account: set AZURE_STORAGE_CONNECTION_STRING/);
      const noCred = await runScript(PULL, ["--source", "storage", "--account-url", azurite.accountUrl], {
        env: { AZURE_STORAGE_CONNECTION_STRING: "", AZURE_TENANT_ID: "", AZURE_CLIENT_ID: "" },
      });
      assert.equal(noCred.code, 2);
      assert.match(noCred.stderr, /needs Entra client credentials/);
      const help = await runScript(PULL, ["--source", "storage", "--help"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /insights-logs-\*signinlogs/);
    } finally {
      await azurite.stop();
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name: "pullStorage() names the containers it found when none holds sign-ins",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const azurite = await startAzurite();
    const out = await Deno.makeTempDir();
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await service.getContainerClient("insights-logs-auditlogs").createIfNotExists();
      await assert.rejects(
        () => pullStorage({ service, outDir: out }),
        /no insights-logs-\*signinlogs container in storage account devstoreaccount1 \(found: insights-logs-auditlogs\)/,
      );
    } finally {
      await azurite.stop();
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "pullStorage() interrupted after one blob keeps that blob and its ledger entry, leaves no temp file, resumes",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const azurite = await startAzurite();
    const out = await Deno.makeTempDir();
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await seed(service);
      const controller = new AbortController();
      await assert.rejects(() =>
        pullStorage({ service, outDir: out, signal: controller.signal, log: () => controller.abort() })
      );
      const ledger = JSON.parse(await Deno.readTextFile(`${out}/${LEDGER_NAME}`));
      assert.equal(Object.keys(ledger.blobs).length, 1);
      const files: string[] = [];
      const walk = async (d: string) => {
        for await (const e of Deno.readDir(d)) {
          if (e.isDirectory) await walk(`${d}/${e.name}`);
          else files.push(e.name);
        }
      };
      await walk(out);
      assert.deepEqual(files.filter((f) => f.includes(".tmp-")), []);
      assert.deepEqual(files.filter((f) => f === "PT1H.json").length, 1);
      const resumed = await pullStorage({ service, outDir: out });
      assert.deepEqual([resumed.fetched, resumed.unchanged], [5, 1]);
    } finally {
      await azurite.stop();
      await Deno.remove(out, { recursive: true });
    }
  },
});
