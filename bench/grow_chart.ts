/** The grow bench's curve as a PNG: seconds per step against the store's size, drawn with Plot like the report. */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../lib/charts/render_plot.ts";
import { svgToPng } from "../lib/charts/png.ts";
import type { GrowResults } from "./grow_report.ts";

export function growChartPng(r: GrowResults): Uint8Array {
  const data: { millions: number; seconds: number; series: string }[] = [];
  for (const p of r.points) {
    if (!p.storedAfter) continue;
    const x = p.storedAfter / 1e6;
    if (p.load?.ok) data.push({ millions: x, seconds: p.load.seconds!, series: "chunk load (1 chunk)" });
    if (p.nightly?.ok) {
      data.push({ millions: x, seconds: p.nightly.seconds!, series: "nightly increment (1 day)" });
    }
    if (p.queries?.ok) {
      data.push({ millions: x, seconds: p.queries.seconds!, series: "report queries + triage, warm" });
    }
  }
  if (r.cold?.ok) {
    data.push({
      millions: r.cold.storedRecords / 1e6,
      seconds: r.cold.seconds!,
      series: "full report, cold process",
    });
  }
  const part = renderPlot({
    width: 900,
    height: 420,
    marginLeft: 56,
    marginRight: 210,
    x: { label: "sign-ins in the store (millions)", grid: true },
    y: { label: "seconds (log scale)", type: "log", grid: true },
    // No Plot legend (it comes as a separate <svg>): each line is labelled at its last point instead.
    color: { domain: [...new Set(data.map((d) => d.series))] },
    marks: [
      Plot.line(data, { x: "millions", y: "seconds", z: "series", stroke: "series", strokeWidth: 2 }),
      Plot.dot(data, { x: "millions", y: "seconds", stroke: "series", fill: "white", r: 3 }),
      Plot.text(
        data,
        Plot.selectLast({
          x: "millions",
          y: "seconds",
          z: "series",
          text: "series",
          fill: "series",
          dx: 8,
          textAnchor: "start",
        }),
      ),
    ],
  });
  // Plot drops a title into a <figure>; the title is drawn here instead, above the plot's own <svg>.
  const title = `signin-lens grow bench: ${r.chunks} loads of ${r.chunk.toLocaleString("en-US")} sign-ins, ` +
    `${r.date.slice(0, 10)}${r.complete ? "" : " (incomplete)"}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${part.width}" height="${part.height + 32}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="12" y="22" font-family="DejaVu Sans" font-size="15" font-weight="bold">${
      escapeXml(title)
    }</text>` +
    `<g transform="translate(0,32)">${part.svg}</g></svg>`;
  return svgToPng(svg);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}
