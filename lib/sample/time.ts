/** Calendar and time-zone arithmetic for the sample tenant, without the host clock or ICU data. */

export const DAY = 86400;

/** Daylight-saving rule families: enough for the cities the sample uses. */
export type DstRule = "us" | "eu" | "au" | "none";

export interface Zone {
  /** Standard-time offset from UTC in hours (e.g. -6 for Chicago, 5.5 for Bengaluru). */
  std: number;
  dst: DstRule;
}

/** Days since 1970-01-01 of a UTC calendar date. */
export function epochDayOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86400000);
}

/** ISO weekday of an epoch day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(epochDay: number): number {
  // 1970-01-01 was a Thursday.
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(epochDay: number): boolean {
  return isoWeekday(epochDay) >= 6;
}

/** "YYYY-MM-DD" of an epoch day. */
export function dateString(epochDay: number): string {
  return new Date(epochDay * 86400000).toISOString().slice(0, 10);
}

/** Epoch day of the n-th (1-based) given weekday of a month; n = -1 means the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = epochDayOf(year, month, 1);
    const shift = (weekday - isoWeekday(first) + 7) % 7;
    return first + shift + 7 * (n - 1);
  }
  const last = epochDayOf(year, month + 1, 1) - 1;
  const shift = (isoWeekday(last) - weekday + 7) % 7;
  return last - shift;
}

const transitionCache = new Map<string, [number, number]>();

/** UTC offset in hours in force at a UTC instant. */
export function utcOffset(zone: Zone, utcSeconds: number): number {
  if (zone.dst === "none") return zone.std;
  const year = yearOf(Math.floor(utcSeconds / DAY));
  const key = `${zone.dst}${zone.std}:${year}`;
  let t = transitionCache.get(key);
  if (t === undefined) {
    // Cache the two switch instants of the year: this runs for every generated record.
    let start = 0, end = 0;
    switch (zone.dst) {
      case "eu":
        // Last Sunday of March to last Sunday of October, switching at 01:00 UTC everywhere.
        start = nthWeekday(year, 3, 7, -1) * DAY + 3600;
        end = nthWeekday(year, 10, 7, -1) * DAY + 3600;
        break;
      case "us":
        // Second Sunday of March 02:00 standard time to first Sunday of November 02:00 daylight time.
        start = nthWeekday(year, 3, 7, 2) * DAY + (2 - zone.std) * 3600;
        end = nthWeekday(year, 11, 7, 1) * DAY + (2 - zone.std - 1) * 3600;
        break;
      case "au":
        // Southern hemisphere: daylight time from the first Sunday of October to the first Sunday of April.
        end = nthWeekday(year, 4, 7, 1) * DAY + (3 - zone.std - 1) * 3600;
        start = nthWeekday(year, 10, 7, 1) * DAY + (2 - zone.std) * 3600;
        break;
    }
    t = [start, end];
    transitionCache.set(key, t);
  }
  const [start, end] = t;
  const summer = zone.dst === "au"
    ? utcSeconds < end || utcSeconds >= start
    : utcSeconds >= start && utcSeconds < end;
  return summer ? zone.std + 1 : zone.std;
}

const yearCache = new Map<number, number>();

function yearOf(epochDay: number): number {
  let y = yearCache.get(epochDay);
  if (y === undefined) {
    y = new Date(epochDay * 86400000).getUTCFullYear();
    yearCache.set(epochDay, y);
  }
  return y;
}

/** UTC seconds of a local wall-clock time (hours as a real number) on a local calendar day. */
export function localToUtc(zone: Zone, epochDay: number, localHours: number): number {
  const wall = epochDay * DAY + localHours * 3600;
  let utc = wall - zone.std * 3600;
  utc = wall - utcOffset(zone, utc) * 3600;
  return Math.floor(utc);
}

/** Local hour of day (0–24, real) at a UTC instant. */
export function localHour(zone: Zone, utcSeconds: number): number {
  const local = utcSeconds + utcOffset(zone, utcSeconds) * 3600;
  return ((local % DAY) + DAY) % DAY / 3600;
}

/** Local epoch day at a UTC instant. */
export function localDay(zone: Zone, utcSeconds: number): number {
  return Math.floor((utcSeconds + utcOffset(zone, utcSeconds) * 3600) / DAY);
}

const datePrefixCache = new Map<number, string>();
const TWO: string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));

/**
 * Graph's timestamp text: "2026-10-14T08:12:33Z", or with seven fractional digits
 * ("2026-10-14T08:12:33.1234567Z") when `ticks` (100 ns units within the second) is not null.
 */
export function graphTimestamp(seconds: number, ticks: number | null): string {
  const day = Math.floor(seconds / DAY);
  let prefix = datePrefixCache.get(day);
  if (prefix === undefined) {
    prefix = dateString(day) + "T";
    datePrefixCache.set(day, prefix);
  }
  const s = seconds - day * DAY;
  const base = prefix + TWO[Math.floor(s / 3600)] + ":" + TWO[Math.floor(s / 60) % 60] + ":" + TWO[s % 60];
  if (ticks === null) return base + "Z";
  return base + "." + String(ticks).padStart(7, "0") + "Z";
}

/** Parses an ISO instant to whole UTC seconds; returns NaN when it is not a valid ISO date-time. */
export function parseInstant(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(iso)) return NaN;
  const ms = Date.parse(iso.length === 10 ? iso + "T00:00:00Z" : iso);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}
