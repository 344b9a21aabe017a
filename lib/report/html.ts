// The report page: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches) that opens from a
// USB stick or an email attachment and prints sensibly.
import type { Chart, ChartTable } from "../charts/chart.ts";
import { escapeXml as esc, formatCount } from "../charts/svg_text.ts";
import type { ReportSummary } from "./summary.ts";

export interface Section {
  readonly chart?: Chart;
  /** Set when the section's query failed; the section shows this instead of a chart. */
  readonly error?: { readonly title: string; readonly query: string; readonly message: string };
}

export interface PageInput {
  readonly tenant: string;
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly summary: ReportSummary;
  readonly sections: readonly Section[];
  /** Set when the report has no sign-ins (built with allowEmpty): shown as a banner above everything. */
  readonly emptyReason?: string;
  /** Opening block before the sections (the triage and its investigations), with its contents entries. */
  readonly lead?: {
    readonly html: string;
    readonly toc: readonly { readonly id: string; readonly title: string }[];
  };
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #222; font: 15px/1.45 "DejaVu Sans", Verdana, system-ui, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 24px 48px; }
header.report { background: #1f2d3d; color: #fff; padding: 28px 0 22px; }
header.report .inner { max-width: 1040px; margin: 0 auto; padding: 0 24px; }
header.report h1 { margin: 0 0 4px; font-size: 26px; }
header.report p { margin: 2px 0; color: #d6dde6; }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; margin-top: 18px; }
.total { background: rgba(255,255,255,0.08); border-radius: 8px; padding: 10px 12px; }
.total .n { display: block; font-size: 24px; font-weight: bold; color: #fff; }
.total .l { font-size: 13px; color: #c9d2dc; }
.total .s { font-size: 12px; color: #aebbc9; }
nav.toc { background: #fff; border-radius: 8px; padding: 12px 18px; margin: 20px 0; }
nav.toc ol { margin: 6px 0 0; padding-left: 22px; columns: 2; }
nav.toc a { color: #1f5fa8; text-decoration: none; }
section.chart { background: #fff; border-radius: 8px; padding: 18px 0 12px; margin: 20px 0; break-inside: avoid; }
section.chart > h2, section.chart > p, section.chart > .tablewrap, section.chart > .error { margin-left: 20px; margin-right: 20px; }
section.chart h2 { margin-top: 0; margin-bottom: 2px; font-size: 20px; }
section.chart p.caption { margin-top: 0; color: #555; }
.figure { overflow-x: auto; }
.figure > svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.tablewrap { overflow-x: auto; margin-top: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
table caption { text-align: left; font-weight: bold; padding: 4px 0 6px; color: #333; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e3e6ea; text-align: left; vertical-align: top; }
th { background: #f6f7f9; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap { overflow-wrap: break-word; }
.error { border: 1px solid #d55e00; background: #fff4ec; border-radius: 6px; padding: 10px 14px; }
.empty-banner { border: 3px solid #b00020; background: #fff0f0; color: #5a0010; border-radius: 8px; padding: 14px 18px;
  margin: 20px 0; font-size: 17px; }
footer { color: #666; font-size: 13px; margin-top: 28px; }
/* Phones: charts keep a legible size and scroll sideways inside their own box (the page itself never scrolls
   sideways); tables keep sane row heights and scroll the same way; the contents list is one column. */
@media (max-width: 720px) {
  main { padding: 12px 10px 32px; }
  header.report .inner { padding: 0 12px; }
  header.report h1 { font-size: 21px; }
  .totals { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  nav.toc ol { columns: 1; }
  section.chart > h2, section.chart > p, section.chart > .tablewrap, section.chart > .error { margin-left: 10px;
    margin-right: 10px; }
  .figure > svg { max-width: none; width: 720px; margin: 0; }
  .tablewrap table:not([style]) { min-width: 880px; }
  td.wrap { min-width: 16ch; }
}
/* Print and PDF: every section starts a new page, charts fit the page width, nothing is cut by a scroll box. */
@media print {
  @page { margin: 14mm 12mm; }
  body { background: #fff; font-size: 12px; }
  header.report { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 10px; }
  header.report p, .total .l, .total .s, .total .n { color: #000; }
  .total { background: #fff; border: 1px solid #999; }
  main { max-width: none; padding: 0; }
  nav.toc { border: 1px solid #ddd; break-after: page; }
  section.chart { border: 1px solid #ddd; break-before: page; break-inside: auto; margin: 0; }
  section.chart > h2 { break-after: avoid; }
  .figure, .tablewrap { overflow: visible; }
  .figure > svg { width: 100%; max-width: 100%; height: auto; break-inside: avoid; }
  .tablewrap table { min-width: 0 !important; }
  tr { break-inside: avoid; }
  a { color: inherit; }
}
`;

function percentOf(part: number, whole: number): string {
  if (whole <= 0) return "";
  const p = (100 * part) / whole;
  return p > 0 && p < 0.1 ? "<0.1%" : `${p.toFixed(1)}%`;
}

function formatInstant(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(iso);
  if (!m) return iso;
  return m[2] ? `${m[1]} ${m[2]} UTC` : m[1];
}

function totalsHtml(s: ReportSummary): string {
  const tile = (n: number, label: string, sub = "") =>
    `<div class="total"><span class="n">${formatCount(n)}</span><span class="l">${esc(label)}</span>` +
    (sub ? `<br><span class="s">${esc(sub)}</span>` : "") + `</div>`;
  const noun = (n: number, one: string, many: string) => (n === 1 ? one : many);
  return `<div class="totals">` +
    tile(s.signins, noun(s.signins, "sign-in", "sign-ins")) +
    tile(s.users, noun(s.users, "user", "users")) +
    tile(s.failures, noun(s.failures, "failure", "failures"), percentOf(s.failures, s.signins)) +
    tile(s.interrupts, noun(s.interrupts, "interrupt", "interrupts"), percentOf(s.interrupts, s.signins)) +
    tile(s.countries, noun(s.countries, "country or region", "countries or regions")) +
    tile(s.ips, noun(s.ips, "source IP address", "source IP addresses")) +
    `</div>`;
}

function cell(value: string | number | null, numeric: boolean): string {
  if (value === null || value === "") return `<td${numeric ? ' class="num"' : ""}>–</td>`;
  if (typeof value === "number") return `<td class="num">${formatCount(value)}</td>`;
  return `<td class="${numeric ? "num" : "wrap"}">${esc(value)}</td>`;
}

export function tableHtml(table: ChartTable): string {
  if (table.rows.length === 0) return "";
  const head = table.columns.map((c) =>
    `<th${c.align === "right" ? ' class="num"' : ""}>${esc(c.label)}</th>`
  ).join("");
  const body = table.rows.map((row) =>
    `<tr>${table.columns.map((c) => cell(row[c.key] ?? null, c.align === "right")).join("")}</tr>`
  ).join("\n");
  // A table never squeezes a column below what its text needs to stay on a few lines: wide tables scroll inside
  // their box instead of growing 150 px tall rows (a 300-character audit detail still wraps at ~48 characters).
  const minWidth = table.columns.reduce((sum, c) => {
    const longest = Math.max(
      c.label.length,
      ...table.rows.map((r) => String(r[c.key] ?? "").length),
    );
    return sum + Math.min(Math.max(longest, 4), 48) * 7.4 + 17;
  }, 0);
  return `<div class="tablewrap"><table style="min-width:${Math.ceil(minWidth)}px"><caption>${
    esc(table.caption)
  }</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function sectionHtml(section: Section): string {
  if (section.error) {
    const { title, query, message } = section.error;
    return `<section class="chart" id="${esc(query)}"><h2>${esc(title)}</h2>` +
      `<div class="error">Could not build this section: query <code>${esc(query)}</code> failed: ${
        esc(message)
      }</div></section>`;
  }
  const chart = section.chart!;
  return `<section class="chart" id="${esc(chart.id)}"><h2>${esc(chart.title)}</h2>` +
    `<p class="caption">${esc(chart.caption)}</p>` +
    `<div class="figure">${chart.bodySvg}</div>` +
    (chart.table && !chart.empty ? tableHtml(chart.table) : "") +
    `</section>`;
}

function sectionTitle(section: Section): { id: string; title: string } {
  return section.chart
    ? { id: section.chart.id, title: section.chart.title }
    : { id: section.error!.query, title: section.error!.title };
}

/** The complete report page. */
export function renderReportHtml(input: PageInput): string {
  const s = input.summary;
  const range = `${formatInstant(input.from)} – ${formatInstant(input.to)}`;
  const seen = s.first_seen && s.last_seen
    ? `First sign-in ${formatInstant(s.first_seen)}, last ${formatInstant(s.last_seen)}.`
    : "No sign-ins in this range.";
  const toc = [...(input.lead?.toc ?? []), ...input.sections.map(sectionTitle)]
    .map(({ id, title }) => `<li><a href="#${esc(id)}">${esc(title)}</a></li>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="signin-lens">
<title>Sign-in report · ${esc(input.tenant)} · ${esc(range)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="report"><div class="inner">
<h1>Entra ID sign-in report</h1>
<p><strong>Tenant:</strong> ${esc(input.tenant)}</p>
<p><strong>Range:</strong> ${esc(range)} · ${esc(seen)}</p>
${totalsHtml(s)}
</div></header>
<main>
${
    input.emptyReason
      ? `<div class="empty-banner" role="alert"><strong>This report has no sign-ins.</strong> ${
        esc(input.emptyReason)
      }</div>\n`
      : ""
  }<nav class="toc"><strong>Contents</strong><ol>${toc}</ol></nav>
${input.lead ? `${input.lead.html}\n` : ""}${input.sections.map(sectionHtml).join("\n")}
<footer>
<p>Results: <em>success</em> is error code 0; <em>interrupt</em> is one of the codes Microsoft's own workbooks
treat as an interruption (MFA prompt, “keep me signed in”, consent…); <em>failure</em> is any other code.
Times are UTC.</p>
<p>Generated ${
    esc(formatInstant(input.generatedAt))
  } by signin-lens. This file is self-contained: it loads nothing
from the network.</p>
</footer>
</main>
</body>
</html>
`;
}
