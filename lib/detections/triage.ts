/**
 * The triage: runs every rule's query through an engine-neutral runner, turns the rows into findings with
 * their weights, groups them per account and ranks the accounts by score (score.ts).
 */
import { loadQuery } from "../query/query_library.ts";
import { findingWeight, RULES, type RuleSpec, ruleSpec } from "./rules.ts";
import { scoreAccount } from "./score.ts";
import type { DetectionRunner, Finding, TriageOptions, TriageRow } from "./types.ts";

const FINDING_COLUMNS = [
  "user_principal_name",
  "rule",
  "technique",
  "at",
  "ip",
  "asn",
  "as_org",
  "network_class",
  "country",
  "app",
  "session_id",
  "evidence",
  "signal",
] as const;

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return s === "" ? null : s;
}

function instant(v: unknown, where: string): string {
  const d = v instanceof Date ? v : new Date(String(v));
  if (v === null || v === undefined || Number.isNaN(d.getTime())) {
    throw new Error(`${where}: "at" is not a time (${JSON.stringify(v)})`);
  }
  return d.toISOString();
}

/** One query row as a Finding; throws naming the query and row when a finding column is missing. */
export function toFinding(row: Readonly<Record<string, unknown>>, spec: RuleSpec, index = 0): Finding {
  const where = `queries/${spec.query}.sql row ${index + 1}`;
  for (const c of FINDING_COLUMNS) {
    if (!(c in row)) throw new Error(`${where}: no column ${c}`);
  }
  const rule = text(row.rule);
  if (rule !== spec.rule) throw new Error(`${where}: rule is ${JSON.stringify(rule)}, expected ${spec.rule}`);
  const signal = text(row.signal);
  if (signal === null) throw new Error(`${where}: no signal`);
  const asn = row.asn === null || row.asn === undefined ? null : Number(row.asn);
  return {
    rule,
    technique: text(row.technique) ?? "",
    at: instant(row.at, where),
    ip: text(row.ip),
    asn: asn !== null && Number.isFinite(asn) ? asn : null,
    as_org: text(row.as_org),
    network_class: text(row.network_class),
    country: text(row.country),
    app: text(row.app),
    session_id: text(row.session_id),
    evidence: text(row.evidence) ?? "",
    weight: findingWeight(rule, signal),
  };
}

/** Runs every rule (or `rules`) and returns all findings, with the account each belongs to. */
export async function runDetections(
  run: DetectionRunner,
  opts: TriageOptions & { rules?: readonly string[] } = {},
): Promise<{ user_principal_name: string; finding: Finding }[]> {
  for (const name of Object.keys(opts.params ?? {})) ruleSpec(name);
  const specs = opts.rules ? opts.rules.map(ruleSpec) : RULES;
  const out: { user_principal_name: string; finding: Finding }[] = [];
  for (const spec of specs) {
    const query = await loadQuery(spec.query);
    const params: Record<string, string | number> = {};
    if (opts.from !== undefined) params.from = opts.from;
    if (opts.to !== undefined) params.to = opts.to;
    for (const [k, v] of Object.entries(opts.params?.[spec.rule] ?? {})) {
      if (!query.params.some((p) => p.name === k)) {
        throw new Error(
          `rule ${spec.rule} has no threshold "${k}" (queries/${spec.query}.sql: ${
            query.params.map((p) => p.name).join(", ")
          })`,
        );
      }
      params[k] = v;
    }
    let rows: readonly Record<string, unknown>[];
    try {
      rows = await run(spec.query, params);
    } catch (e) {
      throw new Error(`triage rule ${spec.rule} (queries/${spec.query}.sql) failed: ${(e as Error).message}`);
    }
    rows.forEach((row, i) => {
      const upn = text(row.user_principal_name);
      if (upn === null) throw new Error(`queries/${spec.query}.sql row ${i + 1}: no user_principal_name`);
      out.push({ user_principal_name: upn.toLowerCase(), finding: toFinding(row, spec, i) });
    });
  }
  return out;
}

/** Groups findings per account and ranks: score descending, then earliest suspicious time, then name. */
export function rankAccounts(
  found: readonly { user_principal_name: string; finding: Finding }[],
  minScore = 1,
): TriageRow[] {
  const byUser = new Map<string, Finding[]>();
  for (const { user_principal_name, finding } of found) {
    const list = byUser.get(user_principal_name) ?? [];
    list.push(finding);
    byUser.set(user_principal_name, list);
  }
  const rows: TriageRow[] = [];
  for (const [upn, findings] of byUser) {
    findings.sort((a, b) => a.at.localeCompare(b.at) || a.rule.localeCompare(b.rule));
    const score = scoreAccount(findings);
    if (score < minScore) continue;
    rows.push({ user_principal_name: upn, score, findings, first_suspicious_at: findings[0].at });
  }
  return rows.sort((a, b) =>
    b.score - a.score || a.first_suspicious_at.localeCompare(b.first_suspicious_at) ||
    a.user_principal_name.localeCompare(b.user_principal_name)
  );
}

/**
 * Ranks accounts by evidence of compromise, most suspicious first. The runner may be any engine (DuckDB,
 * Athena, Trino): the store must hold ip_intel (lib/ipintel's ensureIpIntel, or the Athena DDL's views).
 */
export async function triage(run: DetectionRunner, opts: TriageOptions = {}): Promise<TriageRow[]> {
  return rankAccounts(await runDetections(run, opts), opts.minScore ?? 1);
}
