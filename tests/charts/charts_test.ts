import assert from "node:assert/strict";
import * as C from "../../lib/charts/mod.ts";
import { renderAll } from "./_render_all.ts";
import { fixtureRows } from "../fixtures/charts/tenant.ts";
import topology from "world-atlas/countries-110m.json" with { type: "json" };

const JUPYTER = Symbol.for("Jupyter.display");

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

Deno.test("every chart displays in Jupyter as text/html with inline SVG, with no Deno.jupyter needed", () => {
  for (const chart of renderAll()) {
    const bundle = (chart as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER]();
    assert.deepEqual(Object.keys(bundle), ["text/html"]);
    assert.match(bundle["text/html"], /^<figure[^>]*><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(bundle["text/html"].includes(chart.svg));
  }
});

Deno.test("chart SVG ids are scoped per chart, so inlining all charts in one page has no duplicate ids", () => {
  const ids = renderAll().flatMap((c) => [...c.bodySvg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  assert.ok(ids.length > 0);
  assert.equal(new Set(ids).size, ids.length);
  for (const chart of renderAll()) {
    assert.ok(!chart.svg.includes("plot-clip"), `${chart.id} kept a Plot clip id`);
  }
});

Deno.test("every chart has a title, a one-line caption and a table of top rows", () => {
  for (const chart of renderAll()) {
    assert.ok(chart.title.length > 5 && chart.caption.length > 20, chart.id);
    assert.ok(!chart.caption.includes("\n"), chart.id);
    assert.ok(chart.svg.includes(chart.title.replace(/&/g, "&amp;")), `${chart.id} SVG lacks its title`);
    assert.ok(
      !chart.bodySvg.includes(`font-size="16" font-weight="bold"`),
      `${chart.id} body SVG repeats the title`,
    );
    if (chart.id !== "failures-heatmap") {
      assert.ok((chart.table?.rows.length ?? 0) > 0, `${chart.id} has no table`);
    }
  }
});

Deno.test("empty rows give a message, not a blank frame", () => {
  const cases: [C.Chart, RegExp][] = [
    [C.failedSignInsMap([]), /No failed or interrupted sign-ins in this range/],
    [C.failedSignInsMap([], { results: ["failure"] }), /No failed sign-ins in this range/],
    [C.failuresPerUserOverTime([]), /No failed sign-ins in this range/],
    [C.failuresByHourHeatmap([]), /No failed sign-ins in this range/],
    [C.failureReasonsByUser([]), /No failed or interrupted sign-ins in this range/],
    [C.successByUserByOs([]), /No successful sign-ins in this range/],
    [C.failedByCountry([]), /No failed sign-ins in this range/],
    [C.failuresByOsBrowser([]), /No failed sign-ins in this range/],
    [C.conditionalAccessOverTime([]), /No sign-ins in this range/],
    [C.authMethodMix([]), /No sign-ins in this range/],
    [C.legacyAuthAttempts([]), /No legacy-authentication attempts in this range/],
    [C.suspiciousIps([]), /No failed sign-ins from any address in this range/],
    [C.interruptsByCode([]), /No interrupted sign-ins in this range/],
    [C.signInsByApp([]), /No sign-ins in this range/],
  ];
  for (const [chart, message] of cases) {
    assert.equal(chart.empty, true, chart.id);
    assert.match(texts(chart.svg).join("\n"), message, chart.id);
    assert.ok(!chart.svg.includes("<g aria-label"), `${chart.id} drew Plot marks for no data`);
  }
});

Deno.test("success rows alone leave the failure map empty but still say so", () => {
  const chart = C.failedSignInsMap([{
    country_or_region: "US",
    city: "Redmond",
    latitude: 47.6,
    longitude: -122.1,
    result: "success",
    signins: 5,
    users: 1,
  }]);
  assert.equal(chart.empty, true);
});

Deno.test("failedSignInsMap() counts sign-ins without coordinates in a note instead of dropping them", () => {
  const chart = C.failedSignInsMap([
    {
      country_or_region: "RU",
      state: "Moscow",
      city: "Moscow",
      latitude: 55.75,
      longitude: 37.61,
      result: "failure",
      signins: 30,
      users: 4,
    },
    {
      country_or_region: "CN",
      state: null,
      city: null,
      latitude: null,
      longitude: null,
      result: "failure",
      signins: 10,
      users: 2,
    },
    {
      country_or_region: null,
      state: null,
      city: null,
      latitude: 0,
      longitude: 0,
      result: "failure",
      signins: 5,
      users: 1,
    },
  ], { results: ["failure"] });
  assert.ok(
    chart.notes.some((n) => n.startsWith("15 of 45 failed sign-ins (33%) had no coordinates")),
    chart.notes.join("|"),
  );
  assert.ok(texts(chart.svg).some((t) => t.startsWith("Moscow, RU · 30 failed")));
  // China is shaded although its rows have no coordinates: its fill differs from the unshaded gray.
  const rows = chart.table!.rows;
  assert.deepEqual(rows.map((r) => r.country), ["Russia (RU)", "China (CN)", "Unknown"]);
});

Deno.test("country table covers every world-atlas feature id, and ISO-2 lookups are case-insensitive", () => {
  const geometries = (topology as unknown as {
    objects: { countries: { geometries: { id?: string; properties: { name: string } }[] } };
  })
    .objects.countries.geometries;
  const numeric = new Set(C.allCountries().map((c) => c.numeric));
  for (const g of geometries) {
    if (g.id) {
      assert.ok(numeric.has(g.id), `world-atlas id ${g.id} (${g.properties.name}) missing from the table`);
    }
  }
  assert.equal(C.countryInfo("us")?.numeric, "840");
  assert.equal(C.countryInfo("GB")?.numeric, "826");
  assert.equal(C.countryInfo("XK")?.numeric, null);
  assert.equal(C.countryLabel("ZZ"), "ZZ");
  assert.equal(C.countryLabel(null), "Unknown");
  assert.equal(C.allCountries().length, 250);
});

function manyUsers(n: number) {
  const daily = [], reasons = [], os = [];
  for (let i = 0; i < n; i++) {
    const user = `user${String(i).padStart(4, "0")}@contoso.com`;
    daily.push({
      day: `2026-10-${String(1 + (i % 28)).padStart(2, "0")}`,
      user_principal_name: user,
      failures: 1 + (i % 7),
    });
    reasons.push({
      user_principal_name: user,
      result: "failure",
      error_code: 50000 + (i % 40),
      failure_reason: `Reason ${i % 40}`,
      attempts: 1 + (i % 5),
    });
    reasons.push({
      user_principal_name: user,
      result: "interrupt",
      error_code: 50074,
      failure_reason: "Strong Authentication is required.",
      attempts: 2,
    });
    os.push({
      user_principal_name: user,
      operating_system:
        ["Windows 10", "MacOs", "Ios", "Android", "Linux", "Windows", "ChromeOS", "BeOS", "Plan 9"][i % 9],
      signins: 1 + (i % 11),
    });
  }
  return { daily, reasons, os };
}

Deno.test("5,000 users fold into top N plus one others bucket: no 5,000 legend entries or bars", () => {
  const { daily, reasons, os } = manyUsers(5000);
  const lines = C.failuresPerUserOverTime(daily);
  assert.ok(texts(lines.svg).includes("others (4,992 users)"));
  assert.ok(texts(lines.svg).filter((t) => t.startsWith("user")).length <= 8 + 2);
  const bars = C.failureReasonsByUser(reasons);
  const userLabels = texts(bars.svg).filter((t) => /^user\d{4}@/.test(t) || t.startsWith("others ("));
  assert.ok(userLabels.length <= 16, `${userLabels.length} user labels`);
  assert.ok(texts(bars.svg).some((t) => /^other reasons \(\d+\)$/.test(t)));
  const stacked = C.successByUserByOs(os);
  assert.ok(texts(stacked.svg).includes("others (4,980 users)"));
  assert.ok(texts(stacked.svg).some((t) => t.startsWith("other OS (")));
  assert.ok(stacked.svg.length < 200_000, `SVG is ${stacked.svg.length} bytes`);
});

Deno.test("1 user renders without an others bucket", () => {
  const { daily, reasons, os } = manyUsers(1);
  for (
    const chart of [
      C.failuresPerUserOverTime(daily),
      C.failureReasonsByUser(reasons),
      C.successByUserByOs(os),
    ]
  ) {
    assert.equal(chart.empty, false, chart.id);
    assert.ok(texts(chart.svg).includes("user0000@contoso.com"), chart.id);
    assert.ok(!texts(chart.svg).some((t) => t.startsWith("others (")), chart.id);
  }
});

Deno.test("the same error code and result get the same color in every chart", () => {
  const charts = renderAll();
  const reasons = charts.find((c) => c.id === "failure-reasons")!;
  const interrupts = charts.find((c) => c.id === "interrupts")!;
  assert.ok(reasons.svg.includes(`fill="${C.reasonColor(50074)}"`));
  assert.ok(interrupts.svg.includes(`fill="${C.reasonColor("50074")}"`));
  assert.equal(C.reasonColor(50126), C.reasonColor("50126"));
  assert.equal(C.reasonColor("4242"), C.reasonColor("4242"));
  for (const id of ["legacy-auth", "auth-methods", "apps"]) {
    const chart = charts.find((c) => c.id === id)!;
    assert.ok(chart.svg.includes(`fill="${C.RESULT_COLORS.failure}"`), id);
  }
  assert.ok(charts.find((c) => c.id === "failed-map")!.svg.includes(`fill="${C.RESULT_COLORS.failure}"`));
});

Deno.test("text from the data is escaped in SVG and tables (attacker-chosen user names)", () => {
  const evil = `<script>alert("x")</script>@contoso.com`;
  const chart = C.failureReasonsByUser([{
    user_principal_name: evil,
    result: "failure",
    error_code: 50126,
    failure_reason: "<b>bad</b>",
    attempts: 3,
  }]);
  assert.ok(!chart.svg.includes("<script>"));
  assert.ok(chart.svg.includes("&lt;script&gt;"));
  assert.equal(chart.table!.rows[0].user, evil); // raw in data; the report escapes when rendering
});

Deno.test("counts given as strings or bigint are read as numbers", () => {
  const chart = C.failedByCountry([{ country_or_region: "RU", failures: "12", users: 3n, ips: 2 }]);
  assert.deepEqual(chart.table!.rows[0], { country: "Russia (RU)", failures: 12, users: 3, ips: 2 });
});

Deno.test("failuresPerUserOverTime() fills days without failures with zero across the report range", () => {
  const chart = C.failuresPerUserOverTime(
    [{ day: "2026-10-05", user_principal_name: "a@x", failures: 4 }],
    { from: "2026-10-01T00:00:00Z", to: "2026-10-08T00:00:00Z" },
  );
  // One line path with 7 points (Oct 1–7): M + 6 L segments.
  const path = /<path[^>]*d="(M[^"]+)"/.exec(chart.svg.slice(chart.svg.indexOf('aria-label="line"')))![1];
  assert.equal((path.match(/L/g) ?? []).length, 6);
  assert.ok(texts(chart.svg).some((t) => t === "a@x · 4 failures, Oct 5"), texts(chart.svg).join("|"));
});

Deno.test("assessIps() flags sprays and brute forces and ranks flagged addresses first", () => {
  const rows = fixtureRows().suspicious_ips;
  const ips = C.assessIps(rows);
  assert.equal(ips[0].ip, "14.161.22.87");
  assert.equal(ips[0].pattern, "brute force");
  assert.ok(ips.filter((i) => i.pattern === "spray").length >= 20);
  const firstUnflagged = ips.findIndex((i) => i.pattern === "");
  assert.ok(ips.slice(firstUnflagged).every((i) => i.pattern === ""));
  const incident = C.assessIps([{ ip_address: "198.51.100.7", users: 9, failures: 40, successes: 1 }]);
  assert.equal(incident[0].pattern, "spray, also succeeded");
});

Deno.test("legacyAuthAttempts() leaves out modern clients unless asked", () => {
  const rows = [
    { client_app_used: "Browser", result: "success", attempts: 500, users: 50 },
    { client_app_used: "IMAP4", result: "failure", attempts: 20, users: 10 },
    { client_app_used: "IMAP4", result: "success", attempts: 1, users: 1 },
  ];
  assert.deepEqual(C.legacyAuthAttempts(rows).table!.rows.map((r) => r.client), ["IMAP4"]);
  assert.match(C.legacyAuthAttempts(rows).notes.join(" "), /^1 successful legacy sign-in:/);
  const both = C.legacyAuthAttempts(rows, { includeModern: true });
  assert.ok(texts(both.svg).includes("IMAP4 (legacy)"));
  assert.ok(texts(both.svg).includes("Browser"));
});

Deno.test("browserFamily() drops versions", () => {
  assert.equal(C.browserFamily("Chrome 130.0.0"), "Chrome");
  assert.equal(C.browserFamily("Chrome Mobile 130.0"), "Chrome Mobile");
  assert.equal(C.browserFamily("Mobile Safari"), "Mobile Safari");
  assert.equal(C.browserFamily("Python Requests 2.31"), "Python Requests");
});

Deno.test("reasonLabel() abbreviates Graph's failure reason and keeps the code", () => {
  assert.equal(
    C.reasonLabel(50126, "Error validating credentials due to invalid username or password."),
    "50126 · Invalid username or password",
  );
  assert.equal(
    C.reasonLabel(7000215, "Invalid client secret is provided. More text."),
    "7000215 · Invalid client secret is provided",
  );
  assert.ok(C.reasonLabel(1, "x".repeat(200)).length <= 48);
});
