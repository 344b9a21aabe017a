import type { QueryResult } from "./result.ts";

export type OutputFormat = "table" | "json" | "csv";

const cellText = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** CSV per RFC 4180: quote fields with commas, quotes or line breaks; double inner quotes. */
export function toCsv(result: Pick<QueryResult, "columns" | "rows">): string {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const names = result.columns.map((c) => c.name);
  const lines = [names.map(esc).join(",")];
  for (const row of result.rows) lines.push(names.map((n) => esc(cellText(row[n]))).join(","));
  return lines.join("\n") + "\n";
}

export interface TableOptions {
  /** Longest cell shown before it is cut with "…" (default 48). */
  maxWidth?: number;
  /** Rows shown; the rest are counted in a last line. */
  limit?: number;
  /** The result's full row count when `rows` holds only its first rows (default rows.length). */
  total?: number;
  /** Fit the table into this many characters per line (a terminal's width): wide columns are cut first,
   * and columns that still do not fit are left out and named. */
  width?: number;
}

/** An aligned text table; long cells are cut at `maxWidth` so a wide column cannot wreck a terminal. */
export function toTable(result: Pick<QueryResult, "columns" | "rows">, options: TableOptions = {}): string {
  const maxWidth = options.maxWidth ?? 48;
  const allNames = result.columns.map((c) => c.name);
  const shown = options.limit === undefined ? result.rows : result.rows.slice(0, options.limit);
  const raw = shown.map((r) => allNames.map((n) => cellText(r[n]).replaceAll("\n", " ")));
  const natural = allNames.map((n, i) =>
    Math.min(maxWidth, Math.max(n.length, ...raw.map((c) => c[i].length)))
  );
  const { widths, kept } = fitColumns(natural, options.width);
  const names = allNames.slice(0, kept);
  const cut = (s: string, w: number) => (s.length > w ? s.slice(0, Math.max(0, w - 1)) + "…" : s);
  const numeric = names.map((n) =>
    shown.length > 0 && shown.every((r) => r[n] === null || typeof r[n] === "number")
  );
  const pad = (s: string, i: number) => {
    const t = cut(s, widths[i]);
    return numeric[i] ? t.padStart(widths[i]) : t.padEnd(widths[i]);
  };
  const lines = [
    names.map((n, i) => pad(n, i)).join("  ").trimEnd(),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...raw.map((c) => c.slice(0, kept).map(pad).join("  ").trimEnd()),
  ];
  const notes: string[] = [];
  const total = options.total ?? result.rows.length;
  const more = total - shown.length;
  if (more > 0) notes.push(`${count(more, "more row")} not shown (of ${total.toLocaleString("en-US")})`);
  if (kept < allNames.length) {
    const left = allNames.slice(kept);
    notes.push(`${count(left.length, "column")} left out to fit the width: ${left.join(", ")}`);
  }
  if (notes.length > 0) lines.push(...wrapNote(`… ${notes.join("; ")}`, options.width));
  return lines.join("\n") + "\n";
}

/** The closing note, broken at spaces so that it too fits the width. */
function wrapNote(text: string, width?: number): string[] {
  if (width === undefined || width <= 0 || text.length <= width) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** "1 column", "3 columns": counts in messages agree with their noun. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : `${noun}s`}`;
}

/**
 * Column widths that fit `width`: columns that cannot fit even at their floor (20 characters, or less if they
 * are narrower) are dropped from the right; then the widest kept column gives up a character at a time.
 */
function fitColumns(natural: number[], width?: number): { widths: number[]; kept: number } {
  if (width === undefined || width <= 0) return { widths: [...natural], kept: natural.length };
  // Fewer whole-looking columns beat many cut to a few characters: a timestamp keeps its 20.
  const floor = natural.map((w) => Math.min(w, 20));
  const total = (ws: number[]) => ws.reduce((a, b) => a + b, 0) + 2 * Math.max(0, ws.length - 1);
  let kept = natural.length;
  while (kept > 1 && total(floor.slice(0, kept)) > width) kept--;
  const widths = natural.slice(0, kept);
  let excess = total(widths) - width;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < kept; i++) {
      if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break;
    widths[widest]--;
    excess--;
  }
  return { widths, kept };
}

export function toJson(result: Pick<QueryResult, "rows">): string {
  return JSON.stringify(result.rows, null, 2) + "\n";
}

export function formatResult(result: Pick<QueryResult, "columns" | "rows">, format: OutputFormat): string {
  return format === "csv" ? toCsv(result) : format === "json" ? toJson(result) : toTable(result);
}
