/**
 * Compromise triage: the detection rules (queries/detect_*.sql), their weights, the per-account score and
 * the ranking, engine-neutral (any runner of queries/<name>.sql: DuckDB, Athena, Trino).
 *
 * @example
 * ```ts
 * import { triageStore, formatTriage } from "./mod.ts";
 * const { rows } = await triageStore(store, { from: "2026-10-01", minScore: 1 });
 * console.log(formatTriage(rows, "table", { from: "2026-10-01", to: "2026-11-01", minScore: 1 }));
 * ```
 * @module
 */
export type { DetectionRunner, Finding, NetworkClass, TriageOptions, TriageRow } from "./types.ts";
export { findingWeight, RULES, type RuleSpec, ruleSpec } from "./rules.ts";
export { CORROBORATING_WEIGHT, CORROBORATION_BONUS, scoreAccount, SCORING_SUMMARY } from "./score.ts";
export { rankAccounts, runDetections, toFinding, triage } from "./triage.ts";
export { triageStore } from "./triage_store.ts";
export { formatTriage, triageCsv, type TriageFormat, triageJson, triageTable } from "./format.ts";
export { triageBlindSpots } from "./coverage.ts";
