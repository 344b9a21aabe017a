// A continuous color legend drawn as plain SVG. Plot's own ramp legend paints its gradient on a <canvas>,
// which does not exist server-side.
import type { PlotPart } from "./chart.ts";
import { countStep } from "./count_ticks.ts";
import { escapeXml, formatCount } from "./svg_text.ts";

export interface RampOptions {
  readonly label: string;
  /** Largest value; the ramp starts at 0. */
  readonly max: number;
  /** Value → color. */
  readonly color: (value: number) => string;
  /** "sqrt" spaces the ramp like a square-root color scale (default "linear"). */
  readonly type?: "linear" | "sqrt";
  readonly width?: number;
}

/**
 * Whole-number tick values between 0 and max (inclusive of 0), about `count` of them: every ramp counts sign-ins,
 * and a legend saying 0.2 … 0.8 failed sign-ins is nonsense. The max itself is always a tick, so the darkest colour
 * is labelled with the largest count.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const step = countStep(max, count);
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  if (ticks[ticks.length - 1] !== max && Number.isInteger(max)) ticks.push(max);
  return ticks;
}

export function rampLegend(options: RampOptions): PlotPart {
  const width = options.width ?? 260;
  const barHeight = 10;
  const top = 16;
  const sqrt = options.type === "sqrt";
  const pos = (
    v: number,
  ) => (options.max > 0 ? (sqrt ? Math.sqrt(v / options.max) : v / options.max) * width : 0);
  const stops: string[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = i / 16;
    const v = (sqrt ? t * t : t) * options.max;
    stops.push(`<stop offset="${(t * 100).toFixed(2)}%" stop-color="${options.color(v)}"/>`);
  }
  // Keep the first and the last (the max); drop inner ticks that would crowd their neighbours.
  const all = niceTicks(options.max, sqrt ? 5 : 4);
  const ticks: number[] = [];
  for (const [i, v] of all.entries()) {
    const last = i === all.length - 1;
    if (i === 0 || pos(v) - pos(ticks[ticks.length - 1]) >= (last ? 34 : 28)) ticks.push(v);
    else if (last) ticks[ticks.length - 1] = v;
  }
  const tickMarks = ticks.map((v) => {
    const x = pos(v).toFixed(1);
    return `<line x1="${x}" x2="${x}" y1="${top}" y2="${top + barHeight + 4}" stroke="#555"/>` +
      `<text x="${x}" y="${top + barHeight + 15}" text-anchor="middle" font-size="11">${
        formatCount(v)
      }</text>`;
  }).join("");
  const height = top + barHeight + 20;
  const svg = `<svg width="${width + 20}" height="${height}" viewBox="-10 0 ${width + 20} ${height}">` +
    `<defs><linearGradient id="ramp" x1="0" x2="1" y1="0" y2="0">${stops.join("")}</linearGradient></defs>` +
    `<text x="0" y="11" font-size="12" font-weight="bold">${escapeXml(options.label)}</text>` +
    `<rect x="0" y="${top}" width="${width}" height="${barHeight}" fill="url(#ramp)"/>${tickMarks}</svg>`;
  return { svg, width: width + 20, height };
}
