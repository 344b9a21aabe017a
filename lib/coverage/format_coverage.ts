import type { Coverage, DayCoverage } from "./coverage.ts";

const n = (x: number) => x.toLocaleString("en-US");
const parts = (o: Record<string, number>) =>
  Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${n(v)}`).join(" · ");

const LABEL: Record<DayCoverage["status"], string> = {
  ok: "ok",
  none: "NO SIGN-INS",
  partial: "PARTIAL",
  in_progress: "today (in progress)",
};

/** The coverage as text: one line per day, then the summary of what is missing. */
export function formatCoverage(c: Coverage, store: string): string {
  const lines = [`Sign-in coverage of ${store}, ${c.from} to ${c.to} (UTC days)`, ""];
  const width = Math.max(7, ...c.days.map((d) => n(d.signins).length));
  for (const d of c.days) {
    const mark = d.beyondGraphRetention ? " †" : "";
    lines.push(
      `${d.day}  ${n(d.signins).padStart(width)}  ${LABEL[d.status].padEnd(11)}${mark}` +
        (d.signins ? `  ${parts(d.byKind)}  [${parts(d.bySource)}]` : ""),
    );
    for (const g of d.gaps) lines.push(`${" ".repeat(12 + width)}${g}`);
    for (const h of d.hints) lines.push(`${" ".repeat(12 + width)}(${h})`);
  }
  lines.push("");
  lines.push(
    `${n(c.totals.signins)} sign-ins in ${c.days.length} day(s): ${parts(c.totals.byKind) || "none"}` +
      (c.totals.signins ? `; from ${parts(c.totals.bySource)}` : ""),
  );
  lines.push(
    c.missing.length
      ? `days with no sign-ins: ${c.missing.length} (${summariseDays(c.missing)})`
      : "every day has sign-ins",
  );
  if (c.partial.length) {
    lines.push(`days fetched only in part: ${c.partial.length} (${summariseDays(c.partial)})`);
  }
  if (c.days.some((d) => d.beyondGraphRetention)) {
    lines.push(
      `† before ${c.graphHorizon}: past Graph's 30-day retention; a gap there can only be filled from Log Analytics, ` +
        `a storage archive or an export`,
    );
  }
  if (c.basedOn.length === 0) {
    lines.push("no pull checkpoint or storage ledger found: partial days cannot be told");
  }
  for (const p of c.problems) lines.push(`warning: ${p}`);
  return lines.join("\n");
}

/** "2026-10-01..2026-10-03, 2026-10-07": runs of consecutive days collapsed. */
export function summariseDays(days: string[]): string {
  const out: string[] = [];
  let start = days[0];
  let prev = days[0];
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const d of [...days.slice(1), ""]) {
    if (d && d === next(prev)) {
      prev = d;
      continue;
    }
    out.push(start === prev ? start : `${start}..${prev}`);
    start = d;
    prev = d;
  }
  return out.join(", ");
}
