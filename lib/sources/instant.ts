/**
 * Times as Microsoft's exports write them, read as UTC instants. Graph and Azure Monitor write ISO 8601 with
 * `Z` or an offset (`-05:00`); the Entra admin center, Purview and Defender CSVs and some Azure Monitor `time`
 * values are US-style (`10/3/2026 8:22:33 PM`). A value without a zone is UTC: every one of these tools
 * exports UTC (the portal's column is literally "Date (UTC)").
 */

/** US-style formats DuckDB's strptime tries, in order, after an ISO cast failed. */
const US_FORMATS = [
  "%m/%d/%Y %I:%M:%S %p",
  "%m/%d/%Y, %I:%M:%S %p",
  "%m/%d/%Y %H:%M:%S",
  "%m/%d/%Y %I:%M %p",
  "%m/%d/%Y %H:%M",
];

/**
 * SQL for the UTC TIMESTAMP of a VARCHAR column: ISO with any offset first (cast through TIMESTAMPTZ, since a
 * direct TIMESTAMP cast drops "+02:00" silently), then the US-style formats, read as UTC. NULL when none fits.
 * Cut to milliseconds: Trino's from_iso8601_timestamp (the Athena view's created_at) keeps milliseconds and cuts
 * the rest, so two sign-ins in one millisecond must tie on both engines (Graph writes 7 fractional digits).
 */
export function instantSql(col: string): string {
  return `coalesce(date_trunc('millisecond', TRY_CAST(${col} AS TIMESTAMPTZ) AT TIME ZONE 'UTC'), ` +
    `try_strptime(${col}, [${US_FORMATS.map((f) => `'${f}'`).join(", ")}]))`;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * The ISO 8601 UTC text (`2026-10-03T08:22:33.123Z`) of a time as the exports write it, or null when it is not
 * a time. Fractions beyond milliseconds are cut, not rounded, as instantSql() cuts them.
 */
export function parseInstant(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const s = text.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, frac = "", zone: string | undefined;
  let m = ISO.exec(s);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    h = Number(m[4] ?? 0);
    mi = Number(m[5] ?? 0);
    sec = Number(m[6] ?? 0);
    frac = m[7] ?? "";
    zone = m[8];
  } else if ((m = US.exec(s))) {
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    h = Number(m[4]);
    mi = Number(m[5]);
    sec = Number(m[6] ?? 0);
    frac = m[7] ?? "";
    const ampm = m[8]?.toUpperCase();
    if (ampm) {
      if (h < 1 || h > 12) return null;
      if (ampm === "AM" && h === 12) h = 0;
      if (ampm === "PM" && h !== 12) h += 12;
    }
    zone = m[9]?.toUpperCase() === "UTC" ? "Z" : m[9];
  } else {
    return null;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  const ms = Number((frac + "000").slice(0, 3));
  let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return null; // 31 April and the like
  if (zone && zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000;
    t -= z[1] === "+" ? offset : -offset;
  }
  return new Date(t).toISOString();
}

/**
 * The time text to store as a record's createdDateTime: an ISO 8601 value as written (the raw text, 7-digit
 * fraction and all), anything else that parseInstant reads as its UTC ISO text.
 */
export function instantText(text: unknown): string | null {
  const iso = parseInstant(text);
  if (iso === null) return null;
  return ISO.test((text as string).trim()) ? (text as string).trim() : iso;
}
