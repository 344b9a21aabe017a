/**
 * Puts the offline IP intelligence into a store, for the detection queries to join:
 * - `asn_ranges`   the ASN dataset as fixed-width range keys (see ip_key.ts), one row per bucket a range touches;
 * - `asn_classes`  the sourced hosting / VPN / Tor list (networks.ts);
 * - `ip_addresses` every distinct (source address, Entra ASN) of the store's sign-ins with its range key;
 * - `ip_intel`     queries/ip_intel.sql materialised: ASN, organisation, network class per address.
 * The ranges are loaded once per store and dataset version (recorded in lens_meta). The addresses and their
 * lookup follow the sign-ins: not redone while the sign-ins are unchanged, only the new addresses looked up
 * when a load only added sign-ins, rebuilt when a load replaced some (lens_meta records what they were built
 * from). A read-only store whose lookup is behind gets TEMP tables, which stand in front of the file's own
 * for this connection.
 */
import { ASN_DATASET, type AsnDatasetFiles, asnDatasetFiles } from "./dataset.ts";
import { ipBucket, ipKey, IPV4_MAPPED_PREFIX } from "./ip_key.ts";
import { KNOWN_NETWORKS, type KnownNetwork, NETWORK_LIST_VERSION } from "./networks.ts";
import type { Store } from "../store/open_store.ts";
import { loadQuery } from "../query/query_library.ts";
import { toDuckdbSql } from "../query/duckdb_dialect.ts";
import { duckdbBindings } from "../query/duckdb_runner.ts";
import { resolveParams } from "../query/params.ts";

export interface IpIntelOptions {
  /** Other dataset files in the package's numeric CSV format (tests); the store then always reloads them. */
  files?: AsnDatasetFiles;
  networks?: readonly KnownNetwork[];
}

/** Stores whose ip_intel this process built, with the sign-ins' fingerprint at the time (read-only stores too). */
const BUILT = new WeakMap<Store, { version: string | null; fingerprint: string }>();

async function signinFingerprint(store: Store): Promise<string> {
  const [n, last] = (await store.connection.runAndReadAll(
    `SELECT count(*), CAST(max(_loaded_at) AS VARCHAR) FROM signin_records`,
  )).getRowsJS()[0];
  return `${n}/${last}`;
}

/**
 * ensureIpIntel() unless this process already built the tables for the store's current sign-ins: what
 * runQuery() calls before a query that joins ip_intel, so `deno task query detect_…` and notebooks need no
 * extra step. Cheap when nothing was loaded since (two metadata queries).
 */
export async function ensureIpIntelFresh(store: Store): Promise<void> {
  // Built by this process for these very sign-ins, with whatever dataset it was given (tests pass their own).
  if (BUILT.get(store)?.fingerprint === await signinFingerprint(store)) return;
  await ensureIpIntel(store);
}

export interface IpIntelResult {
  /** Rows of asn_ranges (after splitting at bucket boundaries), and whether this call (re)loaded them. */
  ranges: number;
  reloadedRanges: boolean;
  /** Distinct (address, Entra ASN) pairs, how many got an ASN at all, how many from the dataset. */
  addresses: number;
  withAsn: number;
  fromDataset: number;
  seconds: { ranges: number; lookup: number };
}

const META_KEY = "ip_intel_dataset";
const DEFAULT_VERSION = `${ASN_DATASET.package}@${ASN_DATASET.version}+networks@${NETWORK_LIST_VERSION}`;

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function scalar(store: Store, sql: string): Promise<unknown> {
  const rows = (await store.connection.runAndReadAll(sql)).getRowsJS();
  return rows[0]?.[0];
}

async function tableExists(store: Store, name: string): Promise<boolean> {
  return Number(
    await scalar(store, `SELECT count(*) FROM duckdb_tables() WHERE table_name = ${sqlString(name)}`),
  ) >
    0;
}

/** What the lookup was built from: the sign-ins' count, latest load time and rows with a load time. */
interface SigninState {
  n: number;
  loadedAt: string | null;
  stamped: number;
}

const STATE_KEY = "ip_intel_signins";

async function signinState(store: Store): Promise<SigninState> {
  const [n, loadedAt, stamped] = (await store.connection.runAndReadAll(
    `SELECT count(*), CAST(max(_loaded_at) AS VARCHAR), count(_loaded_at) FROM signin_records`,
  )).getRowsJS()[0];
  return { n: Number(n), loadedAt: loadedAt === null ? null : String(loadedAt), stamped: Number(stamped) };
}

async function storedState(store: Store): Promise<SigninState | null> {
  const v = await scalar(store, `SELECT value FROM lens_meta WHERE key = '${STATE_KEY}'`);
  if (typeof v !== "string") return null;
  try {
    return JSON.parse(v) as SigninState;
  } catch {
    return null;
  }
}

const sameState = (a: SigninState | null, b: SigninState) =>
  a !== null && a.n === b.n && a.loadedAt === b.loadedAt && a.stamped === b.stamped;

/**
 * Whether the sign-ins stored when the lookup was built are all still there and everything since came with
 * a later load time: then only the addresses of those newer rows need a lookup. A replaced sign-in (a later
 * state of it deleted the stored one) or rows without a load time make it false, and the lookup is rebuilt.
 */
async function onlyGrew(store: Store, was: SigninState | null, now: SigninState): Promise<boolean> {
  if (was === null || was.loadedAt === null || now.stamped !== now.n || was.stamped !== was.n) return false;
  const [older, newer] = (await store.connection.runAndReadAll(
    `SELECT count(*) FILTER (WHERE _loaded_at <= CAST($t AS TIMESTAMPTZ)), ` +
      `count(*) FILTER (WHERE _loaded_at > CAST($t AS TIMESTAMPTZ)) FROM signin_records`,
    { t: was.loadedAt },
  )).getRowsJS()[0];
  return Number(older) === was.n && Number(older) + Number(newer) === now.n;
}

/**
 * Loads (if needed) the ASN ranges and brings the per-address lookup up to date; see the module comment.
 * The lookup's state is kept in lens_meta: a store whose sign-ins did not change since is not looked up
 * again (a new process included), and one that only gained sign-ins looks up just their new addresses.
 */
export async function ensureIpIntel(store: Store, options: IpIntelOptions = {}): Promise<IpIntelResult> {
  const c = store.connection;
  const temp = store.readOnly ? "TEMP " : "";
  const version = options.files || options.networks ? null : DEFAULT_VERSION;
  const started = performance.now();
  const stored = await tableExists(store, "lens_meta")
    ? await scalar(store, `SELECT value FROM lens_meta WHERE key = '${META_KEY}'`)
    : undefined;
  const fresh = version !== null && stored === version && await tableExists(store, "asn_ranges") &&
    await tableExists(store, "asn_classes");
  const now = await signinState(store);
  const was = fresh && await tableExists(store, "ip_intel") && await tableExists(store, "ip_addresses")
    ? await storedState(store)
    : null;
  const built = BUILT.get(store);
  const builtHere = version !== null && built?.version === version &&
    built.fingerprint === await signinFingerprint(store);
  if ((was !== null && sameState(was, now)) || builtHere) {
    BUILT.set(store, { version, fingerprint: await signinFingerprint(store) });
    return await result(store, false, started, started);
  }
  const grew = !store.readOnly && await onlyGrew(store, was, now);
  if (!store.readOnly) await c.run("BEGIN TRANSACTION");
  try {
    if (!fresh) {
      await loadRanges(store, temp, options.files ?? asnDatasetFiles());
      await loadClasses(store, temp, options.networks ?? KNOWN_NETWORKS);
      if (!store.readOnly) {
        await c.run(
          `INSERT OR REPLACE INTO lens_meta VALUES ('${META_KEY}', ${sqlString(version ?? "custom")})`,
        );
      }
    }
    const rangesDone = performance.now();
    // Every address: the query with its default range.
    const lookup = await loadQuery("ip_intel");
    const [values, types] = duckdbBindings(lookup, resolveParams(lookup, {}));
    if (grew) {
      // The same query over only the new addresses (its own ip_addresses swapped for them).
      await addAddresses(store, was!.loadedAt!);
      const sql = toDuckdbSql(lookup.sql).replace(/\bip_addresses\b/g, "lens_ip_new");
      await c.run(`INSERT INTO ip_intel ${sql}`, values, types);
      await c.run(`DROP TABLE lens_ip_new`);
    } else {
      await loadAddresses(store, temp);
      await c.run(`CREATE OR REPLACE ${temp}TABLE ip_intel AS ${toDuckdbSql(lookup.sql)}`, values, types);
    }
    if (!store.readOnly) {
      await c.run(`INSERT OR REPLACE INTO lens_meta VALUES ('${STATE_KEY}', $v)`, {
        v: JSON.stringify(now),
      });
      await c.run("COMMIT");
    }
    BUILT.set(store, { version, fingerprint: await signinFingerprint(store) });
    return await result(store, !fresh, started, rangesDone);
  } catch (e) {
    if (!store.readOnly) await c.run("ROLLBACK").catch(() => {});
    throw new Error(`cannot build the IP intelligence tables: ${(e as Error).message}`);
  }
}

async function result(
  store: Store,
  reloadedRanges: boolean,
  started: number,
  rangesDone: number,
): Promise<IpIntelResult> {
  const counts = (await store.connection.runAndReadAll(
    `SELECT count(*), count(*) FILTER (WHERE asn IS NOT NULL), count(*) FILTER (WHERE asn_source = 'dataset') ` +
      `FROM ip_intel`,
  )).getRowsJS()[0];
  return {
    ranges: Number(await scalar(store, `SELECT count(*) FROM asn_ranges`)),
    reloadedRanges,
    addresses: Number(counts[0]),
    withAsn: Number(counts[1]),
    fromDataset: Number(counts[2]),
    seconds: { ranges: (rangesDone - started) / 1000, lookup: (performance.now() - rangesDone) / 1000 },
  };
}

async function loadRanges(store: Store, temp: string, files: AsnDatasetFiles): Promise<void> {
  const csv = (path: string, int: string) =>
    `read_csv(${
      sqlString(path)
    }, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
    `columns = {'s': '${int}', 'e': '${int}', 'asn': 'BIGINT', 'as_org': 'VARCHAR'})`;
  const p = sqlString(IPV4_MAPPED_PREFIX);
  // Split each range at bucket boundaries (/16 for IPv4, /32 for IPv6) so the lookup joins on bucket equality.
  // IPv6 rows inside ::ffff:0:0/96 would stand for IPv4 addresses: the IPv4 file is the authority there.
  await store.connection.run(
    `CREATE OR REPLACE ${temp}TABLE asn_ranges AS ` +
      `SELECT ${p} || printf('%04x', b) AS bucket, ${p} || printf('%08x', s) AS range_start, ` +
      `${p} || printf('%08x', e) AS range_end, asn, as_org FROM (` +
      `SELECT *, unnest(range(CAST(s >> 16 AS BIGINT), CAST((e >> 16) + 1 AS BIGINT))) AS b ` +
      `FROM ${csv(files.ipv4, "UBIGINT")} WHERE e >= s AND e < 4294967296) ` +
      `UNION ALL ` +
      `SELECT printf('%08x', b), lpad(lower(hex(s)), 32, '0'), lpad(lower(hex(e)), 32, '0'), asn, as_org FROM (` +
      `SELECT *, unnest(range(CAST(s >> 96 AS BIGINT), CAST((e >> 96) + 1 AS BIGINT))) AS b ` +
      `FROM ${csv(files.ipv6, "UHUGEINT")} WHERE e >= s AND NOT (s >> 32 = 65535 OR e >> 32 = 65535)) ` +
      `ORDER BY bucket, range_start`,
  );
}

async function loadClasses(store: Store, temp: string, networks: readonly KnownNetwork[]): Promise<void> {
  const c = store.connection;
  await c.run(
    `CREATE OR REPLACE ${temp}TABLE asn_classes (asn BIGINT, network_class VARCHAR, as_name VARCHAR, source VARCHAR)`,
  );
  if (networks.length === 0) return;
  await c.run(
    `INSERT INTO asn_classes SELECT unnest(from_json($j, ` +
      `'[{"asn":"BIGINT","network_class":"VARCHAR","name":"VARCHAR","source":"VARCHAR"}]'), recursive := true)`,
    { j: JSON.stringify(networks) },
  );
}

/** One row of ip_addresses per (address, Entra ASN) pair, with its range key computed in JavaScript. */
function addressRows(pairs: unknown[][]) {
  return pairs.map(([ip, asn, first, last]) => {
    const key = ipKey(ip as string);
    return { ip, asn: Number(asn), key, bucket: key === null ? null : ipBucket(key), first, last };
  });
}

async function insertAddressRows(store: Store, table: string, rows: ReturnType<typeof addressRows>) {
  for (let i = 0; i < rows.length; i += 50_000) {
    await store.connection.run(
      `INSERT INTO ${table} SELECT unnest(from_json($j, ` +
        `'[{"ip":"VARCHAR","asn":"BIGINT","key":"VARCHAR","bucket":"VARCHAR","first":"TIMESTAMP",` +
        `"last":"TIMESTAMP"}]'), recursive := true)`,
      { j: JSON.stringify(rows.slice(i, i + 50_000)) },
    );
  }
}

const ADDRESS_COLUMNS = `(ip_address VARCHAR, entra_asn BIGINT, ip_key VARCHAR, bucket VARCHAR, ` +
  `first_seen TIMESTAMP, last_seen TIMESTAMP)`;

/**
 * The addresses of sign-ins loaded after `since`: known pairs get their first/last seen widened, new pairs go
 * into ip_addresses and into lens_ip_new (for their lookup).
 */
async function addAddresses(store: Store, since: string): Promise<void> {
  const c = store.connection;
  await c.run(
    `CREATE OR REPLACE TEMP TABLE lens_ip_delta AS SELECT "ipAddress" AS ip_address, ` +
      `coalesce("autonomousSystemNumber", -1) AS entra_asn, min(created_at) AS first_seen, ` +
      `max(created_at) AS last_seen FROM signin_records WHERE _loaded_at > CAST($t AS TIMESTAMPTZ) ` +
      `AND "ipAddress" IS NOT NULL AND "ipAddress" <> '' GROUP BY 1, 2`,
    { t: since },
  );
  await c.run(
    `UPDATE ip_addresses AS a SET first_seen = least(a.first_seen, d.first_seen), ` +
      `last_seen = greatest(a.last_seen, d.last_seen) FROM lens_ip_delta AS d ` +
      `WHERE d.ip_address = a.ip_address AND d.entra_asn = a.entra_asn`,
  );
  const pairs = (await c.runAndReadAll(
    `SELECT d.ip_address, d.entra_asn, strftime(d.first_seen, '%Y-%m-%dT%H:%M:%S.%fZ'), ` +
      `strftime(d.last_seen, '%Y-%m-%dT%H:%M:%S.%fZ') FROM lens_ip_delta AS d ` +
      `ANTI JOIN ip_addresses AS a ON d.ip_address = a.ip_address AND d.entra_asn = a.entra_asn`,
  )).getRowsJS();
  await c.run(`DROP TABLE lens_ip_delta`);
  const rows = addressRows(pairs);
  await c.run(`CREATE OR REPLACE TEMP TABLE lens_ip_new ${ADDRESS_COLUMNS}`);
  await insertAddressRows(store, "lens_ip_new", rows);
  await c.run(`INSERT INTO ip_addresses SELECT * FROM lens_ip_new`);
}

async function loadAddresses(store: Store, temp: string): Promise<number> {
  const c = store.connection;
  const pairs = (await c.runAndReadAll(
    `SELECT ipaddress, coalesce(autonomoussystemnumber, -1), strftime(min(created_at), '%Y-%m-%dT%H:%M:%S.%fZ'), ` +
      `strftime(max(created_at), '%Y-%m-%dT%H:%M:%S.%fZ') FROM signins ` +
      `WHERE ipaddress IS NOT NULL AND ipaddress <> '' GROUP BY 1, 2`,
  )).getRowsJS();
  await c.run(`CREATE OR REPLACE ${temp}TABLE ip_addresses ${ADDRESS_COLUMNS}`);
  const rows = addressRows(pairs);
  await insertAddressRows(store, "ip_addresses", rows);
  return rows.length;
}
