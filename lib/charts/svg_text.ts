// Small string helpers for hand-written SVG/HTML. Text metrics are estimates for DejaVu Sans (the font the
// PNGs are rendered with, and wider than most system UI fonts), so layouts err on the roomy side.

/** Escapes text for use in XML/HTML text nodes and double-quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}

/** Width of one glyph in em; injectable so tests can count how much measuring a layout does. */
export type GlyphEm = (ch: string) => number;

/** DejaVu Sans averages ~0.6 em per glyph; narrow punctuation, wide m/w/@, capitals and digits in between. */
export const glyphEm: GlyphEm = (ch) => {
  if ("ilI.,:;'|!".includes(ch)) return 0.32;
  if ("mwMW@".includes(ch)) return 0.9;
  const c = ch.charCodeAt(0);
  if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return 0.68;
  return 0.6;
};

const MIN_GLYPH_EM = 0.32;
/**
 * Longest text a label or caption is ever wrapped from: a Graph value can be 20,000 characters (user agents,
 * failure reasons), and no chart shows more than a few lines of one.
 */
export const MAX_LABEL_INPUT = 2_000;

/** Approximate rendered width of `text` in pixels at `fontSize`. */
export function textWidth(text: string, fontSize: number, em: GlyphEm = glyphEm): number {
  let sum = 0;
  for (const ch of text) sum += em(ch);
  return sum * fontSize;
}

/** The first `max` code points of `text` (without spreading all of a long string). */
function headChars(text: string, max: number): string[] {
  const out: string[] = [];
  if (max <= 0) return out;
  for (const ch of text) {
    out.push(ch);
    if (out.length >= max) break;
  }
  return out;
}

/** Shortens `text` to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (max < 2) return headChars(text, max).join("");
  const chars = headChars(text, max + 1);
  return chars.length <= max ? text : chars.slice(0, max - 1).join("").trimEnd() + "…";
}

/**
 * Greedy word wrap into lines that fit `maxWidth` pixels; words longer than a line are truncated. Linear in the
 * text: line widths are kept as running sums, and wrapping stops once `maxLines` are full.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  fontSize: number,
  maxLines = Infinity,
  em: GlyphEm = glyphEm,
): string[] {
  const head = text.length > MAX_LABEL_INPUT ? headChars(text, MAX_LABEL_INPUT).join("") : text;
  const words = head.split(/\s+/).filter((w) => w !== "");
  const space = em(" ");
  const lines: string[] = [];
  let line = "";
  let lineEm = 0;
  for (const word of words) {
    if (lines.length > maxLines) break;
    // The candidate's width summed glyph by glyph in text order, as textWidth() would measure it.
    let candidate = lineEm + space;
    for (const ch of word) candidate += em(ch);
    if (line === "") {
      line = word;
      lineEm = textWidth(word, 1, em);
    } else if (candidate * fontSize <= maxWidth) {
      line = `${line} ${word}`;
      lineEm = candidate;
    } else {
      lines.push(line);
      line = word;
      lineEm = textWidth(word, 1, em);
    }
  }
  if (line !== "" && lines.length <= maxLines) lines.push(line);
  const cut = text.length > head.length || lines.length > maxLines;
  const fitted = lines.slice(0, maxLines).map((l) => fitWidth(l, maxWidth, fontSize, em));
  if (cut) {
    const last = fitted.length - 1;
    fitted[last] = fitWidth(fitted[last] + " …", maxWidth, fontSize, em);
    if (!fitted[last].endsWith("…")) fitted[last] += "…";
  }
  return fitted;
}

/**
 * Truncates `text` until its estimated width fits `maxWidth`, with an ellipsis. Linear: only as many characters
 * as could ever fit are measured, once each, as a running sum.
 */
export function fitWidth(text: string, maxWidth: number, fontSize: number, em: GlyphEm = glyphEm): string {
  // No more than this many glyphs fit even if all are the narrowest: the rest is never looked at (and a text
  // that long never fits, so reaching the limit means it is cut).
  const limit = Math.max(2, Math.floor(maxWidth / (MIN_GLYPH_EM * fontSize)) + 2);
  const chars = headChars(text, limit);
  const ems = chars.map((c) => em(c));
  // Sums in em, in text order, scaled once: the same arithmetic as textWidth(), so the same answers.
  let total = 0;
  for (const e of ems) total += e;
  if (chars.length < limit && total * fontSize <= maxWidth) return text;
  // The longest prefix (shorter than the text) that fits with the ellipsis after it, possibly none.
  const ellipsis = em("…");
  let n = 0;
  let sum = 0;
  while (n + 1 < chars.length && (sum + ems[n] + ellipsis) * fontSize <= maxWidth) sum += ems[n++];
  return chars.slice(0, n).join("").trimEnd() + "…";
}

/** Thousands separators, independent of the machine's locale so snapshots are stable. */
export function formatCount(n: number): string {
  const sign = n < 0 ? "-" : "";
  const [int, frac] = Math.abs(n).toString().split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (frac ? `.${frac.slice(0, 1)}` : "");
}

/** "1 user" / "3 users". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
