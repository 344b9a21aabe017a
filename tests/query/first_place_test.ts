// The place a grouped query shows (brute_force, password_spray, mfa_fatigue: the burst's; failures_by_ip,
// suspicious_ips: the address's) is where its first sign-in came from, the earliest and then the smallest id,
// with country and city from that one sign-in. The records are written out of time order, the first instant is
// shared by two sign-ins, the chosen one has neither the smallest id nor the smallest country or city, and a
// first sign-in without a city keeps its null: arbitrary(), min() per column, min_by(…, id) and DuckDB's
// null-skipping min_by(city, …) each show another place.
import assert from "node:assert/strict";
import { loadFiles, openStore, runQuery } from "../../lib/mod.ts";

const TEMPLATE = JSON.parse(
  (await Deno.readTextFile(new URL("../fixtures/inputs/signins.ndjson", import.meta.url))).split("\n")[0],
);

const T0 = Date.parse("2026-10-20T12:00:00Z");

interface Place {
  at: number; // seconds after T0
  id: number; // last digits of the sign-in id
  country: string;
  city: string | null;
}

/** One group's sign-ins in file order: the first (T0, id 5) is DE/Berlin, neither first written nor min(). */
const TRAVELLER: Place[] = [
  { at: 60, id: 3, country: "AT", city: "Vienna" },
  { at: 0, id: 6, country: "NL", city: "Amsterdam" },
  { at: 120, id: 1, country: "FR", city: "Aachen" },
  { at: 0, id: 5, country: "DE", city: "Berlin" },
  { at: 180, id: 2, country: "DE", city: "Munich" },
];
/** A group whose first sign-in has no city: the place is CH with a null city, not Zurich. */
const NO_CITY: Place[] = [
  { at: 30, id: 1, country: "CH", city: "Zurich" },
  { at: 0, id: 4, country: "CH", city: null },
  { at: 90, id: 2, country: "CH", city: "Zurich" },
  { at: 150, id: 3, country: "CH", city: "Geneva" },
  { at: 200, id: 5, country: "CH", city: "Zurich" },
];

interface Shape {
  user: (k: number) => string; // k: the sign-in's position in its group
  ip: string;
  code: number;
  details?: string;
}

function records(group: number, places: Place[], shape: Shape): Record<string, unknown>[] {
  return places.map((p, k) => ({
    ...TEMPLATE,
    id: `00000000-0000-4000-8000-${String(group * 100 + p.id).padStart(12, "0")}`,
    createdDateTime: new Date(T0 + p.at * 1000).toISOString(),
    userPrincipalName: shape.user(k),
    ipAddress: shape.ip,
    status: { errorCode: shape.code, failureReason: "failed", additionalDetails: shape.details ?? null },
    location: { city: p.city, state: null, countryOrRegion: p.country, geoCoordinates: {} },
  }));
}

async function rowsOf(
  query: string,
  recs: Record<string, unknown>[],
  params: Record<string, string | number>,
): Promise<Record<string, unknown>[]> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-first-place-" });
  const store = await openStore({ path: ":memory:" });
  try {
    await Deno.writeTextFile(`${dir}/signins.ndjson`, recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
    await loadFiles(store, [dir]);
    return (await runQuery(store, query, params)).rows;
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const time = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();
const IP_A = "198.51.100.70";
const IP_B = "198.51.100.71";

Deno.test("brute_force shows the burst's first attempt's country and city", async () => {
  const rows = await rowsOf("brute_force", [
    ...records(1, TRAVELLER, { user: () => "a@contoso.example", ip: IP_A, code: 50126 }),
    ...records(2, NO_CITY, { user: () => "b@contoso.example", ip: IP_B, code: 50126 }),
  ], { min_failures: 5 });
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.failures, r.country_or_region, r.city]), [
    ["a@contoso.example", 5, "DE", "Berlin"],
    ["b@contoso.example", 5, "CH", null],
  ]);
});

Deno.test("password_spray shows the burst's first sign-in's country and city", async () => {
  const rows = await rowsOf("password_spray", [
    ...records(1, TRAVELLER, { user: (k) => `s${k}@contoso.example`, ip: IP_A, code: 50126 }),
    ...records(2, NO_CITY, { user: (k) => `t${k}@contoso.example`, ip: IP_B, code: 50126 }),
  ], { min_users: 5 });
  assert.deepEqual(rows.map((r) => [r.ip_address, r.users, r.country_or_region, r.city]), [
    [IP_A, 5, "DE", "Berlin"],
    [IP_B, 5, "CH", null],
  ]);
});

Deno.test("mfa_fatigue shows the burst's first prompt's country and city", async () => {
  const declined = { code: 500121, details: "MFA denied; user declined the authentication" };
  const rows = await rowsOf("mfa_fatigue", [
    ...records(1, TRAVELLER, { user: () => "a@contoso.example", ip: IP_A, ...declined }),
    ...records(2, NO_CITY, { user: () => "b@contoso.example", ip: IP_B, ...declined }),
  ], { min_declined: 5 });
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.declined, r.country_or_region, r.city]), [
    ["a@contoso.example", 5, "DE", "Berlin"],
    ["b@contoso.example", 5, "CH", null],
  ]);
});

Deno.test("failures_by_ip and suspicious_ips show the country of the address's first sign-in", async () => {
  const recs = [
    ...records(1, TRAVELLER, { user: () => "a@contoso.example", ip: IP_A, code: 50126 }),
    // A second address whose first sign-in (T0, id 4) is in the country that comes last.
    ...records(2, [
      { at: 30, id: 1, country: "AT", city: null },
      { at: 0, id: 4, country: "US", city: null },
      { at: 0, id: 5, country: "BE", city: null },
      { at: 90, id: 2, country: "AT", city: null },
      { at: 150, id: 3, country: "AT", city: null },
    ], { user: () => "b@contoso.example", ip: IP_B, code: 50126 }),
  ];
  const want = [[IP_A, 5, "DE", new Date(T0).toISOString()], [IP_B, 5, "US", new Date(T0).toISOString()]];
  const view = (rows: Record<string, unknown>[]) =>
    rows.map((
      r,
    ) => [r.ip_address, r.failures, r.country_or_region, time(r.first_seen)]);
  assert.deepEqual(view(await rowsOf("failures_by_ip", recs, {})), want);
  assert.deepEqual(view(await rowsOf("suspicious_ips", recs, { min_failures: 5 })), want);
});
