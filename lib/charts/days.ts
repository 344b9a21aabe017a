// Calendar-day helpers (UTC): series are filled with zeros so a day without failures shows as a dip, not a
// straight line bridging the gap.
import { day } from "./rows.ts";

/** Every "YYYY-MM-DD" from `first` to `last` inclusive (UTC); empty when last < first. */
export function dayRange(first: string, last: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end && out.length < 3700; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The days to show: the report's from/to when given (an exclusive `to` at midnight ends the day before),
 * widened to include any day present in the data.
 */
export function displayDays(dataDays: readonly string[], from?: string, to?: string): string[] {
  const sorted = [...dataDays].sort();
  let first = from ? day(from) : null;
  let last: string | null = null;
  if (to) {
    const t = Date.parse(to.length === 10 ? `${to}T00:00:00Z` : to);
    if (Number.isFinite(t)) last = new Date(t - 1).toISOString().slice(0, 10);
  }
  if (sorted.length > 0) {
    if (!first || sorted[0] < first) first = sorted[0];
    if (!last || sorted[sorted.length - 1] > last) last = sorted[sorted.length - 1];
  }
  return first && last ? dayRange(first, last) : sorted;
}

export function toDate(d: string): Date {
  return new Date(`${d}T00:00:00Z`);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Oct 20" */
export function shortDay(d: string): string {
  return `${MONTHS[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}`;
}
