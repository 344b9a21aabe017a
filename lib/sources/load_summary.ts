import type { LoadResult } from "../store/load_files.ts";

/**
 * Exit code of `deno task load --skip-bad-records` when it loaded the good records but left some out: not 0,
 * so a nightly job notices, and not 1, which means nothing was loaded.
 */
export const EXIT_SOME_REJECTED = 3;

/** Lines (stderr) the load summary adds for what was read but not loaded; empty when there is nothing to say. */
export function loadSummaryNotes(r: LoadResult, db: string): string[] {
  const lines: string[] = [];
  const other = Object.entries(r.otherCategories);
  if (other.length > 0) {
    lines.push(
      `not sign-ins, not loaded: ${other.map(([k, n]) => `${n} ${k} record(s)`).join(", ")}`,
    );
  }
  lines.push(...r.notes);
  if (r.rejected > 0) {
    lines.push(
      `${r.rejected} bad record(s) left out; each is kept with its file, line or byte offset, reason and raw ` +
        `text in the rejected_records table of ${db}`,
    );
  }
  return lines;
}
