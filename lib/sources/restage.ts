import type { SqlShape } from "../store/detect_shape.ts";
import { conformSignIn } from "./conform_record.ts";
import { parseInstant } from "./instant.ts";
import { clip, type JsonDoc, type RejectedText } from "./json_text.ts";
import { isSignInCategory } from "./sign_in_kind.ts";

/** The shape of restage()'s lines: Graph pages become their records, one per line; the rest keep their shape. */
export const restagedShape = (shape: SqlShape): SqlShape =>
  shape === "graph_pages" ? "signin_records" : shape;

export interface Restaged {
  /** NDJSON lines of restagedShape(shape), for that shape's SQL (format newline_delimited). */
  lines: string[];
  rejected: RejectedText[];
  /** Azure Monitor records of categories that are not sign-ins, per category. */
  otherCategories: Map<string, number>;
}

/**
 * Re-writes a file DuckDB's reader refuses (duplicate keys, a BOM) or that holds bad records, as NDJSON of the
 * same shape: each value exactly as JSON.parse read it, with the bad records left out and reported.
 */
export function restage(shape: SqlShape, docs: JsonDoc[], wrapped: boolean): Restaged {
  const out: Restaged = { lines: [], rejected: [], otherCategories: new Map() };
  const reject = (doc: JsonDoc, reason: string, value: unknown, index?: number) =>
    out.rejected.push({
      line: doc.line,
      offset: doc.offset,
      reason: index === undefined ? reason : `record ${index + 1} of the document at this line: ${reason}`,
      raw: clip(JSON.stringify(value) ?? String(value)),
    });
  for (const doc of docs) {
    const v = doc.value;
    switch (shape) {
      case "graph_pages": {
        const pages = Array.isArray(v) ? v : [v];
        for (const page of pages) {
          const value = (page as { value?: unknown })?.value;
          if (!Array.isArray(value)) {
            reject(doc, `a Graph page without a "value" array`, page);
            continue;
          }
          // One record per line (read as signin_records): a merged history re-written as one page would be a
          // single line as big as the file, which DuckDB must hold whole (maximum_object_size).
          value.forEach((r, i) => {
            const c = conformSignIn(r);
            if (c.ok) out.lines.push(JSON.stringify(c.value));
            else reject(doc, c.reason, r, value.length > 1 ? i : undefined);
          });
        }
        break;
      }
      case "signin_records": {
        const records = Array.isArray(v) ? v : [v];
        records.forEach((r, i) => {
          const c = conformSignIn(r);
          if (c.ok) out.lines.push(JSON.stringify(c.value));
          else reject(doc, c.reason, r, records.length > 1 ? i : undefined);
        });
        break;
      }
      case "azure_monitor": {
        const records = wrapped ? (v as { records?: unknown })?.records : Array.isArray(v) ? v : [v];
        if (!Array.isArray(records)) {
          reject(doc, `an Azure Monitor export without a "records" array`, v);
          break;
        }
        const good: unknown[] = [];
        for (const [i, r] of records.entries()) {
          const rec = r as { category?: unknown; time?: unknown; properties?: Record<string, unknown> };
          const at = records.length > 1 ? i : undefined;
          if (rec === null || typeof rec !== "object") {
            reject(doc, "not a JSON object", r, at);
            continue;
          }
          if (!isSignInCategory(rec.category)) {
            const k = typeof rec.category === "string" ? rec.category : "(none)";
            out.otherCategories.set(k, (out.otherCategories.get(k) ?? 0) + 1);
            continue;
          }
          // The SQL path falls back to the record's time the same way.
          const props = { ...(rec.properties ?? {}) };
          props.createdDateTime ??= rec.time;
          const c = conformSignIn(props);
          if (!c.ok) {
            reject(doc, c.reason, r, at);
            continue;
          }
          good.push({
            time: typeof rec.time === "string" ? rec.time : null,
            category: rec.category,
            properties: c.value,
          });
        }
        if (wrapped) out.lines.push(JSON.stringify({ records: good }));
        else for (const g of good) out.lines.push(JSON.stringify(g));
        break;
      }
      case "log_analytics": {
        const rows = Array.isArray(v) ? v : [v];
        for (const [i, r] of rows.entries()) {
          const at = rows.length > 1 ? i : undefined;
          const row = r as Record<string, unknown>;
          if (row === null || typeof row !== "object") {
            reject(doc, "not a JSON object", r, at);
            continue;
          }
          const rt = row.ResultType;
          if (rt !== undefined && rt !== null && !/^\s*-?\d+\s*$/.test(String(rt))) {
            reject(doc, `ResultType ${JSON.stringify(rt)} is not an error code`, r, at);
            continue;
          }
          if (typeof row.Id !== "string" || row.Id === "") {
            reject(doc, "the row has no Id", r, at);
            continue;
          }
          if (parseInstant(row.CreatedDateTime ?? row.TimeGenerated) === null) {
            reject(
              doc,
              `CreatedDateTime ${JSON.stringify(row.CreatedDateTime ?? null)} is not a time`,
              r,
              at,
            );
            continue;
          }
          out.lines.push(JSON.stringify(r));
        }
        break;
      }
    }
  }
  return out;
}
