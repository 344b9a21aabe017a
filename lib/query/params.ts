import type { ParamSpec, QueryFile } from "./query_file.ts";

/** A bad --param value or name; the message names the parameter and the query. */
export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamError";
  }
}

export type ParamValue = string | number;

/**
 * Checks user-given parameters against a query's declarations and fills in defaults. Timestamps are
 * normalized to full ISO 8601 instants in UTC (a bare date means its midnight UTC).
 */
export function resolveParams(
  query: QueryFile,
  given: Record<string, string | number | Date | undefined>,
): Record<string, ParamValue> {
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !query.params.some((p) => p.name === key)) {
      const known = query.params.map((p) => p.name).join(", ") || "none";
      throw new ParamError(`query ${query.name} has no parameter "${key}" (parameters: ${known})`);
    }
  }
  const out: Record<string, ParamValue> = {};
  for (const spec of query.params) {
    const raw = given[spec.name];
    out[spec.name] = normalize(spec, raw === undefined ? spec.default : raw, query.name);
  }
  return out;
}

function normalize(spec: ParamSpec, raw: string | number | Date, queryName: string): ParamValue {
  const where = `parameter ${spec.name} of query ${queryName}`;
  switch (spec.type) {
    case "timestamp":
      return normalizeInstant(raw, where);
    case "integer": {
      const n = typeof raw === "number" ? raw : Number(String(raw).trim());
      if (!Number.isSafeInteger(n)) {
        throw new ParamError(`${where}: ${JSON.stringify(String(raw))} is not an integer`);
      }
      return n;
    }
    case "double": {
      const n = typeof raw === "number" ? raw : Number(String(raw).trim());
      if (!Number.isFinite(n)) {
        throw new ParamError(`${where}: ${JSON.stringify(String(raw))} is not a number`);
      }
      return n;
    }
    case "string":
      return String(raw);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** "2026-11-01" or any ISO 8601 instant with a zone → "2026-11-01T00:00:00.000Z". */
export function normalizeInstant(raw: string | number | Date, where: string): string {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) throw new ParamError(`${where}: invalid date`);
    return raw.toISOString();
  }
  const text = String(raw).trim();
  if (DATE_ONLY.test(text)) {
    const d = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(text)) return d.toISOString();
  } else if (INSTANT.test(text)) {
    // 9999-12-31 is beyond what Date prints back the same way; keep such far bounds as given.
    const d = new Date(text.replace(/(\.\d{3})\d+/, "$1"));
    if (!Number.isNaN(d.getTime())) return d.getUTCFullYear() > 9998 ? text : d.toISOString();
  }
  throw new ParamError(
    `${where}: ${JSON.stringify(text)} is not a date (YYYY-MM-DD) or an ISO 8601 instant with a zone ` +
      `(e.g. 2026-11-01T08:00:00Z)`,
  );
}
