/**
 * One Graph GET with everything a long pull needs: pacing, bearer token (refreshed once on 401), retries of
 * 429/5xx/dropped connections/timeouts honoring Retry-After, and a streamed body handed chunk by chunk to a
 * sink, so a page is never held in memory. Three clocks guard an attempt: silence (`idleTimeoutMs`), the
 * whole request (`deadlineMs`) and a trickle (`minBytesPerSecond` once `throughputGraceMs` has passed).
 * Redirects are followed only on the requested origin: the bearer token must never leave the Graph host.
 */
import { GraphError, OffHostRedirectError, PullAbortedError, TransientError } from "./errors.ts";
import { type Clock, type PaceLimit, Pacer, realClock, realSleep, type Sleep } from "./pacer.ts";
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUS, retryDelayMs, type RetryPolicy } from "./retry.ts";
import type { TokenProvider } from "./auth.ts";

/** Receives one response body as it streams in; `end` may throw a TransientError to have the page refetched. */
export interface PageSink<T> {
  begin(): Promise<void>;
  /** `bytes` is only valid until the returned promise settles (its buffer is reused): copy what you keep. */
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
  /** Abort an attempt that has not finished after this long, however busy it is (default 10 min). */
  deadlineMs?: number;
  /**
   * Abort an attempt whose body arrives slower than this on average (bytes/s, counted from the response
   * headers once `throughputGraceMs` has passed); 0 turns the rule off. Default 1024.
   */
  minBytesPerSecond?: number;
  /** Time after the response headers before the throughput rule applies (default 30 s). */
  throughputGraceMs?: number;
  /** Monotonic milliseconds for the transfer clocks (default `performance.now`). */
  monotonicNow?: () => number;
  onEvent?: (event: ClientEvent) => void;
  signal?: AbortSignal;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_DEADLINE_MS = 600_000;
export const DEFAULT_MIN_BYTES_PER_SECOND = 1024;
export const DEFAULT_THROUGHPUT_GRACE_MS = 30_000;

/** Graph's own redirects stay on its host; a chain longer than this is a loop. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
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
  #deadlineMs: number;
  #minRate: number;
  #graceMs: number;
  #mono: () => number;
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
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.#minRate = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
    this.#graceMs = options.throughputGraceMs ?? DEFAULT_THROUGHPUT_GRACE_MS;
    this.#mono = options.monotonicNow ?? (() => performance.now());
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
    /** Why this attempt's own controller aborted (silence, deadline, trickle), when it did. */
    let cut: string | undefined;
    const abortFor = (reason: string) => {
      cut ??= reason;
      controller.abort();
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => abortFor(`no data for ${seconds(this.#idleTimeoutMs)} s`),
        this.#idleTimeoutMs,
      );
    };
    const deadline = setTimeout(
      () => abortFor(`request not finished after ${seconds(this.#deadlineMs)} s (the per-request deadline)`),
      this.#deadlineMs,
    );
    const transportFault = (e: unknown, when: string) =>
      new TransientError(
        cut
          ? `${cut} ${when}`
          : `connection failed ${when}: ${String((e as Error)?.message ?? e).split("\n")[0]}`,
      );
    arm();
    try {
      let res: Response;
      let current = url;
      for (let hops = 0;; hops++) {
        try {
          res = await this.#fetch(current, {
            headers: {
              authorization: `Bearer ${token}`,
              accept: "application/json",
              // Without it Graph sends enum members added after v1.0's release (e.g. incomingTokenType,
              // authenticationProtocol values) as "unknownFutureValue".
              prefer: "include-unknown-enum-members",
              "client-request-id": crypto.randomUUID(),
            },
            // Followed by hand below: fetch would carry the bearer token to any host a response names.
            redirect: "manual",
            signal: controller.signal,
          });
        } catch (e) {
          this.#checkAborted();
          throw transportFault(e, "before the response");
        }
        if (!REDIRECT_STATUS.has(res.status)) break;
        // A redirect's body is never a page: drop it unread.
        await res.body?.cancel().catch(() => {});
        const location = res.headers.get("location");
        let target: URL;
        try {
          target = new URL(location ?? "", current);
        } catch {
          throw new OffHostRedirectError(pathOf(url), String(location));
        }
        if (location === null || target.origin !== new URL(current).origin) {
          throw new OffHostRedirectError(pathOf(url), location === null ? "(no Location)" : target.origin);
        }
        if (hops + 1 >= MAX_REDIRECTS) {
          throw new TransientError(`more than ${MAX_REDIRECTS} redirects from ${pathOf(url)}`);
        }
        current = target.href;
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
      const reader = new BodyReader(res.body);
      const headersAt = this.#mono();
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
          const elapsed = this.#mono() - headersAt;
          if (this.#minRate > 0 && elapsed > this.#graceMs && received < (this.#minRate * elapsed) / 1000) {
            // A server dripping a byte now and then never trips the idle timer; this does.
            throw new TransientError(
              `body too slow: ${received} bytes in ${seconds(elapsed)} s, under the minimum ` +
                `${this.#minRate} bytes/s`,
            );
          }
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
      clearTimeout(deadline);
      this.#signal?.removeEventListener("abort", onOuterAbort);
    }
  }
}

/**
 * Bytes read into one buffer per body: the size of the chunks Deno's fetch hands out by default. Larger is
 * worse: with 256 KiB a 100k pull peaked at 113 MiB instead of 101.
 */
const BODY_BUFFER_BYTES = 64 * 1024;

/**
 * Reads a response body into one reused buffer (a BYOB reader) when the stream is a byte stream, as Deno's
 * fetch bodies are. The default reader allocates a fresh 64 KiB ArrayBuffer per read, outside the JS heap,
 * and the dead ones are freed only at the next scavenge: with ~30 MB of body between scavenges, that, not
 * anything kept, was most of what made a 100k pull peak 14 % above a 10k one (122 vs 107 MiB). A stream that
 * is not a byte stream (an injected fetch's own Response) is read the default way.
 */
class BodyReader {
  #byob: ReadableStreamBYOBReader | undefined;
  #plain: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #buffer: ArrayBuffer | undefined;

  constructor(body: ReadableStream<Uint8Array>) {
    try {
      this.#byob = body.getReader({ mode: "byob" });
      this.#buffer = new ArrayBuffer(BODY_BUFFER_BYTES);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      this.#plain = body.getReader();
    }
  }

  /** The next chunk; with a BYOB reader it is only valid until the following read (the buffer is reused). */
  async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    if (!this.#byob) return await this.#plain!.read();
    const r = await this.#byob.read(new Uint8Array(this.#buffer!));
    // The read transferred the buffer into the result: take it back for the next one.
    if (r.value) this.#buffer = r.value.buffer as ArrayBuffer;
    if (r.done) return { done: true, value: undefined };
    return { done: false, value: r.value };
  }

  async cancel(): Promise<void> {
    await (this.#byob ?? this.#plain)!.cancel();
  }
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 10 || Number.isInteger(s) ? String(Math.round(s)) : s.toFixed(1);
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
