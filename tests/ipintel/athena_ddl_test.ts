import assert from "node:assert/strict";
import { ipIntelAthenaDdl, writeAsnRangesTsv } from "../../lib/ipintel/athena_ddl.ts";
import { ensureIpIntel } from "../../lib/ipintel/load_ip_intel.ts";
import { KNOWN_NETWORKS } from "../../lib/ipintel/networks.ts";
import { loadQuery } from "../../lib/query/mod.ts";
import { openStore } from "../../lib/store/mod.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;

Deno.test("ipIntelAthenaDdl() makes the range table, the class view and the lookup views of queries/ip_intel.sql", async () => {
  const [table, classes, addresses, intel, ctas] = await ipIntelAthenaDdl({
    database: "sec",
    location: "s3://b/p",
  });
  assert.match(table, /^CREATE EXTERNAL TABLE IF NOT EXISTS `sec`.`asn_ranges`/);
  assert.match(table, /LOCATION 's3:\/\/b\/p\/asn_ranges\/'/);
  assert.match(table, /FIELDS TERMINATED BY '\\t'/);
  // Every sourced network, its source included, quotes doubled.
  for (const n of KNOWN_NETWORKS) {
    assert.ok(classes.includes(`(CAST(${n.asn} AS bigint), '${n.network_class}'`), String(n.asn));
  }
  assert.ok(classes.includes("ESAB-AS"));
  // Trino keys addresses with IPADDRESS (IPv4 mapped into IPv6), never failing on a bad one.
  assert.match(addresses, /lower\(to_hex\(CAST\(try\(CAST\(ipaddress AS IPADDRESS\)\) AS VARBINARY\)\)\)/);
  assert.match(addresses, /FROM "sec"."signins"/);
  assert.match(addresses, /min\(created_at\) AS first_seen, max\(created_at\) AS last_seen/);
  assert.ok(!intel.includes("$"), "no parameters left in the view");
  const lookup = (await loadQuery("ip_intel")).sql;
  assert.equal(intel.split("\n")[0], `CREATE OR REPLACE VIEW "sec"."ip_intel_lookup" AS`);
  assert.match(
    ctas,
    /^CREATE TABLE "sec"."ip_intel"\nWITH \(format = 'PARQUET', external_location = 's3:\/\/b\/p\/ip_intel\/'\)/,
  );
  assert.match(ctas, /AS SELECT \* FROM "sec"."ip_intel_lookup"$/);
  assert.ok(!/\bFROM (ip_addresses|asn_ranges)\b/.test(intel), "table names are qualified");
  assert.equal(
    intel.replaceAll(`"sec".`, "").replaceAll(/"(ip_addresses|asn_ranges|asn_classes)"/g, "$1").split("\n")
      .slice(1).join("\n"),
    lookup.replace(/--[^\n]*\n/g, "").replaceAll("$from", "'1970-01-01T00:00:00Z'")
      .replaceAll("$to", "'9999-12-31T00:00:00Z'"),
  );
});

Deno.test("writeAsnRangesTsv() writes the store's ranges with a header, tab-separated", async () => {
  const store = await openStore({ path: ":memory:" });
  const dir = await Deno.makeTempDir({ prefix: "lens-asn-tsv-" });
  try {
    await ensureIpIntel(store, {
      files: { ipv4: `${FIXTURES}asn-ipv4-num.csv`, ipv6: `${FIXTURES}asn-ipv6-num.csv` },
    });
    const n = await writeAsnRangesTsv(store, `${dir}/asn_ranges.tsv`);
    const lines = (await Deno.readTextFile(`${dir}/asn_ranges.tsv`)).trimEnd().split("\n");
    assert.equal(lines[0], "bucket\trange_start\trange_end\tasn\tas_org");
    assert.equal(lines.length, n + 1);
    assert.ok(
      lines.includes(
        '00000000000000000000ffffcb00\t00000000000000000000ffffcb007100\t00000000000000000000ffffcb0071ff\t64500\tExample "Doc" Net',
      ),
    );
    assert.ok(lines.every((l) => l.split("\t").length === 5));
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
