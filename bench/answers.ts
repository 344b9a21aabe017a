/** Failed sign-ins by country as every tool reports it, and the check that two tools agree. */

/** A tool's answer: failures per country, the missing country as "(none)", keys sorted. */
export type CountryMap = Record<string, number>;

export const NO_COUNTRY = "(none)";

export function countryMap(entries: Iterable<readonly [string | null | undefined, number]>): CountryMap {
  const out = new Map<string, number>();
  for (const [country, n] of entries) {
    if (!n) continue;
    const key = country === null || country === undefined || country === "" ? NO_COUNTRY : country;
    out.set(key, (out.get(key) ?? 0) + n);
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Differences between two answers, at most `limit` of them, as "GB: 12 ≠ 13"; empty when they agree. */
export function compareAnswers(ours: CountryMap, theirs: CountryMap, limit = 5): string[] {
  const diffs: string[] = [];
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    if (ours[key] !== theirs[key]) diffs.push(`${key}: ${ours[key] ?? 0} ≠ ${theirs[key] ?? 0}`);
  }
  return diffs.sort().slice(0, limit);
}
