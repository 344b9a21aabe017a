import assert from "node:assert/strict";
import {
  generateSignIns,
  INTERRUPT_CODES,
  iterateSignIns,
  SampleOptionError,
  type SignIn,
  TENANT_DOMAIN,
} from "../../lib/sample/mod.ts";
import { buildTenant } from "../../lib/sample/tenant.ts";
import { resolveOptions } from "../../lib/sample/options.ts";
import { isWeekend, localHour, utcOffset } from "../../lib/sample/time.ts";

const DEFAULT = generateSignIns();
const SMALL = { users: 25, days: 7, seed: 1 };

Deno.test("generateSignIns() is deterministic for a seed and differs across seeds", () => {
  const a = JSON.stringify(generateSignIns(SMALL));
  const b = JSON.stringify(generateSignIns(SMALL));
  const c = JSON.stringify(generateSignIns({ ...SMALL, seed: 2 }));
  assert.equal(a, b);
  assert.notEqual(a, c);
});

Deno.test("iterateSignIns() yields the same records as generateSignIns()", () => {
  let i = 0;
  const all = generateSignIns(SMALL);
  for (const s of iterateSignIns(SMALL)) assert.deepEqual(s, all[i++]);
  assert.equal(i, all.length);
});

Deno.test("generateSignIns() returns a few tens of thousands of records for the default tenant", () => {
  assert.ok(DEFAULT.length >= 10_000 && DEFAULT.length <= 50_000, `got ${DEFAULT.length}`);
});

Deno.test("generateSignIns() lists records newest first, all inside the window", () => {
  const start = Date.parse("2026-10-02T00:00:00Z");
  const end = Date.parse("2026-11-01T00:00:00Z");
  let prev = Infinity;
  for (const s of DEFAULT) {
    const t = Date.parse(s.createdDateTime);
    assert.ok(t <= prev, `${s.createdDateTime} after a newer record`);
    assert.ok(t >= start && t < end, `${s.createdDateTime} outside the window`);
    prev = t;
  }
  assert.ok(DEFAULT[0].createdDateTime.startsWith("2026-10-31"));
  assert.ok(DEFAULT[DEFAULT.length - 1].createdDateTime.startsWith("2026-10-02"));
});

Deno.test("generateSignIns() writes Graph timestamps, some with seven fractional digits", () => {
  const whole = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  const fractional = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
  let frac = 0;
  for (const s of DEFAULT) {
    assert.ok(whole.test(s.createdDateTime) || fractional.test(s.createdDateTime), s.createdDateTime);
    if (fractional.test(s.createdDateTime)) frac++;
  }
  assert.ok(frac > DEFAULT.length * 0.1 && frac < DEFAULT.length * 0.5, `${frac} fractional`);
});

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function assertShape(s: SignIn): void {
  for (
    const k of ["id", "correlationId", "originalRequestId", "appId", "resourceId", "homeTenantId"] as const
  ) {
    assert.match(s[k], GUID, `${k} of ${s.id}`);
  }
  assert.equal(typeof s.isInteractive, "boolean");
  assert.deepEqual(s.signInEventTypes, [s.isInteractive ? "interactiveUser" : "nonInteractiveUser"]);
  assert.equal(typeof s.status.errorCode, "number");
  assert.equal(typeof s.status.failureReason, "string");
  assert.deepEqual(Object.keys(s.deviceDetail), [
    "deviceId",
    "displayName",
    "operatingSystem",
    "browser",
    "isCompliant",
    "isManaged",
    "trustType",
  ]);
  assert.deepEqual(Object.keys(s.location), ["city", "state", "countryOrRegion", "geoCoordinates"]);
  if (s.location.countryOrRegion !== null) assert.match(s.location.countryOrRegion, /^[A-Z]{2}$/);
  assert.deepEqual(Object.keys(s.mfaDetail), ["authMethod", "authDetail"]);
  assert.ok(Array.isArray(s.riskEventTypes_v2));
  assert.ok(s.appliedConditionalAccessPolicies.length === 6);
  for (const p of s.appliedConditionalAccessPolicies) {
    assert.match(p.id, GUID);
    assert.ok(Array.isArray(p.enforcedGrantControls) && Array.isArray(p.enforcedSessionControls));
    assert.ok(["success", "failure", "notApplied"].includes(p.result));
  }
  assert.ok(s.authenticationDetails.length >= 1);
  for (const d of s.authenticationDetails) {
    assert.deepEqual(Object.keys(d), [
      "authenticationStepDateTime",
      "authenticationMethod",
      "authenticationMethodDetail",
      "succeeded",
      "authenticationStepResultDetail",
      "authenticationStepRequirement",
    ]);
  }
  assert.ok(["success", "failure", "notApplied"].includes(s.conditionalAccessStatus));
  // Fields Graph returns as null must be present as null, not missing.
  assert.equal(s.ipAddressFromResourceProvider, null);
  assert.equal(s.authenticationAppDeviceDetails, null);
}

Deno.test("generateSignIns() records have the Graph beta signIn shape", () => {
  for (const s of DEFAULT) assertShape(s);
  const keys = Object.keys(DEFAULT[0]);
  for (const s of DEFAULT) assert.deepEqual(Object.keys(s), keys);
});

Deno.test("generateSignIns() ids are unique and flows share a correlationId", () => {
  const ids = new Set(DEFAULT.map((s) => s.id));
  assert.equal(ids.size, DEFAULT.length);
  // An MFA interrupt (50074) is followed by the completed sign-in in the same correlation.
  const byCorrelation = new Map<string, SignIn[]>();
  for (const s of DEFAULT) {
    byCorrelation.set(s.correlationId, [...(byCorrelation.get(s.correlationId) ?? []), s]);
  }
  const interrupts = DEFAULT.filter((s) =>
    s.status.errorCode === 50074 && s.riskLevelDuringSignIn === "none"
  );
  assert.ok(interrupts.length > 100);
  const completed = interrupts.filter((s) =>
    byCorrelation.get(s.correlationId)!.some((o) =>
      o.status.errorCode === 0 && o.createdDateTime > s.createdDateTime &&
      o.originalRequestId === s.originalRequestId
    )
  );
  assert.ok(completed.length / interrupts.length > 0.9, `${completed.length}/${interrupts.length}`);
});

Deno.test("generateSignIns() has interrupts and ordinary failures as Microsoft logs them", () => {
  const codes = new Map<number, number>();
  for (const s of DEFAULT) codes.set(s.status.errorCode, (codes.get(s.status.errorCode) ?? 0) + 1);
  for (const c of [0, 50074, 50140, 50058, 50055, 50072, 65001]) assert.ok(codes.get(c), `code ${c} missing`);
  for (const c of [50126, 50053, 53003, 500121, 50057, 90072]) assert.ok(codes.get(c), `code ${c} missing`);
  const success = codes.get(0)!;
  assert.ok(success / DEFAULT.length > 0.85, "most sign-ins succeed");
  const interrupt = [...codes].filter(([c]) => INTERRUPT_CODES.has(c)).reduce((n, [, k]) => n + k, 0);
  assert.ok(interrupt > 500);
  const wrong = DEFAULT.find((s) => s.status.errorCode === 50126)!;
  assert.equal(
    wrong.status.failureReason,
    "Error validating credentials due to invalid username or password.",
  );
  assert.equal(wrong.conditionalAccessStatus, "notApplied");
  const kmsi = DEFAULT.find((s) => s.status.errorCode === 50140)!;
  assert.match(kmsi.status.failureReason!, /Keep me signed in/);
});

Deno.test("generateSignIns() mixes operating systems, browsers, apps and client types", () => {
  const os = new Set(DEFAULT.map((s) => s.deviceDetail.operatingSystem));
  for (const o of ["Windows 10", "Windows 11", "MacOs", "Ios", "Android", "Linux"]) assert.ok(os.has(o), o);
  const browsers = new Set(DEFAULT.map((s) => s.deviceDetail.browser.split(" ")[0]));
  for (const b of ["Edge", "Chrome", "Safari", "Firefox", "Mobile", "Rich"]) assert.ok(browsers.has(b), b);
  const apps = new Set(DEFAULT.map((s) => s.appDisplayName));
  for (
    const a of [
      "Office 365 Exchange Online",
      "Microsoft Teams",
      "Office 365 SharePoint Online",
      "Azure Portal",
      "Microsoft Authentication Broker",
      "Windows Sign In",
      "OfficeHome",
    ]
  ) assert.ok(apps.has(a), a);
  const nonInteractive = DEFAULT.filter((s) => !s.isInteractive).length / DEFAULT.length;
  assert.ok(nonInteractive > 0.3 && nonInteractive < 0.8, `non-interactive share ${nonInteractive}`);
  assert.ok(DEFAULT.every((s) => s.userPrincipalName === s.userPrincipalName.toLowerCase()));
  assert.ok(
    DEFAULT.filter((s) => s.userType === "member").every((s) => s.userPrincipalName.endsWith(TENANT_DOMAIN)),
  );
});

Deno.test("generateSignIns() is much busier on weekdays than on weekends", () => {
  const perDay = new Map<string, number>();
  for (const s of DEFAULT) {
    perDay.set(s.createdDateTime.slice(0, 10), (perDay.get(s.createdDateTime.slice(0, 10)) ?? 0) + 1);
  }
  let wd = 0, wdN = 0, we = 0, weN = 0;
  for (const [d, n] of perDay) {
    if (isWeekend(Date.parse(d) / 86400000)) {
      we += n;
      weN++;
    } else {
      wd += n;
      wdN++;
    }
  }
  assert.equal(wdN + weN, 30);
  assert.ok(wd / wdN > 4 * (we / weN), `weekday ${wd / wdN} vs weekend ${we / weN}`);
  assert.ok(we > 0, "some weekend activity");
});

Deno.test("generateSignIns() follows office hours in each user's home time zone", () => {
  const tenant = buildTenant(resolveOptions({}));
  const home = new Map(tenant.users.map((u) => [u.upn, u.home]));
  let inHours = 0, total = 0;
  for (const s of DEFAULT) {
    const place = home.get(s.userPrincipalName);
    // Laptop sign-ins at home or in the office on weekdays (phones are used in the evening too).
    if (!place || s.location.city !== place.city || s.deviceDetail.operatingSystem.match(/Ios|Android/)) {
      continue;
    }
    const sec = Date.parse(s.createdDateTime) / 1000;
    const localDayNumber = Math.floor((sec + utcOffset(place.zone, sec) * 3600) / 86400);
    if (isWeekend(localDayNumber)) continue;
    total++;
    const h = localHour(place.zone, sec);
    if (h >= 6.5 && h < 19.5) inHours++;
  }
  assert.ok(total > 5000);
  assert.ok(inHours / total > 0.9, `${inHours}/${total} in office hours`);
  // London users start about 6 hours before Chicago users in UTC.
  const firstUtcHour = (city: string) => {
    const hours = DEFAULT.filter((s) => s.location.city === city && s.appDisplayName === "Windows Sign In")
      .map((s) => new Date(s.createdDateTime).getUTCHours());
    return hours.reduce((a, b) => a + b, 0) / hours.length;
  };
  const gap = firstUtcHour("Chicago") - firstUtcHour("London");
  assert.ok(gap > 4.5 && gap < 7.5, `Chicago−London start gap ${gap} h`);
});

Deno.test("generateSignIns() rejects out-of-range options with SampleOptionError", () => {
  assert.throws(
    () => generateSignIns({ users: 3 }),
    (e) => e instanceof SampleOptionError && e.option === "users",
  );
  assert.throws(
    () => generateSignIns({ days: 0 }),
    (e) => e instanceof SampleOptionError && e.option === "days",
  );
  assert.throws(
    () => generateSignIns({ seed: 1.5 }),
    (e) => e instanceof SampleOptionError && e.option === "seed",
  );
  assert.throws(
    () => generateSignIns({ end: "2026-11-01T03:00:00Z" }),
    (e) => e instanceof SampleOptionError && e.option === "end",
  );
  assert.throws(() => generateSignIns({ end: "soon" }), /Option end must be an ISO date/);
});
