// Categories (authentication method, client app, application) as bars stacked by sign-in result, with the
// shared success / failure / interrupt colors.
import { horizontalStack, type StackDatum } from "./bars.ts";
import { Chart, type ChartTable } from "./chart.ts";
import { resultColor, resultLegend, RESULTS } from "./colors.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface ResultDatum {
  readonly category: string;
  readonly result: string;
  readonly count: number;
}

export interface ResultBarsSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly emptyMessage: string;
  readonly xLabel: string;
  readonly noun: string;
  readonly nouns?: string;
  readonly top: number;
  readonly width: number;
  readonly table?: ChartTable;
  readonly notes?: readonly string[];
  /** Label shown on the axis for a category (e.g. "IMAP4 (legacy)"); defaults to the category. */
  readonly labelOf?: (category: string) => string;
}

export function resultBarsChart(data: readonly ResultDatum[], spec: ResultBarsSpec): Chart {
  const rows = data.filter((d) => d.count > 0);
  if (rows.length === 0) {
    return new Chart({
      id: spec.id,
      title: spec.title,
      caption: spec.caption,
      width: spec.width,
      plots: [],
      emptyMessage: spec.emptyMessage,
    });
  }
  const split = topN(totalsBy(rows, (d) => d.category, (d) => d.count), spec.top);
  const others = split.others.length > 0
    ? othersLabel(split.others.length, spec.noun, spec.nouns)
    : undefined;
  const kept = new Set(split.kept);
  const labelOf = spec.labelOf ?? ((c: string) => c);
  const merged = new Map<string, StackDatum>();
  for (const d of rows) {
    const y = kept.has(d.category) ? labelOf(d.category) : others!;
    const key = `${y}|${d.result}`;
    const prev = merged.get(key);
    merged.set(key, { y, series: d.result, value: (prev?.value ?? 0) + d.count });
  }
  const present = [...new Set(rows.map((d) => d.result))];
  const order = [
    ...RESULTS.filter((r) => present.includes(r)),
    ...present.filter((r) => !(RESULTS as readonly string[]).includes(r)).sort(),
  ];
  const plot = horizontalStack([...merged.values()], {
    width: spec.width,
    yOrder: [...split.kept.map(labelOf), ...(others ? [others] : [])],
    seriesOrder: order,
    colorOf: resultColor,
    xLabel: spec.xLabel,
    othersY: others,
  });
  return new Chart({
    id: spec.id,
    title: spec.title,
    caption: spec.caption,
    width: spec.width,
    plots: [plot],
    legends: [{ title: "Result:", items: resultLegend(order) }],
    notes: spec.notes,
    table: spec.table,
  });
}
