/** Time windows, Graph list URLs and durations: pure functions. */

export type Kind = "signins" | "audits";
export type ApiVersion = "v1.0" | "beta";
/** CLI names of sign-in event types. */
export type EventType = "interactive" | "nonInteractive" | "servicePrincipal" | "managedIdentity";

export const EVENT_TYPES: readonly EventType[] = [
  "interactive",
  "nonInteractive",
  "servicePrincipal",
  "managedIdentity",
];

/** Graph's `signInEventTypes` values for the CLI names. */
export const GRAPH_EVENT_TYPE: Record<EventType, string> = {
  interactive: "interactiveUser",
  nonInteractive: "nonInteractiveUser",
  servicePrincipal: "servicePrincipal",
  managedIdentity: "managedIdentity",
};

/** Graph keeps sign-in and audit logs this long on P1/P2 (7 days on Free). */
export const RETENTION_DAYS = 30;

const DAY_MS = 86_400_000;

/** One stream of records: a kind, and for sign-ins on beta an event type. */
export interface Stream {
  kind: Kind;
  api: ApiVersion;
  /** Only for sign-ins on beta; v1.0 lists interactive sign-ins without a filter. */
  eventType?: EventType;
}

/** A half-open time window [start, end) in ms, inside one UTC day. */
export interface Window {
  start: number;
  end: number;
}

export function streamKey(s: Stream): string {
  return s.kind === "signins" && s.eventType ? `${s.kind}/${s.eventType}@${s.api}` : `${s.kind}@${s.api}`;
}

export function windowKey(s: Stream, w: Window): string {
  return `${streamKey(s)}|${iso(w.start)}|${iso(w.end)}`;
}

/** ISO instant without milliseconds when they are zero: `2026-11-01T00:00:00Z`. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** The UTC day (`YYYY-MM-DD`) a window belongs to. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Splits [from, to) into windows that never cross a UTC midnight and last at most `windowMs`
 * (a day or less), so each window's pages land in one `dt=` partition. Windows are aligned to multiples
 * of `windowMs` within the day, so re-runs over overlapping ranges produce the same inner windows.
 */
export function planWindows(from: number, to: number, windowMs: number = DAY_MS): Window[] {
  if (!(windowMs > 0) || windowMs > DAY_MS) {
    throw new Error("Window length must be more than 0 and at most 1 day");
  }
  if (!(to > from)) return [];
  const out: Window[] = [];
  let start = from;
  while (start < to) {
    const dayStart = Math.floor(start / DAY_MS) * DAY_MS;
    const slot = dayStart + Math.floor((start - dayStart) / windowMs + 1) * windowMs;
    const end = Math.min(to, slot, dayStart + DAY_MS);
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** The `$filter` for a window (unquoted ISO instants, as Graph requires for DateTimeOffset). */
export function buildFilter(s: Stream, w: Window): string {
  const field = s.kind === "signins" ? "createdDateTime" : "activityDateTime";
  let f = `${field} ge ${iso(w.start)} and ${field} lt ${iso(w.end)}`;
  if (s.kind === "signins" && s.api === "beta" && s.eventType) {
    f += ` and signInEventTypes/any(t: t eq '${GRAPH_EVENT_TYPE[s.eventType]}')`;
  }
  return f;
}

/** The first page URL of a window. */
export function buildListUrl(graphBaseUrl: string, s: Stream, w: Window, top: number): string {
  const path = s.kind === "signins" ? "auditLogs/signIns" : "auditLogs/directoryAudits";
  const q = new URLSearchParams({ $filter: buildFilter(s, w), $top: String(top) });
  // URLSearchParams writes spaces as '+', which OData reads as a literal plus; Graph wants %20.
  return `${graphBaseUrl}/${s.api}/${path}?${q.toString().replaceAll("+", "%20")}`;
}

/** Parses `90s`, `30m`, `24h`, `7d`, `2w` into milliseconds. */
export function parseDuration(text: string, what = "Duration"): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/i.exec(text.trim());
  if (!m) throw new Error(`${what} must look like 30m, 24h or 7d, not ${JSON.stringify(text)}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS }[m[2].toLowerCase() as "s"];
  const ms = Number(m[1]) * unit;
  if (!(ms > 0)) throw new Error(`${what} must be more than zero, not ${JSON.stringify(text)}`);
  return ms;
}

/** Parses an ISO date or instant; a bare date means its UTC midnight. Rejects anything else. */
export function parseInstant(text: string, what: string): number {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(t)) {
    throw new Error(
      `${what} must be an ISO date or instant like 2026-11-01 or 2026-11-01T06:00:00Z, not ${
        JSON.stringify(text)
      }`,
    );
  }
  const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
  if (Number.isNaN(ms)) throw new Error(`${what} is not a valid date: ${JSON.stringify(text)}`);
  return ms;
}

/** A warning when [from, …) reaches past Graph's retention, else undefined. */
export function retentionWarning(from: number, now: number): string | undefined {
  const limit = now - RETENTION_DAYS * DAY_MS;
  if (from >= limit) return undefined;
  const days = Math.ceil((now - from) / DAY_MS);
  return `The window starts ${days} days ago (${
    iso(from)
  }), beyond Graph's ${RETENTION_DAYS}-day retention ` +
    `(7 days on Entra ID Free): records older than ${
      iso(limit)
    } are gone from Graph and those windows will be empty ` +
    `or rejected; export to storage (diagnostic settings) to keep more`;
}
