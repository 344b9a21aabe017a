import type pl from "nodejs-polars";

const escapeHtml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** One cell as an analyst wants to read it: ISO times in UTC, lists and structs as compact JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
  }
  if (typeof v === "object") return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  return String(v);
}

/** An HTML table of a DataFrame's first rows, with its shape: what a notebook shows for a query result. */
export function frameToHtml(df: pl.DataFrame, maxRows = 20): string {
  const head = df.head(maxRows);
  const columns = head.columns;
  const rows = head.toRecords() as Record<string, unknown>[];
  const numeric = columns.map((c) =>
    rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === "number")
  );
  const th = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows.map((r) =>
    `<tr>${
      columns.map((c, i) =>
        `<td${numeric[i] ? ' style="text-align:right"' : ""}>${escapeHtml(cellText(r[c]))}</td>`
      ).join("")
    }</tr>`
  ).join("");
  const more = df.height > rows.length ? ` · first ${rows.length} shown` : "";
  return `<div><small>${df.height} rows × ${df.width} columns${more}</small>` +
    `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** Makes a DataFrame display itself as frameToHtml() in Jupyter; everything else about it stays polars. */
export function withNotebookDisplay(df: pl.DataFrame, maxRows = 20): pl.DataFrame {
  Object.defineProperty(df, Symbol.for("Jupyter.display"), {
    value: () => ({ "text/html": frameToHtml(df, maxRows) }),
    enumerable: false,
  });
  return df;
}
