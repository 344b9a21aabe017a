// Point labels that never overprint each other or another point, and stay next to their own point: each label
// tries spots around its dot, nearest first, and takes a leader line when it has to move away. Pure geometry in
// pixels, so the map and the scatter share it and tests can check the result without a renderer.
import { escapeXml, textWidth } from "./svg_text.ts";

export interface LabelItem {
  /** Dot centre and radius, in the plot's pixel coordinates. */
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly text: string;
}

export interface Circle {
  readonly x: number;
  readonly y: number;
  readonly r: number;
}

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface PlacedLabel {
  /** Index of the item in the input list. */
  readonly index: number;
  readonly text: string;
  /** Text position: `x` at the `anchor` side, `y` the baseline. */
  readonly x: number;
  readonly y: number;
  readonly anchor: "start" | "middle" | "end";
  readonly box: Box;
  /** From the dot's edge to the label, when the label sits away from its dot. */
  readonly leader?: { readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number };
}

export interface LayoutOptions {
  readonly fontSize: number;
  /** Labels must stay inside this box (the plot frame). */
  readonly bounds: Box;
  /** Every dot drawn, the labelled ones included: no label may cover one. */
  readonly obstacles: readonly Circle[];
  /** At most this many labels (items are taken in the order given: most important first). */
  readonly max: number;
  /** Largest gap between a dot's edge and its label, in pixels (default 60). */
  readonly reach?: number;
  /** Gap up to which no leader line is drawn (default 6). */
  readonly leaderFrom?: number;
}

const PAD = 2;

export function overlaps(a: Box, b: Box, pad = 0): boolean {
  return a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad && b.y0 < a.y1 + pad;
}

/** Distance from a point to a box (0 inside). */
export function boxDistance(b: Box, x: number, y: number): number {
  const dx = Math.max(b.x0 - x, 0, x - b.x1);
  const dy = Math.max(b.y0 - y, 0, y - b.y1);
  return Math.hypot(dx, dy);
}

function segmentHitsBox(x1: number, y1: number, x2: number, y2: number, b: Box): boolean {
  // Sampling is exact enough at label scale (boxes are ≥ 10 px tall, leaders ≤ reach px long).
  for (let t = 0; t <= 1; t += 0.05) {
    const x = x1 + (x2 - x1) * t;
    const y = y1 + (y2 - y1) * t;
    if (x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1) return true;
  }
  return false;
}

/** Places labels, most important first; a label with no free spot within reach is left out. */
export function layoutLabels(items: readonly LabelItem[], options: LayoutOptions): PlacedLabel[] {
  const reach = options.reach ?? 60;
  const leaderFrom = options.leaderFrom ?? 6;
  const h = Math.round(options.fontSize * 1.25);
  const ascent = Math.round(options.fontSize * 0.92);
  const placed: PlacedLabel[] = [];
  const { bounds } = options;
  const gaps = [3, 8, 16, 26, 40, reach].filter((g) => g <= reach);
  // Right, left, above, below first (they read best), then the diagonals.
  const directions: readonly [number, number][] = [
    [1, 0],
    [-1, 0],
    [0, -1],
    [0, 1],
    [1, -1],
    [-1, -1],
    [1, 1],
    [-1, 1],
  ];
  for (let index = 0; index < items.length && placed.length < options.max; index++) {
    const item = items[index];
    const w = textWidth(item.text, options.fontSize) + 4;
    let found: PlacedLabel | undefined;
    for (const gap of gaps) {
      for (const [dx, dy] of directions) {
        const d = item.r + gap;
        const diag = dx !== 0 && dy !== 0 ? Math.SQRT1_2 : 1;
        const px = item.x + dx * d * diag;
        const py = item.y + dy * d * diag;
        const x0 = dx > 0 ? px : dx < 0 ? px - w : px - w / 2;
        const y0 = dy > 0 ? py : dy < 0 ? py - h : py - h / 2;
        const box = { x0, y0, x1: x0 + w, y1: y0 + h };
        if (box.x0 < bounds.x0 || box.y0 < bounds.y0 || box.x1 > bounds.x1 || box.y1 > bounds.y1) continue;
        if (placed.some((p) => overlaps(p.box, box, PAD))) continue;
        if (options.obstacles.some((o) => boxDistance(box, o.x, o.y) < o.r + 1)) continue;
        const own = boxDistance(box, item.x, item.y) - item.r;
        // Without a leader the nearest dot must be its own, or a reader pins the label on a neighbour.
        const needsLeader = gap > leaderFrom;
        if (
          !needsLeader &&
          options.obstacles.some((o) =>
            !(o.x === item.x && o.y === item.y) && boxDistance(box, o.x, o.y) - o.r < own + 2
          )
        ) continue;
        let leader: PlacedLabel["leader"];
        if (needsLeader) {
          const tx = Math.min(Math.max(item.x, box.x0), box.x1);
          const ty = Math.min(Math.max(item.y, box.y0), box.y1);
          const len = Math.hypot(tx - item.x, ty - item.y);
          leader = {
            x1: item.x + ((tx - item.x) / len) * item.r,
            y1: item.y + ((ty - item.y) / len) * item.r,
            x2: tx,
            y2: ty,
          };
          const l = leader;
          if (placed.some((p) => segmentHitsBox(l.x1, l.y1, l.x2, l.y2, p.box))) continue;
        }
        const anchor = dx > 0 ? "start" : dx < 0 ? "end" : "middle";
        found = {
          index,
          text: item.text,
          x: anchor === "start" ? box.x0 + 2 : anchor === "end" ? box.x1 - 2 : (box.x0 + box.x1) / 2,
          y: box.y0 + ascent,
          anchor,
          box,
          leader,
        };
        break;
      }
      if (found) break;
    }
    if (found) placed.push(found);
  }
  return placed;
}

/** The labels as SVG (leader lines under haloed text), to append inside the plot's own <svg>. */
export function labelsSvg(
  labels: readonly PlacedLabel[],
  style: { fontSize: number; fontWeight?: "bold" | "normal"; color?: string },
): string {
  const color = style.color ?? "#222";
  const lines = labels.filter((l) => l.leader).map((l) => {
    const { x1, y1, x2, y2 } = l.leader!;
    return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${
      y2.toFixed(1)
    }" stroke="#444" stroke-width="0.8"/>`;
  }).join("");
  const texts = labels.map((l) =>
    `<text x="${l.x.toFixed(1)}" y="${
      l.y.toFixed(1)
    }" text-anchor="${l.anchor}" font-size="${style.fontSize}"` +
    `${style.fontWeight === "bold" ? ' font-weight="bold"' : ""} fill="${color}" stroke="white" ` +
    `stroke-width="3" paint-order="stroke" stroke-linejoin="round">${escapeXml(l.text)}</text>`
  ).join("");
  return `<g class="point-labels">${lines}${texts}</g>`;
}

/** Inserts markup just before the closing tag of a Plot SVG. */
export function appendToSvg(svg: string, markup: string): string {
  const at = svg.lastIndexOf("</svg>");
  return at < 0 ? svg : svg.slice(0, at) + markup + svg.slice(at);
}
