// The detections' edges on small hand-made tenants: each case writes a few Graph sign-in records as NDJSON,
// loads them into an in-memory store and runs one query with its default thresholds.
import assert from "node:assert/strict";
import { queryRows, recordId, TEMPLATE } from "./_records.ts";

interface Place {
  city: string;
  country: string;
  lat: number;
  lon: number;
}
const CHICAGO: Place = { city: "Chicago", country: "US", lat: 41.88, lon: -87.63 };
const MILWAUKEE: Place = { city: "Milwaukee", country: "US", lat: 43.04, lon: -87.91 };
const LONDON: Place = { city: "London", country: "GB", lat: 51.51, lon: -0.13 };
const BUCHAREST: Place = { city: "Bucharest", country: "RO", lat: 44.43, lon: 26.1 };
const PARIS: Place = { city: "Paris", country: "FR", lat: 48.86, lon: 2.35 };

interface Attempt {
  at: string;
  user?: string;
  ip?: string;
  place?: Place | null;
  code?: number;
  details?: string | null;
  mfa?: string;
}

let serial = 0;
function record(a: Attempt): Record<string, unknown> {
  const place = a.place === undefined ? CHICAGO : a.place;
  const code = a.code ?? 0;
  return {
    ...TEMPLATE,
    id: recordId(++serial),
    createdDateTime: a.at,
    userPrincipalName: a.user ?? "alex@contoso.example",
    ipAddress: a.ip ?? "203.0.113.10",
    status: {
      errorCode: code,
      failureReason: code === 0 ? null : "failed",
      additionalDetails: a.details ?? null,
    },
    location: place === null ? { city: null, state: null, countryOrRegion: null, geoCoordinates: {} } : {
      city: place.city,
      state: null,
      countryOrRegion: place.country,
      geoCoordinates: { altitude: null, latitude: place.lat, longitude: place.lon },
    },
    authenticationDetails: a.mfa
      ? [{
        authenticationMethod: "Mobile app notification",
        succeeded: false,
        authenticationStepResultDetail: a.mfa,
      }]
      : [],
  };
}

const detect = (query: string, attempts: Attempt[], params: Record<string, string | number> = {}) =>
  queryRows(attempts.map(record), query, params);

/** 2026-10-05 plus minutes, as Graph writes it. */
function at(minutes: number): string {
  return new Date(Date.parse("2026-10-05T00:00:00Z") + minutes * 60_000).toISOString().replace(".000Z", "Z");
}

Deno.test("impossible_travel flags two far-apart sign-ins in the same second", async () => {
  const rows = await detect("impossible_travel", [
    { at: at(60), place: CHICAGO },
    { at: at(60), place: BUCHAREST, ip: "198.51.100.77" },
  ]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].minutes, 0);
  assert.ok((rows[0].speed_kmh as number) > 8000 * 3600);
});

Deno.test("impossible_travel ignores short hops, real flights, failures and sign-ins without coordinates", async () => {
  const rows = await detect("impossible_travel", [
    { at: at(0), place: CHICAGO },
    { at: at(1), place: MILWAUKEE, ip: "2001:db8::1" }, // 130 km in a minute: geolocation jitter
    { at: at(30), place: BUCHAREST, ip: "198.51.100.77", code: 50126 }, // a failure proves no presence
    { at: at(40), place: null, ip: "198.51.100.78" },
    { at: at(9 * 60), place: LONDON, ip: "198.51.100.11" }, // 6,350 km in 9 hours: a flight
  ]);
  assert.deepEqual(rows, []);
});

Deno.test("impossible_travel reports a stolen session's back-and-forth once, with the hop count", async () => {
  const rows = await detect("impossible_travel", [
    { at: at(0), place: CHICAGO },
    { at: at(10), place: BUCHAREST, ip: "198.51.100.77" },
    { at: at(12), place: CHICAGO },
    { at: at(14), place: BUCHAREST, ip: "198.51.100.77" },
  ]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].hops, 3);
  assert.equal(rows[0].to_city, "Bucharest");
  assert.equal(rows[0].last_hop_at, "2026-10-05T00:14:00.000Z");
});

const users = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@contoso.example`);

Deno.test("password_spray flags a burst of one failure each against many users from one IP", async () => {
  const rows = await detect(
    "password_spray",
    users(12).map((user, i) => ({ at: at(i * 2), user, ip: "192.0.2.9", code: 50126, place: PARIS })),
  );
  assert.equal(rows.length, 1);
  assert.deepEqual([rows[0].users, rows[0].failures, rows[0].max_failures_per_user], [12, 12, 1]);
});

Deno.test("password_spray leaves a busy office address with a few failures among many successes alone", async () => {
  const office = users(40).flatMap((user, i) => [
    { at: at(i), user },
    { at: at(i + 0.5), user },
    { at: at(i + 0.7), user },
    ...(i < 12 ? [{ at: at(i + 0.2), user, code: 50126 }] : []),
  ]);
  assert.deepEqual(await detect("password_spray", office), []);
  // It is the failed-share bar that keeps it out.
  assert.equal((await detect("password_spray", office, { min_failure_share: 0 })).length, 1);
});

Deno.test("password_spray catches a slow spray only when max_gap_minutes spans its pauses", async () => {
  const slow = users(12).map((user, i) => ({ at: at(i * 90), user, ip: "192.0.2.9", code: 50126 }));
  assert.deepEqual(await detect("password_spray", slow), []);
  assert.equal((await detect("password_spray", slow, { max_gap_minutes: 120 })).length, 1);
});

Deno.test("brute_force counts a fast run of failures and the success that ends it", async () => {
  const run = [
    ...Array.from({ length: 24 }, (_, i) => ({ at: at(i * 3), ip: "198.51.100.23", code: 50126 })),
    { at: at(75), ip: "198.51.100.23" },
  ];
  const rows = await detect("brute_force", run);
  assert.equal(rows.length, 1);
  assert.deepEqual([rows[0].failures, rows[0].wrong_password, rows[0].successes], [24, 24, 1]);
  // The same failures 20 minutes apart are a stuck device, not an attack.
  const slow = run.map((a, i) => ({ ...a, at: at(i * 20) }));
  assert.deepEqual(await detect("brute_force", slow), []);
});

Deno.test("mfa_fatigue reads a decline from status.additionalDetails when authenticationDetails is empty", async () => {
  // v1.0 sign-ins carry no authenticationDetails; some say "MFA denied; user declined" in the status.
  const prompts = Array.from({ length: 6 }, (_, i) => ({
    at: at(i * 4),
    code: 500121,
    details: "MFA denied; user declined the authentication",
  }));
  const rows = await detect("mfa_fatigue", [...prompts, { at: at(40) }]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].declined, 6);
  assert.equal(rows[0].approved_at, "2026-10-05T00:40:00.000Z");
});

Deno.test("mfa_fatigue does not flag prompts a user only missed", async () => {
  const missed = Array.from({ length: 8 }, (_, i) => ({
    at: at(i * 4),
    code: 500121,
    mfa: "MFA denied; user did not respond to mobile app notification",
  }));
  assert.deepEqual(await detect("mfa_fatigue", missed), []);
  const rows = await detect("mfa_fatigue", [
    ...missed,
    ...missed.slice(0, 5).map((m, i) => ({
      ...m,
      at: at(33 + i),
      mfa: "MFA denied; user declined the authentication",
    })),
  ]);
  assert.deepEqual([rows[0].declined, rows[0].unanswered], [5, 8]);
});

Deno.test("new_country_signins flags a country first seen after the learning days, once, and not failures", async () => {
  const day = 24 * 60;
  const rows = await detect("new_country_signins", [
    { at: at(0), place: CHICAGO },
    { at: at(3 * day), place: LONDON, ip: "198.51.100.11" }, // in the learning week: baseline
    { at: at(8 * day), place: BUCHAREST, ip: "198.51.100.77", code: 50126 }, // a failure: no presence
    { at: at(9 * day), place: PARIS, ip: "192.0.2.9" },
    { at: at(9 * day + 5), place: PARIS, ip: "192.0.2.9" },
    { at: at(10 * day), place: LONDON, ip: "198.51.100.11" },
  ]);
  assert.deepEqual(rows.map((r) => [r.country_or_region, r.signins_from_country, r.baseline_countries]), [
    ["FR", 2, "GB, US"],
  ]);
});

Deno.test("new_country_signins gives a new hire their own learning days", async () => {
  const day = 24 * 60;
  const rows = await detect("new_country_signins", [
    { at: at(0), user: "old@contoso.example" },
    { at: at(20 * day), user: "new@contoso.example", place: LONDON },
    { at: at(21 * day), user: "new@contoso.example", place: LONDON },
  ]);
  assert.deepEqual(rows, []);
});
