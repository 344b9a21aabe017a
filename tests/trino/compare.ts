/** Row-by-row comparison of two engines' answers to one query, with the parity suite's stated tolerances. */

/** Doubles agree when within this relative (or, near zero, absolute) distance: last-bit differences of sums. */
export const DOUBLE_TOLERANCE = 1e-9;

/** A value in a form both engines' answers can be compared in: nested keys lower-cased, ms timestamps. */
function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k.toLowerCase(), normalize(x)]),
    );
  }
  return v;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return Math.abs(a - b) <= DOUBLE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return ka.join() === kb.join() &&
      ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

export interface Answer {
  columns: { name: string }[];
  rows: Record<string, unknown>[];
}

/** Every difference between `want` and `got`, at most `max` of them, each naming the row and column. */
export function differences(want: Answer, got: Answer, max = 5): string[] {
  const out: string[] = [];
  const wc = want.columns.map((c) => c.name);
  const gc = got.columns.map((c) => c.name);
  if (wc.join() !== gc.join()) out.push(`columns: want [${wc.join(", ")}], got [${gc.join(", ")}]`);
  if (want.rows.length !== got.rows.length) {
    out.push(`rows: want ${want.rows.length}, got ${got.rows.length}`);
  }
  const n = Math.min(want.rows.length, got.rows.length);
  for (let i = 0; i < n && out.length < max; i++) {
    for (const c of wc) {
      const a = normalize(want.rows[i][c]);
      const b = normalize(got.rows[i][c]);
      if (!sameValue(a, b)) {
        out.push(`row ${i + 1} ${c}: want ${JSON.stringify(a)}, got ${JSON.stringify(b)}`);
        if (out.length >= max) break;
      }
    }
  }
  return out;
}
