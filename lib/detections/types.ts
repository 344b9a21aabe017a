/**
 * The triage's data shapes, shared by the detection runners, the scoring, the triage task, the report section
 * and the account investigation. Engine-neutral: every value is a plain JSON value, whichever engine
 * (DuckDB, Athena, Trino) answered the detection queries.
 */

/** Kinds of network an address belongs to, from lib/ipintel's sourced ASN list; null when unknown / ordinary. */
export type NetworkClass = "hosting" | "vpn" | "tor" | "isp";

/** One piece of evidence against one account: a row of a detection query (queries/detect_*.sql). */
export interface Finding {
  /** The detection that fired: the query name without `detect_` (e.g. `spray_success`, `token_replay`). */
  rule: string;
  /** The MITRE ATT&CK technique id the rule stands for, e.g. `T1110.003` (password spraying). */
  technique: string;
  /** When it happened (ISO 8601 instant, UTC): the sign-in or audit event the finding is about. */
  at: string;
  /** Source address of that sign-in (IPv4 or IPv6 text as Entra logged it), null when the record has none. */
  ip: string | null;
  /** Autonomous system of `ip`: Entra's own `autonomousSystemNumber` where the record has it, else the dataset. */
  asn: number | null;
  as_org: string | null;
  network_class: string | null;
  /** ISO 3166 alpha-2 country or region as Entra located the sign-in. */
  country: string | null;
  app: string | null;
  /** Entra `sessionId` (beta) of the sign-in, null when the record has none (v1.0, older exports). */
  session_id: string | null;
  /** One sentence saying what fired, with the numbers (shown as is in the table, JSON and report). */
  evidence: string;
  /** Points this finding adds to its account's score, from lib/detections/score.ts (never set by SQL). */
  weight: number;
}

/** One account in the triage: its findings, most recent last, and the combined score. */
export interface TriageRow {
  user_principal_name: string;
  /** Higher = more likely compromised; see scoreAccount() in lib/detections/score.ts for how it is made. */
  score: number;
  findings: Finding[];
  /** Earliest `at` of the findings (ISO instant). */
  first_suspicious_at: string;
}

/**
 * Runs a named query (queries/<name>.sql) with named parameters and returns its rows, lower-case column names,
 * plain values (timestamps as ISO strings). The same contract as lib/report's runner, with any parameters:
 * a DuckDB store (`runQuery(store, …)`), Athena (`runOnAthena`) or Trino all fit.
 */
export type DetectionRunner = (
  name: string,
  params: Record<string, string | number>,
) => Promise<readonly Record<string, unknown>[]>;

export interface TriageOptions {
  /** Range start (inclusive) and end (exclusive), ISO instants; the first-seen rule still learns from earlier history. */
  from?: string;
  to?: string;
  /** Accounts below this score are left out (default 1: every account with any finding). */
  minScore?: number;
  /** Threshold overrides per rule: `{ spray_success: { min_users: 5 } }`; unknown names are an error. */
  params?: Record<string, Record<string, string | number>>;
}

// The entry point, implemented in lib/detections/triage.ts:
//   export function triage(run: DetectionRunner, opts?: TriageOptions): Promise<TriageRow[]>;
// Rows come most suspicious first (score descending, then first_suspicious_at, then the UPN).
