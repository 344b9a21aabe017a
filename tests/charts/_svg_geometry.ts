// Where each piece of text in a chart's SVG lands, in the outer SVG's pixels: nested <svg x y>, translate()
// transforms, x/y/dx/dy (px or em), text-anchor and font-size are followed the way a renderer does; widths are
// DejaVu estimates (svg_text.ts). Enough to prove "no text outside the viewBox" and "no label on another label".
import { parseHTML } from "linkedom";
import { textWidth } from "../../lib/charts/svg_text.ts";

export interface TextBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** aria-label of the nearest group that has one (Plot names its marks: "x-axis tick label", "text", …). */
  role: string;
  /** class of the nearest group that has one (our own label groups: "point-labels", "spike-labels"). */
  group: string;
}

interface El {
  tagName: string;
  children: El[];
  textContent: string;
  getAttribute(name: string): string | null;
}

function num(v: string | null, fontSize: number): number {
  if (!v) return 0;
  const first = v.trim().split(/[\s,]+/)[0];
  if (first.endsWith("em")) return parseFloat(first) * fontSize;
  const n = parseFloat(first);
  return Number.isFinite(n) ? n : 0;
}

function translate(el: El): [number, number] {
  const t = el.getAttribute("transform");
  const m = t ? /translate\(\s*([-\d.e]+)[ ,]*([-\d.e]+)?\s*\)/.exec(t) : null;
  return m ? [parseFloat(m[1]), m[2] ? parseFloat(m[2]) : 0] : [0, 0];
}

function fontSizeOf(el: El, inherited: number): number {
  const style = el.getAttribute("style") ?? "";
  const m = /font-size:\s*([\d.]+)px/.exec(style);
  if (m) return parseFloat(m[1]);
  const a = el.getAttribute("font-size");
  return a ? parseFloat(a) : inherited;
}

/** Every non-empty <text> of the SVG with its estimated box, and the outer viewBox size. */
export function textBoxes(svg: string): { width: number; height: number; boxes: TextBox[] } {
  const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`) as unknown as {
    document: { querySelector(s: string): El };
  };
  const root = document.querySelector("svg");
  const [, , width, height] = (root.getAttribute("viewBox") ?? "0 0 0 0").split(/\s+/).map(Number);
  const boxes: TextBox[] = [];
  const walk = (
    el: El,
    ox: number,
    oy: number,
    ctx: { fontSize: number; anchor: string; role: string; group: string },
  ) => {
    const tag = el.tagName.toLowerCase();
    const fontSize = fontSizeOf(el, ctx.fontSize);
    const anchor = el.getAttribute("text-anchor") || ctx.anchor;
    const role = el.getAttribute("aria-label") || ctx.role;
    const group = el.getAttribute("class") || ctx.group;
    let [tx, ty] = translate(el);
    if (tag === "svg" && el !== root) {
      tx += num(el.getAttribute("x"), fontSize);
      ty += num(el.getAttribute("y"), fontSize);
    }
    if (tag === "text") {
      const text = el.textContent.trim();
      if (text === "") return;
      const x = ox + tx + num(el.getAttribute("x"), fontSize) + num(el.getAttribute("dx"), fontSize);
      const y = oy + ty + num(el.getAttribute("y"), fontSize) + num(el.getAttribute("dy"), fontSize);
      const w = textWidth(text, fontSize);
      const x0 = anchor === "middle" ? x - w / 2 : anchor === "end" ? x - w : x;
      // y is the baseline: ascent ~0.76 em above it, descent ~0.24 em below.
      boxes.push({ text, x0, x1: x0 + w, y0: y - 0.76 * fontSize, y1: y + 0.24 * fontSize, role, group });
      return;
    }
    if (tag === "title" || tag === "clippath" || tag === "defs") return;
    for (const child of el.children) {
      walk(child, ox + tx, oy + ty, { fontSize, anchor, role, group });
    }
  };
  walk(root, 0, 0, { fontSize: 12, anchor: "start", role: "", group: "" });
  return { width, height, boxes };
}

/** Texts reaching outside the viewBox by more than `slack` pixels. */
export function outside(svg: string, slack = 1): TextBox[] {
  const { width, height, boxes } = textBoxes(svg);
  return boxes.filter((b) => b.x0 < -slack || b.y0 < -slack || b.x1 > width + slack || b.y1 > height + slack);
}

/** Pairs of texts that overprint each other (boxes overlapping by more than `slack` pixels both ways). */
export function overlapping(boxes: readonly TextBox[], slack = 1): [TextBox, TextBox][] {
  const out: [TextBox, TextBox][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      const dy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (dx > slack && dy > slack) out.push([a, b]);
    }
  }
  return out;
}
