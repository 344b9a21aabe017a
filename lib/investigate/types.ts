/** The shapes of one account's investigation: plain JSON values, whichever engine answered the queries. */

import type { Finding } from "../detections/types.ts";

/** One sign-in of the account (a row of queries/account_signins.sql), marked when it is part of the attack. */
export interface AccountSignIn {
  id: string;
  /** ISO instant (UTC). */
  at: string;
  ip: string | null;
  asn: number | null;
  as_org: string | null;
  network_class: string | null;
  country: string | null;
  city: string | null;
  app: string | null;
  client_app: string | null;
  /** success | failure | interrupt, as the store classifies the error code. */
  result: string;
  error_code: number | null;
  failure_reason: string | null;
  session_id: string | null;
  interactive: boolean | null;
  authentication_protocol: string | null;
  incoming_token_type: string | null;
  original_transfer_method: string | null;
  device_id: string | null;
  device_name: string | null;
  operating_system: string | null;
  mfa_method: string | null;
  mfa_by_claim: boolean;
  /** From a suspicious address, or the very sign-in a finding of 1 point or more is about. */
  suspicious: boolean;
  /** Rules whose findings point at this sign-in (same address, same second). */
  rules: string[];
}

/** One source address of the account, with what the offline IP intelligence knows about it. */
export interface AccountNetwork {
  ip: string;
  asn: number | null;
  as_org: string | null;
  network_class: string | null;
  country: string | null;
  city: string | null;
  first: string;
  last: string;
  signins: number;
  successes: number;
  failures: number;
  /** A finding names this address and the account had not signed in successfully from it before. */
  suspicious: boolean;
}

/** One Entra session (sessionId) of the account that is worth showing: suspicious, or used from two networks. */
export interface AccountSession {
  session_id: string;
  first: string;
  last: string;
  signins: number;
  ips: string[];
  asns: number[];
  countries: string[];
  suspicious: boolean;
}

/** A directory-audit event near the findings (a row of queries/account_audits.sql). */
export interface AccountAudit {
  id: string;
  at: string;
  activity: string;
  category: string | null;
  service: string | null;
  result: string | null;
  initiated_by: string;
  ip: string | null;
  /** account: the account did it; ip: done from a suspicious address; target: a service did it to the account. */
  matched_by: "account" | "ip" | "target";
  /** The targets' names (display name, else UPN, else id), comma-separated. */
  targets: string;
  /** additionalDetails as `key: value` pairs and granted permissions, `; `-separated. */
  details: string;
}

export interface Investigation {
  user_principal_name: string;
  /** The range the sign-ins were read from. */
  range: { from: string; to: string };
  /** The audit events were read from 24 h (windowHours) before the first finding to 24 h after the last. */
  audit_window: { from: string; to: string };
  findings: Finding[];
  suspicious_ips: string[];
  signins: AccountSignIn[];
  networks: AccountNetwork[];
  sessions: AccountSession[];
  /** How many distinct sessionIds the account had in the range (most of them ordinary, not listed). */
  session_count: number;
  audits: AccountAudit[];
  totals: { signins: number; successes: number; failures: number; interrupts: number; suspicious: number };
}
