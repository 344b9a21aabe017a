/**
 * Client-side pacing under Graph's reporting API limit (about 5 requests per 10 s per app per tenant):
 * waiting a little before each request costs far less than a 429 and its Retry-After.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** At most `requests` requests in any sliding window of `perMs` milliseconds. */
export interface PaceLimit {
  requests: number;
  perMs: number;
}

export const DEFAULT_PACE: PaceLimit = { requests: 5, perMs: 10_000 };

export const realClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Parses `5/10s`, `20/1m`, `off`. Returns null for off. */
export function parsePace(text: string): PaceLimit | null {
  const t = text.trim().toLowerCase();
  if (t === "off" || t === "none" || t === "0") return null;
  const m = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(t);
  if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) {
    throw new Error(`Pace must look like 5/10s (requests per period) or off, not ${JSON.stringify(text)}`);
  }
  const unit = m[3] ?? "s";
  const perMs = Number(m[2]) * (unit === "ms" ? 1 : unit === "s" ? 1000 : 60_000);
  return { requests: Number(m[1]), perMs };
}

export class Pacer {
  #limit: PaceLimit | null;
  #clock: Clock;
  #sleep: Sleep;
  #sent: number[] = [];
  #marginMs: number;

  /**
   * `marginMs` is added to each wait: the server counts a request when it arrives, a little after the
   * client sent it, so pacing exactly at the limit still draws the odd 429.
   */
  constructor(limit: PaceLimit | null, clock: Clock = realClock, sleep: Sleep = realSleep, marginMs = 0) {
    this.#limit = limit;
    this.#clock = clock;
    this.#sleep = sleep;
    this.#marginMs = marginMs;
  }

  /** How long the next request would have to wait now (0 when it may go). */
  delayMs(): number {
    const limit = this.#limit;
    if (!limit) return 0;
    const now = this.#clock.now();
    const span = limit.perMs + this.#marginMs;
    while (this.#sent.length > 0 && this.#sent[0] <= now - span) this.#sent.shift();
    if (this.#sent.length < limit.requests) return 0;
    return this.#sent[0] + span - now;
  }

  /** Waits for a slot and claims it; returns the time waited. */
  async acquire(signal?: AbortSignal): Promise<number> {
    let waited = 0;
    for (;;) {
      const d = this.delayMs();
      if (d <= 0) break;
      await this.#sleep(d, signal);
      waited += d;
    }
    if (this.#limit) this.#sent.push(this.#clock.now());
    return waited;
  }
}
