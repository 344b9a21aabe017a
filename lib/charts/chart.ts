// The value every chart function returns: one self-contained SVG (title, caption, legend, plot, notes) that
// renders the same in a notebook, an HTML page and resvg, plus the top table the report prints beneath it.
import { escapeXml, textWidth, wrapText } from "./svg_text.ts";

/** Deno's Jupyter kernel displays any object that has this method; no Deno.jupyter needed in lib code. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

export const FONT_FAMILY = "DejaVu Sans, Verdana, system-ui, sans-serif";
export const TEXT_COLOR = "#222";
export const MUTED_COLOR = "#555";
const SVG_NS = "http://www.w3.org/2000/svg";
const PAD = 16;

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** Swatch shape: squares for areas and bars, circles for dots, lines for line marks. */
  readonly shape?: "square" | "circle" | "ring" | "line";
}

export interface Legend {
  readonly title?: string;
  readonly items: readonly LegendItem[];
}

export interface TableColumn {
  readonly key: string;
  readonly label: string;
  readonly align?: "left" | "right";
}

export interface ChartTable {
  readonly caption: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
}

/** A rendered Plot SVG (outer markup) and its size. */
export interface PlotPart {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

export interface ChartSpec {
  /** Stable, HTML-id-safe name, e.g. "failed-map"; also prefixes the SVG's internal ids. */
  readonly id: string;
  readonly title: string;
  /** One line: what to look for. */
  readonly caption: string;
  readonly width: number;
  readonly plots: readonly PlotPart[];
  readonly legends?: readonly Legend[];
  /** Continuous color legends (Plot ramp legends), drawn after the swatch legends. */
  readonly ramps?: readonly PlotPart[];
  /** Footnotes under the plot, e.g. how many sign-ins had no coordinates. */
  readonly notes?: readonly string[];
  /** When set, the chart has no data and shows this message in an outlined frame instead of a plot. */
  readonly emptyMessage?: string;
  readonly table?: ChartTable;
}

export class Chart {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly notes: readonly string[];
  readonly empty: boolean;
  readonly table: ChartTable | undefined;
  readonly width: number;
  readonly height: number;
  /** Standalone SVG with title and caption (notebooks, PNG files). */
  readonly svg: string;
  /** The same without title and caption, for pages that print those as HTML (the report). */
  readonly bodySvg: string;

  constructor(spec: ChartSpec) {
    this.id = spec.id;
    this.title = spec.title;
    this.caption = spec.caption;
    this.notes = spec.notes ?? [];
    this.empty = spec.emptyMessage !== undefined;
    this.table = spec.table;
    const full = composeSvg(spec, true);
    this.svg = full.svg;
    this.width = spec.width;
    this.height = full.height;
    this.bodySvg = composeSvg(spec, false).svg;
  }

  /** An HTML fragment: the standalone SVG in a figure. */
  toHtml(): string {
    return `<figure class="signin-lens-chart" id="${
      escapeXml(this.id)
    }" style="margin:0">${this.svg}</figure>`;
  }

  toString(): string {
    return this.svg;
  }

  // Only text/html: Debian's nbconvert HTML export blanks image/svg+xml outputs, inline SVG in HTML survives.
  [JUPYTER_DISPLAY](): Record<string, string> {
    return { "text/html": this.toHtml() };
  }
}

interface Block {
  readonly height: number;
  readonly markup: (y: number) => string;
}

function composeSvg(spec: ChartSpec, withHeader: boolean): { svg: string; height: number } {
  const width = spec.width;
  const inner = width - 2 * PAD;
  const blocks: Block[] = [];
  if (withHeader) {
    blocks.push(textBlock([spec.title], 16, TEXT_COLOR, inner, "bold", 6));
    blocks.push(textBlock(wrapText(spec.caption, inner, 12.5, 3), 12.5, MUTED_COLOR, inner, "normal", 6));
  }
  for (const legend of spec.legends ?? []) {
    if (legend.items.length > 0) blocks.push(legendBlock(legend, inner));
  }
  for (const ramp of spec.ramps ?? []) blocks.push(plotBlock(ramp, PAD));
  if (spec.emptyMessage !== undefined) {
    blocks.push(emptyBlock(spec.emptyMessage, inner));
  } else {
    for (const plot of spec.plots) blocks.push(plotBlock(plot, 0));
  }
  const notes = (spec.notes ?? []).flatMap((n) => wrapText(n, inner, 11.5));
  if (notes.length > 0) blocks.push(textBlock(notes, 11.5, MUTED_COLOR, inner, "normal", 2));

  let y = withHeader ? PAD - 4 : 6;
  const parts: string[] = [];
  for (const block of blocks) {
    parts.push(block.markup(y));
    y += block.height;
  }
  const height = Math.ceil(y + 8);
  const label = escapeXml(spec.title);
  const svg = `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${label}" font-family="${FONT_FAMILY}" font-size="12" fill="${TEXT_COLOR}">` +
    `<title>${label}</title><rect width="${width}" height="${height}" fill="white"/>` + parts.join("") +
    `</svg>`;
  return { svg: scopeIds(svg, spec.id), height };
}

function textBlock(
  lines: readonly string[],
  size: number,
  color: string,
  _inner: number,
  weight: "bold" | "normal",
  gapAfter: number,
): Block {
  const lineHeight = Math.round(size * 1.35);
  return {
    height: lines.length * lineHeight + gapAfter,
    markup: (y) =>
      lines.map((line, i) =>
        `<text x="${PAD}" y="${y + (i + 1) * lineHeight - Math.round(size * 0.3)}" font-size="${size}"` +
        `${weight === "bold" ? ' font-weight="bold"' : ""} fill="${color}">${escapeXml(line)}</text>`
      ).join(""),
  };
}

function legendBlock(legend: Legend, inner: number): Block {
  const size = 12;
  const rowHeight = 20;
  const swatch = 12;
  const placed: { x: number; row: number; item?: LegendItem; title?: string }[] = [];
  let x = 0;
  let row = 0;
  if (legend.title) {
    placed.push({ x: 0, row: 0, title: legend.title });
    x = textWidth(legend.title, size) + 10;
  }
  for (const item of legend.items) {
    const w = swatch + 6 + textWidth(item.label, size) + 16;
    if (x > 0 && x + w > inner) {
      row++;
      x = legend.title ? textWidth(legend.title, size) + 10 : 0;
    }
    placed.push({ x, row, item });
    x += w;
  }
  return {
    height: (row + 1) * rowHeight + 6,
    markup: (y) =>
      placed.map((p) => {
        const top = y + p.row * rowHeight + 4;
        const base = top + swatch - 1.5;
        if (p.title !== undefined) {
          return `<text x="${PAD}" y="${base}" font-size="${size}" font-weight="bold">${
            escapeXml(p.title)
          }</text>`;
        }
        const item = p.item!;
        const sx = PAD + p.x;
        const mark = item.shape === "ring"
          ? `<circle cx="${sx + swatch / 2}" cy="${top + swatch / 2}" r="${swatch / 2 - 1.1}" fill="none" ` +
            `stroke="${item.color}" stroke-width="2.2"/>`
          : item.shape === "circle"
          ? `<circle cx="${sx + swatch / 2}" cy="${top + swatch / 2}" r="${
            swatch / 2
          }" fill="${item.color}" ` +
            `fill-opacity="0.8" stroke="white"/>`
          : item.shape === "line"
          ? `<line x1="${sx}" x2="${sx + swatch}" y1="${top + swatch / 2}" y2="${top + swatch / 2}" ` +
            `stroke="${item.color}" stroke-width="3"/>`
          : `<rect x="${sx}" y="${top}" width="${swatch}" height="${swatch}" fill="${item.color}"/>`;
        return mark +
          `<text x="${sx + swatch + 6}" y="${base}" font-size="${size}">${escapeXml(item.label)}</text>`;
      }).join(""),
  };
}

function plotBlock(plot: PlotPart, x: number): Block {
  return {
    height: plot.height + 4,
    markup: (y) => plot.svg.replace(/^<svg\b/, `<svg x="${x}" y="${y}"`),
  };
}

function emptyBlock(message: string, inner: number): Block {
  const height = 110;
  return {
    height: height + 6,
    markup: (y) =>
      `<rect x="${PAD}" y="${y + 4}" width="${inner}" height="${height}" rx="6" fill="#f7f7f7" ` +
      `stroke="#bbb" stroke-dasharray="4 3"/>` +
      `<text x="${PAD + inner / 2}" y="${y + 4 + height / 2 + 5}" text-anchor="middle" font-size="15" ` +
      `fill="${MUTED_COLOR}">${escapeXml(message)}</text>`,
  };
}

/**
 * Renames every id in the SVG (Plot's clip paths use a process-wide counter) to `<chartId>-<n>` in order of
 * appearance: stable snapshots regardless of what rendered before, and no clashes between charts inlined in one
 * HTML page.
 */
function scopeIds(svg: string, chartId: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!map.has(m[1])) map.set(m[1], `${chartId}-${map.size + 1}`);
  }
  if (map.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, pre: string, id: string) => `${pre}${map.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => map.has(id) ? `url(#${map.get(id)})` : whole)
    .replace(
      /(href=")#([^"]+)"/g,
      (whole, pre: string, id: string) => map.has(id) ? `${pre}#${map.get(id)}"` : whole,
    );
}
