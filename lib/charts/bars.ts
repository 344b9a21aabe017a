// Horizontal stacked bars, shared by the per-user, per-app, per-method and per-country charts.
import * as Plot from "@observablehq/plot";
import type { PlotPart } from "./chart.ts";
import { countDomainMax, countTicks } from "./count_ticks.ts";
import { renderPlot } from "./render_plot.ts";
import { fitWidth, formatCount, textWidth } from "./svg_text.ts";

export interface StackDatum {
  readonly y: string;
  readonly series: string;
  readonly value: number;
  /** Facet column (e.g. "Failures" / "Interrupts"). */
  readonly fx?: string;
}

export interface StackOptions {
  readonly width: number;
  /** Category order top to bottom. */
  readonly yOrder: readonly string[];
  /** Stack order left to right. */
  readonly seriesOrder: readonly string[];
  readonly colorOf: (series: string) => string;
  readonly xLabel: string;
  /** Facet columns, left to right; omit for a single panel. */
  readonly facets?: readonly string[];
  /** Widest y label in pixels before it is shortened with an ellipsis (default 250). */
  readonly maxLabelWidth?: number;
  /**
   * The "others" bucket: drawn muted, and left out of the axis range so thousands of folded users don't squash
   * the named bars; when it is longer it is cut at the axis end and its total printed there.
   */
  readonly othersY?: string;
}

const ROW = 22;

export function horizontalStack(data: readonly StackDatum[], options: StackOptions): PlotPart {
  const maxLabel = options.maxLabelWidth ?? 250;
  const labels = new Map(options.yOrder.map((y) => [y, fitWidth(y, maxLabel, 12)]));
  const marginLeft =
    Math.ceil(Math.min(maxLabel, Math.max(40, ...[...labels.values()].map((l) => textWidth(l, 12))))) + 14;
  const faceted = options.facets !== undefined && options.facets.length > 0;
  const marginTop = faceted ? 30 : 8;
  const height = marginTop + 36 + options.yOrder.length * ROW;
  const totals = new Map<string, { y: string; fx?: string; total: number }>();
  for (const d of data) {
    const key = `${d.fx ?? ""}\u0000${d.y}`;
    const t = totals.get(key) ?? { y: d.y, fx: d.fx, total: 0 };
    t.total += d.value;
    totals.set(key, t);
  }
  const totalRows = [...totals.values()].filter((t) => t.total > 0);
  const named = totalRows.filter((t) => t.y !== options.othersY);
  const max = niceMax(Math.max(1, ...(named.length > 0 ? named : totalRows).map((t) => t.total)));
  const seriesRank = new Map(options.seriesOrder.map((s, i) => [s, i]));
  const sorted = [...data].filter((d) => d.value > 0).sort((a, b) =>
    (seriesRank.get(a.series) ?? 1e9) - (seriesRank.get(b.series) ?? 1e9)
  );
  const muted = (y: string) => y === options.othersY;
  return renderPlot({
    width: options.width,
    height,
    marginLeft,
    marginRight: 56,
    marginTop,
    marginBottom: 36,
    x: {
      label: options.xLabel,
      labelAnchor: "right",
      labelArrow: "right",
      grid: true,
      domain: [0, max],
      ticks: countTicks(max).filter((t) => t <= max),
      tickFormat: formatCount,
    },
    y: {
      domain: options.yOrder as string[],
      label: null,
      tickFormat: (y: string) => labels.get(y) ?? y,
      padding: 0.18,
    },
    ...(faceted ? { fx: { domain: options.facets as string[], label: null, padding: 0.12 } } : {}),
    color: { type: "identity" },
    marks: [
      Plot.barX(sorted, {
        y: "y",
        x: "value",
        ...(faceted ? { fx: "fx" } : {}),
        z: "series",
        order: options.seriesOrder as string[],
        fill: (d: StackDatum) => options.colorOf(d.series),
        fillOpacity: (d: StackDatum) => (muted(d.y) ? 0.55 : 1),
        clip: true,
      } as never),
      Plot.text(totalRows, {
        y: "y",
        x: (t: { total: number }) => Math.min(t.total, max),
        ...(faceted ? { fx: "fx" } : {}),
        text: (t: { total: number }) => formatCount(t.total) + (t.total > max ? " ▸" : ""),
        textAnchor: "start",
        dx: 4,
        fontSize: 11,
        fill: "#444",
      } as never),
      Plot.ruleX([0]),
    ],
  });
}

/** A round axis end a little above `max`, on a whole-number tick (bars count sign-ins). */
function niceMax(max: number): number {
  return countDomainMax(max * 1.04);
}
