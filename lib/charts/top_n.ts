// Top-N + "others": charts must stay readable with 1 user and with 5,000 users.

export interface TopSplit {
  /** Kept keys, largest total first (ties broken by key so output is deterministic). */
  readonly kept: readonly string[];
  /** Keys folded into the "others" bucket. */
  readonly others: readonly string[];
  /** Sum of the folded keys' totals. */
  readonly othersTotal: number;
}

/** Sums `value` per key over rows. */
export function totalsBy<T>(
  rows: readonly T[],
  key: (row: T) => string,
  value: (row: T) => number,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const k = key(row);
    totals.set(k, (totals.get(k) ?? 0) + value(row));
  }
  return totals;
}

/**
 * Keeps the `n` largest keys. When exactly one key would be folded, it is kept instead: an "others (1)" bucket
 * hides a name and saves no space.
 */
export function topN(totals: ReadonlyMap<string, number>, n: number): TopSplit {
  const sorted = [...totals.entries()].sort((a, b) =>
    b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)
  );
  const limit = sorted.length === n + 1 ? n + 1 : Math.max(0, n);
  const kept = sorted.slice(0, limit).map(([k]) => k);
  const rest = sorted.slice(limit);
  return { kept, others: rest.map(([k]) => k), othersTotal: rest.reduce((s, [, v]) => s + v, 0) };
}

/** "others (4,999 users)". */
export function othersLabel(count: number, noun: string, nouns = `${noun}s`): string {
  return `others (${count.toLocaleString("en-US")} ${count === 1 ? noun : nouns})`;
}
