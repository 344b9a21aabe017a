/**
 * The puller: plans time windows per stream, fetches each window's pages in order into raw page files,
 * and records finished windows in the checkpoint so any re-run resumes where the last one stopped.
 */
import type { GraphConfig } from "../config.ts";
import { configSecrets } from "../config.ts";
import { createMsalTokenProvider, DEFAULT_TOKEN_DEADLINE_MS, type TokenProvider } from "./auth.ts";
import {
  acquireLock,
  type CheckpointData,
  loadCheckpoint,
  pruneCheckpoint,
  saveCheckpoint,
  type WindowState,
} from "./checkpoint.ts";
import { type ClientEvent, GraphClient } from "./client.ts";
import { PagingError } from "./errors.ts";
import { type Clock, DEFAULT_PACE, type PaceLimit, realClock, type Sleep } from "./pacer.ts";
import { dtDir, listPageNumbers, PageFileSink, removePages, removePartials } from "./page_store.ts";
import type { PageSummary } from "./page_scanner.ts";
import { Redactor } from "./redact.ts";
import type { RetryPolicy } from "./retry.ts";
import {
  type ApiVersion,
  buildListUrl,
  dayOf,
  type EventType,
  iso,
  type Kind,
  planWindows,
  RETENTION_DAYS,
  retentionWarning,
  type Stream,
  streamKey,
  type Window,
  windowKey,
} from "./windows.ts";

/** Either an explicit range or "the last N ms", which becomes incremental once a watermark exists. */
export type PullRange = { from: number; to: number } | { sinceMs: number };

export interface PullOptions {
  config: GraphConfig;
  /** Root of raw pages, e.g. `data/raw`. */
  outDir: string;
  range: PullRange;
  /** Default `["signins"]`. */
  kinds?: Kind[];
  /** Sign-in event types; anything but `interactive` needs the beta API. Default `["interactive"]`. */
  eventTypes?: EventType[];
  /** Default `v1.0`. */
  api?: ApiVersion;
  /** Window length, at most a day (default a day). */
  windowMs?: number;
  /** How far before the watermark an incremental run starts (default 1 h); the loader dedupes by id. */
  overlapMs?: number;
  /** `$top` page size (default 999, the largest Graph accepts). */
  top?: number;
  /** Request pacing (default 5 per 10 s); null turns it off. */
  pace?: PaceLimit | null;
  retry?: Partial<RetryPolicy>;
  idleTimeoutMs?: number;
  /** Per-request deadline (connect to last byte), retried like other faults; default 10 min. */
  deadlineMs?: number;
  /** Minimum average body throughput in bytes/s after the grace period (default 1024; 0 turns it off). */
  minBytesPerSecond?: number;
  throughputGraceMs?: number;
  /** Most pages one window may take before the pull stops; default derived from `top` (see maxPagesFor). */
  maxPagesPerWindow?: number;
  /** Defaults to msal-node with the config's credential. */
  tokenProvider?: TokenProvider;
  /** Receives secrets and tokens for redaction; pass one to redact your own output the same way. */
  redactor?: Redactor;
  fetch?: typeof fetch;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  signal?: AbortSignal;
  onEvent?: (event: PullEvent) => void;
}

export type PullEvent =
  | ClientEvent
  | { type: "warning"; message: string }
  /** Worth saying to a person at a terminal, not worth a nightly mail. */
  | { type: "note"; message: string }
  | { type: "plan"; windows: number; skipped: number; spanMs: number; from: string; to: string }
  | {
    type: "window-start";
    stream: string;
    start: number;
    end: number;
    index: number;
    total: number;
    redo: boolean;
  }
  | {
    type: "page";
    stream: string;
    start: number;
    end: number;
    records: number;
    bytes: number;
    lastTimestamp?: string;
  }
  | { type: "window-done"; stream: string; start: number; end: number; pages: number; records: number };

export interface PullResult {
  pages: number;
  records: number;
  bytes: number;
  windowsFetched: number;
  windowsSkipped: number;
  /** Windows a previous run had started but not finished: their partial pages were replaced. */
  windowsRedone: number;
  warnings: string[];
  elapsedMs: number;
}

const DAY_MS = 86_400_000;

/**
 * More sign-ins than any tenant logs in a day: at Graph's reporting limit (5 requests / 10 s, 999 a page)
 * a day window of this many records already takes over 11 hours to pull.
 */
export const MAX_RECORDS_PER_DAY_WINDOW = 20_000_000;

/** The page cap of a window: the most records it could hold at `top` per page, plus slack for short pages. */
export function maxPagesFor(top: number, windowMs: number = DAY_MS): number {
  const records = Math.ceil((MAX_RECORDS_PER_DAY_WINDOW * Math.min(windowMs, DAY_MS)) / DAY_MS);
  return Math.ceil(records / top) + 100;
}

/** Streams for the options: sign-ins per event type on beta, one interactive stream on v1.0, audits. */
export function planStreams(kinds: Kind[], eventTypes: EventType[], api: ApiVersion): Stream[] {
  const out: Stream[] = [];
  for (const kind of kinds) {
    if (kind === "audits") out.push({ kind, api });
    else if (api === "v1.0") {
      const extra = eventTypes.filter((t) => t !== "interactive");
      if (extra.length > 0) {
        throw new Error(
          `Graph v1.0 lists only interactive sign-ins; ${extra.join(", ")} need --api beta`,
        );
      }
      out.push({ kind, api });
    } else for (const eventType of eventTypes) out.push({ kind, api, eventType });
  }
  return out;
}

interface PlannedStream {
  stream: Stream;
  key: string;
  windows: Window[];
  from: number;
  to: number;
  incremental: boolean;
}

/** Pulls the requested windows into `outDir`; resumable, incremental, never duplicating a page. */
export async function pull(options: PullOptions): Promise<PullResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const emit = options.onEvent ?? (() => {});
  const redactor = options.redactor ?? new Redactor();
  for (const s of configSecrets(options.config)) redactor.add(s);
  const kinds = options.kinds ?? ["signins"];
  const api = options.api ?? "v1.0";
  const streams = planStreams(kinds, options.eventTypes ?? ["interactive"], api);
  const top = options.top ?? 999;
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw new Error(`Page size must be 1 to 999, not ${top}`);
  }
  const overlapMs = options.overlapMs ?? 3_600_000;
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (warnings.includes(message)) return;
    warnings.push(message);
    emit({ type: "warning", message });
  };

  const outDir = options.outDir.replace(/\/+$/, "") || ".";
  await Deno.mkdir(outDir, { recursive: true });
  const release = await acquireLock(outDir);
  try {
    const cp = await loadCheckpoint(outDir);
    // Whole seconds keep the $filter instants short and the window keys readable.
    const now = Math.floor(clock.now() / 1000) * 1000;
    pruneCheckpoint(cp, now);

    const planned: PlannedStream[] = [];
    for (const stream of streams) {
      const key = streamKey(stream);
      const state = (cp.streams[key] ??= {});
      let from: number, to: number;
      const incremental = "sinceMs" in options.range;
      if ("sinceMs" in options.range) {
        if (state.pending) {
          // A run that stopped midway: finish exactly its range so its windows (and pages) line up.
          from = Date.parse(state.pending.from);
          to = Date.parse(state.pending.to);
        } else {
          from = state.watermark ? Date.parse(state.watermark) - overlapMs : now - options.range.sinceMs;
          to = now;
          const floor = now - RETENTION_DAYS * DAY_MS;
          if (state.watermark && from < floor) {
            warn(
              `Last pull of ${key} ended ${state.watermark}, beyond Graph's ${RETENTION_DAYS}-day retention: ` +
                `records between then and ${iso(floor)} are lost; pulling from ${iso(floor)}`,
            );
            from = floor;
          }
          state.pending = { from: iso(from), to: iso(to) };
        }
      } else {
        from = options.range.from;
        to = options.range.to;
        if (from >= to) throw new Error(`--from ${iso(from)} must be before --to ${iso(to)}`);
        if (to > now) {
          // A future window would be marked finished while records are still arriving.
          warn(`--to ${iso(to)} is in the future; pulling up to now (${iso(now)})`);
          to = now;
        }
      }
      const w = retentionWarning(from, now);
      if (w) warn(w);
      planned.push({ stream, key, windows: planWindows(from, to, options.windowMs), from, to, incremental });
    }
    if (streams.some((s) => s.kind === "signins" && s.api === "v1.0")) {
      emit({
        type: "note",
        message: "Graph v1.0 lists interactive sign-ins only; use --api beta --event-types " +
          "interactive,nonInteractive,servicePrincipal,managedIdentity for the others",
      });
    }
    await saveCheckpoint(outDir, cp);

    let total = 0, skipped = 0, spanMs = 0;
    for (const p of planned) {
      for (const w of p.windows) {
        total++;
        if (cp.windows[windowKey(p.stream, w)]?.status === "done") skipped++;
        else spanMs += w.end - w.start;
      }
    }
    emit({
      type: "plan",
      windows: total,
      skipped,
      spanMs,
      from: iso(Math.min(...planned.map((p) => p.from))),
      to: iso(Math.max(...planned.map((p) => p.to))),
    });

    const tokenProvider = options.tokenProvider ?? createMsalTokenProvider(options.config, {
      redactor,
      // A token answer is a few hundred bytes: a minute is plenty, and --deadline can only shorten it.
      deadlineMs: Math.min(options.deadlineMs ?? DEFAULT_TOKEN_DEADLINE_MS, DEFAULT_TOKEN_DEADLINE_MS),
    });
    const client = new GraphClient({
      tokenProvider,
      fetch: options.fetch,
      clock,
      sleep: options.sleep,
      random: options.random,
      pace: options.pace === undefined ? DEFAULT_PACE : options.pace,
      retry: options.retry,
      idleTimeoutMs: options.idleTimeoutMs,
      deadlineMs: options.deadlineMs,
      minBytesPerSecond: options.minBytesPerSecond,
      throughputGraceMs: options.throughputGraceMs,
      onEvent: emit,
      signal: options.signal,
    });
    const graphOrigin = new URL(options.config.graphBaseUrl).origin;
    const result: PullResult = {
      pages: 0,
      records: 0,
      bytes: 0,
      windowsFetched: 0,
      windowsSkipped: skipped,
      windowsRedone: 0,
      warnings,
      elapsedMs: 0,
    };
    const cleanedDirs = new Set<string>();

    let index = 0;
    for (const p of planned) {
      for (const w of p.windows) {
        index++;
        const key = windowKey(p.stream, w);
        const prior = cp.windows[key];
        if (prior?.status === "done") continue;
        const kind = p.stream.kind;
        const day = dayOf(w.start);
        const dir = dtDir(outDir, kind, day);
        await Deno.mkdir(dir, { recursive: true });
        if (!cleanedDirs.has(dir)) {
          await removePartials(dir);
          cleanedDirs.add(dir);
        }
        if (prior?.status === "started") {
          await removePages(dir, prior.firstPage, nextBoundary(cp, key, prior));
          result.windowsRedone++;
        }
        const firstPage = await nextFreePage(cp, dir, kind, day, key);
        const state: WindowState = { status: "started", kind, day, firstPage };
        cp.windows[key] = state;
        await saveCheckpoint(outDir, cp);
        emit({
          type: "window-start",
          stream: p.key,
          start: w.start,
          end: w.end,
          index,
          total,
          redo: prior?.status === "started",
        });

        let url: string | undefined = buildListUrl(options.config.graphBaseUrl, p.stream, w, top);
        const maxPages = options.maxPagesPerWindow ?? maxPagesFor(top, w.end - w.start);
        // Every URL this window has fetched: a nextLink back to any of them (A→B→A) would never end.
        const seen = new Set<string>([url]);
        let n = firstPage;
        let records = 0;
        while (url) {
          if (n - firstPage >= maxPages) {
            throw new PagingError(
              `Window ${iso(w.start)}–${iso(w.end)} of ${p.key} passed ${maxPages} pages at $top=${top} ` +
                `without an end; stopping (the window stays unfinished and is redone on the next run)`,
            );
          }
          const page: PageSummary = await client.getPage(url, new PageFileSink(dir, n));
          records += page.records;
          result.pages++;
          result.records += page.records;
          result.bytes += page.bytes;
          emit({
            type: "page",
            stream: p.key,
            start: w.start,
            end: w.end,
            records: page.records,
            bytes: page.bytes,
            lastTimestamp: page.lastTimestamp,
          });
          n++;
          const next: string | undefined = page.nextLink;
          if (next !== undefined) {
            checkNextLink(next, url, graphOrigin);
            if (seen.has(next)) {
              throw new PagingError(
                `Graph returned an @odata.nextLink already followed in window ${iso(w.start)}–${
                  iso(w.end)
                } ` +
                  `of ${p.key} (page ${n - firstPage}); stopping a loop (the window stays unfinished)`,
              );
            }
            seen.add(next);
          }
          url = next;
        }
        state.status = "done";
        state.lastPage = n - 1;
        state.records = records;
        state.finishedAt = iso(clock.now());
        await saveCheckpoint(outDir, cp);
        result.windowsFetched++;
        emit({
          type: "window-done",
          stream: p.key,
          start: w.start,
          end: w.end,
          pages: n - firstPage,
          records,
        });
      }
      if (p.incremental) {
        const state = cp.streams[p.key];
        state.watermark = iso(p.to);
        delete state.pending;
        await saveCheckpoint(outDir, cp);
      }
    }
    result.elapsedMs = clock.now() - started;
    return result;
  } finally {
    await release();
  }
}

/** The token goes wherever nextLink points, so it must stay on the Graph host we were configured for. */
function checkNextLink(next: string, current: string, graphOrigin: string): void {
  let origin: string;
  try {
    origin = new URL(next).origin;
  } catch {
    throw new Error(`Graph returned an @odata.nextLink that is not a URL on ${new URL(current).pathname}`);
  }
  if (origin !== graphOrigin) {
    throw new Error(
      `Graph returned an @odata.nextLink to ${origin}, not ${graphOrigin}; refusing to send the token there`,
    );
  }
}

/** Pages of a started window run from its first page up to the next window reserved after it. */
function nextBoundary(cp: CheckpointData, key: string, w: WindowState): number {
  let boundary = Infinity;
  for (const [k, o] of Object.entries(cp.windows)) {
    if (k !== key && o.kind === w.kind && o.day === w.day && o.firstPage > w.firstPage) {
      boundary = Math.min(boundary, o.firstPage);
    }
  }
  return boundary;
}

/** One past every page on disk or reserved by another window in the same dt directory. */
async function nextFreePage(
  cp: CheckpointData,
  dir: string,
  kind: Kind,
  day: string,
  key: string,
): Promise<number> {
  let max = 0;
  for (const n of await listPageNumbers(dir)) max = Math.max(max, n);
  for (const [k, o] of Object.entries(cp.windows)) {
    if (k === key || o.kind !== kind || o.day !== day) continue;
    max = Math.max(max, o.lastPage ?? o.firstPage);
  }
  return max + 1;
}
