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

/** Approximate rendered width of `text` in pixels at `fontSize` (DejaVu Sans averages ~0.6 em per glyph). */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    if (/[ilI.,:;'|!]/.test(ch)) em += 0.32;
    else if (/[mwMW@]/.test(ch)) em += 0.9;
    else if (/[A-Z0-9]/.test(ch)) em += 0.68;
    else em += 0.6;
  }
  return em * fontSize;
}

/** Shortens `text` to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  if (max < 2) return text.slice(0, max);
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join("").trimEnd() + "…";
}

/** Greedy word wrap into lines that fit `maxWidth` pixels; words longer than a line are truncated. */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines = Infinity): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (textWidth(candidate, fontSize) <= maxWidth || line === "") {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "") lines.push(line);
  const fitted = lines.map((l) => fitWidth(l, maxWidth, fontSize));
  if (fitted.length > maxLines) {
    const kept = fitted.slice(0, maxLines);
    kept[maxLines - 1] = fitWidth(kept[maxLines - 1] + " …", maxWidth, fontSize);
    if (!kept[maxLines - 1].endsWith("…")) kept[maxLines - 1] += "…";
    return kept;
  }
  return fitted;
}

/** Truncates `text` until its estimated width fits `maxWidth`. */
export function fitWidth(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  let n = chars.length;
  while (n > 1 && textWidth(chars.slice(0, n - 1).join("") + "…", fontSize) > maxWidth) n--;
  return chars.slice(0, n - 1).join("").trimEnd() + "…";
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
