// Builds the static HTML report: runs each named query once, turns the rows into charts, renders the page.
import type { Chart } from "../charts/chart.ts";
import { failedSignInsMap } from "../charts/failed_map.ts";
import { failedByCountry } from "../charts/failed_by_country.ts";
import { failuresPerUserOverTime } from "../charts/failures_over_time.ts";
import { failuresByHourHeatmap } from "../charts/failures_heatmap.ts";
import { failureReasonsByUser } from "../charts/failure_reasons.ts";
import { interruptsByCode } from "../charts/interrupts_by_code.ts";
import { suspiciousIps } from "../charts/suspicious_ips.ts";
import { successByUserByOs } from "../charts/success_by_os.ts";
import { failuresByOsBrowser } from "../charts/os_browser.ts";
import { conditionalAccessOverTime } from "../charts/ca_over_time.ts";
import { coverageChart } from "../coverage/coverage_chart.ts";
import { authMethodMix, legacyAuthAttempts, signInsByApp } from "../charts/auth_and_apps.ts";
import type { LooseRow } from "../charts/rows.ts";
import { chooseBin } from "../charts/time_bins.ts";
import { renderReportHtml, type Section } from "./html.ts";
import { type ReportSummary, toSummary } from "./summary.ts";
import { emptyReason, EmptyReportError, type StoreTotals } from "./empty_report.ts";
import { TRIAGE_TITLE, type TriageSection } from "./triage_section.ts";

/** Runs a named query (queries/<name>.sql) with `from`/`to` ISO instants and returns its rows. */
export type QueryRunner = (
  name: string,
  params: { from: string; to: string },
) => Promise<readonly LooseRow[]> | readonly LooseRow[];

export interface BuildReportOptions {
  readonly run: QueryRunner;
  /** Tenant name or id shown in the header. */
  readonly tenant: string;
  /** Range start (inclusive) and end (exclusive), ISO instants. */
  readonly from: string;
  readonly to: string;
  /** When the report was made (ISO instant); injected so output is reproducible. */
  readonly generatedAt: string;
  /** Chart width in pixels (default 960). */
  readonly width?: number;
  /**
   * Build a report even when the range has no sign-ins (default false: {@link EmptyReportError}); the page then
   * carries a banner saying why it is empty.
   */
  readonly allowEmpty?: boolean;
  /** What the whole store holds, so an empty report can say whether the store or only the range is empty. */
  readonly storeTotals?: StoreTotals;
  /**
   * Builds the opening section "Accounts that may be compromised" and the per-account investigations
   * (lib/report/triage_section.ts: `reportTriage(store)`); without it the report starts with the charts.
   */
  readonly triage?: (range: { from: string; to: string; width: number }) => Promise<TriageSection>;
}

export interface QueryFailure {
  readonly query: string;
  readonly message: string;
}

export interface ReportResult {
  readonly html: string;
  /** The charts in page order (sections whose query failed are missing). */
  readonly charts: Chart[];
  readonly summary: ReportSummary;
  /** Queries that failed; their sections show the error and the rest of the report is still built. */
  readonly errors: QueryFailure[];
}

interface SectionDef {
  /** The query, or for time charts the query for the range (hourly rows for a day or two, daily otherwise). */
  readonly query: string | ((range: { from: string; to: string }) => string);
  readonly title: string;
  readonly build: (rows: readonly LooseRow[], ctx: { from: string; to: string; width: number }) => Chart;
}

/** Page order: attacks first (where, who, when, how), then posture. */
export const REPORT_SECTIONS: readonly SectionDef[] = [
  {
    // First: before "no attacks" is trusted, the analyst sees which days the store has no sign-ins for.
    query: "signins_by_day_kind_source",
    title: "Sign-ins per day by kind: which days are missing",
    build: (rows, c) => coverageChart(rows, { from: c.from, to: c.to, width: c.width }),
  },
  {
    query: "signin_locations",
    title: "Failed sign-ins around the world",
    build: (rows, c) => failedSignInsMap(rows, { width: c.width }),
  },
  {
    query: "failed_by_country",
    title: "Failed sign-ins by country or region",
    build: (rows, c) => failedByCountry(rows, { width: c.width }),
  },
  {
    query: (r) => chooseBin(r.from, r.to) === "hour" ? "failed_per_user_hourly" : "failed_per_user_daily",
    title: "Failed sign-ins per user over time",
    build: (rows, c) => failuresPerUserOverTime(rows, { from: c.from, to: c.to, width: c.width }),
  },
  {
    query: "failures_by_hour_weekday",
    title: "When failures happen",
    build: (rows, c) => failuresByHourHeatmap(rows, { width: c.width }),
  },
  {
    query: "failed_by_reason_by_user",
    title: "Failure reasons by user",
    build: (rows, c) => failureReasonsByUser(rows, { width: c.width }),
  },
  {
    // Every address with failures, not only the flagged ones: the chart draws the rest in gray and its caption
    // counts how many of them are flagged.
    query: "failures_by_ip",
    title: "Suspicious source IP addresses",
    build: (rows, c) => suspiciousIps(rows, { width: c.width }),
  },
  {
    query: "legacy_auth_attempts",
    title: "Legacy authentication attempts",
    build: (rows, c) => legacyAuthAttempts(rows, { width: c.width }),
  },
  {
    query: "interrupts_by_code",
    title: "Interrupted sign-ins by reason",
    build: (rows, c) => interruptsByCode(rows, { width: c.width }),
  },
  {
    query: "success_by_user_by_os",
    title: "Successful sign-ins by user and operating system",
    build: (rows, c) => successByUserByOs(rows, { width: c.width }),
  },
  {
    query: "failures_by_os_browser",
    title: "Failed sign-ins by operating system and browser",
    build: (rows, c) => failuresByOsBrowser(rows, { width: c.width }),
  },
  {
    query: (r) => chooseBin(r.from, r.to) === "hour" ? "ca_result_hourly" : "ca_result_daily",
    title: "Conditional Access result over time",
    build: (rows, c) => conditionalAccessOverTime(rows, { from: c.from, to: c.to, width: c.width }),
  },
  {
    query: "auth_method_mix",
    title: "Authentication methods",
    build: (rows, c) => authMethodMix(rows, { width: c.width }),
  },
  {
    query: "signins_by_app",
    title: "Sign-ins by application",
    build: (rows, c) => signInsByApp(rows, { width: c.width }),
  },
];

function sectionQuery(def: SectionDef, range: { from: string; to: string }): string {
  return typeof def.query === "string" ? def.query : def.query(range);
}

/** Every query the report runs for a range, each exactly once. */
export function reportQueries(from: string, to: string): string[] {
  return ["summary", ...REPORT_SECTIONS.map((s) => sectionQuery(s, { from, to }))];
}

/** The queries of a report over days or more (a range of a day or two runs the hourly variants instead). */
export const REPORT_QUERIES: readonly string[] = reportQueries("2026-01-01", "2026-02-01");

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds the report, or throws {@link EmptyReportError} when the range has no sign-ins and `allowEmpty` is not set.
 * Queries run one after another (an embedded DuckDB connection runs one statement at a time);
 * a failing query costs its own section, not the report. A failing `summary` query is fatal: without totals the
 * header would lie.
 */
export async function buildReport(options: BuildReportOptions): Promise<ReportResult> {
  const params = { from: options.from, to: options.to };
  const ctx = { ...params, width: options.width ?? 960 };
  let summaryRows: readonly LooseRow[];
  try {
    summaryRows = await options.run("summary", params);
  } catch (error) {
    throw new Error(`Cannot build the report: query summary failed: ${message(error)}`);
  }
  const summary = toSummary(summaryRows);
  const empty = summary.signins === 0
    ? emptyReason(options.from, options.to, options.storeTotals)
    : undefined;
  if (empty && !options.allowEmpty) {
    throw new EmptyReportError(`Nothing to report: ${empty} (--allow-empty writes the empty report anyway)`);
  }
  const sections: Section[] = [];
  const charts: Chart[] = [];
  const errors: QueryFailure[] = [];
  let lead: TriageSection | undefined;
  if (options.triage && !empty) {
    try {
      lead = await options.triage(ctx);
      charts.push(...lead.charts);
    } catch (error) {
      errors.push({ query: "triage", message: message(error) });
      sections.push({ error: { title: TRIAGE_TITLE, query: "triage", message: message(error) } });
    }
  }
  for (const def of REPORT_SECTIONS) {
    let rows: readonly LooseRow[];
    const query = sectionQuery(def, params);
    try {
      rows = await options.run(query, params);
    } catch (error) {
      errors.push({ query, message: message(error) });
      sections.push({ error: { title: def.title, query, message: message(error) } });
      continue;
    }
    const chart = def.build(rows, ctx);
    charts.push(chart);
    sections.push({ chart });
  }
  const html = renderReportHtml({
    tenant: options.tenant,
    from: options.from,
    to: options.to,
    generatedAt: options.generatedAt,
    summary,
    sections,
    emptyReason: empty,
    lead,
  });
  return { html, charts, summary, errors };
}
