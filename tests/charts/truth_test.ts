// What the suspicious-IP scatter and the time charts claim, checked on their SVG.
import assert from "node:assert/strict";
import * as C from "../../lib/charts/mod.ts";
import { textBoxes } from "./_svg_geometry.ts";

const ip = (ip: string, users: number, failures: number, signins = failures, successes = 0) => ({
  ip_address: ip,
  country_or_region: "NL",
  users,
  failures,
  successes,
  signins,
  first_seen: "2026-10-11T02:00:00Z",
  last_seen: "2026-10-11T03:00:00Z",
});

Deno.test("suspiciousIps(): the largest point sits under a labelled tick, and every tick has a label", () => {
  const chart = C.suspiciousIps([
    ip("198.51.100.23", 1, 50),
    ip("192.0.2.1", 24, 47),
    ip("203.0.113.9", 1, 3, 900),
  ]);
  const boxes = textBoxes(chart.svg).boxes;
  const y = boxes.filter((b) => b.role === "y-axis tick label").map((b) => Number(b.text.replace(/,/g, "")));
  assert.ok(Math.max(...y) >= 50, `top y tick ${Math.max(...y)} below the 50-failure point`);
  assert.ok(y.every(Number.isInteger));
  const tickMarks =
    (chart.svg.match(/aria-label="y-axis tick"[^>]*>(.*?)<\/g>/)?.[1].match(/<path/g) ?? []).length;
  assert.equal(tickMarks, y.length, "a tick without a label");
  // The office address (3 failures in 900 sign-ins) is drawn gray and counted, not dropped.
  assert.match(chart.notes[0], /^2 of 3 addresses with failures are flagged/);
  assert.ok(chart.svg.includes("other addresses with failures: 1"));
});

Deno.test("suspiciousIps(): addresses at the same spot are one bigger dot labelled '+N more'", () => {
  const rows = ["192.0.2.10", "192.0.2.11", "192.0.2.12"].map((a) => ip(a, 24, 24));
  const chart = C.suspiciousIps(rows);
  const labels = textBoxes(chart.svg).boxes.filter((b) => b.group === "point-labels").map((b) => b.text);
  assert.deepEqual(labels, ["192.0.2.10 (NL) +2 more"]);
  assert.match(chart.notes[0], /3 addresses share a position with another one/);
  assert.equal(chart.table!.rows.length, 3);
});

Deno.test("suspiciousIps() on rows of suspicious_ips (flagged only) says the others are not drawn", () => {
  const { signins: _, ...flaggedOnly } = ip("192.0.2.1", 24, 47);
  const chart = C.suspiciousIps([flaggedOnly]);
  assert.ok(chart.notes.some((n) => /Only flagged addresses were given/.test(n)));
});

Deno.test("chooseBin(): hours for a day or two, days up to 92 days, weeks for a year", () => {
  assert.equal(C.chooseBin("2026-10-11", "2026-10-12"), "hour");
  assert.equal(C.chooseBin("2026-10-11T03:00:00Z", "2026-10-11T04:00:00Z"), "hour");
  assert.equal(C.chooseBin("2026-10-01", "2026-11-01"), "day");
  assert.equal(C.chooseBin("2025-11-01", "2026-11-01"), "week");
});

Deno.test("failuresPerUserOverTime() over a year bins per week; over a day per hour with daily rows falls back and says so", () => {
  const rows = [
    { day: "2026-01-05", user_principal_name: "a@x", failures: 3 },
    { day: "2026-01-07", user_principal_name: "a@x", failures: 2 },
    { day: "2026-06-01", user_principal_name: "a@x", failures: 1 },
  ];
  const year = C.failuresPerUserOverTime(rows, { from: "2026-01-01", to: "2027-01-01" });
  assert.match(year.svg, /Failed sign-ins per week/);
  // Jan 5 and Jan 7 fall in the week of Monday Jan 5: one point of 5.
  assert.equal(year.table!.rows[0].peak, 5);
  assert.equal(year.table!.rows[0].peak_bin, "week of Jan 5");
  const day = C.failuresPerUserOverTime(rows.slice(0, 1), { from: "2026-01-05", to: "2026-01-06" });
  assert.match(day.svg, /Failed sign-ins per day/);
  assert.ok(day.notes.some((n) => /Daily bins: these rows have no hours/.test(n)));
});

Deno.test("conditionalAccessOverTime() over one day with hourly rows draws hours on a 24-hour clock", () => {
  const rows = [
    { hour: "2026-10-11T03:00:00.000Z", conditional_access_status: "success", signins: 4 },
    { hour: "2026-10-11T14:00:00.000Z", conditional_access_status: "failure", signins: 1 },
  ];
  const chart = C.conditionalAccessOverTime(rows, { from: "2026-10-11", to: "2026-10-12" });
  const ticks = textBoxes(chart.svg).boxes.filter((b) => b.role === "x-axis tick label").map((b) => b.text);
  assert.ok(ticks.length >= 4 && ticks.every((t) => /\d\d:00$/.test(t)), ticks.join(","));
  assert.match(chart.svg, /Sign-ins per hour/);
  assert.deepEqual(chart.notes, ["5 sign-ins over 24 hours."]);
  const y = textBoxes(chart.svg).boxes.filter((b) => b.role === "y-axis tick label").map((b) => b.text);
  assert.ok(y.every((t) => /^\d+$/.test(t)), `fractional ticks: ${y}`);
});

Deno.test("weekly ticks carry the year on the first tick and where the year changes", () => {
  const rows = [
    { day: "2025-12-01", user_principal_name: "a@x", failures: 2 },
    { day: "2026-02-02", user_principal_name: "a@x", failures: 1 },
  ];
  const chart = C.failuresPerUserOverTime(rows, { from: "2025-06-01", to: "2026-06-01" });
  const ticks = textBoxes(chart.svg).boxes.filter((b) => b.role === "x-axis tick label").map((b) => b.text);
  assert.match(ticks[0], / 2025$/);
  assert.ok(ticks.some((t) => / 2026$/.test(t)), ticks.join(","));
  assert.equal(ticks.filter((t) => /\d{4}$/.test(t)).length, 2, ticks.join(","));
});

Deno.test("authMethodMix() keeps 'No method recorded' apart from 'Password only' and says how many each", () => {
  const chart = C.authMethodMix([
    { auth_method: "No method recorded", result: "success", signins: 20602 },
    { auth_method: "Password only", result: "failure", signins: 1 },
  ]);
  assert.deepEqual(chart.table!.rows.map((r) => r.method), ["No method recorded", "Password only"]);
  assert.match(chart.notes.join(" "), /Password only: 1 sign-in whose only recorded method/);
  assert.match(chart.notes.join(" "), /No method recorded: 20,602 sign-ins .* not counted as password-only/);
  assert.match(chart.caption, /"No method recorded" is kept apart/);
});
