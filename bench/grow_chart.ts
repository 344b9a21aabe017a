/** The grow bench's curve as a PNG: seconds per step against the store's size, drawn with Plot like the report. */
import * as Plot from "@observablehq/plot";
import { renderPlot } from "../lib/charts/render_plot.ts";
import { svgToPng } from "../lib/charts/png.ts";
import type { GrowResults } from "./grow_report.ts";

const COLD = "full report, cold process";

export function growChartPng(r: GrowResults): Uint8Array {
  const data: { millions: number; seconds: number; series: string }[] = [];
  // Each nightly dot is labelled with its day's sign-ins: a chunk's newest day may be a weekend day, which
  // holds a tenth of a working day's, and its dot dips for that reason alone.
  const nightlyDays: { millions: number; seconds: number; label: string; weekend: boolean }[] = [];
  for (const p of r.points) {
    if (!p.storedAfter) continue;
    const x = p.storedAfter / 1e6;
    if (p.load?.ok) data.push({ millions: x, seconds: p.load.seconds!, series: "chunk load (1 chunk)" });
    if (p.nightly?.ok) {
      data.push({ millions: x, seconds: p.nightly.seconds!, series: "nightly increment (1 day)" });
      const read = p.nightly.detail?.read;
      const day = p.nightly.detail?.day;
      if (typeof read === "number") {
        const weekday = typeof day === "string" ? new Date(day + "T00:00:00Z").getUTCDay() : -1;
        nightlyDays.push({
          millions: x,
          seconds: p.nightly.seconds!,
          label: read >= 1000 ? `${Math.round(read / 1000)}k` : String(read),
          weekend: weekday === 0 || weekday === 6,
        });
      }
    }
    if (p.queries?.ok) {
      data.push({ millions: x, seconds: p.queries.seconds!, series: "report queries + triage, warm" });
    }
  }
  if (r.cold?.ok) {
    data.push({
      millions: r.cold.storedRecords / 1e6,
      seconds: r.cold.seconds!,
      series: COLD,
    });
  }
  const xMax = Math.ceil(Math.max(1, ...data.map((d) => d.millions)));
  const seconds = data.map((d) => d.seconds);
  const part = renderPlot({
    width: 900,
    height: 420,
    marginLeft: 56,
    marginRight: 210,
    // Ticks at every whole million from 0: the first chunk's points sit at 1, which must be readable.
    x: {
      label: "sign-ins in the store (millions)",
      grid: true,
      domain: [0, xMax],
      ticks: xMax,
    },
    // Room below the lowest dot for its label; with no point measured yet, Plot's own (empty) domain.
    y: {
      label: "seconds (log scale)",
      type: "log",
      grid: true,
      ...(seconds.length > 0 ? { domain: [Math.min(...seconds) / 1.5, Math.max(...seconds) * 1.1] } : {}),
    },
    // No Plot legend (it comes as a separate <svg>): each line is labelled at its last point instead.
    color: { domain: [...new Set(data.map((d) => d.series))] },
    marks: [
      Plot.line(data, { x: "millions", y: "seconds", z: "series", stroke: "series", strokeWidth: 2 }),
      Plot.dot(data, { x: "millions", y: "seconds", stroke: "series", fill: "white", r: 3 }),
      Plot.text(nightlyDays, {
        x: "millions",
        y: "seconds",
        text: "label",
        dy: 12,
        fontSize: 10,
        fill: "#555",
      }),
      // The cold report is one point beside the last chunk load, close in seconds: its label goes below it.
      Plot.text(
        data.filter((d) => d.series !== COLD),
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
      Plot.text(data.filter((d) => d.series === COLD), {
        x: "millions",
        y: "seconds",
        text: "series",
        fill: "series",
        dx: 8,
        dy: 10,
        textAnchor: "start",
      }),
    ],
  });
  // Plot drops a title into a <figure>; the title is drawn here instead, above the plot's own <svg>.
  const title = `signin-lens grow bench: ${r.chunks} loads of ${r.chunk.toLocaleString("en-US")} sign-ins, ` +
    `${r.date.slice(0, 10)}${r.complete ? "" : " (incomplete)"}`;
  const weekendDays = nightlyDays.filter((d) => d.weekend).length;
  const subtitle = nightlyDays.length === 0
    ? ""
    : `Nightly dots are labelled with that day's sign-ins${
      weekendDays === 0
        ? ""
        : nightlyDays.length === 1
        ? "; that day is a weekend day, with a fraction of a working day's"
        : `; ${weekendDays} of the ${nightlyDays.length} days ${
          weekendDays === 1 ? "is a weekend day" : "are weekend days"
        }, with a fraction of a working day's`
    }.`;
  const top = subtitle ? 52 : 32;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${part.width}" height="${part.height + top}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="12" y="22" font-family="DejaVu Sans" font-size="15" font-weight="bold">${
      escapeXml(title)
    }</text>` +
    (subtitle
      ? `<text x="12" y="42" font-family="DejaVu Sans" font-size="12" fill="#444">${
        escapeXml(subtitle)
      }</text>`
      : "") +
    `<g transform="translate(0,${top})">${part.svg}</g></svg>`;
  return svgToPng(svg);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}
