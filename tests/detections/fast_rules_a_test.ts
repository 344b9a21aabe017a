// Edges of the fast forms of password_success, legacy_oracle and device_code (issue 14): the time buckets that
// pick candidates before the exact ±window match, ties broken by id, history and learning periods measured over
// the whole store rather than the range, and the device-code sign-in that keeps its row with no token use.
// Each case loads a few Graph sign-in records (NDJSON) into an in-memory store and runs one query.
import assert from "node:assert/strict";
import { queryRows, recordId, signIn } from "./_records.ts";

interface Rec {
  at: string | number; // ISO text or epoch seconds (fractions kept to the millisecond)
  user?: string;
  ip?: string | null;
  code?: number;
  id?: string;
  app?: string;
  client?: string;
  protocol?: string;
  asn?: number;
  session?: string;
  transfer?: string;
  country?: string;
}

let serial = 0;
const iso = (at: string | number) =>
  typeof at === "string" ? at : new Date(Math.round(at * 1000)).toISOString();

function record(r: Rec): Record<string, unknown> {
  return {
    ...signIn({
      id: r.id ?? recordId(++serial),
      at: iso(r.at),
      user: r.user,
      ip: r.ip,
      asn: r.asn ?? 3320,
      code: r.code,
    }),
    appDisplayName: r.app ?? "Office 365",
    clientAppUsed: r.client ?? "Browser",
    authenticationProtocol: r.protocol ?? "none",
    sessionId: r.session ?? "",
    originalTransferMethod: r.transfer ?? "none",
    incomingTokenType: "none",
    // A country and no coordinates: these three rules read none.
    location: { city: null, state: null, countryOrRegion: r.country ?? "DE", geoCoordinates: {} },
  };
}

const detect = (query: string, recs: Rec[], params: Record<string, string | number> = {}) =>
  queryRows(recs.map(record), query, params);

const time = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

Deno.test("password_success counts a failure 60.9 s away in a 1-minute window wherever the sign-in sits in its bucket", async () => {
  // Buckets are window_minutes * 60 + 2 = 62 s wide; date_diff counts whole seconds, so 60.9 s is 60 s (in) and
  // 61.0 s is 61 s (out). A failure 60.9 s after a sign-in near the end of its bucket lies two buckets of 60 s on.
  // Offsets from a multiple of both 60 s and 62 s, so that buckets of exactly 60 s would miss some.
  const base = 1791000000 - (1791000000 % 1860);
  const offsets = [0, 0.5, 31, 59.5, 61.5, 61.95];
  const recs: Rec[] = [];
  offsets.forEach((o, k) => {
    const t = base + 1860 * 47 * k + o;
    const ip = `203.0.113.${20 + k}`;
    recs.push(
      { at: t, user: `v${k}@contoso.example`, ip },
      { at: t - 60.9, user: `a${k}@contoso.example`, ip, code: 50126 },
      { at: t + 60.9, user: `b${k}@contoso.example`, ip, code: 50126 },
      { at: t - 61, user: `c${k}@contoso.example`, ip, code: 50126 },
      { at: t + 61.5, user: `d${k}@contoso.example`, ip, code: 50053 },
    );
  });
  const rows = await detect("detect_password_success", recs, {
    window_minutes: 1,
    min_users: 2,
    min_failures: 99,
  });
  assert.deepEqual(
    rows.map((r) => [r.user_principal_name, r.technique, r.evidence]),
    offsets.map((_o, k) => [
      `v${k}@contoso.example`,
      "T1110.003",
      `signed in from 203.0.113.${
        20 + k
      } amid 2 failed sign-ins against 2 accounts (0 of them this one) within 1 minutes`,
    ]),
  );
  // One failure fewer in reach and the spray threshold is missed at every offset.
  const none = await detect("detect_password_success", recs, {
    window_minutes: 1,
    min_users: 3,
    min_failures: 99,
  });
  assert.deepEqual(none, []);
});

Deno.test("password_success: a success beats a password-only answer at the same instant, then the lower id wins", async () => {
  const t = Date.parse("2026-10-20T12:00:00Z") / 1000;
  const ip = "198.51.100.40";
  const spray: Rec[] = [1, 2, 3, 4, 5].map((k) => ({
    at: t - 60 * k,
    user: `s${k}@contoso.example`,
    ip,
    code: 50126,
  }));
  const rows = await detect("detect_password_success", [
    ...spray,
    {
      at: t,
      user: "tie@contoso.example",
      ip,
      code: 53003,
      id: "00000000-0000-4000-8000-0000000000a1",
      app: "Blocked",
    },
    { at: t, user: "tie@contoso.example", ip, id: "00000000-0000-4000-8000-0000000000a3", app: "Third" },
    { at: t, user: "tie@contoso.example", ip, id: "00000000-0000-4000-8000-0000000000a2", app: "Second" },
    // Later sign-ins of the same account and address are the same finding (one row per account and address).
    { at: t + 30, user: "tie@contoso.example", ip, id: "00000000-0000-4000-8000-0000000000a0", app: "Later" },
  ]);
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.app, r.signal, time(r.at)]), [
    ["tie@contoso.example", "Second", "success", "2026-10-20T12:00:00.000Z"],
  ]);
  assert.match(String(rows[0].evidence), /amid 5 failed sign-ins against 5 accounts \(0 of them this one\)/);
});

Deno.test("password_success measures the address's familiarity over the whole store, not the range", async () => {
  const t = Date.parse("2026-10-20T12:00:00Z") / 1000;
  const ip = "198.51.100.41";
  const recs: Rec[] = [
    // The spray: 5 accounts; 4 failures lie before `from` but within the window, so they count.
    ...[1, 2, 3, 4].map((k) => ({ at: t - 600 - 60 * k, user: `s${k}@contoso.example`, ip, code: 50126 })),
    { at: t + 60, user: "s5@contoso.example", ip, code: 50053 },
    // Got through after `from`; nothing else from this address: a finding.
    { at: t + 120, user: "fresh@contoso.example", ip },
    // Got through, and signed in from here exactly a day later: still foreign (more than a day after is home).
    { at: t + 120, user: "day@contoso.example", ip },
    { at: t + 120 + 86400, user: "day@contoso.example", ip },
    // Got through, and signed in from here a day and a second later: the address is home.
    { at: t + 120, user: "home@contoso.example", ip },
    { at: t + 121 + 86400, user: "home@contoso.example", ip },
    // Got through, but signed in from here a month before the range: home too.
    { at: t + 120, user: "old@contoso.example", ip },
    { at: t - 30 * 86400, user: "old@contoso.example", ip },
    // Got through before `from`: outside the range, no row.
    { at: t - 60, user: "early@contoso.example", ip },
  ];
  const from = "2026-10-20T12:00:00Z";
  const rows = await detect("detect_password_success", recs, { from, to: "2026-10-21T00:00:00Z" });
  assert.deepEqual(rows.map((r) => r.user_principal_name), ["day@contoso.example", "fresh@contoso.example"]);
  assert.match(String(rows[0].evidence), /amid 5 failed sign-ins against 5 accounts/);
});

Deno.test("legacy_oracle: first use and learning days over the whole store; password_tested shows its first attempt", async () => {
  const day = (d: number, h = 10) =>
    `2026-10-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00Z`;
  const w = "192.0.2.50";
  const rows = await detect("detect_legacy_oracle", [
    // early: first IMAP4 sign-in on the 10th, before the range; its second, in the range, is a habit.
    { at: day(1), user: "early@contoso.example" },
    { at: day(10), user: "early@contoso.example", client: "IMAP4" },
    { at: day(20), user: "early@contoso.example", client: "IMAP4" },
    // late: known since the 1st, first IMAP4 sign-in on the 20th: a finding.
    { at: day(1), user: "late@contoso.example" },
    { at: day(20), user: "late@contoso.example", client: "IMAP4", app: "Mail" },
    // young: first seen on the 14th, 6 days before its first IMAP4 sign-in: still learning.
    { at: day(14), user: "young@contoso.example" },
    { at: day(20), user: "young@contoso.example", client: "IMAP4" },
    // tested: 5 wrong passwords from one address; the first two at the same instant, the lower id first.
    { at: day(1), user: "tested@contoso.example" },
    ...[
      { id: "00000000-0000-4000-8000-0000000000b2", client: "IMAP4", app: "Second", country: "FR" },
      { id: "00000000-0000-4000-8000-0000000000b1", client: "Other clients", app: "First", country: "NL" },
    ].map((r) => ({ ...r, at: day(16), user: "tested@contoso.example", ip: w, code: 50126 })),
    ...[11, 12, 13].map((h) => ({
      at: day(16, h),
      user: "tested@contoso.example",
      ip: w,
      code: 50126,
      client: "Exchange ActiveSync",
      app: "Later",
    })),
  ], { from: day(15, 0) });
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.signal, time(r.at), r.app, r.country]), [
    ["tested@contoso.example", "password_tested", "2026-10-16T10:00:00.000Z", "First", "NL"],
    ["late@contoso.example", "legacy_success", "2026-10-20T10:00:00.000Z", "Mail", "DE"],
  ]);
  assert.match(
    String(rows[0].evidence),
    /^5 wrong passwords over Other clients \/ none from 192\.0\.2\.50; /,
  );
  assert.match(
    String(rows[0].evidence),
    /that address got 5 wrong-password, 0 no-such-user and 0 app-not-found/,
  );
});

Deno.test("device_code: token use up to max_minutes inclusive from another network; risky or lone sign-ins", async () => {
  const t = Date.parse("2026-10-20T08:00:00Z") / 1000;
  const rows = await detect("detect_device_code", [
    // phished: its session used from AWS 10 and exactly 60 minutes later (2 uses), and 60 min 1 s later (too late).
    { at: t, user: "phished@contoso.example", protocol: "deviceCode", session: "s-1", ip: "192.0.2.1" },
    {
      at: t + 600,
      user: "phished@contoso.example",
      session: "s-1",
      ip: "198.51.100.61",
      asn: 16509,
      country: "US",
    },
    { at: t + 3600, user: "phished@contoso.example", session: "s-1", ip: "198.51.100.62", asn: 16509 },
    { at: t + 3601, user: "phished@contoso.example", session: "s-1", ip: "198.51.100.63", asn: 16509 },
    // Same session, same network: the user's own client, not a use by someone else.
    { at: t + 300, user: "phished@contoso.example", session: "s-1", ip: "192.0.2.2" },
    // risky: a device-code sign-in from a hosting network with no later sign-ins keeps its row.
    { at: t + 60, user: "risky@contoso.example", protocol: "deviceCode", ip: "198.51.100.70", asn: 16509 },
    // dev: a device-code sign-in used again only from its own network: nothing.
    { at: t + 120, user: "dev@contoso.example", protocol: "deviceCode", session: "s-3", ip: "192.0.2.3" },
    { at: t + 180, user: "dev@contoso.example", session: "s-3", ip: "192.0.2.4" },
  ]);
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.signal, r.ip, r.asn, r.country]), [
    ["phished@contoso.example", "other_network", "198.51.100.61", 16509, "US"],
    ["risky@contoso.example", "risky_network", "198.51.100.70", 16509, "DE"],
  ]);
  assert.match(
    String(rows[0].evidence),
    /its tokens used 2 times from 198\.51\.100\.61 \(AS16509 .*\) from 600 s later/,
  );
});
