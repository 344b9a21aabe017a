/** Retry policy for Graph requests: pure functions, the clock and randomness passed in. */

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff step when the server gives no Retry-After. */
  baseDelayMs: number;
  /** Ceiling of one computed backoff step. */
  maxDelayMs: number;
  /** Ceiling of a server-requested wait (Retry-After); longer requests are clamped to it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 300_000,
};

/** HTTP statuses retried with backoff (429 and 5xx gateways / overload). */
export const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds, or undefined when
 * the header is absent or unparsable (the caller then falls back to backoff).
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed.
 * Retry-After wins when present; otherwise exponential backoff with "equal jitter" (half fixed, half random),
 * which keeps a floor under the wait while spreading clients apart.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfter: string | null | undefined,
  nowMs: number,
  random: () => number,
): number {
  const asked = parseRetryAfter(retryAfter, nowMs);
  if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
