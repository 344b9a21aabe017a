// The header totals, from the one-row `summary` query.
import { type LooseRow, num, str, type SummaryRow } from "../charts/rows.ts";

/** The report header's totals: exactly the summary query's row. */
export type ReportSummary = SummaryRow;

/** Normalizes the summary query's rows; no row (an empty range on some engines) means all zeros. */
export function toSummary(rows: readonly LooseRow[]): ReportSummary {
  const r = rows[0] ?? {};
  return {
    signins: num(r.signins),
    users: num(r.users),
    successes: num(r.successes),
    failures: num(r.failures),
    interrupts: num(r.interrupts),
    countries: num(r.countries),
    ips: num(r.ips),
    first_seen: str(r.first_seen),
    last_seen: str(r.last_seen),
  };
}
