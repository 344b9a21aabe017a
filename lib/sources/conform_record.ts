import type { Field, FieldType } from "../schema/field_type.ts";
import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { parseInstant } from "./instant.ts";

/** A record with the store's field types, or why it cannot have them. */
export type Conformed = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Checks a signIn-shaped object against the schema and returns it with values the store's types accept:
 * integer-like strings become numbers ("50126", as Azure Monitor and CSV exports write them), "true"/"false"
 * booleans. Unknown properties are dropped (the store keeps schema fields only). A value of another type is a
 * reason to reject the record, naming the field: DuckDB would refuse the whole file for it.
 */
export function conformSignIn(record: unknown): Conformed {
  if (record === null || typeof record !== "object" || Array.isArray(record)) {
    return { ok: false, reason: "not a JSON object" };
  }
  const r = record as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of SIGNIN_FIELDS) {
    if (!(f.name in r)) continue;
    const v = conformValue(r[f.name], f.type, f.name);
    if (v instanceof Bad) return { ok: false, reason: v.reason };
    out[f.name] = v;
  }
  if (typeof out.id !== "string" || out.id === "") return { ok: false, reason: "the record has no id" };
  if (parseInstant(out.createdDateTime) === null) {
    return {
      ok: false,
      reason: `createdDateTime ${JSON.stringify(out.createdDateTime ?? null)} is not a time`,
    };
  }
  return { ok: true, value: out };
}

class Bad {
  constructor(readonly reason: string) {}
}

const BAD = (path: string, v: unknown, want: string) =>
  new Bad(`${path} is ${JSON.stringify(v)?.slice(0, 80)}, not ${want}`);

function conformValue(v: unknown, t: FieldType, path: string): unknown {
  if (v === null || v === undefined) return null;
  if (t === "string") {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return BAD(path, v, "a string");
  }
  if (t === "int" || t === "double") {
    if (typeof v === "number" && (t === "double" || Number.isInteger(v))) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) {
      const n = Number(v);
      if (t === "double" || Number.isInteger(n)) return n;
    }
    if (typeof v === "string" && v.trim() === "") return null;
    return BAD(path, v, t === "int" ? "an integer" : "a number");
  }
  if (t === "boolean") {
    if (typeof v === "boolean") return v;
    if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
    if (v === 0 || v === 1) return v === 1;
    return BAD(path, v, "true or false");
  }
  if ("array" in t) {
    if (!Array.isArray(v)) return BAD(path, v, "an array");
    const out: unknown[] = [];
    for (const [i, e] of v.entries()) {
      const c = conformValue(e, t.array, `${path}[${i}]`);
      if (c instanceof Bad) return c;
      out.push(c);
    }
    return out;
  }
  if (typeof v !== "object" || Array.isArray(v)) return BAD(path, v, "an object");
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of t.struct as readonly Field[]) {
    if (!(f.name in o)) continue;
    const c = conformValue(o[f.name], f.type, `${path}.${f.name}`);
    if (c instanceof Bad) return c;
    out[f.name] = c;
  }
  return out;
}
