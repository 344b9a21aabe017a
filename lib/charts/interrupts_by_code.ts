// Interrupts by error code: which prompts users hit (MFA, "keep me signed in", consent). Not attacks, but a
// sudden rise in 50074 for one user can be an MFA-fatigue attempt.
import { horizontalStack } from "./bars.ts";
import { Chart } from "./chart.ts";
import { OTHER_COLOR, reasonColors } from "./colors.ts";
import { codeKey, reasonLabel } from "./reasons.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface InterruptsByCodeOptions {
  /** Codes shown as bars (default 10). */
  top?: number;
  width?: number;
  title?: string;
  tableRows?: number;
}

/** Bars of interrupted sign-ins per error code, colored by the shared reason scale; rows from `interrupts_by_code`. */
export function interruptsByCode(rows: readonly LooseRow[], options: InterruptsByCodeOptions = {}): Chart {
  const width = options.width ?? 960;
  const title = options.title ?? "Interrupted sign-ins by reason";
  const caption =
    "Interrupts are prompts, not failures; look for unusual volumes, such as repeated MFA prompts " +
    "(50074) that may be MFA fatigue.";
  const data = rows.map((r) => ({
    code: codeKey(r.error_code),
    reason: str(r.failure_reason),
    interrupts: num(r.interrupts),
    users: num(r.users),
  })).filter((r) => r.interrupts > 0);
  if (data.length === 0) {
    return new Chart({
      id: "interrupts",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No interrupted sign-ins in this range",
    });
  }
  const split = topN(totalsBy(data, (r) => r.code, (r) => r.interrupts), options.top ?? 10);
  const others = split.others.length > 0 ? othersLabel(split.others.length, "code") : undefined;
  const labelOf = new Map(
    split.kept.map((c) => [c, reasonLabel(c, data.find((r) => r.code === c)?.reason ?? null, 40)]),
  );
  const kept = new Set(split.kept);
  const colors = reasonColors(split.kept);
  const bars = totalsBy(data, (r) => (kept.has(r.code) ? r.code : "\u0000others"), (r) => r.interrupts);
  const plot = horizontalStack(
    [...bars.entries()].map(([code, value]) => ({
      y: code === "\u0000others" ? others! : labelOf.get(code)!,
      series: code,
      value,
    })),
    {
      width,
      yOrder: [...split.kept.map((c) => labelOf.get(c)!), ...(others ? [others] : [])],
      seriesOrder: [...split.kept, "\u0000others"],
      colorOf: (s) => colors.get(s) ?? OTHER_COLOR,
      xLabel: "Interrupted sign-ins",
      maxLabelWidth: 330,
    },
  );
  return new Chart({
    id: "interrupts",
    title,
    caption,
    width,
    plots: [plot],
    table: {
      caption: "Interrupt codes",
      columns: [
        { key: "code", label: "Error code", align: "right" },
        { key: "reason", label: "Failure reason (Graph)" },
        { key: "interrupts", label: "Interrupts", align: "right" },
        { key: "users", label: "Users", align: "right" },
      ],
      rows: [...data].sort((a, b) => b.interrupts - a.interrupts || a.code.localeCompare(b.code))
        .slice(0, options.tableRows ?? 10).map((r) => ({ ...r, reason: r.reason ?? "" })),
    },
  });
}
