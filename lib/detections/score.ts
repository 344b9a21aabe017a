/**
 * The triage score, in one place. Plain enough to say in one breath:
 *
 *   each rule that fired counts once, with its strongest finding's points (lib/detections/rules.ts);
 *   every further rule that fired with at least CORROBORATING_WEIGHT points adds CORROBORATION_BONUS more.
 *
 * So several independent signals outrank one: a spray that got the password (5) from a new hosting network
 * (2) with an MFA method registered right after (4) scores 5 + 2 + 4 + 2 × 2 = 15, a single strong signal 5,
 * and a business trip the account explains (own device, MFA, plausible speed: 0.5) stays below the default
 * --min-score of 1. Many rows of one rule (a long spray) do not add up: the rule counts once.
 */
import type { Finding } from "./types.ts";

export const CORROBORATION_BONUS = 2;
/** A finding this light (an explained trip) is context, not a corroborating signal. */
export const CORROBORATING_WEIGHT = 1;

/** The account's score from its findings (pure; order does not matter). */
export function scoreAccount(findings: readonly Finding[]): number {
  const strongest = new Map<string, number>();
  for (const f of findings) strongest.set(f.rule, Math.max(strongest.get(f.rule) ?? 0, f.weight));
  const weights = [...strongest.values()];
  const sum = weights.reduce((a, b) => a + b, 0);
  const corroborating = weights.filter((w) => w >= CORROBORATING_WEIGHT).length;
  return Math.round((sum + CORROBORATION_BONUS * Math.max(0, corroborating - 1)) * 10) / 10;
}

/** The scoring rule as one sentence, for the report and the table's footer. */
export const SCORING_SUMMARY =
  `Score: each rule that fired counts once, with its strongest finding's points; each further rule with at ` +
  `least ${CORROBORATING_WEIGHT} point adds ${CORROBORATION_BONUS} more, so several independent signals ` +
  `outrank one.`;
