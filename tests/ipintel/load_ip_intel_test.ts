// The IP intelligence tables on small hand-made datasets (tests/ipintel/fixtures, the package's numeric CSV
// format), and once on the real pinned dataset.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ensureIpIntel } from "../../lib/ipintel/load_ip_intel.ts";
import { openStore, type Store } from "../../lib/store/mod.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const FILES = { ipv4: `${FIXTURES}asn-ipv4-num.csv`, ipv6: `${FIXTURES}asn-ipv6-num.csv` };

async function storeWith(
  signins: [string, string | null, number | null][],
  path = ":memory:",
): Promise<Store> {
  const store = await openStore({ path });
  for (const [id, ip, asn] of signins) {
    await store.connection.run(
      `INSERT INTO signin_records (id, "ipAddress", "autonomousSystemNumber", created_at) VALUES ($id, $ip, $asn, ` +
        `TIMESTAMP '2026-10-05 10:00:00')`,
      { id, ip, asn },
    );
  }
  return store;
}

async function intel(store: Store): Promise<Record<string, Record<string, unknown>>> {
  const rows = (await store.connection.runAndReadAll(`SELECT * FROM ip_intel`)).getRowObjectsJS();
  return Object.fromEntries(rows.map((r) => [`${r.ip_address}/${r.entra_asn}`, r]));
}

Deno.test("ensureIpIntel() looks IPv4 and IPv6 up in the ranges, the more specific of overlapping ones", async () => {
  const store = await storeWith([
    ["a", "203.0.113.10", null],
    ["b", "203.0.113.200", null],
    ["c", "198.51.100.7", null],
    ["d", "65.200.1.1", null], // in a range that spans 256 /16 buckets
    ["e", "2001:db8:a1::5", null],
    ["f", "2a00:7f::1", null], // in a range that spans 256 /32 buckets
    ["g", "::ffff:203.0.113.10", null],
    ["h", "2a03:2880:f12f:83:face:b00c::25de", null],
    ["i", "192.0.2.1", null], // in no range
    ["j", "not an address", null],
    ["k", null, null],
    ["l", "", null],
  ]);
  try {
    const r = await ensureIpIntel(store, { files: FILES });
    assert.equal(r.addresses, 10);
    assert.equal(r.withAsn, 8);
    const got = await intel(store);
    const asn = (ip: string) => got[`${ip}/-1`]?.asn;
    assert.equal(asn("203.0.113.10"), 64501n);
    assert.equal(got["203.0.113.10/-1"].as_org, "More Specific Net");
    assert.equal(asn("203.0.113.200"), 64500n);
    assert.equal(got["203.0.113.200/-1"].as_org, 'Example "Doc" Net');
    assert.equal(asn("198.51.100.7"), 14061n);
    assert.equal(got["198.51.100.7/-1"].network_class, "hosting");
    assert.equal(asn("65.200.1.1"), 64502n);
    assert.equal(asn("2001:db8:a1::5"), 64503n);
    assert.equal(asn("2a00:7f::1"), 64504n);
    assert.equal(
      asn("::ffff:203.0.113.10"),
      64501n,
      "IPv4-mapped IPv6 is the IPv4 address, not the v6 file's row",
    );
    assert.equal(asn("2a03:2880:f12f:83:face:b00c::25de"), 32934n);
    assert.equal(got["192.0.2.1/-1"].asn, null);
    assert.equal(got["192.0.2.1/-1"].asn_source, null);
    assert.equal(got["not an address/-1"].asn, null);
    assert.equal(Object.keys(got).length, 10, "one row per address");
  } finally {
    store.close();
  }
});

Deno.test("ensureIpIntel() prefers Entra's autonomousSystemNumber and names it from the dataset", async () => {
  const store = await storeWith([
    ["a", "203.0.113.10", 14061], // Entra says DigitalOcean, the dataset another network
    ["b", "203.0.113.10", null],
    ["c", "192.0.2.1", 60729], // Entra's ASN for an address the dataset does not know; named from the list
    ["d", "192.0.2.2", 0], // 0 is no ASN
  ]);
  try {
    await ensureIpIntel(store, { files: FILES });
    const got = await intel(store);
    assert.deepEqual(
      [got["203.0.113.10/14061"].asn, got["203.0.113.10/14061"].as_org, got["203.0.113.10/14061"].asn_source],
      [14061n, "DigitalOcean LLC", "entra"],
    );
    assert.equal(got["203.0.113.10/14061"].network_class, "hosting");
    assert.equal(got["203.0.113.10/-1"].asn, 64501n);
    assert.deepEqual([got["192.0.2.1/60729"].asn, got["192.0.2.1/60729"].network_class], [60729n, "tor"]);
    assert.match(String(got["192.0.2.1/60729"].as_org), /Tor/);
    assert.equal(got["192.0.2.2/0"].asn, null);
  } finally {
    store.close();
  }
});

Deno.test("ensureIpIntel() loads the pinned dataset once per store file and TEMP tables for a read-only one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lens-ipintel-" });
  const path = `${dir}/s.duckdb`;
  try {
    let store = await storeWith(
      [["a", "1.1.1.1", null], ["b", "2a03:2880:f12f:83:face:b00c::25de", null]],
      path,
    );
    const first = await ensureIpIntel(store);
    assert.equal(first.reloadedRanges, true);
    assert.ok(first.ranges > 700_000, `${first.ranges} range rows`);
    const again = await ensureIpIntel(store);
    assert.equal(again.reloadedRanges, false);
    const got = await intel(store);
    assert.equal(got["1.1.1.1/-1"].asn, 13335n);
    assert.equal(got["2a03:2880:f12f:83:face:b00c::25de/-1"].asn, 32934n);
    // New sign-ins after the last lookup: a reader cannot write the file, so it looks them up in TEMP tables.
    await store.connection.run(
      `INSERT INTO signin_records (id, "ipAddress", created_at) VALUES ('c', '8.8.8.8', TIMESTAMP '2026-10-06 00:00:00')`,
    );
    store.close();
    store = await openStore({ path, readOnly: true });
    const ro = await ensureIpIntel(store);
    assert.equal(ro.reloadedRanges, false, "the file's ranges are current: reused");
    assert.equal((await intel(store))["8.8.8.8/-1"].network_class, "hosting");
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runQuery() builds the IP intelligence for a query that joins it, and refreshes it after a load", async () => {
  const { runQuery } = await import("../../lib/query/mod.ts");
  const store = await storeWith([["a", "1.1.1.1", null]]);
  try {
    // No ensureIpIntel() call: the query asks for ip_intel, the runner provides it.
    const first = await runQuery(store, "ip_intel");
    assert.deepEqual(first.rows.map((r) => [r.ip_address, r.asn]), [["1.1.1.1", 13335]]);
    await store.connection.run(
      `INSERT INTO signin_records (id, "ipAddress", created_at, _loaded_at) VALUES ('b', '8.8.8.8', ` +
        `TIMESTAMP '2026-10-06 00:00:00', now())`,
    );
    const second = await runQuery(store, "detect_risky_network", { learning_days: 0 });
    assert.ok(Array.isArray(second.rows));
    const intel = await runQuery(store, "ip_intel");
    assert.deepEqual(intel.rows.map((r) => r.ip_address), ["1.1.1.1", "8.8.8.8"]);
  } finally {
    store.close();
  }
});

Deno.test("ensureIpIntel() keeps an unchanged lookup, adds only new addresses, rebuilds after a replacement", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lens-ipintel-" });
  const path = `${dir}/s.duckdb`;
  const add = (store: Store, id: string, ip: string, at: string) =>
    store.connection.run(
      `INSERT INTO signin_records (id, "ipAddress", created_at, _loaded_at) VALUES ($id, $ip, CAST($at AS TIMESTAMP), ` +
        `now())`,
      { id, ip, at },
    );
  // A row nothing but this test writes: it survives exactly as long as ip_intel is not rebuilt.
  const mark = (store: Store) =>
    store.connection.run(`INSERT INTO ip_intel (ip_address, entra_asn) VALUES ('marker', -7)`);
  const marked = async (store: Store) => "marker/-7" in await intel(store);
  try {
    let store = await openStore({ path });
    await add(store, "a", "1.1.1.1", "2026-10-05 10:00:00");
    await add(store, "b", "8.8.8.8", "2026-10-05 11:00:00");
    await ensureIpIntel(store, { files: FILES });
    await ensureIpIntel(store);
    await mark(store);
    store.close();

    // A new process on the unchanged store: nothing is looked up again.
    store = await openStore({ path });
    const same = await ensureIpIntel(store);
    assert.equal(await marked(store), true, "an unchanged store's lookup was rebuilt");
    assert.equal(same.addresses, 3, "the two addresses and the marker");

    // A load that only adds sign-ins: their new address is looked up, the old rows stay, first/last widen.
    await add(store, "c", "1.1.1.1", "2026-10-07 09:00:00");
    await add(store, "d", "2a03:2880:f12f:83:face:b00c::25de", "2026-10-07 10:00:00");
    await ensureIpIntel(store);
    assert.equal(await marked(store), true, "a grown store's lookup was rebuilt, not extended");
    const got = await intel(store);
    assert.equal(got["2a03:2880:f12f:83:face:b00c::25de/-1"].asn, 32934n);
    assert.equal(got["1.1.1.1/-1"].asn, 13335n);
    const [seen] = (await store.connection.runAndReadAll(
      `SELECT CAST(first_seen AS VARCHAR) AS f, CAST(last_seen AS VARCHAR) AS l FROM ip_addresses ` +
        `WHERE ip_address = '1.1.1.1'`,
    )).getRowObjectsJS();
    assert.deepEqual(seen, { f: "2026-10-05 10:00:00", l: "2026-10-07 09:00:00" });

    // The incremental lookup equals a full one.
    const incremental = await intel(store);
    delete incremental["marker/-7"];
    await store.connection.run(`DELETE FROM lens_meta WHERE key = 'ip_intel_signins'`);
    store.close();
    store = await openStore({ path });
    await ensureIpIntel(store);
    assert.equal(await marked(store), false);
    assert.deepEqual(await intel(store), incremental);

    // A replaced sign-in (its stored row deleted): rebuilt, so the address only it used is gone.
    await mark(store);
    await store.connection.run(`DELETE FROM signin_records WHERE id = 'b'`);
    await add(store, "b", "9.9.9.9", "2026-10-05 11:00:00");
    await ensureIpIntel(store);
    const rebuilt = await intel(store);
    assert.equal(await marked(store), false, "a store with a replaced sign-in kept its old lookup");
    assert.deepEqual(Object.keys(rebuilt).sort(), [
      "1.1.1.1/-1",
      "2a03:2880:f12f:83:face:b00c::25de/-1",
      "9.9.9.9/-1",
    ]);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
