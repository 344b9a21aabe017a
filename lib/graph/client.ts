/**
 * One Graph GET with everything a long pull needs: pacing, bearer token (refreshed once on 401), retries of
 * 429/5xx/dropped connections/timeouts honoring Retry-After, and a streamed body handed chunk by chunk to a
 * sink, so a page is never held in memory.
 */
import { GraphError, PullAbortedError, TransientError } from "./errors.ts";
import { type Clock, type PaceLimit, Pacer, realClock, realSleep, type Sleep } from "./pacer.ts";
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUS, retryDelayMs, type RetryPolicy } from "./retry.ts";
import type { TokenProvider } from "./auth.ts";

/** Receives one response body as it streams in; `end` may throw a TransientError to have the page refetched. */
export interface PageSink<T> {
  begin(): Promise<void>;
  chunk(bytes: Uint8Array): Promise<void>;
  end(): Promise<T>;
  /** Called when the body could not be completed; discard what `chunk` received. */
  abort(): Promise<void>;
}

/** Things worth showing on a progress line or in a log. */
export type ClientEvent =
  | { type: "paced"; waitMs: number }
  | { type: "retry"; attempt: number; waitMs: number; reason: string; status?: number; throttled: boolean }
  | { type: "token-refresh" };

export interface GraphClientOptions {
  tokenProvider: TokenProvider;
  fetch?: typeof fetch;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Client-side request pacing; null turns it off (tests, benchmarks against a fake). */
  pace?: PaceLimit | null;
  retry?: Partial<RetryPolicy>;
  /** Abort an attempt when no byte arrives for this long (connect, headers or body). */
  idleTimeoutMs?: number;
  onEvent?: (event: ClientEvent) => void;
  signal?: AbortSignal;
}

const MAX_ERROR_BODY = 64 * 1024;
/** Slack added to each pacing wait so that request arrival jitter does not trip the server's limit. */
const PACE_MARGIN_MS = 250;

export class GraphClient {
  #tokens: TokenProvider;
  #fetch: typeof fetch;
  #clock: Clock;
  #sleep: Sleep;
  #random: () => number;
  #pacer: Pacer;
  #policy: RetryPolicy;
  #idleTimeoutMs: number;
  #onEvent: (event: ClientEvent) => void;
  #signal?: AbortSignal;

  constructor(options: GraphClientOptions) {
    this.#tokens = options.tokenProvider;
    this.#fetch = options.fetch ?? fetch;
    this.#clock = options.clock ?? realClock;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#pacer = new Pacer(options.pace ?? null, this.#clock, this.#sleep, PACE_MARGIN_MS);
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#signal = options.signal;
  }

  /** GETs `url` and streams the body into `sink`; retries transient faults; throws GraphError on 4xx. */
  async getPage<T>(url: string, sink: PageSink<T>): Promise<T> {
    let attempt = 0;
    let refreshed = false;
    let forceRefresh = false;
    for (;;) {
      attempt++;
      this.#checkAborted();
      try {
        const pace = this.#pacer.delayMs();
        // Announced before the wait so a progress line can show it while it lasts.
        if (pace > 0) this.#onEvent({ type: "paced", waitMs: pace });
        await this.#pacer.acquire(this.#signal);
        const token = await this.#tokens.getToken({ forceRefresh });
        forceRefresh = false;
        return await this.#attempt(url, token, sink);
      } catch (e) {
        this.#checkAborted();
        if (e instanceof GraphError && e.status === 401 && !refreshed) {
          // An expired or revoked token: refresh once, immediately, without spending a retry.
          refreshed = true;
          forceRefresh = true;
          attempt--;
          this.#onEvent({ type: "token-refresh" });
          continue;
        }
        if (!(e instanceof TransientError)) throw e;
        if (attempt >= this.#policy.maxAttempts) {
          throw new TransientError(
            `Gave up on ${pathOf(url)} after ${attempt} attempts; last fault: ${e.message}`,
            {
              status: e.status,
            },
          );
        }
        const waitMs = retryDelayMs(attempt, this.#policy, e.retryAfter, this.#clock.now(), this.#random);
        this.#onEvent({
          type: "retry",
          attempt,
          waitMs,
          reason: e.message,
          status: e.status,
          throttled: e.status === 429,
        });
        await this.#sleep(waitMs, this.#signal).catch(() => this.#checkAborted());
      }
    }
  }

  #checkAborted(): void {
    if (this.#signal?.aborted) throw new PullAbortedError();
  }

  async #attempt<T>(url: string, token: string, sink: PageSink<T>): Promise<T> {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    this.#signal?.addEventListener("abort", onOuterAbort, { once: true });
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.#idleTimeoutMs);
    };
    const transportFault = (e: unknown, when: string) =>
      new TransientError(
        timedOut
          ? `no data for ${Math.round(this.#idleTimeoutMs / 1000)} s ${when}`
          : `connection failed ${when}: ${String((e as Error)?.message ?? e).split("\n")[0]}`,
      );
    arm();
    try {
      let res: Response;
      try {
        res = await this.#fetch(url, {
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            "client-request-id": crypto.randomUUID(),
          },
          signal: controller.signal,
        });
      } catch (e) {
        this.#checkAborted();
        throw transportFault(e, "before the response");
      }
      if (!res.ok) {
        const text = await readBounded(res).catch(() => "");
        const err = graphErrorFrom(res, url, text);
        if (RETRYABLE_STATUS.has(res.status)) {
          throw new TransientError(`${res.status} ${err.code}`, {
            status: res.status,
            retryAfter: res.headers.get("retry-after"),
          });
        }
        throw err;
      }
      if (!res.body) throw new TransientError(`empty body from ${pathOf(url)}`);
      const reader = res.body.getReader();
      await sink.begin();
      let received = 0;
      try {
        for (;;) {
          let r: ReadableStreamReadResult<Uint8Array>;
          try {
            r = await reader.read();
          } catch (e) {
            this.#checkAborted();
            throw transportFault(e, `mid-body after ${received} bytes`);
          }
          if (r.done) break;
          arm();
          received += r.value.length;
          await sink.chunk(r.value);
        }
        return await sink.end();
      } catch (e) {
        await reader.cancel().catch(() => {});
        await sink.abort();
        throw e;
      }
    } finally {
      clearTimeout(timer);
      this.#signal?.removeEventListener("abort", onOuterAbort);
    }
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "(bad url)";
  }
}

async function readBounded(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    parts.push(r.value);
    size += r.value.length;
    if (size >= MAX_ERROR_BODY) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new TextDecoder().decode(all.subarray(0, MAX_ERROR_BODY));
}

/** Turns Graph's error body `{"error":{"code","message","innerError":{…}}}` into a GraphError. */
export function graphErrorFrom(res: Response, url: string, bodyText: string): GraphError {
  let code = `HTTP${res.status}`;
  let message = res.statusText || "no message";
  let requestId = res.headers.get("request-id") ?? undefined;
  try {
    const body = JSON.parse(bodyText) as {
      error?: { code?: string; message?: string; innerError?: Record<string, unknown> };
    };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
    const inner = body.error?.innerError;
    if (typeof inner?.["request-id"] === "string") requestId = inner["request-id"] as string;
  } catch {
    if (bodyText.trim()) message = bodyText.trim().slice(0, 300);
  }
  return new GraphError({ status: res.status, code, message, requestId, path: pathOf(url) });
}
