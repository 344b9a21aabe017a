import type { ParamBound, ParamSpec, QueryFile } from "./query_file.ts";

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

/** Decimal digits with an optional sign: no hex, no exponent, no blanks (Number() takes all of those). */
const INTEGER_TEXT = /^[+-]?\d+$/;
/** A decimal number with an optional fraction and exponent; nothing Number() alone would also take. */
const DOUBLE_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function normalize(spec: ParamSpec, raw: string | number | Date, queryName: string): ParamValue {
  const where = `parameter ${spec.name} of query ${queryName}`;
  if (spec.type !== "string" && typeof raw === "string" && raw.trim() === "") {
    throw new ParamError(
      `${where} is empty: give ${
        spec.type === "timestamp"
          ? "a date or instant"
          : `a ${spec.type === "integer" ? "whole number" : "number"}`
      } or leave it out for the default ${spec.default}`,
    );
  }
  switch (spec.type) {
    case "timestamp":
      return normalizeInstant(raw, where);
    case "integer": {
      const text = String(raw).trim();
      const n = typeof raw === "number" ? raw : INTEGER_TEXT.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) {
        throw new ParamError(
          `${where}: ${JSON.stringify(String(raw))} is not an integer (decimal digits, optional sign)`,
        );
      }
      return checkBounds(spec, n, where);
    }
    case "double": {
      const text = String(raw).trim();
      const n = typeof raw === "number" ? raw : DOUBLE_TEXT.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n)) {
        throw new ParamError(`${where}: ${JSON.stringify(String(raw))} is not a number`);
      }
      return checkBounds(spec, n, where);
    }
    case "string":
      return String(raw);
  }
}

function boundText(op: string, b: ParamBound): string {
  return `${op}${b.inclusive ? "=" : ""} ${b.value}`;
}

function checkBounds(spec: ParamSpec, n: number, where: string): number {
  const { min, max } = spec;
  if (min && (min.inclusive ? n < min.value : n <= min.value)) {
    throw new ParamError(`${where}: ${n} is out of range (must be ${boundText(">", min)})`);
  }
  if (max && (max.inclusive ? n > max.value : n >= max.value)) {
    throw new ParamError(`${where}: ${n} is out of range (must be ${boundText("<", max)})`);
  }
  return n;
}

/**
 * `--param name=value` arguments → a record; a missing `=` or a name given twice is an error naming it (the
 * second value silently winning would run a different query than the one typed).
 */
export function parseParamArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new ParamError(`--param ${arg}: expected name=value`);
    const name = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1);
    if (Object.hasOwn(out, name)) {
      throw new ParamError(
        `--param ${name} is given twice (${JSON.stringify(out[name])} and ${
          JSON.stringify(value)
        }); give it once`,
      );
    }
    out[name] = value;
  }
  return out;
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
