/**
 * Athena's price applied to bytes scanned (pure): $5 per TB scanned, each query billed at least 10 MB and
 * rounded up to the next MB (Athena pricing page; TB and MB taken as 10^12 and 10^6 bytes).
 */
export const ATHENA_USD_PER_TB = 5;
export const ATHENA_MIN_BYTES = 10e6;

/** What one query scanning `bytes` costs on Athena, in USD. */
export function athenaQueryCost(bytes: number): number {
  const billed = Math.max(ATHENA_MIN_BYTES, Math.ceil(bytes / 1e6) * 1e6);
  return (billed / 1e12) * ATHENA_USD_PER_TB;
}

/** A report run's cost at `target` sign-ins from bytes measured per query at `measured` sign-ins (linear). */
export function reportCostAt(bytesPerQuery: readonly number[], measured: number, target: number): number {
  return bytesPerQuery.reduce((sum, b) => sum + athenaQueryCost((b * target) / measured), 0);
}
