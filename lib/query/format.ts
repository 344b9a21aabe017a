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

/** An aligned text table; long cells are cut at `maxWidth` so a wide column cannot wreck a terminal. */
export function toTable(
  result: Pick<QueryResult, "columns" | "rows">,
  options: { maxWidth?: number; limit?: number } = {},
): string {
  const maxWidth = options.maxWidth ?? 48;
  const names = result.columns.map((c) => c.name);
  const shown = options.limit === undefined ? result.rows : result.rows.slice(0, options.limit);
  const cut = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + "…" : s);
  const cells = shown.map((r) => names.map((n) => cut(cellText(r[n]).replaceAll("\n", " "))));
  const numeric = names.map((n) =>
    shown.length > 0 && shown.every((r) => r[n] === null || typeof r[n] === "number")
  );
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i].length)));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const lines = [
    names.map((n, i) => pad(n, i)).join("  ").trimEnd(),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...cells.map((c) => c.map(pad).join("  ").trimEnd()),
  ];
  const more = result.rows.length - shown.length;
  if (more > 0) lines.push(`… ${more} more row(s)`);
  return lines.join("\n") + "\n";
}

export function toJson(result: Pick<QueryResult, "rows">): string {
  return JSON.stringify(result.rows, null, 2) + "\n";
}

export function formatResult(result: Pick<QueryResult, "columns" | "rows">, format: OutputFormat): string {
  return format === "csv" ? toCsv(result) : format === "json" ? toJson(result) : toTable(result);
}
