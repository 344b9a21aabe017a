import assert from "node:assert/strict";
import { coverageChart } from "../../lib/coverage/coverage_chart.ts";

const rows = [
  { day: "2026-10-01", sign_in_kind: "interactive", source_format: "graph", signins: 10 },
  { day: "2026-10-01", sign_in_kind: "nonInteractive", source_format: "storage", signins: 30 },
  { day: "2026-10-03", sign_in_kind: "servicePrincipal", source_format: "graph", signins: 5 },
];

Deno.test("coverageChart() draws every day of the range and names the days with no sign-ins", () => {
  const c = coverageChart(rows, { from: "2026-10-01", to: "2026-10-05", width: 600 });
  assert.equal(c.empty, false);
  assert.deepEqual(c.notes, [
    "45 sign-ins over 4 days: Interactive user 10, Non-interactive user 30, Service principal 5.",
    "No sign-ins on 2 days: 2026-10-02, 2026-10-04.",
    "Days pulled only in part and Graph's 30-day horizon: deno task coverage.",
  ]);
  assert.deepEqual(c.table?.rows, [{ source: "storage", signins: 30 }, { source: "graph", signins: 15 }]);
  assert.match(c.svg, /No sign-ins that day/);
  // One shaded band per missing day, behind the bars.
  assert.equal((c.svg.match(/fill="#f2c4c4"/g) ?? []).length >= 2, true);
});

Deno.test("coverageChart() of a range with sign-ins every day says so", () => {
  const c = coverageChart(rows.slice(0, 2), { from: "2026-10-01", to: "2026-10-02" });
  assert.equal(c.notes[1], "Every day of the range has sign-ins.");
  assert.doesNotMatch(c.svg, /No sign-ins that day/);
});
