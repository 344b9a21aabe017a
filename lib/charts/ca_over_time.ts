// Conditional Access result per day: a rising "failure" band means policies are blocking someone (attacker or
// colleague); a mostly "not applied" tenant has little CA coverage.
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { caStatusColor } from "./colors.ts";
import { countDomainMax, countYAxis } from "./count_ticks.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { plural } from "./svg_text.ts";
import {
  binEnd,
  binStart,
  binStarts,
  binXAxis,
  chooseBin,
  perBin,
  rowTime,
  type TimeBin,
} from "./time_bins.ts";

export interface CaOverTimeOptions {
  from?: string;
  to?: string;
  /** Time bin; by default from the range (hours need rows with an `hour` column, from `ca_result_hourly`). */
  bin?: TimeBin;
  width?: number;
  height?: number;
  title?: string;
}

const STATUS_ORDER = [
  "success",
  "failure",
  "notApplied",
  "reportOnlySuccess",
  "reportOnlyFailure",
  "reportOnlyNotApplied",
  "reportOnlyInterrupted",
  "unknownFutureValue",
];
const STATUS_LABELS: Record<string, string> = {
  success: "Granted (success)",
  failure: "Blocked (failure)",
  notApplied: "No policy applied",
  reportOnlySuccess: "Report-only: success",
  reportOnlyFailure: "Report-only: failure",
  reportOnlyNotApplied: "Report-only: not applied",
  reportOnlyInterrupted: "Report-only: interrupted",
  unknownFutureValue: "Unknown",
};

/** Stacked bars of sign-ins per hour, day or week by Conditional Access status; rows from `ca_result_daily`/`_hourly`. */
export function conditionalAccessOverTime(rows: readonly LooseRow[], options: CaOverTimeOptions = {}): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 300;
  const title = options.title ?? "Conditional Access result over time";
  const caption = "Look for times with many blocks and for a large gray share: sign-ins no policy looked at.";
  const data = rows.map((r) => ({
    t: rowTime(r),
    status: str(r.conditional_access_status) ?? "unknownFutureValue",
    signins: num(r.signins),
  }))
    .filter((r): r is { t: number; status: string; signins: number } => r.t !== null && r.signins > 0);
  if (data.length === 0) {
    return new Chart({
      id: "ca-over-time",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No sign-ins in this range",
    });
  }
  const hourly = rows.some((r) => r.hour !== undefined && r.hour !== null);
  let bin: TimeBin = options.bin ??
    (options.from && options.to ? chooseBin(options.from, options.to) : "day");
  if (bin === "hour" && !hourly) bin = "day";
  const present = [...new Set(data.map((r) => r.status))];
  const statuses = [
    ...STATUS_ORDER.filter((s) => present.includes(s)),
    ...present.filter((s) => !STATUS_ORDER.includes(s)).sort(),
  ];
  const starts = binStarts(bin, data.map((r) => r.t), options.from, options.to);
  const binned = new Map<string, { t: number; status: string; signins: number }>();
  for (const r of data) {
    const t = binStart(r.t, bin);
    const key = `${t}|${r.status}`;
    const b = binned.get(key) ?? { t, status: r.status, signins: 0 };
    b.signins += r.signins;
    binned.set(key, b);
  }
  const points = [...binned.values()].map((b) => ({
    ...b,
    x1: new Date(b.t),
    x2: new Date(binEnd(b.t, bin)),
  }));
  const perBinTotal = new Map<number, number>();
  for (const p of points) perBinTotal.set(p.t, (perBinTotal.get(p.t) ?? 0) + p.signins);
  const yMax = countDomainMax(Math.max(...perBinTotal.values()) * 1.05);
  const plot = renderPlot({
    width,
    height,
    marginLeft: 56,
    marginRight: 24,
    marginTop: 24,
    marginBottom: 36,
    x: binXAxis(starts, bin, width),
    y: countYAxis(`Sign-ins ${perBin(bin)}`, yMax),
    color: { type: "identity" },
    marks: [
      Plot.rectY(points, {
        x1: "x1",
        x2: "x2",
        y: "signins",
        z: "status",
        order: statuses,
        fill: (p: { status: string }) => caStatusColor(p.status),
        insetLeft: 0.5,
        insetRight: 0.5,
      } as never),
      Plot.ruleY([0]),
    ],
  });
  const totals = new Map<string, number>();
  for (const r of data) totals.set(r.status, (totals.get(r.status) ?? 0) + r.signins);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return new Chart({
    id: "ca-over-time",
    title,
    caption,
    width,
    plots: [plot],
    legends: [{
      title: "Conditional Access:",
      items: statuses.map((s) => ({ label: STATUS_LABELS[s] ?? s, color: caStatusColor(s) })),
    }],
    table: {
      caption: "Sign-ins by Conditional Access status over the whole range",
      columns: [
        { key: "status", label: "Status" },
        { key: "signins", label: "Sign-ins", align: "right" },
        { key: "share", label: "Share", align: "right" },
      ],
      rows: statuses.map((s) => ({
        status: STATUS_LABELS[s] ?? s,
        signins: totals.get(s) ?? 0,
        share: `${((100 * (totals.get(s) ?? 0)) / all).toFixed(1)}%`,
      })),
    },
    notes: [`${plural(all, "sign-in")} over ${plural(starts.length, bin)}.`],
  });
}
