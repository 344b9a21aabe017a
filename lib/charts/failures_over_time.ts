// Chart 2: failed sign-ins per user per day. A line per top user, the rest summed as "others"; spikes are
// labeled so a brute force or a spray day stands out at a glance.
import * as Plot from "@observablehq/plot";
import { Chart, type LegendItem } from "./chart.ts";
import { OTHER_COLOR, SERIES_PALETTE } from "./colors.ts";
import { countDomainMax, countYAxis } from "./count_ticks.ts";
import { appendToSvg } from "./label_layout.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { escapeXml, fitWidth, plural, textWidth } from "./svg_text.ts";
import {
  binEnd,
  binLabel,
  binStart,
  binStarts,
  binTick,
  binTicks,
  chooseBin,
  perBin,
  rowTime,
  type TimeBin,
} from "./time_bins.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface FailuresOverTimeOptions {
  /** Users with their own line (default 8, at most 10); the rest are summed into one "others" line. */
  top?: number;
  /** Report range (ISO instants or dates); bins without failures inside it are drawn as zero. */
  from?: string;
  to?: string;
  /**
   * Time bin; by default chosen from the range (hours for up to 2 days, days up to 92, weeks beyond). Hours need
   * rows with an `hour` column (`failed_per_user_hourly`); with daily rows the chart falls back to days and says so.
   */
  bin?: TimeBin;
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
  t: number;
  date: Date;
  failures: number;
}

const LABEL_FONT = 11;

/** Lines of failed sign-ins per user per hour, day or week; rows from `failed_per_user_daily` or `_hourly`. */
export function failuresPerUserOverTime(
  rows: readonly LooseRow[],
  options: FailuresOverTimeOptions = {},
): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 340;
  const title = options.title ?? "Failed sign-ins per user over time";
  const caption =
    "Look for spikes: one user jumping in one hour or day is a brute force, many users rising together is a " +
    "password spray.";
  const data = rows.map((r) => ({
    user: str(r.user_principal_name) ?? "(unknown user)",
    t: rowTime(r),
    failures: num(r.failures),
  })).filter((r): r is { user: string; t: number; failures: number } => r.t !== null && r.failures > 0);
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
  const notes: string[] = [];
  const hourly = rows.some((r) => r.hour !== undefined && r.hour !== null);
  let bin: TimeBin = options.bin ??
    (options.from && options.to ? chooseBin(options.from, options.to) : "day");
  if (bin === "hour" && !hourly) {
    bin = "day";
    notes.push("Daily bins: these rows have no hours (use failed_per_user_hourly for an hourly chart).");
  }

  const split = topN(
    totalsBy(data, (r) => r.user, (r) => r.failures),
    Math.min(options.top ?? 8, SERIES_PALETTE.length),
  );
  const others = split.others.length > 0 ? othersLabel(split.others.length, "user") : undefined;
  const kept = new Set(split.kept);
  const starts = binStarts(bin, data.map((r) => r.t), options.from, options.to);
  const seriesNames = others ? [...split.kept, others] : [...split.kept];
  const colorOf = new Map(seriesNames.map((s, i) => [s, s === others ? OTHER_COLOR : SERIES_PALETTE[i]]));

  const byKey = new Map<string, number>();
  for (const r of data) {
    const s = kept.has(r.user) ? r.user : others!;
    const key = `${s}|${binStart(r.t, bin)}`;
    byKey.set(key, (byKey.get(key) ?? 0) + r.failures);
  }
  const points: Point[] = seriesNames.flatMap((s) =>
    starts.map((t) => ({ series: s, t, date: new Date(t), failures: byKey.get(`${s}|${t}`) ?? 0 }))
  );
  const candidates = pickSpikes(points, 12, bin);
  const maxY = Math.max(...points.map((p) => p.failures));
  const yMax = countDomainMax(maxY * 1.15);
  const margin = { left: 56, right: 24, top: 28, bottom: 36 };
  const t0 = starts[0];
  const t1 = starts.length === 1 ? binEnd(starts[0], bin) : starts[starts.length - 1];
  // A single bin is drawn over its own width so its dot sits mid-axis rather than on an edge.
  const xDomain = starts.length === 1 ? [t0 - (t1 - t0) / 2, t1 - (t1 - t0) / 2] : [t0, t1];
  const xPx = (t: number) =>
    margin.left + ((t - xDomain[0]) / (xDomain[1] - xDomain[0])) * (width - margin.left - margin.right);
  const yFrac = (v: number) => (options.yScale === "symlog" ? Math.log1p(v) / Math.log1p(yMax) : v / yMax);
  const yPx = (v: number) => height - margin.bottom - yFrac(v) * (height - margin.top - margin.bottom);
  const ticks = binTicks(starts, bin, Math.max(2, Math.floor((width - margin.left - margin.right) / 90)));
  const what = `Failed sign-ins ${perBin(bin)}`;

  // Spike labels in pixels: shifted sideways so they never leave the frame (a spike on the first or last bin),
  // and a spike whose label would overprint one already placed, or an axis label, goes unlabeled.
  const spikes: Point[] = [];
  const spikeLabels: { text: string; x: number; y: number; box: [number, number, number, number] }[] = [];
  for (const p of candidates) {
    if (spikes.length >= (options.spikeLabels ?? 3)) break;
    const text = `${fitWidth(p.series, 230, LABEL_FONT)} · ${plural(p.failures, "failure")}, ${
      binLabel(p.t, bin)
    }`;
    const w = textWidth(text, LABEL_FONT);
    // Right of the y-axis tick labels, left of the frame's edge.
    const x = Math.min(Math.max(xPx(p.t), margin.left + w / 2 + 2), width - w / 2 - 2);
    const y = Math.max(LABEL_FONT + 2, yPx(p.failures) - 12);
    const box: [number, number, number, number] = [x - w / 2 - 3, y - LABEL_FONT - 2, x + w / 2 + 3, y + 4];
    const clash = spikeLabels.some((l) =>
      l.box[0] < box[2] && box[0] < l.box[2] && l.box[1] < box[3] && box[1] < l.box[3]
    );
    if (clash) continue;
    spikes.push(p);
    spikeLabels.push({ text, x, y, box });
  }
  const plot = renderPlot({
    width,
    height,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    x: {
      type: "utc",
      label: null,
      domain: xDomain.map((t) => new Date(t)),
      ticks: ticks.map((t) => new Date(t)),
      tickFormat: (d: Date, i: number) => binTick(d.getTime(), bin, i > 0 ? ticks[i - 1] : undefined),
    },
    y: {
      type: options.yScale === "symlog" ? "symlog" : "linear",
      ...countYAxis(what, yMax),
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
      Plot.dot(points.filter((p) => p.failures > 0 && starts.length <= 60), {
        x: "date",
        y: "failures",
        r: 2.2,
        fill: (p: Point) => colorOf.get(p.series),
      }),
      Plot.dot(spikes, { x: "date", y: "failures", r: 4.5, stroke: "#222", strokeWidth: 1.2, fill: "none" }),
    ],
  });
  const labeled = {
    ...plot,
    svg: appendToSvg(
      plot.svg,
      `<g class="spike-labels">${
        spikeLabels.map((l) =>
          `<text x="${l.x.toFixed(1)}" y="${
            l.y.toFixed(1)
          }" text-anchor="middle" font-size="${LABEL_FONT}" ` +
          `font-weight="bold" fill="#222" stroke="white" stroke-width="3" paint-order="stroke">${
            escapeXml(l.text)
          }</text>`
        ).join("")
      }</g>`,
    ),
  };

  const legendItems: LegendItem[] = seriesNames.map((s) => ({
    label: s,
    color: colorOf.get(s)!,
    shape: "line",
  }));
  const perUser = [...totalsBy(data, (r) => r.user, (r) => r.failures).entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, options.tableRows ?? 10)
    .map(([user, total]) => {
      const mine = new Map<number, number>();
      for (const r of data) {
        if (r.user === user) mine.set(binStart(r.t, bin), (mine.get(binStart(r.t, bin)) ?? 0) + r.failures);
      }
      const [peakT, peak] = [...mine.entries()].reduce((
        a,
        b,
      ) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
      return { user, failures: total, bins: mine.size, peak_bin: binLabel(peakT, bin), peak };
    });
  if (others) notes.push(`The dashed gray line adds up the ${others}.`);
  return new Chart({
    id: "failures-over-time",
    title,
    caption,
    width,
    plots: [labeled],
    legends: [{ items: legendItems }],
    notes,
    table: {
      caption: "Users with the most failed sign-ins",
      columns: [
        { key: "user", label: "User" },
        { key: "failures", label: "Failures", align: "right" },
        { key: "bins", label: `${BIN_NAMES[bin]} with failures`, align: "right" },
        { key: "peak_bin", label: `Worst ${bin}` },
        { key: "peak", label: `Failures that ${bin}`, align: "right" },
      ],
      rows: perUser,
    },
  });
}

const BIN_NAMES: Record<TimeBin, string> = { hour: "Hours", day: "Days", week: "Weeks" };

/** The highest points, at most one per bin and per series, so two labels never sit on the same spot. */
function pickSpikes(points: readonly Point[], n: number, bin: TimeBin): Point[] {
  const sorted = [...points].filter((p) => p.failures > 0).sort((a, b) =>
    b.failures - a.failures || a.t - b.t || a.series.localeCompare(b.series)
  );
  const chosen: Point[] = [];
  const top = sorted[0]?.failures ?? 0;
  const near = 3 * (binEnd(0, bin) - binStart(0, bin));
  for (const p of sorted) {
    if (chosen.length >= n) break;
    // Labels collide only when close in both time and height: a brute force two bins before a tall spike,
    // far below it, still gets its own label.
    const collides = (c: Point) =>
      Math.abs(c.t - p.t) < near && Math.abs(c.failures - p.failures) < 0.2 * top;
    if (chosen.some(collides)) continue;
    chosen.push(p);
  }
  return chosen;
}
