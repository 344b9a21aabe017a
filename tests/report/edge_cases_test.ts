// The report on fixed small and large data: 1 sign-in, 1 failure, one day, one hour, 1 user, 5,000 users,
// 200 countries, no coordinates at all. Each chart's SVG is checked, not only that it rendered: no text outside
// the viewBox, no label on another label, whole-number count ticks, singular nouns for 1, and the numbers printed
// on the charts equal the tables' and the header's.
import assert from "node:assert/strict";
import { allCountries } from "../../lib/charts/countries.ts";
import type { Chart } from "../../lib/charts/mod.ts";
import { buildReport, type ReportResult } from "../../lib/report/mod.ts";
import { mulberry32 } from "../fakes/prng.ts";
import { type Event, fixtureRows } from "../fixtures/charts/tenant.ts";
import { outside, overlapping, textBoxes } from "../charts/_svg_geometry.ts";

const BASE: Event = {
  ts: "2026-10-11T03:00:00.000Z",
  user: "adele.vance@contoso.com",
  ip: "198.51.100.1",
  country: "US",
  state: "Washington",
  city: "Redmond",
  lat: 47.674,
  lon: -122.121,
  result: "success",
  code: 0,
  reason: "",
  os: "Windows 10",
  browser: "Edge 130.0.0",
  app: "Microsoft Teams",
  clientApp: "Browser",
  ca: "success",
  authMethod: "Password only",
};

const FAIL = {
  result: "failure" as const,
  code: 50126,
  reason: "Error validating credentials.",
  ca: "notApplied",
};
const ev = (p: Partial<Event>): Event => ({ ...BASE, ...p });
const sorted = (es: Event[]) => es.sort((a, b) => a.ts.localeCompare(b.ts));

function at(day: number, hour: number, minute = 0): string {
  return new Date(Date.UTC(2026, 9, day, hour, minute)).toISOString();
}

interface Case {
  name: string;
  events: Event[];
  from: string;
  to: string;
}

function cases(): Case[] {
  const rand = mulberry32(11);
  const attackers = [
    { country: "RU", city: "Moscow", state: "Moscow", lat: 55.756, lon: 37.617 },
    { country: "NL", city: "Amsterdam", state: "North Holland", lat: 52.37, lon: 4.895 },
    { country: "DE", city: "Frankfurt am Main", state: "Hesse", lat: 50.11, lon: 8.682 },
    { country: "UA", city: "Kyiv", state: "Kyiv", lat: 50.45, lon: 30.523 },
    { country: "IR", city: "Tehran", state: "Tehran", lat: 35.689, lon: 51.389 },
  ];
  const oneDay: Event[] = [];
  for (let i = 0; i < 40; i++) {
    oneDay.push(
      ev({ ts: at(11, 8 + (i % 10), i), user: `u${i % 12}@contoso.com`, ip: `203.0.113.${i % 5}` }),
    );
  }
  attackers.forEach((a, k) => {
    for (let i = 0; i < 10 + 10 * k; i++) {
      oneDay.push(
        ev({ ...FAIL, ...a, ts: at(11, 2 + k, i % 60), user: `u${i % 12}@contoso.com`, ip: `192.0.2.${k}` }),
      );
    }
  });
  const oneHour = Array.from(
    { length: 30 },
    (_, i) => ev({ ...(i % 3 === 0 ? FAIL : {}), ts: at(11, 3, i * 2), user: `u${i % 4}@contoso.com` }),
  );
  const oneUser = Array.from(
    { length: 200 },
    (_, i) => ev({ ...(i % 7 === 0 ? FAIL : {}), ts: at(1 + (i % 30), 8 + (i % 9), i % 60) }),
  );
  const manyUsers: Event[] = [];
  for (let u = 0; u < 5000; u++) {
    const n = 1 + (u % 3);
    for (let k = 0; k < n; k++) {
      const failed = rand() < 0.2;
      manyUsers.push(ev({
        ...(failed ? FAIL : {}),
        ts: at(1 + Math.floor(rand() * 30), Math.floor(rand() * 24), Math.floor(rand() * 60)),
        user: `user${u}@fabrikam.example`,
        ip: failed && rand() < 0.5 ? `192.0.2.${u % 7}` : `203.0.113.${u % 200}`,
        os: ["Windows 10", "Windows 11", "MacOs", "Ios", "Android", "Linux"][u % 6],
        app: `App ${u % 40}`,
      }));
    }
  }
  const countries = allCountries().slice(0, 200);
  const manyCountries = countries.flatMap((c, i) =>
    Array.from({ length: 1 + (i % 4) }, (_, k) =>
      ev({
        ...(k % 2 === 0 ? FAIL : {}),
        ts: at(1 + (i % 30), k + 1, i % 60),
        user: `u${i % 50}@contoso.com`,
        ip: `10.${i}.0.${k}`,
        country: c.alpha2,
        city: `City ${i}`,
        state: null,
        lat: -50 + rand() * 110,
        lon: -170 + rand() * 340,
      }))
  );
  const noCoords = Array.from(
    { length: 60 },
    (_, i) =>
      ev({
        ...(i % 2 ? FAIL : {}),
        ts: at(1 + (i % 20), 9, i),
        lat: null,
        lon: null,
        user: `u${i % 6}@contoso.com`,
      }),
  );
  return [
    { name: "1 sign-in", events: [ev({})], from: at(11, 0), to: at(12, 0) },
    { name: "1 failure", events: [ev({ ...FAIL })], from: at(11, 0), to: at(12, 0) },
    {
      name: "1 failure among 2 sign-ins",
      events: [ev({}), ev({ ...FAIL, ts: at(11, 4), ip: "192.0.2.9" })],
      from: at(11, 0),
      to: at(12, 0),
    },
    { name: "one day", events: sorted(oneDay), from: at(11, 0), to: at(12, 0) },
    { name: "one hour", events: sorted(oneHour), from: at(11, 3), to: at(11, 4) },
    { name: "1 user", events: sorted(oneUser), from: at(1, 0), to: at(31, 0) },
    { name: "5,000 users", events: sorted(manyUsers), from: at(1, 0), to: at(31, 0) },
    { name: "200 countries", events: sorted(manyCountries), from: at(1, 0), to: at(31, 0) },
    { name: "no coordinates at all", events: sorted(noCoords), from: at(1, 0), to: at(31, 0) },
  ];
}

async function report(c: Case): Promise<ReportResult> {
  const rows = fixtureRows(c.events);
  return await buildReport({
    run: (name) => {
      if (!(name in rows)) throw new Error(`fixture has no rows for ${name}`);
      return rows[name];
    },
    tenant: "contoso.com",
    from: c.from,
    to: c.to,
    generatedAt: "2026-11-01T08:00:00Z",
  });
}

const WRONG_PLURAL =
  /(?<![\d,.])1 (failures|sign-ins|users|addresses|interrupts|days|hours|weeks|places|attempts|codes)\b/;

function checkChart(c: Case, chart: Chart) {
  const where = `${c.name} / ${chart.id}`;
  for (const svg of [chart.svg, chart.bodySvg]) {
    const out = outside(svg);
    assert.deepEqual(out.map((b) => b.text), [], `${where}: text outside the viewBox`);
  }
  const { boxes } = textBoxes(chart.svg);
  const clashes = overlapping(boxes).map(([a, b]) => `"${a.text}" × "${b.text}"`);
  assert.deepEqual(clashes, [], `${where}: texts overprint each other`);
  for (const b of boxes) {
    assert.ok(!WRONG_PLURAL.test(b.text), `${where}: "${b.text}"`);
    if (/tick label/.test(b.role) && /^[\d,.]+$/.test(b.text)) {
      assert.ok(!b.text.includes("."), `${where}: fractional count tick ${b.text}`);
    }
  }
  for (const note of chart.notes) assert.ok(!WRONG_PLURAL.test(note), `${where}: note "${note}"`);
  assert.ok(!WRONG_PLURAL.test(chart.caption), `${where}: caption`);
  if (chart.table) assert.ok(!WRONG_PLURAL.test(chart.table.caption), `${where}: table caption`);
  // Ramp legends count sign-ins too: whole numbers only.
  for (
    const m of chart.svg.matchAll(
      /<text x="[\d.]+" y="\d+" text-anchor="middle" font-size="11">([^<]+)<\/text>/g,
    )
  ) {
    assert.match(m[1], /^[\d,]+$/, `${where}: ramp tick ${m[1]}`);
  }
}

/** Map labels "Place · N failed" must equal the table's Failed for that place. */
function checkMapNumbers(c: Case, chart: Chart) {
  const labels = textBoxes(chart.svg).boxes.filter((b) => b.group === "point-labels");
  for (const l of labels) {
    const m = /^(.+?)(?:, [A-Z]{2})? · ([\d,]+) (failed|interrupted)$/.exec(l.text);
    assert.ok(m, `${c.name}: map label "${l.text}"`);
    const row = chart.table!.rows.find((r) => String(r.place).startsWith(m[1]));
    if (!row) continue; // the table lists the top 10 places only
    const key = m[3] === "failed" ? "failures" : "interrupts";
    assert.equal(
      Number(m[2].replace(/,/g, "")),
      row[key],
      `${c.name}: "${l.text}" vs table ${JSON.stringify(row)}`,
    );
  }
}

/**
 * Every map label belongs to a dot actually drawn: a leader line starts on a drawn circle's edge, and a label
 * without one touches a drawn circle (so the label's projection is the map's, not a neighbour's).
 */
function checkMapLabelsTouchDots(c: Case, chart: Chart): number {
  if (chart.empty) return 0;
  const plot = chart.svg.slice(chart.svg.indexOf('aria-label="dot"'));
  const circles = [...plot.matchAll(/<circle[^>]* r="([\d.]+)" cy="([-\d.]+)" cx="([-\d.]+)"/g)].map((m) => ({
    r: Number(m[1]),
    y: Number(m[2]),
    x: Number(m[3]),
  }));
  const leaders = [
    ...plot.matchAll(/<line x1="([-\d.]+)" y1="([-\d.]+)" x2="[-\d.]+" y2="[-\d.]+" stroke="#444"/g),
  ];
  for (const m of leaders) {
    const [x, y] = [Number(m[1]), Number(m[2])];
    const onEdge = circles.some((o) => Math.abs(Math.hypot(x - o.x, y - o.y) - o.r) < 0.2);
    assert.ok(onEdge, `${c.name}: a leader line starts at ${x},${y}, on no drawn dot`);
  }
  // Labels are measured in the chart's coordinates; circles in the map plot's, which sits `top` px lower.
  const before = chart.svg.slice(0, chart.svg.indexOf('aria-label="dot"'));
  const top = Number([...before.matchAll(/<svg x="0" y="([\d.]+)"/g)].pop()?.[1] ?? NaN);
  assert.ok(Number.isFinite(top), `${c.name}: map plot not found`);
  const boxes = textBoxes(chart.svg).boxes.filter((b) => b.group === "point-labels");
  for (const b of boxes) {
    const near = circles.some((o) => {
      const dx = Math.max(b.x0 - o.x, 0, o.x - b.x1);
      const dy = Math.max(b.y0 - top - o.y, 0, o.y - (b.y1 - top));
      return Math.hypot(dx, dy) - o.r < 80;
    });
    assert.ok(near, `${c.name}: label "${b.text}" is nowhere near a drawn dot`);
  }
  return leaders.length;
}

let leaderLines = 0;
for (const c of cases()) {
  Deno.test(`report on ${c.name}: every chart's text inside its frame, no overprints, true numbers`, async () => {
    const r = await report(c);
    const failures = c.events.filter((e) => e.result === "failure").length;
    assert.equal(r.summary.signins, c.events.length);
    assert.equal(r.summary.failures, failures);
    assert.ok(!WRONG_PLURAL.test(r.html.replace(/<[^>]+>/g, " ")), `${c.name}: HTML says "1 …s"`);
    for (const chart of r.charts) checkChart(c, chart);
    const map = r.charts.find((ch) => ch.id === "failed-map")!;
    checkMapNumbers(c, map);
    leaderLines += checkMapLabelsTouchDots(c, map);
    const ips = r.charts.find((ch) => ch.id === "suspicious-ips")!;
    if (failures > 0) {
      assert.ok(!ips.empty, `${c.name}: ${failures} failures but the IP chart is empty`);
      const withFailures = new Set(c.events.filter((e) => e.result === "failure").map((e) => e.ip)).size;
      assert.match(
        ips.notes[0],
        new RegExp(`of ${withFailures.toLocaleString("en-US")} address(es)? with failures`),
      );
    }
  });
}

Deno.test("the map cases above drew leader lines (so their check was not vacuous)", () => {
  assert.ok(leaderLines > 0);
});

Deno.test("report on 1 failure among 2 sign-ins: the IP chart shows it (not 'No failed sign-ins')", async () => {
  const c = cases().find((x) => x.name === "1 failure among 2 sign-ins")!;
  const r = await report(c);
  const ips = r.charts.find((ch) => ch.id === "suspicious-ips")!;
  assert.ok(!ips.empty);
  assert.match(ips.notes[0], /^0 of 1 address with failures is flagged/);
  assert.ok(
    ips.svg.includes("other addresses with failures: 1"),
    "the gray class is in the legend and drawn",
  );
  assert.equal(ips.table!.rows[0].ip, "192.0.2.9");
});

Deno.test("report on one day bins per hour on a 24-hour clock; one hour still draws its hour", async () => {
  const day = await report(cases().find((x) => x.name === "one day")!);
  const over = day.charts.find((ch) => ch.id === "failures-over-time")!;
  const ticks = textBoxes(over.svg).boxes.filter((b) => b.role === "x-axis tick label").map((b) => b.text);
  assert.ok(ticks.length >= 4, ticks.join(","));
  assert.ok(ticks.every((t) => /\d\d:00$/.test(t)), ticks.join(","));
  assert.ok(!ticks.some((t) => /AM|PM/.test(t)));
  assert.match(over.svg, /Failed sign-ins per hour/);
  const hour = await report(cases().find((x) => x.name === "one hour")!);
  const oneHour = hour.charts.find((ch) => ch.id === "failures-over-time")!;
  assert.ok(!oneHour.empty);
  assert.match(oneHour.svg, /Oct 11 03:00/);
});

Deno.test("report on one day labels the foreign attack sites on the map, most failures first", async () => {
  const r = await report(cases().find((x) => x.name === "one day")!);
  const map = r.charts.find((ch) => ch.id === "failed-map")!;
  const labels = textBoxes(map.svg).boxes.filter((b) => b.group === "point-labels").map((b) => b.text);
  for (const city of ["Tehran", "Kyiv", "Frankfurt am Main", "Amsterdam", "Moscow"]) {
    assert.ok(labels.some((l) => l.startsWith(city)), `${city} unlabeled: ${labels.join(" | ")}`);
  }
  assert.ok(!labels.some((l) => l.startsWith("Redmond")), "the office (successes only) takes no label space");
});
