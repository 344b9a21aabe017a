// Chart 4: successful sign-ins per user, stacked by operating system. A user who only ever uses a Mac and
// suddenly has Linux sign-ins deserves a look.
import { horizontalStack, type StackDatum } from "./bars.ts";
import { Chart } from "./chart.ts";
import { osColors, OTHER_COLOR } from "./colors.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface SuccessByOsOptions {
  /** Users shown as bars; the rest are one "others" bar (default 20). */
  topUsers?: number;
  /** Operating systems with their own color; the rest are "other OS" (default 7). */
  topOs?: number;
  width?: number;
  title?: string;
  tableRows?: number;
}

const OTHER_OS = "other OS";

/** Stacked bars of successful sign-ins per user by operating system; rows from `success_by_user_by_os`. */
export function successByUserByOs(rows: readonly LooseRow[], options: SuccessByOsOptions = {}): Chart {
  const width = options.width ?? 960;
  const title = options.title ?? "Successful sign-ins by user and operating system";
  const caption =
    "Look for users signing in from an operating system they don't normally use, and for accounts " +
    "with far more sign-ins than their peers.";
  const data = rows.map((r) => ({
    user: str(r.user_principal_name) ?? "(unknown user)",
    os: str(r.operating_system) ?? "(unknown OS)",
    signins: num(r.signins),
  })).filter((r) => r.signins > 0);
  if (data.length === 0) {
    return new Chart({
      id: "success-by-os",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No successful sign-ins in this range",
    });
  }
  const users = topN(totalsBy(data, (r) => r.user, (r) => r.signins), options.topUsers ?? 20);
  const others = users.others.length > 0 ? othersLabel(users.others.length, "user") : undefined;
  const keptUsers = new Set(users.kept);
  const oses = topN(totalsBy(data, (r) => r.os, (r) => r.signins), options.topOs ?? 7);
  const keptOs = new Set(oses.kept);
  const series = oses.others.length > 0 ? [...oses.kept, OTHER_OS] : [...oses.kept];
  const merged = new Map<string, StackDatum>();
  for (const r of data) {
    const d = {
      y: keptUsers.has(r.user) ? r.user : others!,
      series: keptOs.has(r.os) ? r.os : OTHER_OS,
      value: r.signins,
    };
    const key = `${d.y}|${d.series}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, value: prev.value + d.value } : d);
  }
  const colors = osColors(oses.kept);
  const colorOf = (s: string) => (s === OTHER_OS ? OTHER_COLOR : colors.get(s) ?? OTHER_COLOR);
  const plot = horizontalStack([...merged.values()], {
    width,
    yOrder: others ? [...users.kept, others] : users.kept,
    seriesOrder: series,
    colorOf,
    xLabel: "Successful sign-ins",
    othersY: others,
  });
  // Table: each user's OS count, so a user with one unusual OS is easy to spot.
  const perUser = new Map<string, { total: number; oses: Map<string, number> }>();
  for (const r of data) {
    const u = perUser.get(r.user) ?? { total: 0, oses: new Map() };
    u.total += r.signins;
    u.oses.set(r.os, (u.oses.get(r.os) ?? 0) + r.signins);
    perUser.set(r.user, u);
  }
  const tableRows = [...perUser.entries()].sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0]))
    .slice(0, options.tableRows ?? 10)
    .map(([user, u]) => ({
      user,
      signins: u.total,
      systems: [...u.oses.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([os, n]) => `${os} ${n}`).join(", "),
    }));
  return new Chart({
    id: "success-by-os",
    title,
    caption,
    width,
    plots: [plot],
    legends: [{
      title: "Operating system:",
      items: series.map((s) => ({
        label: s === OTHER_OS ? `${OTHER_OS} (${oses.others.length})` : s,
        color: colorOf(s),
      })),
    }],
    notes: others
      ? [`The ${others} bar adds up the remaining users' sign-ins; ▸ marks a bar cut at the axis end.`]
      : [],
    table: {
      caption: "Users with the most successful sign-ins",
      columns: [
        { key: "user", label: "User" },
        { key: "signins", label: "Sign-ins", align: "right" },
        { key: "systems", label: "Operating systems" },
      ],
      rows: tableRows,
    },
  });
}
