// Time bins picked from the range a chart covers: hours for a day or two, days for up to three months, weeks for
// longer. One incident day drawn in daily bins is a single dot at midnight; a year in daily bins is noise.
import { day } from "./rows.ts";

export type TimeBin = "hour" | "day" | "week";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Hours up to 2 days, days up to 92 days, weeks beyond. */
export function chooseBin(from: string, to: string): TimeBin {
  const span = parseInstant(to) - parseInstant(from);
  if (!Number.isFinite(span) || span <= 0) return "day";
  if (span <= 2 * DAY) return "hour";
  if (span <= 92 * DAY) return "day";
  return "week";
}

/** An ISO date or instant → epoch ms (a bare date is midnight UTC). */
export function parseInstant(value: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** Start of the bin holding `t` (weeks start on Monday, UTC). */
export function binStart(t: number, bin: TimeBin): number {
  if (bin === "hour") return Math.floor(t / HOUR) * HOUR;
  const d = Math.floor(t / DAY) * DAY;
  if (bin === "day") return d;
  const weekday = (new Date(d).getUTCDay() + 6) % 7; // Monday = 0
  return d - weekday * DAY;
}

export function binEnd(start: number, bin: TimeBin): number {
  return start + (bin === "hour" ? HOUR : bin === "day" ? DAY : 7 * DAY);
}

/** Every bin start from the range (`to` exclusive) widened to cover the data's own times; at most 5,000 bins. */
export function binStarts(bin: TimeBin, times: readonly number[], from?: string, to?: string): number[] {
  let first = from ? parseInstant(from) : NaN;
  let last = to ? parseInstant(to) - 1 : NaN;
  for (const t of times) {
    if (!(first <= t)) first = t;
    if (!(last >= t)) last = t;
  }
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) return [];
  const out: number[] = [];
  for (let t = binStart(first, bin); t <= last && out.length < 5000; t = binEnd(t, bin)) out.push(t);
  return out;
}

/** A row's time: its `hour` (an instant) when present, else its `day` at midnight UTC; null when neither parses. */
export function rowTime(row: { hour?: unknown; day?: unknown }): number | null {
  if (row.hour !== undefined && row.hour !== null) {
    const t = row.hour instanceof Date ? row.hour.getTime() : Date.parse(String(row.hour));
    if (Number.isFinite(t)) return t;
  }
  const d = day(row.day);
  return d ? Date.parse(`${d}T00:00:00Z`) : null;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Oct 11 14:00" for hours, "Oct 11" for days, "week of Oct 6" for weeks (UTC, 24-hour clock). */
export function binLabel(start: number, bin: TimeBin): string {
  const d = new Date(start);
  const date = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (bin === "hour") return `${date} ${String(d.getUTCHours()).padStart(2, "0")}:00`;
  return bin === "week" ? `week of ${date}` : date;
}

/**
 * Axis tick text: hours as "14:00" ("Oct 11 00:00" at midnight), days as "Oct 6", weeks as "Oct 6" with the year on
 * the first tick and where it changes (`previous` is the tick before, if any).
 */
export function binTick(start: number, bin: TimeBin, previous?: number): string {
  const d = new Date(start);
  const date = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  // Weeks span years: the first tick and the first of each new year carry the year ("Jan 5 2026").
  if (bin === "week") {
    const newYear = previous === undefined || new Date(previous).getUTCFullYear() !== d.getUTCFullYear();
    return newYear ? `${date} ${d.getUTCFullYear()}` : date;
  }
  if (bin !== "hour") return date;
  const h = d.getUTCHours();
  return h === 0 ? `${date} 00:00` : `${String(h).padStart(2, "0")}:00`;
}

/** Tick positions: about `count` whole bins (hours on multiples of 1, 2, 3, 6 or 12; days of 1, 2, 7, 14…). */
export function binTicks(starts: readonly number[], bin: TimeBin, count: number): number[] {
  if (starts.length === 0) return [];
  const every = (steps: readonly number[]) =>
    steps.find((s) => starts.length / s <= count) ?? steps[steps.length - 1];
  if (bin === "hour") {
    const step = every([1, 2, 3, 6, 12, 24, 48]);
    return starts.filter((t) =>
      (new Date(t).getUTCHours() % step === 0) && (step < 24 || new Date(t).getUTCHours() === 0)
    );
  }
  const step = every([1, 2, 7, 14, 28, 56, 91, 182, 364]);
  return starts.filter((_, i) => i % step === 0);
}

/** The name of one bin, for axis labels: "per hour", "per day", "per week". */
export function perBin(bin: TimeBin): string {
  return `per ${bin}`;
}

/**
 * The x axis of a chart of whole bins: the range from the first bin's start to the last bin's end, about one
 * labelled tick per 90 px of `width`, labelled as binTick() does (weeks carry the year where it changes).
 */
export function binXAxis(starts: readonly number[], bin: TimeBin, width: number) {
  const ticks = binTicks(starts, bin, Math.max(2, Math.floor((width - 80) / 90)));
  return {
    type: "utc" as const,
    label: null,
    domain: [new Date(starts[0]), new Date(binEnd(starts[starts.length - 1], bin))],
    ticks: ticks.map((t) => new Date(t)),
    tickFormat: (d: Date, i: number) => binTick(d.getTime(), bin, i > 0 ? ticks[i - 1] : undefined),
  };
}
