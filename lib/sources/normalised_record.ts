import { conformSignIn } from "./conform_record.ts";
import type { SignInKind } from "./sign_in_kind.ts";
import type { SourceFormat } from "./source_format.ts";

/** What a normaliser makes of one source row: a signIn-shaped record and its bookkeeping, or why not. */
export type Normalised =
  | { ok: true; record: Record<string, unknown>; kind: SignInKind; format: SourceFormat; derived: string[] }
  | { ok: false; reason: string }
  /** A row of the export that is not a sign-in (another audit operation): counted, not loaded. */
  | { ok: "other"; category: string };

/** The NDJSON line the normalised select reads, or why the record does not fit the store's types. */
export function normalisedLine(
  n: Extract<Normalised, { ok: true }>,
  source: string,
): { line: string } | { reason: string } {
  const c = conformSignIn(n.record);
  if (!c.ok) return { reason: c.reason };
  return {
    line: JSON.stringify({
      ...c.value,
      _lens_source: source,
      _lens_kind: n.kind,
      _lens_format: n.format,
      _lens_derived: n.derived.length > 0 ? n.derived : null,
    }),
  };
}

/** Drops keys whose value is undefined, null or "" (and objects left empty), so absent stays absent. */
export function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === "") continue;
    if (typeof v === "object" && !Array.isArray(v)) {
      const inner = compact(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

/** "Yes"/"No"/"True"/"False"/"1"/"0" as the exports write flags; undefined when blank or other. */
export function flag(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== "string") return undefined;
  const s = v.trim().toLowerCase();
  if (["yes", "true", "1"].includes(s)) return true;
  if (["no", "false", "0"].includes(s)) return false;
  return undefined;
}

/** An integer from a number or an integer-like string; undefined otherwise. */
export function integer(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Text of a cell, trimmed; undefined when blank. */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === "" ? undefined : s;
}
