/**
 * Pure part of an account investigation: turns the rows of account_signins / account_audits and the account's
 * findings into the timeline, networks, sessions and audit events. No I/O, so it is tested on hand-made rows.
 */

import { CORROBORATING_WEIGHT } from "../detections/score.ts";
import type { Finding } from "../detections/types.ts";
import type { AccountAudit, AccountNetwork, AccountSession, AccountSignIn, Investigation } from "./types.ts";

type Row = Readonly<Record<string, unknown>>;

const HOUR = 3_600_000;

function str(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = v instanceof Date ? v.toISOString() : String(v);
  return s === "" ? null : s;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "bigint" ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

function bool(v: unknown): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v;
  return String(v).toLowerCase() === "true";
}

function instant(v: unknown, what: string): string {
  const s = str(v);
  const t = s === null ? NaN : Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`${what}: ${JSON.stringify(v)} is not a time`);
  return new Date(t).toISOString();
}

/** Same second: stores print milliseconds, findings may carry whole seconds or Graph's seven digits. */
function sameSecond(a: string, b: string): boolean {
  return Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
}

/** The audit window: `hours` before the first finding to `hours` after the last; the range when none. */
export function auditWindow(
  findings: readonly Finding[],
  range: { from: string; to: string },
  hours = 24,
): { from: string; to: string } {
  const times = findings.map((f) => Date.parse(f.at)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return { ...range };
  return {
    from: new Date(Math.min(...times) - hours * HOUR).toISOString(),
    to: new Date(Math.max(...times) + hours * HOUR + 1000).toISOString(),
  };
}

/**
 * Addresses the findings name that the account had not used successfully more than `hours` before the finding:
 * the attacker's, not the victim's home (a device-code phish is logged from the victim's own address). Findings
 * lighter than CORROBORATING_WEIGHT (an explained trip, a first sign-in from home) are context, not evidence
 * against an address.
 */
export function suspiciousAddresses(
  findings: readonly Finding[],
  signins: readonly Row[],
  hours = 24,
): string[] {
  const successes = signins.filter((r) => str(r.result) === "success")
    .map((r) => ({ ip: str(r.ip), t: Date.parse(String(str(r.at))) }));
  const out = new Set<string>();
  for (const f of findings) {
    if (!f.ip || f.weight < CORROBORATING_WEIGHT) continue;
    const before = Date.parse(f.at) - hours * HOUR;
    if (!successes.some((s) => s.ip === f.ip && s.t < before)) out.add(f.ip);
  }
  return [...out].sort();
}

function toSignIn(r: Row, suspiciousIps: ReadonlySet<string>, findings: readonly Finding[]): AccountSignIn {
  const at = instant(r.at, `sign-in ${str(r.id) ?? "?"}`);
  const ip = str(r.ip);
  const pointing = findings.filter((f) => f.ip === ip && sameSecond(f.at, at));
  const rules = [...new Set(pointing.map((f) => f.rule))];
  // A light finding (context, such as an explained first sign-in) names the sign-in but does not mark it.
  const evidence = pointing.some((f) => f.weight >= CORROBORATING_WEIGHT);
  return {
    id: str(r.id) ?? "",
    at,
    ip,
    asn: num(r.asn),
    as_org: str(r.as_org),
    network_class: str(r.network_class),
    country: str(r.country),
    city: str(r.city),
    app: str(r.app),
    client_app: str(r.client_app),
    result: str(r.result) ?? "unknown",
    error_code: num(r.error_code),
    failure_reason: str(r.failure_reason),
    session_id: str(r.session_id),
    interactive: bool(r.interactive),
    authentication_protocol: str(r.authentication_protocol),
    incoming_token_type: str(r.incoming_token_type),
    original_transfer_method: str(r.original_transfer_method),
    device_id: str(r.device_id),
    device_name: str(r.device_name),
    operating_system: str(r.operating_system),
    mfa_method: str(r.mfa_method),
    mfa_by_claim: bool(r.mfa_by_claim) ?? false,
    suspicious: evidence || (ip !== null && suspiciousIps.has(ip)),
    rules,
  };
}

function networksOf(signins: readonly AccountSignIn[], suspiciousIps: ReadonlySet<string>): AccountNetwork[] {
  const byIp = new Map<string, AccountNetwork>();
  for (const s of signins) {
    if (s.ip === null) continue;
    let n = byIp.get(s.ip);
    if (!n) {
      n = {
        ip: s.ip,
        asn: s.asn,
        as_org: s.as_org,
        network_class: s.network_class,
        country: s.country,
        city: s.city,
        first: s.at,
        last: s.at,
        signins: 0,
        successes: 0,
        failures: 0,
        suspicious: suspiciousIps.has(s.ip),
      };
      byIp.set(s.ip, n);
    }
    n.signins++;
    if (s.result === "success") n.successes++;
    if (s.result === "failure") n.failures++;
    if (s.at > n.last) n.last = s.at;
    n.asn ??= s.asn;
    n.as_org ??= s.as_org;
    n.network_class ??= s.network_class;
    n.country ??= s.country;
    n.city ??= s.city;
  }
  // Suspicious first, then the busiest.
  return [...byIp.values()].sort((a, b) =>
    Number(b.suspicious) - Number(a.suspicious) || b.signins - a.signins || a.ip.localeCompare(b.ip)
  );
}

function sessionsOf(signins: readonly AccountSignIn[]): { listed: AccountSession[]; count: number } {
  const groups = new Map<string, AccountSignIn[]>();
  for (const s of signins) {
    if (!s.session_id) continue;
    let g = groups.get(s.session_id);
    if (!g) groups.set(s.session_id, g = []);
    g.push(s);
  }
  const listed: AccountSession[] = [];
  for (const [id, g] of groups) {
    const asns = [...new Set(g.map((s) => s.asn).filter((a): a is number => a !== null))].sort((a, b) =>
      a - b
    );
    const countries = [...new Set(g.map((s) => s.country).filter((c): c is string => c !== null))].sort();
    const suspicious = g.some((s) => s.suspicious);
    if (!suspicious && asns.length < 2 && countries.length < 2) continue;
    listed.push({
      session_id: id,
      first: g[0].at,
      last: g[g.length - 1].at,
      signins: g.length,
      ips: [...new Set(g.map((s) => s.ip).filter((ip): ip is string => ip !== null))],
      asns,
      countries,
      suspicious,
    });
  }
  listed.sort((a, b) => Number(b.suspicious) - Number(a.suspicious) || a.first.localeCompare(b.first));
  return { listed, count: groups.size };
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string" || text === "") return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function targetNames(text: unknown): string {
  const targets = parseJson(text);
  if (!Array.isArray(targets)) return "";
  return targets.map((t) => {
    const o = (t ?? {}) as Record<string, unknown>;
    return str(o.displayName) ?? str(o.userPrincipalName) ?? str(o.id) ?? "?";
  }).join(", ");
}

function detailText(details: unknown, targets: unknown): string {
  const parts: string[] = [];
  const list = parseJson(details);
  if (Array.isArray(list)) {
    for (const d of list) {
      const o = (d ?? {}) as Record<string, unknown>;
      const key = str(o.key);
      const value = str(o.value);
      if (key && value && key !== "TenantId") parts.push(`${key}: ${value}`);
    }
  }
  const ts = parseJson(targets);
  if (Array.isArray(ts)) {
    for (const t of ts) {
      const props = ((t ?? {}) as Record<string, unknown>).modifiedProperties;
      if (!Array.isArray(props)) continue;
      for (const p of props) {
        const o = (p ?? {}) as Record<string, unknown>;
        if (o.displayName === "ConsentAction.Permissions" && typeof o.newValue === "string") {
          parts.push(o.newValue.replace(/^"|"$/g, ""));
        }
      }
    }
  }
  return parts.join("; ");
}

function toAudit(r: Row): AccountAudit {
  const matched = str(r.matched_by);
  return {
    id: str(r.id) ?? "",
    at: instant(r.at, `audit ${str(r.id) ?? "?"}`),
    activity: str(r.activity) ?? "(no activity name)",
    category: str(r.category),
    service: str(r.service),
    result: str(r.result),
    initiated_by: str(r.initiated_by_upn) ?? str(r.initiated_by_app) ?? "(unknown)",
    ip: str(r.ip),
    matched_by: matched === "ip" || matched === "target" ? matched : "account",
    targets: targetNames(r.targets),
    details: detailText(r.details, r.targets),
  };
}

/** Builds the investigation from the query rows; the rows may come from any engine. */
export function assembleInvestigation(input: {
  upn: string;
  range: { from: string; to: string };
  findings: readonly Finding[];
  signinRows: readonly Row[];
  auditRows: readonly Row[];
  suspiciousIps: readonly string[];
  auditWindow: { from: string; to: string };
}): Investigation {
  const ips = new Set(input.suspiciousIps);
  const findings = [...input.findings].sort((a, b) => a.at.localeCompare(b.at));
  const signins = input.signinRows.map((r) => toSignIn(r, ips, findings))
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  const sessions = sessionsOf(signins);
  const count = (result: string) => signins.filter((s) => s.result === result).length;
  return {
    user_principal_name: input.upn,
    range: { ...input.range },
    audit_window: { ...input.auditWindow },
    findings,
    suspicious_ips: [...input.suspiciousIps],
    signins,
    networks: networksOf(signins, ips),
    sessions: sessions.listed,
    session_count: sessions.count,
    audits: input.auditRows.map(toAudit),
    totals: {
      signins: signins.length,
      successes: count("success"),
      failures: count("failure"),
      interrupts: count("interrupt"),
      suspicious: signins.filter((s) => s.suspicious).length,
    },
  };
}

/**
 * The UTC day (from, to) of the `rule` finding in the most suspicious account that has one (rows ranked as the
 * triage returns them; its earliest such finding), or null when the rule never fired: e.g. the day to chart the
 * spray that worked hour by hour.
 */
export function findingDay(
  rows: readonly { readonly findings: readonly Finding[] }[],
  rule: string,
): { from: string; to: string } | null {
  for (const row of rows) {
    const times = row.findings.filter((f) => f.rule === rule).map((f) => Date.parse(f.at))
      .filter((t) => !Number.isNaN(t));
    if (times.length === 0) continue;
    const day = Math.floor(Math.min(...times) / 86_400_000) * 86_400_000;
    return { from: new Date(day).toISOString(), to: new Date(day + 86_400_000).toISOString() };
  }
  return null;
}
