// Companion to chart 2: when failures happen, hour of day (UTC) × weekday. Office-hours failures are typos;
// a block at 3 a.m. on a Sunday is a script.
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { rampLegend } from "./ramp.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num } from "./rows.ts";
import { plural } from "./svg_text.ts";

export interface FailuresHeatmapOptions {
  width?: number;
  title?: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const SCHEME = "oranges";

/** Hour × weekday heat map of failed sign-ins; rows from `failures_by_hour_weekday` (weekday 1 = Monday). */
export function failuresByHourHeatmap(
  rows: readonly LooseRow[],
  options: FailuresHeatmapOptions = {},
): Chart {
  const width = options.width ?? 960;
  const title = options.title ?? "When failures happen (hour of day × weekday, UTC)";
  const caption =
    "Look for failures outside working hours and on weekends: people mistype during the day, scripts " +
    "run at night.";
  const counts = new Map<string, number>();
  for (const r of rows) {
    const wd = num(r.weekday);
    const h = num(r.hour);
    if (wd < 1 || wd > 7 || h < 0 || h > 23 || !Number.isInteger(wd) || !Number.isInteger(h)) continue;
    counts.set(`${wd}|${h}`, (counts.get(`${wd}|${h}`) ?? 0) + num(r.failures));
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) {
    return new Chart({
      id: "failures-heatmap",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No failed sign-ins in this range",
    });
  }
  const cells = WEEKDAYS.flatMap((name, i) =>
    Array.from(
      { length: 24 },
      (_, h) => ({ weekday: name, hour: h, failures: counts.get(`${i + 1}|${h}`) ?? 0 }),
    )
  );
  const max = Math.max(...cells.map((c) => c.failures));
  const scale = Plot.scale({ color: { type: "sqrt", scheme: SCHEME, domain: [0, max] } });
  const colorOf = (n: number) => (n === 0 ? "#F4F4F4" : String(scale.apply(n)));
  const dark = (n: number) => n > 0 && Math.sqrt(n / max) > 0.55;
  const height = 7 * 30 + 48;
  const plot = renderPlot({
    width,
    height,
    marginLeft: 48,
    marginTop: 6,
    marginBottom: 42,
    marginRight: 12,
    x: {
      type: "band",
      domain: Array.from({ length: 24 }, (_, h) => h),
      label: "Hour of day (UTC)",
      labelAnchor: "center",
      labelOffset: 36,
      tickFormat: (h: number) => String(h).padStart(2, "0"),
    },
    y: { type: "band", domain: WEEKDAYS, label: null },
    color: { type: "identity" },
    marks: [
      Plot.cell(cells, {
        x: "hour",
        y: "weekday",
        fill: (c: { failures: number }) => colorOf(c.failures),
        inset: 1,
      }),
      Plot.text(cells.filter((c) => c.failures > 0), {
        x: "hour",
        y: "weekday",
        text: (
          c: { failures: number },
        ) => (c.failures >= 1000 ? `${Math.round(c.failures / 100) / 10}k` : String(c.failures)),
        fill: (c: { failures: number }) => (dark(c.failures) ? "white" : "#222"),
        fontSize: 10,
      }),
    ],
  });
  const busiest = cells.reduce((a, b) => (b.failures > a.failures ? b : a));
  return new Chart({
    id: "failures-heatmap",
    title,
    caption,
    width,
    plots: [plot],
    ramps: [rampLegend({ label: "Failed sign-ins per hour slot", max, type: "sqrt", color: colorOf })],
    notes: [
      `Busiest slot: ${busiest.weekday} ${String(busiest.hour).padStart(2, "0")}:00–${
        String(busiest.hour).padStart(2, "0")
      }:59 UTC with ${plural(busiest.failures, "failure")} over the whole range.`,
    ],
  });
}
