// The report's opening: "Accounts that may be compromised" (the triage table, each account linking to its own
// investigation further down the same page), then one investigation section per account: the sign-in timeline,
// the findings, the networks and sessions involved, and the directory-audit events within 24 h.
import { accountTimeline } from "../charts/account_timeline.ts";
import { type Chart, type ChartTable, JUPYTER_DISPLAY } from "../charts/chart.ts";
import { escapeXml as esc, formatCount } from "../charts/svg_text.ts";
import { SCORING_SUMMARY } from "../detections/score.ts";
import { triage } from "../detections/triage.ts";
import type { DetectionRunner, Finding, TriageRow } from "../detections/types.ts";
import { investigateAccount } from "../investigate/investigate_account.ts";
import type { Investigation } from "../investigate/types.ts";
import { ASN_ATTRIBUTION } from "../ipintel/dataset.ts";
import { ensureIpIntel } from "../ipintel/load_ip_intel.ts";
import { runQuery } from "../query/run_query.ts";
import type { Store } from "../store/open_store.ts";
import { tableHtml } from "./html.ts";

export const TRIAGE_SECTION_ID = "triage";
export const TRIAGE_TITLE = "Accounts that may be compromised";

/** What the report page needs: markup, contents entries and the charts (for PNG export). */
export interface TriageSection {
  readonly html: string;
  readonly toc: readonly { readonly id: string; readonly title: string }[];
  readonly charts: readonly Chart[];
  readonly rows: readonly TriageRow[];
}

export interface TriageSectionOptions {
  readonly from: string;
  readonly to: string;
  readonly width?: number;
  /** Accounts below this score are left out of the table (default 1, as `deno task triage`). */
  readonly minScore?: number;
  /** Accounts that get an investigation section (default 10, most suspicious first). */
  readonly maxInvestigations?: number;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

/** The id of the i-th account's investigation section (the index keeps look-alike UPNs apart). */
export function accountSectionId(upn: string, index: number): string {
  return `account-${index + 1}-${slug(upn) || "account"}`;
}

/** "2026-10-27 15:40:07" with a no-break space and no-break hyphens, so a table cell never splits it. */
function when(iso: string | null): string {
  if (!iso) return "–";
  return iso.replace(/(\.\d+)?Z$/, "").replace("T", "\u00a0").replaceAll("-", "\u2011");
}

/** An account name that may wrap after "@" and "." on a phone. */
function breakable(upn: string): string {
  return esc(upn).replace(/([@.])/g, "$1<wbr>");
}

function network(f: { asn: number | null; as_org: string | null; network_class: string | null }): string {
  if (f.asn === null) return "";
  return `AS${f.asn}${f.as_org ? ` ${f.as_org}` : ""}${f.network_class ? ` (${f.network_class})` : ""}`;
}

function rulesOf(findings: readonly Finding[]): string {
  return [...new Set(findings.map((f) => f.rule))].join(", ");
}

/** The finding with the most points (the earliest of equals): what the table shows as the reason. */
function strongest(findings: readonly Finding[]): Finding | undefined {
  return [...findings].sort((a, b) => b.weight - a.weight || a.at.localeCompare(b.at))[0];
}

function triageTableHtml(rows: readonly TriageRow[], ids: readonly (string | null)[]): string {
  const body = rows.map((r, i) => {
    const id = ids[i];
    const name = id
      ? `<a href="#${esc(id)}">${breakable(r.user_principal_name)}</a>`
      : breakable(r.user_principal_name);
    const top = strongest(r.findings);
    return `<tr><td class="num">${i + 1}</td><td class="wrap">${name}</td><td class="num">${r.score}</td>` +
      `<td>${esc(when(r.first_suspicious_at))}</td><td class="wrap">${esc(rulesOf(r.findings))}</td>` +
      `<td class="wrap">${esc(top?.evidence ?? "")}</td></tr>`;
  }).join("\n");
  return `<div class="tablewrap"><table><caption>Most suspicious first</caption><thead><tr>` +
    `<th class="num">#</th><th>Account</th><th class="num">Score</th><th>First suspicious (UTC)</th>` +
    `<th>Rules that fired</th><th>Strongest evidence</th></tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function findingsTable(findings: readonly Finding[]): ChartTable {
  return {
    caption: "Findings",
    columns: [
      { key: "at", label: "Time (UTC)" },
      { key: "rule", label: "Rule" },
      { key: "technique", label: "ATT&CK" },
      { key: "ip", label: "Address" },
      { key: "network", label: "Network" },
      { key: "country", label: "Country" },
      { key: "evidence", label: "Evidence" },
      { key: "weight", label: "Points", align: "right" },
    ],
    rows: findings.map((f) => ({
      at: when(f.at),
      rule: f.rule,
      technique: f.technique,
      ip: f.ip,
      network: network(f),
      country: f.country,
      evidence: f.evidence,
      weight: f.weight,
    })),
  };
}

function networksTable(story: Investigation, limit = 8): ChartTable {
  const shown = story.networks.slice(0, limit);
  const more = story.networks.length - shown.length;
  return {
    caption: more > 0
      ? `Networks (suspicious first, then the busiest; ${formatCount(more)} more not listed)`
      : "Networks (suspicious first, then the busiest)",
    columns: [
      { key: "ip", label: "Address" },
      { key: "network", label: "Network" },
      { key: "place", label: "Place" },
      { key: "signins", label: "Sign-ins", align: "right" },
      { key: "successes", label: "Successes", align: "right" },
      { key: "failures", label: "Failures", align: "right" },
      { key: "first", label: "First seen (UTC)" },
      { key: "last", label: "Last seen (UTC)" },
      { key: "suspicious", label: "Suspicious" },
    ],
    rows: shown.map((n) => ({
      ip: n.ip,
      network: network(n),
      place: [n.city, n.country].filter((x) => x).join(", "),
      signins: n.signins,
      successes: n.successes,
      failures: n.failures,
      first: when(n.first),
      last: when(n.last),
      suspicious: n.suspicious ? "yes" : "",
    })),
  };
}

function sessionsTable(story: Investigation): ChartTable {
  return {
    caption: `Sessions used from two networks or from a suspicious address (${
      formatCount(story.sessions.length)
    } of ${formatCount(story.session_count)} sessions)`,
    columns: [
      { key: "session", label: "Session id" },
      { key: "first", label: "First (UTC)" },
      { key: "last", label: "Last (UTC)" },
      { key: "signins", label: "Sign-ins", align: "right" },
      { key: "ips", label: "Addresses" },
      { key: "asns", label: "ASNs" },
      { key: "countries", label: "Countries" },
    ],
    rows: story.sessions.map((s) => ({
      session: s.session_id,
      first: when(s.first),
      last: when(s.last),
      signins: s.signins,
      ips: s.ips.join(", "),
      asns: s.asns.map((a) => `AS${a}`).join(", "),
      countries: s.countries.join(", "),
    })),
  };
}

function auditsTable(story: Investigation): ChartTable {
  const how = { account: "by the account", ip: "from a suspicious address", target: "to the account" };
  return {
    caption: "Directory-audit events",
    columns: [
      { key: "at", label: "Time (UTC)" },
      { key: "activity", label: "Activity" },
      { key: "by", label: "Initiated by" },
      { key: "ip", label: "From" },
      { key: "targets", label: "Targets" },
      { key: "details", label: "Details" },
      { key: "why", label: "Listed because" },
    ],
    rows: story.audits.map((a) => ({
      at: when(a.at),
      activity: a.activity,
      by: a.initiated_by,
      ip: a.ip,
      targets: a.targets,
      details: a.details,
      why: how[a.matched_by],
    })),
  };
}

function investigationHtml(
  row: TriageRow,
  story: Investigation,
  chart: Chart,
  id: string,
  rank: number,
): string {
  const t = story.totals;
  const w = story.audit_window;
  const audits = story.audits.length > 0
    ? tableHtml(auditsTable(story))
    : `<p class="caption">No directory-audit events by the account, to it, or from its suspicious addresses ` +
      `between ${esc(when(w.from))} and ${esc(when(w.to))} UTC.</p>`;
  return `<section class="chart account" id="${esc(id)}">` +
    `<h2>${rank}. ${breakable(row.user_principal_name)}</h2>` +
    `<p class="caption">Score ${row.score}, first suspicious ${esc(when(row.first_suspicious_at))} UTC · ` +
    `${formatCount(t.signins)} sign-ins in the range (${formatCount(t.successes)} successful, ` +
    `${formatCount(t.failures)} failed), ${formatCount(t.suspicious)} suspicious · ` +
    `<a href="#${TRIAGE_SECTION_ID}">back to the accounts</a></p>` +
    `<div class="figure">${chart.bodySvg}</div>` +
    tableHtml(findingsTable(row.findings)) +
    tableHtml(networksTable(story)) +
    (story.sessions.length > 0 ? tableHtml(sessionsTable(story)) : "") +
    audits +
    `</section>`;
}

/** The section's markup from the ranked rows and their investigations (pure). */
export function renderTriageSection(input: {
  readonly from: string;
  readonly to: string;
  readonly minScore: number;
  readonly rows: readonly TriageRow[];
  readonly investigations: readonly { readonly story: Investigation; readonly chart: Chart }[];
}): { html: string; toc: { id: string; title: string }[] } {
  const range = `${input.from.slice(0, 10)} – ${input.to.slice(0, 10)}`;
  const head = `<section class="chart triage" id="${TRIAGE_SECTION_ID}"><h2>${esc(TRIAGE_TITLE)}</h2>`;
  // Plain text: the page links only within itself (it must open offline and not send the reader anywhere).
  const credit = `<p class="caption">${esc(ASN_ATTRIBUTION)}.</p>`;
  if (input.rows.length === 0) {
    return {
      html: head +
        `<p class="caption"><strong>No account shows evidence of compromise</strong> (${
          esc(range)
        }: no account scored ${input.minScore} or more).</p>${credit}</section>`,
      toc: [{ id: TRIAGE_SECTION_ID, title: TRIAGE_TITLE }],
    };
  }
  const ids = input.rows.map((r, i) =>
    i < input.investigations.length ? accountSectionId(r.user_principal_name, i) : null
  );
  const without = input.rows.length - input.investigations.length;
  const lead = `<p class="caption">${formatCount(input.rows.length)} ${
    input.rows.length === 1 ? "account" : "accounts"
  } scored ${input.minScore} or more (${esc(range)}). ${esc(SCORING_SUMMARY)}${
    without > 0
      ? ` The first ${input.investigations.length} have an investigation below; for the other ${without}, ` +
        `use notebooks/05_investigate_account.ipynb.`
      : " Each account links to its investigation below."
  }</p>`;
  const sections = input.investigations.map(({ story, chart }, i) =>
    investigationHtml(input.rows[i], story, chart, ids[i]!, i + 1)
  );
  return {
    html: head + lead + triageTableHtml(input.rows, ids) + credit + `</section>\n` + sections.join("\n"),
    toc: [
      { id: TRIAGE_SECTION_ID, title: TRIAGE_TITLE },
      ...input.investigations.map(({ story }, i) => ({
        id: ids[i]!,
        title: `Investigation: ${story.user_principal_name}`,
      })),
    ],
  };
}

/** Runs the triage and the investigations through any runner (the IP intelligence tables must exist). */
export async function buildTriageSection(
  run: DetectionRunner,
  options: TriageSectionOptions,
): Promise<TriageSection> {
  const minScore = options.minScore ?? 1;
  const rows = await triage(run, { from: options.from, to: options.to, minScore });
  const investigations: { story: Investigation; chart: Chart }[] = [];
  for (const row of rows.slice(0, options.maxInvestigations ?? 10)) {
    const story = await investigateAccount(run, row.user_principal_name, {
      from: options.from,
      to: options.to,
      findings: row.findings,
    });
    const chart = accountTimeline(story.signins as unknown as Record<string, unknown>[], {
      upn: story.user_principal_name,
      audits: story.audits as unknown as Record<string, unknown>[],
      width: options.width,
    });
    investigations.push({ story, chart });
  }
  const page = renderTriageSection({ from: options.from, to: options.to, minScore, rows, investigations });
  return { ...page, charts: investigations.map((i) => i.chart), rows };
}

/**
 * The report's triage builder for a DuckDB store: builds the IP intelligence tables, then the section. Pass
 * it as `buildReport({ triage: reportTriage(store), … })`.
 */
export function reportTriage(
  store: Store,
  options: Omit<TriageSectionOptions, "from" | "to" | "width"> = {},
): (range: { from: string; to: string; width: number }) => Promise<TriageSection> {
  return async (range) => {
    await ensureIpIntel(store);
    return await buildTriageSection(
      async (name, params) => (await runQuery(store, name, params)).rows,
      { ...options, ...range },
    );
  };
}

/** Something the Deno Jupyter kernel displays as HTML (and as text elsewhere). */
export interface NotebookView {
  readonly html: string;
  readonly text: string;
  [JUPYTER_DISPLAY](): Record<string, string>;
}

function view(html: string, text: string): NotebookView {
  return {
    html,
    text,
    [JUPYTER_DISPLAY]: () => ({ "text/html": html, "text/plain": text }),
    toString: () => text,
  } as NotebookView;
}

/** The triage table for a notebook (no links: the investigations are other cells there). */
export function triageView(
  rows: readonly TriageRow[],
  context: { from?: string; to?: string } = {},
): NotebookView {
  const range = context.from && context.to
    ? ` (${context.from.slice(0, 10)} – ${context.to.slice(0, 10)})`
    : "";
  if (rows.length === 0) {
    const line = `No account shows evidence of compromise${range}.`;
    return view(`<p><strong>${esc(line)}</strong></p>`, line);
  }
  const text =
    `${rows.length} ${rows.length === 1 ? "account" : "accounts"} that may be compromised${range}: ` +
    rows.map((r) => `${r.user_principal_name} (${r.score})`).join(", ");
  return view(
    `<p>${esc(text.split(":")[0])}. ${esc(SCORING_SUMMARY)}</p>` +
      triageTableHtml(rows, rows.map(() => null)),
    text,
  );
}

/** One account's findings, networks, sessions and audit events as tables, for a notebook. */
export function investigationView(story: Investigation): NotebookView {
  const w = story.audit_window;
  const t = story.totals;
  const html = `<p>${esc(story.user_principal_name)}: ${formatCount(t.signins)} sign-ins ` +
    `(${formatCount(t.successes)} successful, ${formatCount(t.failures)} failed), ${
      formatCount(t.suspicious)
    } suspicious` +
    `${story.suspicious_ips.length > 0 ? ` from ${esc(story.suspicious_ips.join(", "))}` : ""}.</p>` +
    (story.findings.length > 0
      ? tableHtml(findingsTable(story.findings))
      : "<p>No findings for this account.</p>") +
    tableHtml(networksTable(story)) +
    (story.sessions.length > 0 ? tableHtml(sessionsTable(story)) : "") +
    (story.audits.length > 0
      ? tableHtml(auditsTable(story))
      : `<p>No directory-audit events by the account, to it, or from its suspicious addresses between ` +
        `${esc(when(w.from))} and ${esc(when(w.to))} UTC.</p>`);
  const text = `${story.user_principal_name}: ${t.signins} sign-ins, ${t.suspicious} suspicious, ` +
    `${story.findings.length} findings, ${story.audits.length} audit events`;
  return view(html, text);
}
