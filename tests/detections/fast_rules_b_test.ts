// detect_first_seen and detect_risky_network answer from per-account aggregates and look at single sign-ins
// only where a network or country is first seen. These cases pin the details such a shortcut can get wrong:
// two sign-ins at the same instant (the lower id is the first, and the previous sign-in), a sign-in exactly
// at the end of the learning days, a network first seen before the range, and sign-ins without an address.
import assert from "node:assert/strict";
import { runQuery } from "../../lib/mod.ts";
import {
  at,
  BROADBAND,
  history,
  HOSTING,
  ownDevice,
  recordId,
  recordStore,
  signIn,
  TEMPLATE,
} from "./_records.ts";

const LONDON: [string, number, number] = ["GB", 51.51, -0.13];
const PARIS: [string, number, number] = ["FR", 48.86, 2.35];

interface Attempt {
  /** Minutes from 2026-10-20T00:00:00Z (fractions for seconds). */
  min: number;
  /** The record id's last digits; the order of writing otherwise. */
  id?: number;
  user?: string;
  ip?: string | null;
  asn?: number | null;
  place?: [string, number, number];
  session?: string;
  /** appDisplayName; null leaves it out. */
  app?: string | null;
}

let serial = 1000;

function record(a: Attempt): Record<string, unknown> {
  return {
    ...signIn({
      id: recordId(a.id ?? ++serial),
      at: at(a.min),
      user: a.user,
      ip: a.ip,
      asn: a.asn,
      place: a.place,
    }),
    sessionId: a.session ?? "",
    appDisplayName: a.app === undefined ? TEMPLATE.appDisplayName : a.app,
    ...ownDevice(),
  };
}

async function withStore(attempts: Attempt[], use: (q: Query) => Promise<void>): Promise<void> {
  const store = await recordStore(attempts.map(record), { ipIntel: true, threads: 1 });
  try {
    await use(async (query, user, params = {}) =>
      (await runQuery(store, query, params)).rows.filter((r) => r.user_principal_name === user)
    );
  } finally {
    store.close();
  }
}
type Query = (
  query: string,
  user: string,
  params?: Record<string, string | number>,
) => Promise<Record<string, unknown>[]>;

const BOTH = ["detect_first_seen", "detect_risky_network"] as const;

Deno.test("first_seen: a sign-in at the same instant with a lower id is the previous one", async () => {
  // London right after Chicago (0 s): impossible. With the London record's id the lower, its previous sign-in
  // is the last one at home ten days before: a plausible trip on the own device with MFA.
  const away = { min: 0, ...BROADBAND, place: LONDON };
  await withStore([
    ...history("alex@x.example"),
    { min: 0, user: "alex@x.example", id: 1 },
    { ...away, user: "alex@x.example", id: 2 },
    ...history("erin@x.example"),
    { min: 0, user: "erin@x.example", id: 4 },
    { ...away, user: "erin@x.example", id: 3 },
  ], async (q) => {
    const after = await q("detect_first_seen", "alex@x.example");
    assert.deepEqual(after.map((r) => [r.country, r.signal]), [["GB", "impossible_travel"]]);
    assert.match(after[0].evidence as string, /implausible \(\d+ km in 0 min\)/);
    const before = await q("detect_first_seen", "erin@x.example");
    assert.deepEqual(
      before.map((r) => [r.country, r.signal]),
      [["GB", "explained"]],
      before[0]?.evidence as string,
    );
  });
});

Deno.test("first_seen and risky_network: of two first sign-ins at the same instant, the lower id is the first", async () => {
  // Each pair: written first but the higher id, from another address of the same network.
  await withStore([
    ...history("alex@x.example"),
    { min: 0, user: "alex@x.example", id: 9, ip: "192.0.2.99", asn: BROADBAND.asn, session: "s-second" },
    { min: 0, user: "alex@x.example", id: 8, ...BROADBAND, session: "s-first" },
    ...history("bob@x.example"),
    { min: 0, user: "bob@x.example", id: 19, ip: "198.51.100.99", asn: HOSTING.asn, session: "s-second" },
    { min: 0, user: "bob@x.example", id: 18, ...HOSTING, session: "s-first" },
  ], async (q) => {
    const first = await q("detect_first_seen", "alex@x.example");
    assert.deepEqual(first.map((r) => [r.session_id, r.ip]), [["s-first", BROADBAND.ip]]);
    for (const query of BOTH) {
      const found = await q(query, "bob@x.example");
      assert.deepEqual(found.map((r) => [r.session_id, r.ip]), [["s-first", HOSTING.ip]], query);
    }
    const risky = await q("detect_risky_network", "bob@x.example");
    assert.match(risky[0].evidence as string, /sign-ins from it in all: 2\)$/);
  });
});

Deno.test("first_seen and risky_network: a sign-in exactly at the end of the learning days counts", async () => {
  const start = (user: string, min: number): Attempt[] => [{ min: 0, user }, { min, user, ...HOSTING }];
  await withStore([
    ...start("exact@x.example", 3 * 1440),
    ...start("early@x.example", 3 * 1440 - 1 / 60),
    ...start("day@x.example", 1440),
  ], async (q) => {
    for (const query of BOTH) {
      assert.deepEqual((await q(query, "exact@x.example")).map((r) => r.at), [at(3 * 1440)], query);
      assert.deepEqual(await q(query, "early@x.example"), [], query);
      assert.deepEqual(await q(query, "day@x.example"), [], query);
      assert.deepEqual((await q(query, "day@x.example", { learning_days: 1 })).map((r) => r.at), [at(1440)]);
    }
  });
});

Deno.test("first_seen and risky_network: a network first seen before the range is not new in it", async () => {
  const user = "alex@x.example";
  await withStore(
    [...history(user), { min: -5 * 1440, user, ...HOSTING }, { min: 0, user, ...HOSTING }],
    async (q) => {
      for (const query of BOTH) {
        assert.deepEqual((await q(query, user)).map((r) => r.at), [at(-5 * 1440)], query);
        assert.deepEqual(await q(query, user, { from: at(-1440) }), [], query);
        // The range ends before the first sign-in (exclusive) or right after it.
        assert.deepEqual(await q(query, user, { to: at(-5 * 1440) }), [], query);
        assert.equal((await q(query, user, { to: at(-5 * 1440 + 1 / 60) })).length, 1, query);
      }
    },
  );
});

Deno.test("first_seen and risky_network: sign-ins without an address never start the learning days", async () => {
  // The first sign-in has no address; the first with one is day 0, so day 1 is still learning, day 3 is not.
  const of = (user: string, min: number): Attempt[] => [
    { min: -10 * 1440, user, ip: null, asn: null },
    { min: 0, user },
    { min, user, ...HOSTING },
  ];
  await withStore([...of("carol@x.example", 1440), ...of("dave@x.example", 3 * 1440)], async (q) => {
    for (const query of BOTH) {
      assert.deepEqual(await q(query, "carol@x.example"), [], query);
      assert.equal((await q(query, "dave@x.example")).length, 1, query);
    }
  });
});

Deno.test("first_seen: days in a country without an address still make it the account's own", async () => {
  // Paris through the home network on four days: a new country. A fifth day there (without an address)
  // reaches steady_days, so Paris is fran's own and nothing is new.
  const paris = (user: string) => [0, 1, 2, 3].map((d) => ({ min: d * 1440, user, place: PARIS }));
  const fran = "fran@x.example";
  await withStore([
    ...history("alex@x.example"),
    ...paris("alex@x.example"),
    ...history(fran),
    ...paris(fran),
    { min: 4 * 1440, user: fran, place: PARIS, ip: null, asn: null },
  ], async (q) => {
    assert.deepEqual((await q("detect_first_seen", "alex@x.example")).map((r) => [r.country, r.at]), [[
      "FR",
      at(0),
    ]]);
    assert.deepEqual(await q("detect_first_seen", fran), []);
    assert.equal((await q("detect_first_seen", fran, { steady_days: 6 })).length, 1);
  });
});

Deno.test("first_seen: sign-ins without an app name are one app", async () => {
  const gina = "gina@x.example";
  const hank = "hank@x.example";
  await withStore([
    ...history(gina),
    { min: 0, user: gina, ...BROADBAND, app: null },
    ...history(hank),
    { min: -20 * 1440, user: hank, app: null },
    { min: 0, user: hank, ...BROADBAND, app: null },
  ], async (q) => {
    assert.match((await q("detect_first_seen", gina))[0].evidence as string, /, app \?;/);
    const known = (await q("detect_first_seen", hank))[0].evidence as string;
    assert.match(known, /^first sign-in from network AS64500 [^,;]*; travel/);
  });
});
