/**
 * The triage's rules: which query each runs (queries/<query>.sql, one per rule, the finding columns of
 * lib/detections/types.ts plus `signal`) and what each signal weighs. The weights are the whole scoring
 * policy; scoreAccount() in score.ts only adds them up.
 */

export interface RuleSpec {
  /** The rule's name, as the query's `rule` column says it. */
  rule: string;
  query: string;
  /** What the rule finds, in a few words, for tables and the report. */
  title: string;
  /** Points per signal; a signal the query can return but this table lacks is an error, not a silent 0. */
  weights: Readonly<Record<string, number>>;
}

export const RULES: readonly RuleSpec[] = [
  {
    rule: "password_success",
    query: "detect_password_success",
    title: "spray or brute force that got the password",
    weights: { success: 5, password_only: 3 },
  },
  {
    rule: "token_replay",
    query: "detect_token_replay",
    title: "session used from two networks (AiTM / token replay)",
    weights: { mfa_by_claim: 5, network_change: 3 },
  },
  {
    rule: "device_code",
    query: "detect_device_code",
    title: "device-code phishing",
    weights: { other_network: 5, risky_network: 4 },
  },
  {
    rule: "mfa_fatigue",
    query: "detect_mfa_fatigue",
    title: "MFA fatigue that ended in approval",
    weights: { approved: 5 },
  },
  {
    rule: "risky_success",
    query: "detect_risky_success",
    title: "risky sign-in that succeeded",
    weights: { high: 4, medium: 3, remediated: 1 },
  },
  {
    rule: "legacy_oracle",
    query: "detect_legacy_oracle",
    title: "password tested over ROPC / legacy auth",
    weights: { legacy_success: 4, password_confirmed: 2, password_tested: 1 },
  },
  {
    rule: "risky_network",
    query: "detect_risky_network",
    title: "new hosting, VPN or Tor network",
    weights: { hosting: 2, vpn: 2, tor: 3 },
  },
  {
    rule: "first_seen",
    query: "detect_first_seen",
    title: "first sign-in from a new country or network",
    weights: { impossible_travel: 3, unexplained: 1.5, explained: 0.5 },
  },
  {
    rule: "persistence",
    query: "detect_persistence",
    title: "persistence after a suspicious sign-in",
    weights: { mfa_method: 4, device: 4, credential: 4, role: 4, app_consent: 3 },
  },
];

export function ruleSpec(rule: string): RuleSpec {
  const spec = RULES.find((r) => r.rule === rule);
  if (!spec) throw new Error(`unknown triage rule "${rule}" (rules: ${RULES.map((r) => r.rule).join(", ")})`);
  return spec;
}

/** Points of one finding; throws naming the rule and signal when the table has no weight for it. */
export function findingWeight(rule: string, signal: string): number {
  const w = ruleSpec(rule).weights[signal];
  if (w === undefined) {
    throw new Error(
      `rule ${rule} returned signal "${signal}", which lib/detections/rules.ts gives no weight`,
    );
  }
  return w;
}
