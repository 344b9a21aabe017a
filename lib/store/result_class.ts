/**
 * Error codes Microsoft's own sign-in workbooks count as interrupts (a step of a sign-in that goes on,
 * such as an MFA prompt), not as failures.
 */
export const INTERRUPT_CODES: readonly number[] = [
  16000,
  16001,
  16003,
  50055,
  50058,
  50059,
  50072,
  50074,
  50125,
  50127,
  50129,
  50140,
  50143,
  50144,
  50148,
  51006,
  52004,
  65001,
  81010,
  81012,
  81014,
];

/** success / interrupt / failure (unknown when a record has no status), as SQL valid on DuckDB and Trino. */
export function resultExpression(errorCode: string): string {
  return `CASE WHEN ${errorCode} IS NULL THEN 'unknown' WHEN ${errorCode} = 0 THEN 'success' ` +
    `WHEN ${errorCode} IN (${INTERRUPT_CODES.join(", ")}) THEN 'interrupt' ELSE 'failure' END`;
}
