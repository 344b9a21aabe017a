import assert from "node:assert/strict";
import { accountTimeline, networkLabel } from "../../lib/charts/account_timeline.ts";

const base = { asn: 7922, as_org: "Comcast Cable Communications, LLC", country: "US", result: "success" };
const signIn = (at: string, extra: Record<string, unknown> = {}) => ({
  id: at,
  at,
  ip: "203.0.113.5",
  ...base,
  ...extra,
});
const rings = (svg: string) => (svg.match(/stroke="#111"/g) ?? []).length;

Deno.test("accountTimeline() draws one sign-in on a two-hour axis with 24-hour UTC ticks", () => {
  const chart = accountTimeline([signIn("2026-10-27T15:40:07Z", { suspicious: true })], {
    upn: "Miriam.Dubois@contoso.example",
  });
  assert.equal(chart.id, "account-timeline-miriam-dubois-contoso-example");
  assert.equal(chart.empty, false);
  assert.match(chart.svg, />15:00</);
  assert.doesNotMatch(chart.svg, /PM</);
  assert.ok(chart.svg.includes("US · AS7922 Comcast Cable"), "country, ASN, organisation as far as it fits");
  assert.ok(rings(chart.svg) >= 1, "the suspicious sign-in is ringed");
  assert.equal(chart.notes[0], "1 sign-in from 1 network; 1 suspicious.");
  assert.equal(chart.table!.rows.length, 1);
});

Deno.test("accountTimeline() keeps thousands of sign-ins readable: translucent dots, busiest lanes, a zoom", () => {
  const rows = [];
  for (let i = 0; i < 3000; i++) {
    const t = Date.parse("2026-10-02T00:00:00Z") + i * 800_000;
    rows.push(
      signIn(new Date(t).toISOString(), {
        asn: 64500 + (i % 15),
        as_org: `Net ${i % 15}`,
        ip: `198.51.100.${i % 15}`,
      }),
    );
  }
  rows.push(
    signIn("2026-10-20T14:17:56Z", {
      asn: 16276,
      as_org: "OVH SAS",
      country: "FR",
      network_class: "hosting",
      suspicious: true,
    }),
  );
  const audits = [{ at: "2026-10-20T14:40:05Z", activity: "User registered security info" }];
  const chart = accountTimeline(rows, { upn: "kenji@x", audits, lanes: 6 });
  assert.ok(chart.svg.includes("FR · hosting · AS16276 OVH SAS"), "the suspicious network always has a lane");
  assert.ok(chart.svg.includes("10 other networks"), "16 networks, 6 lanes, the rest share one");
  assert.ok(chart.svg.includes('fill-opacity="0.35"'));
  assert.ok(chart.notes.some((n) => n.startsWith("Dots are translucent")));
  assert.ok(
    chart.notes.some((n) => n.startsWith("Lower panel: 2026-10-20 13:47–15:10 UTC")),
    chart.notes.join(" | "),
  );
  assert.ok(chart.svg.includes("Directory audit events"));
  assert.equal(chart.notes[0], "3,001 sign-ins from 16 networks; 1 suspicious.");
});

Deno.test("accountTimeline() says so when the account has no sign-ins, and names unknown results", () => {
  const empty = accountTimeline([], { upn: "nobody@x" });
  assert.equal(empty.empty, true);
  assert.ok(empty.svg.includes("No sign-ins of nobody@x in this range"));
  const odd = accountTimeline([signIn("2026-10-01T00:00:00Z", { result: "unknownFutureValue" }), {
    at: "never",
  }]);
  assert.ok(odd.svg.includes("unknownFutureValue"));
  assert.ok(odd.notes.includes("1 sign-in without a time left out."));
});

Deno.test("networkLabel() falls back to the address, and to 'no location'", () => {
  assert.equal(networkLabel({ ip: "2001:db8::1" }), "no location · 2001:db8::1");
  assert.equal(
    networkLabel({ asn: 39351, as_org: "31173 Services AB", country: "SE", network_class: "vpn" }),
    "SE · vpn · AS39351 31173 Services AB",
  );
});
