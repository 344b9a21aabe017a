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

/** Rows past this many are left out of the JSON bundle a notebook stores (the HTML shows far fewer anyway). */
const MAX_BUNDLE_ROWS = 10_000;

/**
 * The Table Schema bundle (`application/vnd.dataresource+json`) JupyterLab and nteract render as a grid. Times
 * are ISO strings: polars' own bundle writes dates as `{}`.
 */
export function frameToDataResource(
  df: pl.DataFrame,
): { schema: { fields: { name: string; type: string }[] }; data: Record<string, unknown>[] } {
  const rows = df.head(MAX_BUNDLE_ROWS).toRecords() as Record<string, unknown>[];
  const fields = df.columns.map((name) => {
    const dtype = String(df.getColumn(name).dtype);
    const type = /Int|UInt|Float/.test(dtype)
      ? "number"
      : /Bool/.test(dtype)
      ? "boolean"
      : /Datetime|Time/.test(dtype)
      ? "datetime"
      : /Date/.test(dtype)
      ? "date"
      : "string";
    return { name, type };
  });
  const data = rows.map((r) =>
    Object.fromEntries(df.columns.map((c) => {
      const v = r[c];
      return [
        c,
        v === null || v === undefined || typeof v === "number" || typeof v === "boolean"
          ? v ?? null
          : cellText(v),
      ];
    }))
  );
  return { schema: { fields }, data };
}

/** Makes a DataFrame display itself in Jupyter as an HTML table plus the Table Schema bundle; it stays polars. */
export function withNotebookDisplay(df: pl.DataFrame, maxRows = 20): pl.DataFrame {
  Object.defineProperty(df, Symbol.for("Jupyter.display"), {
    value: () => ({
      "text/html": frameToHtml(df, maxRows),
      "application/vnd.dataresource+json": frameToDataResource(df),
      "text/plain": `${df.height} rows × ${df.width} columns`,
    }),
    enumerable: false,
  });
  return df;
}
