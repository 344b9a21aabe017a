// Row shapes of the named queries the charts read (queries/*.sql return exactly these columns).
// Charts accept loosely typed rows (Record<string, unknown>) from the query runner and coerce defensively:
// counts may arrive as numbers, numeric strings or bigint depending on the engine.

export interface SummaryRow {
  signins: number;
  users: number;
  successes: number;
  failures: number;
  interrupts: number;
  countries: number;
  ips: number;
  first_seen: string | null;
  last_seen: string | null;
}

export interface SignInLocationRow {
  country_or_region: string | null;
  state: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  result: string;
  signins: number;
  users: number;
}

export interface FailedByCountryRow {
  country_or_region: string | null;
  failures: number;
  users: number;
  ips: number;
}

export interface FailedPerUserDailyRow {
  day: string;
  user_principal_name: string | null;
  failures: number;
}

export interface FailuresByHourWeekdayRow {
  weekday: number;
  hour: number;
  failures: number;
}

export interface FailedByReasonByUserRow {
  user_principal_name: string | null;
  result: string;
  error_code: number | string | null;
  failure_reason: string | null;
  attempts: number;
}

export interface SuccessByUserByOsRow {
  user_principal_name: string | null;
  operating_system: string | null;
  signins: number;
}

export interface FailuresByOsBrowserRow {
  operating_system: string | null;
  browser: string | null;
  failures: number;
}

export interface CaResultDailyRow {
  day: string;
  conditional_access_status: string | null;
  signins: number;
}

export interface AuthMethodMixRow {
  auth_method: string | null;
  result: string;
  signins: number;
}

export interface LegacyAuthAttemptsRow {
  client_app_used: string | null;
  result: string;
  attempts: number;
  users: number;
}

export interface SuspiciousIpsRow {
  ip_address: string | null;
  country_or_region: string | null;
  users: number;
  failures: number;
  successes: number;
  first_seen: string | null;
  last_seen: string | null;
}

export interface InterruptsByCodeRow {
  error_code: number | string | null;
  failure_reason: string | null;
  interrupts: number;
  users: number;
}

export interface SignInsByAppRow {
  app_display_name: string | null;
  signins: number;
  successes: number;
  failures: number;
  interrupts: number;
  users: number;
}

/** Rows as the query runner returns them. */
export type LooseRow = Readonly<Record<string, unknown>>;

/** A count: number, bigint or numeric string → finite number; null/garbage → 0. */
export function num(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? value : 0;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }
  return 0;
}

/** A coordinate or other optional number: null when missing or not a finite number. */
export function optNum(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "bigint" ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Optional text: null for null/undefined/blank. */
export function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = value instanceof Date ? value.toISOString() : String(value).trim();
  return s === "" ? null : s;
}

/** A day as "YYYY-MM-DD" from a DATE string, ISO timestamp or Date. */
export function day(value: unknown): string | null {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const s = str(value);
  if (s === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  return m ? m[1] : null;
}
