// Conditional Access result per day: a rising "failure" band means policies are blocking someone (attacker or
// colleague); a mostly "not applied" tenant has little CA coverage.
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { caStatusColor } from "./colors.ts";
import { displayDays, toDate } from "./days.ts";
import { renderPlot } from "./render_plot.ts";
import { day, type LooseRow, num, str } from "./rows.ts";
import { formatCount } from "./svg_text.ts";

export interface CaOverTimeOptions {
  from?: string;
  to?: string;
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

/** Stacked daily bars of sign-ins by Conditional Access status; rows from `ca_result_daily`. */
export function conditionalAccessOverTime(rows: readonly LooseRow[], options: CaOverTimeOptions = {}): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 300;
  const title = options.title ?? "Conditional Access result per day";
  const caption = "Look for days with many blocks and for a large gray share: sign-ins no policy looked at.";
  const data = rows.map((r) => ({
    day: day(r.day),
    status: str(r.conditional_access_status) ?? "unknownFutureValue",
    signins: num(r.signins),
  }))
    .filter((r): r is { day: string; status: string; signins: number } => r.day !== null && r.signins > 0);
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
  const present = [...new Set(data.map((r) => r.status))];
  const statuses = [
    ...STATUS_ORDER.filter((s) => present.includes(s)),
    ...present.filter((s) => !STATUS_ORDER.includes(s)).sort(),
  ];
  const days = displayDays(data.map((r) => r.day), options.from, options.to);
  const points = data.map((r) => ({ ...r, date: toDate(r.day) }));
  const plot = renderPlot({
    width,
    height,
    marginLeft: 56,
    marginRight: 24,
    marginTop: 24,
    marginBottom: 36,
    x: {
      type: "utc",
      label: null,
      domain: [toDate(days[0]), new Date(toDate(days[days.length - 1]).getTime() + 86_400_000)],
    },
    y: { label: "Sign-ins per day", labelArrow: "up", grid: true },
    color: { type: "identity" },
    marks: [
      Plot.rectY(points, {
        x: "date",
        y: "signins",
        interval: "day",
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
    notes: [`${formatCount(all)} sign-ins over ${days.length} ${days.length === 1 ? "day" : "days"}.`],
  });
}
