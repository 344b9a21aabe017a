// Sign-ins per UTC day by kind, with every day of the range drawn, so a day with none is a visible hole and
// is also named in the notes: before a "nothing found" answer is trusted, the analyst sees which days the
// store does not have. Rows from queries/signins_by_day_kind_source.sql.
import * as Plot from "@observablehq/plot";
import { Chart } from "../charts/chart.ts";
import { countDomainMax, countYAxis } from "../charts/count_ticks.ts";
import { renderPlot } from "../charts/render_plot.ts";
import { type LooseRow, num, str } from "../charts/rows.ts";
import { formatCount, plural } from "../charts/svg_text.ts";
import { binStarts, binXAxis, rowTime } from "../charts/time_bins.ts";
import { summariseDays } from "./format_coverage.ts";
import { SIGN_IN_KINDS } from "../sources/sign_in_kind.ts";

const DAY = 86_400_000;
/** Kinds stack in the order sign_in_kind.ts lists them; a kind it does not know comes after. */
const KIND_ORDER: readonly string[] = SIGN_IN_KINDS;
const KIND_LABELS: Record<string, string> = {
  interactive: "Interactive user",
  nonInteractive: "Non-interactive user",
  servicePrincipal: "Service principal",
  managedIdentity: "Managed identity",
  adfs: "AD FS",
  unknown: "Kind not recorded",
};
// Okabe–Ito: told apart with the common colour-vision deficiencies.
const KIND_COLORS: Record<string, string> = {
  interactive: "#0072B2",
  nonInteractive: "#56B4E9",
  servicePrincipal: "#E69F00",
  managedIdentity: "#009E73",
  adfs: "#CC79A7",
  unknown: "#999999",
};

export interface CoverageChartOptions {
  /** The report's range: days in it without a row are days with no sign-ins. */
  from?: string;
  to?: string;
  width?: number;
  height?: number;
}

export function coverageChart(rows: readonly LooseRow[], options: CoverageChartOptions = {}): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 260;
  const title = "Sign-ins per day by kind: which days are missing";
  const caption = "A gap is a day the store has no sign-ins for: fill it before trusting a quiet day.";
  const data = rows.map((r) => ({
    t: rowTime(r),
    kind: str(r.sign_in_kind) ?? "unknown",
    source: str(r.source_format) ?? "unknown",
    signins: num(r.signins),
  })).filter((r): r is { t: number; kind: string; source: string; signins: number } =>
    r.t !== null && r.signins > 0
  );
  const starts = binStarts("day", data.map((r) => r.t), options.from, options.to);
  if (starts.length === 0) {
    return new Chart({
      id: "coverage",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No days in this range",
    });
  }
  if (data.length === 0) {
    // Every day is missing: say so in words rather than draw a frame of shaded days that reads as a chart.
    return new Chart({
      id: "coverage",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: `No sign-ins on any of the ${plural(starts.length, "day")} of this range`,
    });
  }
  const perDay = new Map<number, number>();
  const byKind = new Map<string, { t: number; kind: string; signins: number }>();
  const bySource = new Map<string, number>();
  for (const r of data) {
    const t = Math.floor(r.t / DAY) * DAY;
    perDay.set(t, (perDay.get(t) ?? 0) + r.signins);
    const k = `${t}|${r.kind}`;
    const e = byKind.get(k) ?? { t, kind: r.kind, signins: 0 };
    e.signins += r.signins;
    byKind.set(k, e);
    bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.signins);
  }
  const missing = starts.filter((t) => !perDay.has(t)).map((t) => new Date(t).toISOString().slice(0, 10));
  const present = [...new Set(data.map((r) => r.kind))];
  const kinds = [
    ...KIND_ORDER.filter((k) => present.includes(k)),
    ...present.filter((k) => !KIND_ORDER.includes(k)),
  ];
  const yMax = countDomainMax(Math.max(1, ...perDay.values()) * 1.05);
  const points = [...byKind.values()].map((p) => ({ ...p, x1: new Date(p.t), x2: new Date(p.t + DAY) }));
  const plot = renderPlot({
    width,
    height,
    marginLeft: 56,
    marginRight: 24,
    marginTop: 24,
    marginBottom: 36,
    x: binXAxis(starts, "day", width),
    y: countYAxis("Sign-ins per day", yMax),
    color: { type: "identity" },
    marks: [
      // Days with no sign-ins, shaded over the whole height so an empty day cannot pass for a quiet one.
      Plot.rectY(
        missing.map((d) => ({
          x1: new Date(`${d}T00:00:00Z`),
          x2: new Date(Date.parse(`${d}T00:00:00Z`) + DAY),
        })),
        {
          x1: "x1",
          x2: "x2",
          y: yMax,
          fill: "#f2c4c4",
        } as never,
      ),
      Plot.rectY(points, {
        x1: "x1",
        x2: "x2",
        y: "signins",
        z: "kind",
        order: kinds,
        fill: (p: { kind: string }) => KIND_COLORS[p.kind] ?? KIND_COLORS.unknown,
        insetLeft: 0.5,
        insetRight: 0.5,
      } as never),
      Plot.ruleY([0]),
    ],
  });
  const total = [...perDay.values()].reduce((a, b) => a + b, 0);
  const kindTotals = new Map<string, number>();
  for (const p of byKind.values()) kindTotals.set(p.kind, (kindTotals.get(p.kind) ?? 0) + p.signins);
  return new Chart({
    id: "coverage",
    title,
    caption,
    width,
    plots: [plot],
    legends: [{
      title: "Kind:",
      items: [
        ...kinds.map((k) => ({ label: KIND_LABELS[k] ?? k, color: KIND_COLORS[k] ?? KIND_COLORS.unknown })),
        ...(missing.length ? [{ label: "No sign-ins that day", color: "#f2c4c4" }] : []),
      ],
    }],
    table: {
      caption: "Sign-ins by source over the whole range",
      columns: [
        { key: "source", label: "Source", align: "left" },
        { key: "signins", label: "Sign-ins", align: "right" },
      ],
      rows: [...bySource.entries()].sort((a, b) => b[1] - a[1]).map(([source, signins]) => ({
        source,
        signins,
      })),
    },
    notes: [
      `${plural(total, "sign-in")} over ${plural(starts.length, "day")}: ${
        kinds.map((k) => `${KIND_LABELS[k] ?? k} ${formatCount(kindTotals.get(k) ?? 0)}`).join(", ")
      }.`,
      missing.length
        ? `No sign-ins on ${plural(missing.length, "day")}: ${summariseDays(missing)}.`
        : "Every day of the range has sign-ins.",
      "Days pulled only in part and Graph's 30-day horizon: deno task coverage.",
    ],
  });
}
