import { join } from "node:path";
import { DEFAULT_DB, PROJECT_ROOT, SAMPLE_DB, SAMPLE_DIR } from "./paths.ts";
import { ensureSampleTenant } from "./sample/mod.ts";
import { loadFiles, openExistingStore, openStore, type Store, StoreLayoutError } from "./store/mod.ts";
import { normalizeInstant } from "./query/mod.ts";
import { pathExists } from "./path_exists.ts";

export interface ReportSource {
  store: Store;
  /** What the report is about, for its header. */
  tenant: string;
  /** Said once on stderr so nobody mistakes the sample for their tenant. */
  note: string;
  /** True when this is the bundled sample tenant, not a store of yours. */
  sample: boolean;
}

/**
 * The store a report reads: the one named, else your tenant's default store if you loaded one, else the bundled
 * sample tenant, built (deterministically) and loaded on first use.
 */
export async function openReportSource(
  db?: string,
  log: (line: string) => void = () => {},
): Promise<ReportSource> {
  // Defaults live in the project, whatever the working directory (a notebook's kernel runs in notebooks/);
  // a path the user gives is taken as given.
  // SIGNIN_LENS_DEFAULT_DB moves "your store" elsewhere (tests use it to act as a fresh clone).
  const defaultDb = Deno.env.get("SIGNIN_LENS_DEFAULT_DB") || join(PROJECT_ROOT, DEFAULT_DB);
  const sampleDir = join(PROJECT_ROOT, SAMPLE_DIR);
  // Readers open the store read-only and hold its lock only while a query runs: a notebook left open must
  // not make the nightly load fail.
  if (db) {
    const store = await openExistingStore(db, { log });
    return { store, tenant: await tenantName(store), note: `reporting on ${db}`, sample: false };
  }
  if (await pathExists(defaultDb)) {
    const store = await openExistingStore(defaultDb, { log });
    return { store, tenant: await tenantName(store), note: `reporting on ${DEFAULT_DB}`, sample: false };
  }
  log(`no ${DEFAULT_DB} yet: using the bundled sample tenant (${SAMPLE_DIR})`);
  const manifest = await ensureSampleTenant(sampleDir);
  const writer = await openSampleStore(JSON.stringify({ ...manifest.params, v: manifest.generatorVersion }));
  try {
    const r = await loadFiles(writer, [join(sampleDir, "signins"), join(sampleDir, "audits")], { log });
    if (r.files > 0) log(`loaded the sample tenant: ${r.totalRecords} sign-ins (${r.seconds.toFixed(1)} s)`);
  } finally {
    writer.close();
  }
  const store = await openExistingStore(writer.path, { log });
  return {
    store,
    tenant: `${await tenantName(store)} (sample tenant)`,
    note: `reporting on the sample tenant; pull and load your own logs to report on them (see README)`,
    sample: true,
  };
}

/**
 * Opens the sample's store, starting it afresh when it was built from another sample (a new generator version
 * rewrites the pages with new ids, and the old records must not linger beside the new ones).
 */
async function openSampleStore(fingerprint: string): Promise<Store> {
  const path = join(PROJECT_ROOT, SAMPLE_DB);
  let store: Store;
  try {
    store = await openStore({ path });
  } catch (e) {
    // The sample is ours to rebuild: a store from an older signin-lens is simply made again.
    if (!(e instanceof StoreLayoutError)) throw e;
    store = await recreateStore(path);
  }
  const c = store.connection;
  const rows = (await c.runAndReadAll(`SELECT value FROM lens_meta WHERE key = 'sample'`)).getRowObjectsJS();
  if (rows.length > 0 && rows[0].value === fingerprint) return store;
  const records = (await c.runAndReadAll(`SELECT count(*) AS n FROM signin_records`)).getRowObjectsJS()[0].n;
  if (rows.length > 0 || Number(records) > 0) {
    store.close();
    store = await recreateStore(path);
  }
  await store.connection.run(`INSERT OR REPLACE INTO lens_meta VALUES ('sample', $v)`, { v: fingerprint });
  return store;
}

/** Deletes a (closed) store file with its write-ahead log and opens an empty one in its place. */
async function recreateStore(path: string): Promise<Store> {
  await Deno.remove(path);
  await Deno.remove(`${path}.wal`).catch(() => {});
  return await openStore({ path });
}

/** The tenant's name as its users' sign-in names show it: the most common UPN domain. */
async function tenantName(store: Store): Promise<string> {
  const rows = (await store.connection.runAndReadAll(
    `SELECT split_part("userPrincipalName", '@', 2) AS domain, count(*) AS n FROM signin_records ` +
      `WHERE "userPrincipalName" LIKE '%@%' GROUP BY 1 ORDER BY n DESC LIMIT 1`,
  )).getRowObjectsJS();
  return rows.length > 0 ? String(rows[0].domain) : "unknown tenant";
}

/** The report's range: what was asked, else whole UTC days around everything in the store. */
export async function reportRange(
  store: Store,
  from?: string,
  to?: string,
): Promise<{ from: string; to: string }> {
  const span = (await store.connection.runAndReadAll(
    `SELECT strftime(min(created_at), '%Y-%m-%d') AS first, strftime(max(created_at) + INTERVAL 1 DAY, '%Y-%m-%d') ` +
      `AS last FROM signin_records`,
  )).getRowObjectsJS()[0];
  const first = (span.first as string | null) ?? "1970-01-01";
  const last = (span.last as string | null) ?? "1970-01-02";
  return {
    from: normalizeInstant(from ?? first, "--from"),
    to: normalizeInstant(to ?? last, "--to"),
  };
}
