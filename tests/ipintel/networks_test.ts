import assert from "node:assert/strict";
import { KNOWN_NETWORKS, knownNetwork, NETWORK_LIST_VERSION } from "../../lib/ipintel/networks.ts";

Deno.test("every known network names its class, its name and a source to check it against", () => {
  assert.ok(KNOWN_NETWORKS.length >= 20);
  for (const n of KNOWN_NETWORKS) {
    const label = `AS${n.asn}`;
    assert.ok(Number.isInteger(n.asn) && n.asn > 0 && n.asn < 2 ** 32, label);
    assert.ok(["hosting", "vpn", "tor", "isp"].includes(n.network_class), label);
    assert.ok(n.name.trim().length > 2, `${label} has a name`);
    assert.ok(
      /\S{6,}/.test(n.source) && /[a-z0-9-]+\.[a-z]{2,}|\//i.test(n.source),
      `${label} names a source`,
    );
  }
});

Deno.test("the known-network list has each ASN once and a version", () => {
  const asns = KNOWN_NETWORKS.map((n) => n.asn);
  assert.equal(new Set(asns).size, asns.length);
  assert.match(NETWORK_LIST_VERSION, /^\d{4}-\d{2}-\d{2}\.\d+$/);
  assert.equal(knownNetwork(14061)?.network_class, "hosting");
  assert.equal(knownNetwork(60729)?.network_class, "tor");
  assert.equal(knownNetwork(7018), undefined);
  assert.equal(knownNetwork(null), undefined);
});
