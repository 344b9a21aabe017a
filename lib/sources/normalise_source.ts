import { parseCsv } from "./csv.ts";
import { defenderRecord, defenderRows } from "./defender.ts";
import type { CountryLookup } from "./ip_country.ts";
import { clip, type RejectedText, splitJson } from "./json_text.ts";
import { type Normalised, normalisedLine } from "./normalised_record.ts";
import { authDetailFrom, portalRecord } from "./portal.ts";
import { purviewRecord } from "./purview.ts";

export type NormalisedShape = "portal_csv" | "portal_json" | "portal_auth_details" | "purview" | "defender";

export interface NormaliseInput {
  path: string;
  shape: NormalisedShape;
  text: string;
}

export interface NormaliseResult {
  /** NDJSON lines for the normalised select, per source file. */
  files: { path: string; lines: string[] }[];
  rejected: (RejectedText & { path: string })[];
  /** Rows that are not sign-ins (other audit operations), per kind. */
  otherCategories: Map<string, number>;
  notes: string[];
}

interface SourceRow {
  value: Record<string, unknown>;
  line: number | null;
  offset: number | null;
  raw: () => string;
}

/**
 * Turns exports DuckDB cannot read (admin center Download, Purview, Defender) into signIn records, one NDJSON
 * line each with its bookkeeping. Authentication-details files join their sign-ins on the request id, so
 * they must be in the same load.
 */
export function normaliseSource(inputs: NormaliseInput[], countryOf?: CountryLookup): NormaliseResult {
  const out: NormaliseResult = { files: [], rejected: [], otherCategories: new Map(), notes: [] };
  const steps = new Map<string, Record<string, unknown>[]>();
  const stepFiles = new Map<string, string>();
  for (const input of inputs.filter((i) => i.shape === "portal_auth_details")) {
    for (const row of rowsOf(input, out)) {
      const { requestId, step } = authDetailFrom(row.value);
      if (!requestId) {
        out.rejected.push({
          path: input.path,
          line: row.line,
          offset: row.offset,
          reason: `no "Request ID"`,
          raw: row.raw(),
        });
        continue;
      }
      steps.set(requestId, [...(steps.get(requestId) ?? []), step]);
      stepFiles.set(requestId, input.path);
    }
  }
  const joined = new Set<string>();
  for (const input of inputs.filter((i) => i.shape !== "portal_auth_details")) {
    const lines: string[] = [];
    for (const row of rowsOf(input, out)) {
      let n: Normalised;
      if (input.shape === "purview") n = purviewRecord(row.value, countryOf);
      else if (input.shape === "defender") n = defenderRecord(row.value);
      else {n = portalRecord(
          row.value,
          input.path,
          input.shape === "portal_json" ? "portal_json" : "portal_csv",
        );}
      const reject = (reason: string) =>
        out.rejected.push({ path: input.path, line: row.line, offset: row.offset, reason, raw: row.raw() });
      if (n.ok === "other") {
        out.otherCategories.set(n.category, (out.otherCategories.get(n.category) ?? 0) + 1);
        continue;
      }
      if (!n.ok) {
        reject(n.reason);
        continue;
      }
      const id = typeof n.record.id === "string" ? n.record.id : undefined;
      if (id && steps.has(id) && !Array.isArray(n.record.authenticationDetails)) {
        n.record.authenticationDetails = steps.get(id);
        joined.add(id);
      }
      const line = normalisedLine(n, input.path);
      if ("reason" in line) reject(line.reason);
      else lines.push(line.line);
    }
    out.files.push({ path: input.path, lines });
  }
  const unmatched = new Map<string, number>();
  for (const id of steps.keys()) {
    if (!joined.has(id)) unmatched.set(stepFiles.get(id)!, (unmatched.get(stepFiles.get(id)!) ?? 0) + 1);
  }
  for (const [path, n] of unmatched) {
    out.notes.push(
      `${path}: authentication details of ${n} request id(s) matched no sign-in of this load; load each ` +
        `…_AuthDetails_… file together with its sign-ins file`,
    );
  }
  return out;
}

function rowsOf(input: NormaliseInput, out: NormaliseResult): SourceRow[] {
  const body = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
  if (/^\s*[[{]/.test(body)) {
    const { docs, rejected } = splitJson(body);
    out.rejected.push(...rejected.map((r) => ({ ...r, path: input.path })));
    const rows: SourceRow[] = [];
    for (const d of docs) {
      const list = input.shape === "defender"
        ? defenderRows(d.value)
        : Array.isArray(d.value)
        ? d.value
        : [d.value];
      for (const v of list) {
        if (v === null || typeof v !== "object" || Array.isArray(v)) {
          out.rejected.push({
            path: input.path,
            line: d.line,
            offset: d.offset,
            reason: "not a JSON object",
            raw: clip(JSON.stringify(v)),
          });
          continue;
        }
        rows.push({
          value: v as Record<string, unknown>,
          line: d.line,
          offset: d.offset,
          raw: () => clip(JSON.stringify(v)),
        });
      }
    }
    return rows;
  }
  let parsed;
  try {
    parsed = parseCsv(body);
  } catch (e) {
    out.rejected.push({
      path: input.path,
      line: null,
      offset: null,
      reason: (e as Error).message,
      raw: clip(body),
    });
    return [];
  }
  return parsed.rows.map((r) => ({ value: r.cells, line: r.line, offset: null, raw: () => clip(r.raw) }));
}
