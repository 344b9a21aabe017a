/** The triage as a table, CSV or JSON: pure functions of the ranked rows. */
import type { Finding, TriageRow } from "./types.ts";

export type TriageFormat = "table" | "json" | "csv";

function when(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, "Z");
}

function network(f: Finding): string {
  const asn = f.asn === null ? "AS?" : `AS${f.asn}`;
  return [f.ip ?? "no address", `${asn}${f.as_org ? ` ${f.as_org}` : ""}`, f.network_class, f.country]
    .filter((x) => x).join(", ");
}

/** One block per account, most suspicious first; says plainly when nothing was found. */
export function triageTable(
  rows: readonly TriageRow[],
  context: { from: string; to: string; minScore: number },
) {
  const range = `${context.from.slice(0, 10)} to ${context.to.slice(0, 10)}`;
  if (rows.length === 0) {
    return `No account shows signs of compromise (${range}, no account scored ${context.minScore} or more).`;
  }
  const lines = [
    `Accounts that may be compromised (${range}): ${rows.length} with score ${context.minScore} or more, ` +
    `most suspicious first`,
    "",
  ];
  rows.forEach((r, i) => {
    const rules = [...new Set(r.findings.map((f) => f.rule))].join(", ");
    lines.push(
      `${String(i + 1).padStart(2)}. ${r.user_principal_name}  score ${r.score}  first suspicious ` +
        `${when(r.first_suspicious_at)}  (${rules})`,
    );
    for (const f of r.findings) {
      lines.push(`      ${when(f.at)}  ${f.rule} ${f.technique} +${f.weight}  ${network(f)}`);
      lines.push(`        ${f.evidence}`);
    }
  });
  return lines.join("\n");
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const CSV_COLUMNS = [
  "rank",
  "user_principal_name",
  "score",
  "first_suspicious_at",
  "rule",
  "technique",
  "at",
  "ip",
  "asn",
  "as_org",
  "network_class",
  "country",
  "app",
  "session_id",
  "weight",
  "evidence",
] as const;

/** One line per finding, the account's rank and score repeated on each (a header line even when empty). */
export function triageCsv(rows: readonly TriageRow[]): string {
  const out = [CSV_COLUMNS.join(",")];
  rows.forEach((r, i) => {
    for (const f of r.findings) {
      const cells: Record<string, unknown> = {
        rank: i + 1,
        user_principal_name: r.user_principal_name,
        score: r.score,
        first_suspicious_at: r.first_suspicious_at,
        ...f,
      };
      out.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(","));
    }
  });
  return out.join("\n");
}

export function triageJson(rows: readonly TriageRow[]): string {
  return JSON.stringify(rows, null, 2);
}

export function formatTriage(
  rows: readonly TriageRow[],
  format: TriageFormat,
  context: { from: string; to: string; minScore: number },
): string {
  return format === "json"
    ? triageJson(rows)
    : format === "csv"
    ? triageCsv(rows)
    : triageTable(rows, context);
}
