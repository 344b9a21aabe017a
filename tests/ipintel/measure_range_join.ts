// Measures the IP-intelligence range join (queries/ip_intel.sql) on DuckDB and, with --trino, on a local
// Trino over the Parquet lake (lib/lake, lib/trino): N random distinct source addresses (3/4 IPv4, 1/4 IPv6)
// against the full @ip-location-db/asn ranges; with --trino it also checks that Trino's IPADDRESS keys (the
// Athena DDL's) equal ipKey()'s. Not a test (no _test suffix, Trino takes minutes to start); run by hand:
//   deno run -A tests/ipintel/measure_range_join.ts [N] [--trino]
import { join } from "node:path";
import { ensureIpIntel, ipKey } from "../../lib/ipintel/mod.ts";
import { parseQueryFile } from "../../lib/query/mod.ts";
import { writeLake } from "../../lib/lake/mod.ts";
import { loadQuery, runOnDuckdb } from "../../lib/query/mod.ts";
import { openStore } from "../../lib/store/mod.ts";
import { LAKE_SCHEMA, runOnTrino, startTrino, stopTrino } from "../../lib/trino/mod.ts";

const n = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const withTrino = Deno.args.includes("--trino");
const dir = await Deno.makeTempDir({ prefix: "lens-range-join-" });
const store = await openStore({ path: join(dir, "store.duckdb") });
try {
  // Deterministic pseudo-random public-looking addresses, one sign-in each.
  await store.connection.run(
    `INSERT INTO signin_records (id, "ipAddress", "userPrincipalName", created_at) ` +
      `SELECT 'm' || i, CASE WHEN i % 4 = 3 THEN printf('2%03x:%x:%x::%x', hash(i) % 4096, hash(i * 7) % 65536, ` +
      `hash(i * 13) % 65536, i % 65536) ELSE printf('%d.%d.%d.%d', 1 + hash(i) % 223, hash(i * 3) % 256, ` +
      `hash(i * 5) % 256, 1 + i % 254) END, 'u' || (i % 1000) || '@x', TIMESTAMP '2026-10-01' + INTERVAL (i) SECOND ` +
      `FROM range(${n}) t(i)`,
  );
  const first = await ensureIpIntel(store);
  console.log(
    `DuckDB: ${first.addresses} distinct addresses, ${first.ranges} range rows; ranges loaded in ` +
      `${first.seconds.ranges.toFixed(2)} s, keys + lookup materialised in ${
        first.seconds.lookup.toFixed(2)
      } s; ` +
      `${first.withAsn} with an ASN`,
  );
  const query = await loadQuery("ip_intel");
  for (let k = 0; k < 3; k++) {
    const r = await runOnDuckdb(store.connection, query, {});
    console.log(`DuckDB ip_intel.sql: ${r.rows.length} rows in ${r.stats.seconds.toFixed(2)} s`);
  }
  if (withTrino) {
    await writeLake(store.connection, join(dir, "lake"));
    const state = join(dir, "trino");
    const trino = await startTrino({
      stateDir: state,
      port: 18000 + (Deno.pid % 1000),
      lake: join(dir, "lake"),
    });
    try {
      // The Athena DDL keys addresses with Trino's IPADDRESS: it must give ipKey()'s keys (checked 2026-12-01).
      const ips = [
        "203.0.113.10",
        "2001:DB8:a1::5",
        "::ffff:203.0.113.10",
        "64:ff9b::192.0.2.33",
        "1.2.3",
        "",
      ];
      const keyed = await runOnTrino(
        parseQueryFile(
          "keys",
          `SELECT ip, lower(to_hex(CAST(try(CAST(ip AS IPADDRESS)) AS VARBINARY))) AS k FROM (VALUES ${
            ips.map((ip) => `('${ip}')`).join(", ")
          }) AS t(ip)`,
        ),
        {},
        { url: trino.url, catalog: "system", schema: "runtime" },
      );
      for (const row of keyed.rows) {
        const same = ipKey(row.ip as string) === row.k;
        console.log(`${same ? "same key" : "DIFFERENT KEY"} for ${JSON.stringify(row.ip)}: ${row.k}`);
      }
      for (let k = 0; k < 3; k++) {
        const r = await runOnTrino(query, {}, { url: trino.url, catalog: "hive", schema: LAKE_SCHEMA });
        console.log(
          `Trino ${trino.version} ip_intel.sql over Parquet: ${r.rows.length} rows in ` +
            `${r.stats.seconds.toFixed(2)} s`,
        );
      }
    } finally {
      await stopTrino(state);
    }
  }
} finally {
  store.close();
  await Deno.remove(dir, { recursive: true });
}
