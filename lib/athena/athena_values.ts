/** What GetQueryResults says about a column (ResultSetMetadata.ColumnInfo), the part we read. */
export interface AthenaColumnInfo {
  Name?: string;
  Label?: string;
  /** Athena's type name: varchar, bigint, double, date, "timestamp with time zone", array, row, map, … */
  Type?: string;
}

const INTEGER_TYPES = new Set(["bigint", "integer", "int", "smallint", "tinyint"]);
const FLOAT_TYPES = new Set(["double", "real", "float", "decimal"]);

/**
 * Turns one cell of Athena's text result form into the plain value the DuckDB engine gives for the same
 * column (see lib/query/to_js.ts): integers as numbers (strings beyond 2^53), DATE as "YYYY-MM-DD",
 * timestamps as ISO instants ending in Z, booleans, and arrays / rows / maps parsed from Athena's
 * `[a, b]` and `{k=v}` forms. A cell without VarCharValue is SQL NULL.
 *
 * Athena prints nested values without quoting and its ColumnInfo says only "array" (no element type), so
 * elements of arrays, rows and maps stay strings, and an element that itself contains ", " or "=" cannot be
 * told apart from a separator: select such values with json_format(CAST(x AS JSON)) when they matter.
 */
export function parseAthenaValue(text: string | undefined, type: string): unknown {
  if (text === undefined) return null;
  const t = type.toLowerCase().replace(/\(.*$/, "").trim();
  if (INTEGER_TYPES.has(t)) return parseInteger(text);
  if (FLOAT_TYPES.has(t)) return parseNumber(text);
  if (t === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (t === "date") return text;
  if (t === "timestamp" || t.startsWith("timestamp")) return parseTimestamp(text);
  if (t === "array") return parseNested(text);
  if (t === "row" || t === "map") return parseNested(text);
  return text;
}

function parseInteger(text: string): number | string {
  if (!/^-?\d+$/.test(text)) return text;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

function parseNumber(text: string): number | string {
  const n = Number(text);
  return Number.isNaN(n) && text !== "NaN" ? text : n;
}

// "2026-10-03 11:22:34.123 UTC", "… +02:00", "… Europe/Berlin" or a zone-less "2026-10-03 11:22:34.123".
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(?:\s*(.+))?$/;

function parseTimestamp(text: string): string {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return text;
  const [, day, time, fraction = "", zoneText] = m;
  const ms = (fraction.slice(1) + "000").slice(0, 3);
  const hms = time.length === 5 ? `${time}:00` : time;
  const local = `${day}T${hms}.${ms}`;
  const zone = zoneText?.trim();
  if (!zone || zone === "UTC" || zone === "Z" || zone === "Etc/UTC") {
    return new Date(`${local}Z`).toISOString();
  }
  if (/^[+-]\d{2}:?\d{2}$/.test(zone)) {
    const offset = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    return new Date(`${local}${offset}`).toISOString();
  }
  const utc = zonedToUtc(local, zone);
  return utc ?? text;
}

/** Wall-clock time in an IANA zone → the UTC instant, by asking Intl for the zone's offset at that time. */
function zonedToUtc(local: string, zone: string): string | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  } catch {
    return null;
  }
  const asUtc = new Date(`${local}Z`).getTime();
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
    const wall = Date.UTC(
      +parts.year,
      +parts.month - 1,
      +parts.day,
      +parts.hour,
      +parts.minute,
      +parts.second,
    );
    return wall - Math.floor(instant / 1000) * 1000;
  };
  // Two rounds settle the offset also right after a DST change.
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess).toISOString();
}

/** Parses Athena's `[a, b]` (array) and `{k=v, …}` (row or map) text forms; leaves are strings. */
export function parseNested(text: string): unknown {
  const parser = { text, i: 0 };
  const value = nestedValue(parser, true);
  return parser.i === text.length ? value : text;
}

function nestedValue(p: { text: string; i: number }, top: boolean): unknown {
  const c = p.text[p.i];
  if (c === "[") {
    p.i++;
    const out: unknown[] = [];
    if (p.text[p.i] === "]") {
      p.i++;
      return out;
    }
    for (;;) {
      out.push(nestedValue(p, false));
      if (p.text.startsWith(", ", p.i)) p.i += 2;
      else if (p.text[p.i] === "]") {
        p.i++;
        return out;
      } else return top ? p.text : out;
    }
  }
  if (c === "{") {
    p.i++;
    const out: Record<string, unknown> = {};
    if (p.text[p.i] === "}") {
      p.i++;
      return out;
    }
    for (;;) {
      const eq = p.text.indexOf("=", p.i);
      if (eq < 0) return out;
      const key = p.text.slice(p.i, eq);
      p.i = eq + 1;
      out[key] = nestedValue(p, false);
      if (p.text.startsWith(", ", p.i)) p.i += 2;
      else if (p.text[p.i] === "}") {
        p.i++;
        return out;
      } else return out;
    }
  }
  // A leaf runs to the next separator or closing bracket at this level.
  const start = p.i;
  while (p.i < p.text.length && !p.text.startsWith(", ", p.i) && p.text[p.i] !== "]" && p.text[p.i] !== "}") {
    p.i++;
  }
  const leaf = p.text.slice(start, p.i);
  return leaf === "null" ? null : leaf;
}
