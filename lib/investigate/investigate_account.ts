/**
 * One account's story: its sign-ins (timeline), the networks and sessions involved, and the directory-audit
 * events the account, or a suspicious address, initiated within 24 h of its findings. Engine-neutral: it only
 * runs the named queries account_signins and account_audits through the given runner (DuckDB, Athena, Trino).
 */

import type { DetectionRunner, Finding } from "../detections/types.ts";
import { assembleInvestigation, auditWindow, suspiciousAddresses } from "./assemble.ts";
import type { Investigation } from "./types.ts";

export interface InvestigateOptions {
  /** Range of the sign-ins (default: everything stored). */
  from?: string;
  to?: string;
  /** The account's findings (a TriageRow's), which mark the suspicious sign-ins and centre the audit window. */
  findings?: readonly Finding[];
  /** Audit events are read this many hours either side of the findings (default 24). */
  windowHours?: number;
  /** Addresses to treat as the attacker's; default: those the findings name that the account never used before. */
  suspiciousIps?: readonly string[];
}

const ALL_TIME = { from: "1970-01-01T00:00:00Z", to: "9999-12-31T00:00:00Z" };

/**
 * Investigates one account.
 *
 * @example
 * ```ts
 * const run = (name, params) => runQuery(store, name, params).then((r) => r.rows);
 * const [top] = await triage(run);
 * const story = await investigateAccount(run, top.user_principal_name, { findings: top.findings });
 * ```
 */
export async function investigateAccount(
  run: DetectionRunner,
  upn: string,
  options: InvestigateOptions = {},
): Promise<Investigation> {
  const account = upn.trim();
  if (account === "") throw new Error("investigateAccount(): the account (user principal name) is empty");
  const range = { from: options.from ?? ALL_TIME.from, to: options.to ?? ALL_TIME.to };
  const findings = options.findings ?? [];
  const hours = options.windowHours ?? 24;
  const signinRows = await run("account_signins", { upn: account, ...range });
  const ips = options.suspiciousIps
    ? [...options.suspiciousIps]
    : suspiciousAddresses(findings, signinRows, hours);
  for (const ip of ips) {
    if (ip.includes(",")) throw new Error(`investigateAccount(): ${JSON.stringify(ip)} is not an address`);
  }
  const window = findings.length > 0 ? auditWindow(findings, range, hours) : range;
  const auditRows = await run("account_audits", {
    upn: account,
    ips: ips.length > 0 ? ips.join(",") : "-",
    ...window,
  });
  return assembleInvestigation({
    upn: account,
    range,
    findings,
    signinRows,
    auditRows,
    suspiciousIps: ips,
    auditWindow: window,
  });
}
