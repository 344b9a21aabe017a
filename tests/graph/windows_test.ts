import assert from "node:assert/strict";
import {
  buildFilter,
  buildListUrl,
  parseDuration,
  parseInstant,
  planWindows,
  retentionWarning,
} from "../../lib/graph/windows.ts";

const t = (s: string) => Date.parse(s);

Deno.test("planWindows() splits at UTC midnights", () => {
  const w = planWindows(t("2026-11-01T18:30:00Z"), t("2026-11-03T06:00:00Z"));
  assert.deepEqual(w.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()]), [
    ["2026-11-01T18:30:00.000Z", "2026-11-02T00:00:00.000Z"],
    ["2026-11-02T00:00:00.000Z", "2026-11-03T00:00:00.000Z"],
    ["2026-11-03T00:00:00.000Z", "2026-11-03T06:00:00.000Z"],
  ]);
});

Deno.test("planWindows() makes smaller windows aligned within the day", () => {
  const w = planWindows(t("2026-11-01T10:30:00Z"), t("2026-11-01T23:00:00Z"), 6 * 3_600_000);
  assert.deepEqual(w.map((x) => new Date(x.start).toISOString().slice(11, 16)), ["10:30", "12:00", "18:00"]);
  assert.equal(w[w.length - 1].end, t("2026-11-01T23:00:00Z"));
  assert.deepEqual(planWindows(5, 5), []);
  assert.throws(() => planWindows(0, 1, 2 * 86_400_000), /at most 1 day/);
});

Deno.test("buildFilter() uses unquoted ISO instants and beta event types", () => {
  const w = { start: t("2026-11-01T00:00:00Z"), end: t("2026-11-01T12:00:00.5Z") };
  assert.equal(
    buildFilter({ kind: "signins", api: "v1.0" }, w),
    "createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime lt 2026-11-01T12:00:00.500Z",
  );
  assert.equal(
    buildFilter({ kind: "signins", api: "beta", eventType: "nonInteractive" }, w),
    "createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime lt 2026-11-01T12:00:00.500Z" +
      " and signInEventTypes/any(t: t eq 'nonInteractiveUser')",
  );
  assert.match(buildFilter({ kind: "audits", api: "v1.0" }, w), /^activityDateTime ge /);
});

Deno.test("buildListUrl() encodes spaces as %20, not +", () => {
  const url = buildListUrl("https://graph.microsoft.us", { kind: "signins", api: "beta" }, {
    start: 0,
    end: 1000,
  }, 999);
  assert.ok(
    url.startsWith("https://graph.microsoft.us/beta/auditLogs/signIns?%24filter=createdDateTime%20ge%20"),
  );
  assert.ok(!url.includes("+"));
  assert.equal(new URL(url).searchParams.get("$top"), "999");
});

Deno.test("parseDuration() and parseInstant() accept the documented forms and name the option at fault", () => {
  assert.equal(parseDuration("24h"), 86_400_000);
  assert.equal(parseDuration("30m"), 1_800_000);
  assert.equal(parseDuration("7d"), 7 * 86_400_000);
  assert.throws(() => parseDuration("yesterday", "--since"), /--since must look like/);
  assert.equal(parseInstant("2026-11-01", "--from"), t("2026-11-01T00:00:00Z"));
  assert.equal(parseInstant("2026-11-01T06:00:00+02:00", "--from"), t("2026-11-01T04:00:00Z"));
  assert.throws(() => parseInstant("11/01/2026", "--to"), /--to must be an ISO date/);
});

Deno.test("retentionWarning() speaks up only beyond 30 days", () => {
  const now = t("2026-11-30T00:00:00Z");
  assert.equal(retentionWarning(now - 29 * 86_400_000, now), undefined);
  assert.match(retentionWarning(now - 45 * 86_400_000, now) ?? "", /45 days ago .*30-day retention/);
});
