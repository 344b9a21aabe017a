/**
 * The shareable sign-in report: one self-contained HTML file (inline SVG and CSS, no network), optionally with
 * a PNG per chart.
 *
 * @example
 * ```ts
 * import { buildReport, writeReport } from "./lib/report/mod.ts";
 * const report = await buildReport({ run: runQuery, tenant: "contoso.onmicrosoft.com", from, to, generatedAt });
 * await writeReport(report, "reports", { png: true });
 * ```
 * @module
 */
export {
  buildReport,
  type BuildReportOptions,
  type QueryFailure,
  type QueryRunner,
  REPORT_QUERIES,
  REPORT_SECTIONS,
  reportQueries,
  type ReportResult,
} from "./build_report.ts";
export { emptyReason, EmptyReportError, type StoreTotals } from "./empty_report.ts";
export { renderReportHtml, tableHtml } from "./html.ts";
export { type ReportSummary, toSummary } from "./summary.ts";
export {
  accountSectionId,
  buildTriageSection,
  investigationView,
  type NotebookView,
  renderTriageSection,
  reportTriage,
  TRIAGE_SECTION_ID,
  TRIAGE_TITLE,
  type TriageSection,
  type TriageSectionOptions,
  triageView,
} from "./triage_section.ts";
export { REPORT_FILE, writeReport, type WriteReportOptions, type WrittenReport } from "./write_report.ts";
