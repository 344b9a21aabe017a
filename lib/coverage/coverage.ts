/**
 * Did I get everything? Per UTC day: the sign-ins the store holds by kind and source format, whether a fetch
 * covered the whole day (Graph pull windows, storage blobs per hour), and whether the day is still within
 * Graph's 30-day retention (past it, a missing day can only come from another export). A day with no
 * sign-ins is listed, never skipped: before trusting "no attacks" an analyst must see the gaps.
 */
import type { Store } from "../store/open_store.ts";
import { runQuery } from "../query/run_query.ts";
import { type CoverageSources, type FetchedSpan, readCoverageSources } from "./coverage_sources.ts";

/** Graph keeps sign-ins this long on Entra ID P1/P2 (7 days on Free). */
export const GRAPH_RETENTION_DAYS = 30;
const DAY = 86_400_000;

export interface CoverageRow {
  day: string;
  sign_in_kind: string;
  source_format: string;
  signins: number;
}

export type DayStatus = "ok" | "none" | "partial" | "in_progress";

export interface DayCoverage {
  day: string;
  signins: number;
  byKind: Record<string, number>;
  bySource: Record<string, number>;
  status: DayStatus;
  /** Why the day is partial: Graph pull windows of the day that were never fetched or never finished. */
  gaps: string[];
  /**
   * Storage containers with blobs for only some hours of the day. Diagnostic settings write a blob only for an
   * hour that had records, so these may be quiet hours: shown, but the day is not called partial for them.
   */
  hints: string[];
  /** Past Graph's retention: a gap here cannot be pulled from Graph any more. */
  beyondGraphRetention: boolean;
}

export interface Coverage {
  from: string;
  to: string;
  days: DayCoverage[];
  /** Days with no sign-in at all. */
  missing: string[];
  /** Days a source says were fetched only in part. */
  partial: string[];
  totals: { signins: number; byKind: Record<string, number>; bySource: Record<string, number> };
  /** First day Graph can still return (today minus its retention). */
  graphHorizon: string;
  lastDayWithSignins: string | null;
  /** The checkpoint and ledger files the partial-day verdicts come from. */
  basedOn: string[];
  problems: string[];
}

export interface CoverageOptions {
  /** First and last UTC day (YYYY-MM-DD, inclusive); default: the first and last day anything covers. */
  from?: string;
  to?: string;
  /** Raw directory holding pull checkpoints and storage ledgers (default data/raw). */
  rawDir?: string;
  now?: Date;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const add = (o: Record<string, number>, k: string, n: number) => (o[k] = (o[k] ?? 0) + n);

/** The coverage of the store's sign-ins over its days, with what the raw directory says was fetched. */
export async function coverage(store: Store, options: CoverageOptions = {}): Promise<Coverage> {
  const result = await runQuery(store, "signins_by_day_kind_source");
  const rows = result.rows.map((r) => ({
    day: String(r.day).slice(0, 10),
    sign_in_kind: String(r.sign_in_kind),
    source_format: String(r.source_format),
    signins: Number(r.signins),
  }));
  const sources = await readCoverageSources(options.rawDir ?? "data/raw");
  return buildCoverage(rows, sources, options);
}

/** The pure part: counts and fetched spans → per-day verdicts. */
export function buildCoverage(
  rows: CoverageRow[],
  sources: CoverageSources,
  options: CoverageOptions = {},
): Coverage {
  const now = (options.now ?? new Date()).getTime();
  const today = dayOf(now);
  const counted = rows.map((r) => r.day).sort();
  const spanDays = sources.spans.flatMap((s) => [dayOf(s.start), dayOf(Math.max(s.start, s.end - 1))]).sort();
  const from = options.from ?? [counted[0], spanDays[0]].filter(Boolean).sort()[0] ?? today;
  const to = options.to ?? [counted.at(-1), spanDays.at(-1)].filter(Boolean).sort().at(-1) ?? today;
  if (from > to) throw new Error(`coverage from ${from} is after to ${to}`);
  const horizon = dayOf(now - GRAPH_RETENTION_DAYS * DAY);
  const byDay = new Map<string, DayCoverage>();
  for (let t = Date.parse(`${from}T00:00:00Z`); dayOf(t) <= to; t += DAY) {
    const day = dayOf(t);
    byDay.set(day, {
      day,
      signins: 0,
      byKind: {},
      bySource: {},
      status: "none",
      gaps: [],
      hints: [],
      beyondGraphRetention: day < horizon,
    });
  }
  const totals = { signins: 0, byKind: {} as Record<string, number>, bySource: {} as Record<string, number> };
  for (const r of rows) {
    totals.signins += r.signins;
    add(totals.byKind, r.sign_in_kind, r.signins);
    add(totals.bySource, r.source_format, r.signins);
    const d = byDay.get(r.day);
    if (!d) continue;
    d.signins += r.signins;
    add(d.byKind, r.sign_in_kind, r.signins);
    add(d.bySource, r.source_format, r.signins);
  }
  for (const g of fetchGaps(sources.spans)) {
    const d = byDay.get(g.day);
    if (d) (g.certain ? d.gaps : d.hints).push(g.text);
  }
  for (const d of byDay.values()) {
    d.status = d.day === today
      ? "in_progress"
      : d.signins === 0
      ? "none"
      : d.gaps.length > 0
      ? "partial"
      : "ok";
  }
  const days = [...byDay.values()];
  return {
    from,
    to,
    days,
    missing: days.filter((d) => d.signins === 0 && d.day !== today).map((d) => d.day),
    partial: days.filter((d) => d.status === "partial").map((d) => d.day),
    totals,
    graphHorizon: horizon,
    lastDayWithSignins: counted.at(-1) ?? null,
    basedOn: sources.files,
    problems: sources.problems,
  };
}

/**
 * Per day, the streams whose fetched spans leave part of the day uncovered. A Graph stream that has windows on
 * a day must cover all 24 hours (a window started and never finished counts as not covered). A storage
 * container writes one blob per hour that had records: hours without one may be quiet hours, and are named.
 */
function fetchGaps(spans: FetchedSpan[]): { day: string; text: string; certain: boolean }[] {
  const perStreamDay = new Map<
    string,
    { source: string; stream: string; day: string; covered: [number, number][] }
  >();
  for (const s of spans) {
    for (let t = Date.parse(`${dayOf(s.start)}T00:00:00Z`); t < s.end; t += DAY) {
      const key = `${s.source}|${s.stream}|${dayOf(t)}`;
      const e = perStreamDay.get(key) ?? { source: s.source, stream: s.stream, day: dayOf(t), covered: [] };
      if (s.done) e.covered.push([Math.max(s.start, t), Math.min(s.end, t + DAY)]);
      perStreamDay.set(key, e);
    }
  }
  const out: { day: string; text: string; certain: boolean }[] = [];
  for (const e of perStreamDay.values()) {
    const hours = coveredMs(e.covered) / 3_600_000;
    if (hours >= 24) continue;
    out.push(
      e.source === "pull"
        ? { day: e.day, certain: true, text: `pull ${e.stream}: ${fmtHours(hours)} of 24 h fetched` }
        : {
          day: e.day,
          certain: false,
          text: `storage ${e.stream}: blobs for ${
            fmtHours(hours)
          } of 24 hours (an hour without sign-ins has none)`,
        },
    );
  }
  return out;
}

function coveredMs(spans: [number, number][]): number {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of sorted) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

const fmtHours = (h: number) => (Number.isInteger(h) ? `${h}` : h.toFixed(1));
