/**
 * Puts the offline IP intelligence into a store, for the detection queries to join:
 * - `asn_ranges`   the ASN dataset as fixed-width range keys (see ip_key.ts), one row per bucket a range touches;
 * - `asn_classes`  the sourced hosting / VPN / Tor list (networks.ts);
 * - `ip_addresses` every distinct (source address, Entra ASN) of the store's sign-ins with its range key;
 * - `ip_intel`     queries/ip_intel.sql materialised: ASN, organisation, network class per address.
 * The ranges are loaded once per store and dataset version (recorded in lens_meta); the addresses and their
 * lookup are rebuilt on every call (cheap: distinct addresses only). A read-only store gets TEMP tables,
 * which stand in front of the file's own for this connection.
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
const BUILT = new WeakMap<Store, string>();

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
  const fingerprint = await signinFingerprint(store);
  if (BUILT.get(store) === fingerprint) return;
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

/** Loads (if needed) the ASN ranges and rebuilds the per-address lookup; see the module comment. */
export async function ensureIpIntel(store: Store, options: IpIntelOptions = {}): Promise<IpIntelResult> {
  const c = store.connection;
  const temp = store.readOnly ? "TEMP " : "";
  const version = options.files || options.networks
    ? null
    : `${ASN_DATASET.package}@${ASN_DATASET.version}+networks@${NETWORK_LIST_VERSION}`;
  const started = performance.now();
  const stored = await tableExists(store, "lens_meta")
    ? await scalar(store, `SELECT value FROM lens_meta WHERE key = '${META_KEY}'`)
    : undefined;
  const fresh = version !== null && stored === version && await tableExists(store, "asn_ranges") &&
    await tableExists(store, "asn_classes");
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
    const addresses = await loadAddresses(store, temp);
    // Every address: the query with its default range.
    const lookup = await loadQuery("ip_intel");
    const [values, types] = duckdbBindings(lookup, resolveParams(lookup, {}));
    await c.run(`CREATE OR REPLACE ${temp}TABLE ip_intel AS ${toDuckdbSql(lookup.sql)}`, values, types);
    if (!store.readOnly) await c.run("COMMIT");
    BUILT.set(store, await signinFingerprint(store));
    const counts = (await c.runAndReadAll(
      `SELECT count(*) FILTER (WHERE asn IS NOT NULL), count(*) FILTER (WHERE asn_source = 'dataset') FROM ip_intel`,
    )).getRowsJS()[0];
    return {
      ranges: Number(await scalar(store, `SELECT count(*) FROM asn_ranges`)),
      reloadedRanges: !fresh,
      addresses,
      withAsn: Number(counts[0]),
      fromDataset: Number(counts[1]),
      seconds: { ranges: (rangesDone - started) / 1000, lookup: (performance.now() - rangesDone) / 1000 },
    };
  } catch (e) {
    if (!store.readOnly) await c.run("ROLLBACK").catch(() => {});
    throw new Error(`cannot build the IP intelligence tables: ${(e as Error).message}`);
  }
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

async function loadAddresses(store: Store, temp: string): Promise<number> {
  const c = store.connection;
  const pairs = (await c.runAndReadAll(
    `SELECT ipaddress, coalesce(autonomoussystemnumber, -1), strftime(min(created_at), '%Y-%m-%dT%H:%M:%S.%fZ'), ` +
      `strftime(max(created_at), '%Y-%m-%dT%H:%M:%S.%fZ') FROM signins ` +
      `WHERE ipaddress IS NOT NULL AND ipaddress <> '' GROUP BY 1, 2`,
  )).getRowsJS();
  await c.run(
    `CREATE OR REPLACE ${temp}TABLE ip_addresses (ip_address VARCHAR, entra_asn BIGINT, ip_key VARCHAR, ` +
      `bucket VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP)`,
  );
  const rows = pairs.map(([ip, asn, first, last]) => {
    const key = ipKey(ip as string);
    return { ip, asn: Number(asn), key, bucket: key === null ? null : ipBucket(key), first, last };
  });
  for (let i = 0; i < rows.length; i += 50_000) {
    await c.run(
      `INSERT INTO ip_addresses SELECT unnest(from_json($j, ` +
        `'[{"ip":"VARCHAR","asn":"BIGINT","key":"VARCHAR","bucket":"VARCHAR","first":"TIMESTAMP",` +
        `"last":"TIMESTAMP"}]'), recursive := true)`,
      { j: JSON.stringify(rows.slice(i, i + 50_000)) },
    );
  }
  return rows.length;
}
