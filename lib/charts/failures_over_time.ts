// Chart 2: failed sign-ins per user per day. A line per top user, the rest summed as "others"; spikes are
// labeled so a brute force or a spray day stands out at a glance.
import * as Plot from "@observablehq/plot";
import { Chart, type LegendItem } from "./chart.ts";
import { OTHER_COLOR, SERIES_PALETTE } from "./colors.ts";
import { displayDays, shortDay, toDate } from "./days.ts";
import { renderPlot } from "./render_plot.ts";
import { day, type LooseRow, num, str } from "./rows.ts";
import { fitWidth, formatCount } from "./svg_text.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface FailuresOverTimeOptions {
  /** Users with their own line (default 8, at most 12); the rest are summed into one "others" line. */
  top?: number;
  /** Report range (ISO instants or dates); days without failures inside it are drawn as zero. */
  from?: string;
  to?: string;
  /** "symlog" keeps small users visible next to a huge brute force (default "linear"). */
  yScale?: "linear" | "symlog";
  /** How many spikes get a label (default 3). */
  spikeLabels?: number;
  width?: number;
  height?: number;
  title?: string;
  tableRows?: number;
}

interface Point {
  series: string;
  day: string;
  date: Date;
  failures: number;
}

/** Lines of daily failed sign-ins per user; rows from `failed_per_user_daily`. */
export function failuresPerUserOverTime(
  rows: readonly LooseRow[],
  options: FailuresOverTimeOptions = {},
): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 340;
  const title = options.title ?? "Failed sign-ins per user over time";
  const caption =
    "Look for spikes: one user jumping on one day is a brute force, many users rising together is a " +
    "password spray.";
  const data = rows.map((r) => ({
    user: str(r.user_principal_name) ?? "(unknown user)",
    day: day(r.day),
    failures: num(r.failures),
  })).filter((r): r is { user: string; day: string; failures: number } => r.day !== null && r.failures > 0);
  if (data.length === 0) {
    return new Chart({
      id: "failures-over-time",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No failed sign-ins in this range",
    });
  }

  const split = topN(
    totalsBy(data, (r) => r.user, (r) => r.failures),
    Math.min(options.top ?? 8, SERIES_PALETTE.length),
  );
  const others = split.others.length > 0 ? othersLabel(split.others.length, "user") : undefined;
  const kept = new Set(split.kept);
  const days = displayDays(data.map((r) => r.day), options.from, options.to);
  const seriesNames = others ? [...split.kept, others] : [...split.kept];
  const colorOf = new Map(seriesNames.map((s, i) => [s, s === others ? OTHER_COLOR : SERIES_PALETTE[i]]));

  const byKey = new Map<string, number>();
  for (const r of data) {
    const s = kept.has(r.user) ? r.user : others!;
    byKey.set(`${s}|${r.day}`, (byKey.get(`${s}|${r.day}`) ?? 0) + r.failures);
  }
  const points: Point[] = seriesNames.flatMap((s) =>
    days.map((d) => ({ series: s, day: d, date: toDate(d), failures: byKey.get(`${s}|${d}`) ?? 0 }))
  );
  const spikes = pickSpikes(points, options.spikeLabels ?? 3);
  const maxY = Math.max(...points.map((p) => p.failures));
  const single = days.length === 1;

  const plot = renderPlot({
    width,
    height,
    marginLeft: 56,
    marginRight: 24,
    marginTop: 28,
    marginBottom: 36,
    x: {
      type: "utc",
      label: null,
      ...(single ? { domain: [toDate(days[0]), new Date(toDate(days[0]).getTime() + 86_400_000)] } : {}),
    },
    y: {
      type: options.yScale === "symlog" ? "symlog" : "linear",
      label: "Failed sign-ins per day",
      labelArrow: "up",
      grid: true,
      domain: [0, maxY * 1.12],
      nice: true,
    },
    color: { type: "identity" },
    marks: [
      Plot.ruleY([0]),
      // Background series first so named users' lines are drawn on top of "others".
      ...[...seriesNames].reverse().map((s) =>
        Plot.line(points.filter((p) => p.series === s), {
          x: "date",
          y: "failures",
          stroke: colorOf.get(s),
          strokeWidth: s === others ? 1.5 : 2,
          strokeDasharray: s === others ? "4 3" : undefined,
          curve: "linear",
        })
      ),
      Plot.dot(points.filter((p) => p.failures > 0 && (single || days.length <= 45)), {
        x: "date",
        y: "failures",
        r: 2.2,
        fill: (p: Point) => colorOf.get(p.series),
      }),
      Plot.dot(spikes, { x: "date", y: "failures", r: 4.5, stroke: "#222", strokeWidth: 1.2, fill: "none" }),
      // A label centred on a spike near either edge would run out of the frame: anchor it on the inner side.
      ...(["start", "middle", "end"] as const).map((anchor) =>
        Plot.text(spikes.filter((p) => spikeAnchor(p, days) === anchor), {
          x: "date",
          y: "failures",
          text: (p: Point) =>
            `${fitWidth(p.series, 230, 11)} · ${formatCount(p.failures)} on ${shortDay(p.day)}`,
          dy: -12,
          dx: anchor === "start" ? -6 : anchor === "end" ? 6 : 0,
          fontSize: 11,
          fontWeight: "bold",
          fill: "#222",
          stroke: "white",
          strokeWidth: 3,
          paintOrder: "stroke",
          textAnchor: anchor,
          lineAnchor: "bottom",
          frameAnchor: "middle",
        } as never)
      ),
    ],
  });

  const legendItems: LegendItem[] = seriesNames.map((s) => ({
    label: s,
    color: colorOf.get(s)!,
    shape: "line",
  }));
  const perUser = [...totalsBy(data, (r) => r.user, (r) => r.failures).entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, options.tableRows ?? 10)
    .map(([user, total]) => {
      const mine = data.filter((r) => r.user === user);
      const peak = mine.reduce((
        a,
        b,
      ) => (b.failures > a.failures || (b.failures === a.failures && b.day < a.day) ? b : a));
      return {
        user,
        failures: total,
        days: new Set(mine.map((r) => r.day)).size,
        peak_day: peak.day,
        peak: peak.failures,
      };
    });
  return new Chart({
    id: "failures-over-time",
    title,
    caption,
    width,
    plots: [plot],
    legends: [{ items: legendItems }],
    notes: others ? [`The dashed gray line adds up the ${others}.`] : [],
    table: {
      caption: "Users with the most failed sign-ins",
      columns: [
        { key: "user", label: "User" },
        { key: "failures", label: "Failures", align: "right" },
        { key: "days", label: "Days with failures", align: "right" },
        { key: "peak_day", label: "Worst day" },
        { key: "peak", label: "Failures that day", align: "right" },
      ],
      rows: perUser,
    },
  });
}

/** The highest points, at most one per day and per series, so two labels never sit on the same spot. */
function pickSpikes(points: readonly Point[], n: number): Point[] {
  const sorted = [...points].filter((p) => p.failures > 0).sort((a, b) =>
    b.failures - a.failures || (a.day < b.day ? -1 : 1) || a.series.localeCompare(b.series)
  );
  const chosen: Point[] = [];
  const top = sorted[0]?.failures ?? 0;
  for (const p of sorted) {
    if (chosen.length >= n) break;
    // Labels collide only when close in both day and height: a brute force two days before a tall spike,
    // far below it, still gets its own label.
    const collides = (c: Point) =>
      Math.abs(c.date.getTime() - p.date.getTime()) < 3 * 86_400_000 &&
      Math.abs(c.failures - p.failures) < 0.2 * top;
    if (chosen.some(collides)) continue;
    chosen.push(p);
  }
  return chosen;
}

/** Where a spike's label may hang: to the right in the first quarter of the days, to the left in the last third. */
function spikeAnchor(p: Point, days: readonly string[]): "start" | "middle" | "end" {
  if (days.length <= 1) return "middle";
  const at = days.indexOf(p.day) / (days.length - 1);
  return at < 0.25 ? "start" : at > 0.67 ? "end" : "middle";
}
