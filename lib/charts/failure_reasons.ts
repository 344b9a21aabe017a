// Chart 3: why sign-ins failed, per user. Interrupts (MFA prompts, "keep me signed in"…) are a separate panel:
// they are normal flow, not attacks, and would otherwise swamp the failures.
import { horizontalStack, type StackDatum } from "./bars.ts";
import { Chart, type Legend } from "./chart.ts";
import { OTHER_COLOR, reasonColors } from "./colors.ts";
import { codeKey, reasonLabel } from "./reasons.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface FailureReasonsOptions {
  /** Users shown as bars; the rest are one "others" bar (default 15). */
  topUsers?: number;
  /** Error codes with their own color per panel; the rest are "other reasons" (default 6). */
  topReasons?: number;
  width?: number;
  title?: string;
  tableRows?: number;
}

interface Row {
  user: string;
  result: "failure" | "interrupt";
  code: string;
  reason: string | null;
  attempts: number;
}

const OTHER_REASONS = "other reasons";
const PANEL: Record<Row["result"], string> = { failure: "Failures", interrupt: "Interrupts" };

/** Stacked bars of failure reasons per user; rows from `failed_by_reason_by_user`. */
export function failureReasonsByUser(rows: readonly LooseRow[], options: FailureReasonsOptions = {}): Chart {
  const width = options.width ?? 960;
  const title = options.title ?? "Failure reasons by user";
  const caption =
    "Look for one user with many bad passwords (brute force), many users with the same reason (spray) " +
    "and lockouts (50053); interrupts are usually MFA prompts.";
  const data: Row[] = rows.filter((r) => str(r.result) === "failure" || str(r.result) === "interrupt").map((
    r,
  ) => ({
    user: str(r.user_principal_name) ?? "(unknown user)",
    result: str(r.result) === "interrupt" ? "interrupt" as const : "failure" as const,
    code: codeKey(r.error_code),
    reason: str(r.failure_reason),
    attempts: num(r.attempts),
  }));
  const relevant = data.filter((r) => r.attempts > 0);
  if (relevant.length === 0) {
    return new Chart({
      id: "failure-reasons",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No failed or interrupted sign-ins in this range",
    });
  }

  // Failures rank users; interrupts only break ties (weight below one failure) since they are normal flow.
  const rank = totalsBy(
    relevant,
    (r) => r.user,
    (r) => (r.result === "failure" ? r.attempts : r.attempts / 1e6),
  );
  const users = topN(rank, options.topUsers ?? 15);
  const others = users.others.length > 0 ? othersLabel(users.others.length, "user") : undefined;
  const keptUsers = new Set(users.kept);
  const yOf = (r: Row) => (keptUsers.has(r.user) ? r.user : others!);

  const legends: Legend[] = [];
  const series = new Map<string, { label: string; color: string }>();
  const seriesOf = new Map<string, string>();
  const splits = (["failure", "interrupt"] as const).map((result) => {
    const part = relevant.filter((r) => r.result === result);
    return {
      result,
      part,
      codes: topN(totalsBy(part, (r) => r.code, (r) => r.attempts), options.topReasons ?? 6),
    };
  });
  // One colour per code across both panels: the codes shown together never share a colour.
  const colors = reasonColors(splits.flatMap((s) => s.codes.kept));
  for (const { result, part, codes } of splits) {
    if (part.length === 0) continue;
    const items = codes.kept.map((code) => {
      const reason = part.find((r) => r.code === code)?.reason ?? null;
      const label = reasonLabel(code, reason);
      const color = colors.get(code)!;
      series.set(`${result}:${code}`, { label, color });
      return { label, color };
    });
    for (const code of codes.others) seriesOf.set(`${result}:${code}`, `${result}:${OTHER_REASONS}`);
    if (codes.others.length > 0) {
      series.set(`${result}:${OTHER_REASONS}`, { label: OTHER_REASONS, color: OTHER_COLOR });
      items.push({ label: `${OTHER_REASONS} (${codes.others.length})`, color: OTHER_COLOR });
    }
    legends.push({ title: `${PANEL[result]}:`, items });
  }
  const sKey = (r: Row) => seriesOf.get(`${r.result}:${r.code}`) ?? `${r.result}:${r.code}`;

  const merged = new Map<string, StackDatum>();
  for (const r of relevant) {
    const d = { y: yOf(r), series: sKey(r), fx: PANEL[r.result], value: r.attempts };
    const key = `${d.fx}|${d.y}|${d.series}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, value: prev.value + d.value } : d);
  }
  const facets = (["failure", "interrupt"] as const).filter((res) => relevant.some((r) => r.result === res))
    .map((res) => PANEL[res]);
  const plot = horizontalStack([...merged.values()], {
    width,
    yOrder: others ? [...users.kept, others] : users.kept,
    seriesOrder: [...series.keys()],
    colorOf: (s) => series.get(s)?.color ?? OTHER_COLOR,
    xLabel: "Attempts",
    facets: facets.length > 1 ? facets : undefined,
    othersY: others,
  });

  const notes = facets.length === 1 ? [`Only ${facets[0].toLowerCase()} in this range.`] : [];
  if (others) {
    notes.push(`The ${others} bar adds up the remaining users' attempts; ▸ marks a bar cut at the axis end.`);
  }

  const tableRows = [...relevant].sort((a, b) =>
    b.attempts - a.attempts || a.user.localeCompare(b.user) || a.code.localeCompare(b.code)
  )
    .slice(0, options.tableRows ?? 12)
    .map((r) => ({
      user: r.user,
      result: r.result,
      code: r.code,
      reason: r.reason ?? "",
      attempts: r.attempts,
    }));
  return new Chart({
    id: "failure-reasons",
    title,
    caption,
    width,
    plots: [plot],
    legends,
    notes,
    table: {
      caption: "Top user × reason combinations",
      columns: [
        { key: "user", label: "User" },
        { key: "result", label: "Result" },
        { key: "code", label: "Error code", align: "right" },
        { key: "reason", label: "Failure reason (Graph)" },
        { key: "attempts", label: "Attempts", align: "right" },
      ],
      rows: tableRows,
    },
  });
}
