// Suspicious source addresses: one address failing against many users is a spray, one address failing many
// times against few users is a brute force, and either one that also succeeded is an incident.
import * as Plot from "@observablehq/plot";
import { Chart, type LegendItem } from "./chart.ts";
import { RESULT_COLORS } from "./colors.ts";
import { countryInfo } from "./countries.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { formatCount, plural } from "./svg_text.ts";
import { logCountTicks } from "./count_ticks.ts";
import { appendToSvg, labelsSvg, layoutLabels } from "./label_layout.ts";

export interface SuspiciousIpsOptions {
  /** An address that failed against at least this many users is flagged as a spray (default 5). */
  sprayUsers?: number;
  /** An address with at least this many failures is flagged as a brute force (default 20). */
  bruteForceFailures?: number;
  /**
   * And only when at least this share of its sign-ins failed (default 0.5), as in queries/suspicious_ips.sql: busy
   * office egress addresses (thousands of successes, a few typos) stay gray. Needs a `signins` column.
   */
  minFailureShare?: number;
  /** Addresses labeled on the chart (default 8). */
  labels?: number;
  /** Rows in the table (default 15). */
  tableRows?: number;
  width?: number;
  height?: number;
  title?: string;
}

export interface IpAssessment {
  ip: string;
  country: string;
  users: number;
  failures: number;
  successes: number;
  /** All sign-ins from the address, when the rows say (null for rows of `suspicious_ips`). */
  signins: number | null;
  first_seen: string;
  last_seen: string;
  pattern: string;
}

const SPRAY_COLOR = "#7A1F1F";
const BRUTE_COLOR = RESULT_COLORS.failure;
const OTHER_COLOR = "#9A9A9A";

/**
 * Classifies and ranks addresses with failures: flagged ones first, then by failures and users targeted. The flag
 * rule is queries/suspicious_ips.sql's, so the chart and the query agree on which addresses are suspicious.
 */
export function assessIps(rows: readonly LooseRow[], options: SuspiciousIpsOptions = {}): IpAssessment[] {
  const sprayUsers = options.sprayUsers ?? 5;
  const brute = options.bruteForceFailures ?? 20;
  const share = options.minFailureShare ?? 0.5;
  return rows.map((r) => {
    const users = num(r.users);
    const failures = num(r.failures);
    const successes = num(r.successes);
    const signins = r.signins === undefined || r.signins === null ? null : num(r.signins);
    const mostlyFailed = signins === null || failures >= share * signins;
    const patterns: string[] = [];
    if (mostlyFailed && users >= sprayUsers) patterns.push("spray");
    if (mostlyFailed && failures >= brute && users < sprayUsers) patterns.push("brute force");
    if (patterns.length > 0 && successes > 0) patterns.push("also succeeded");
    const cc = str(r.country_or_region);
    return {
      ip: str(r.ip_address) ?? "(unknown)",
      country: cc ? countryInfo(cc)?.alpha2 ?? cc : "",
      users,
      failures,
      successes,
      signins,
      first_seen: str(r.first_seen) ?? "",
      last_seen: str(r.last_seen) ?? "",
      pattern: patterns.join(", "),
    };
  }).filter((r) => r.failures > 0).sort((a, b) =>
    Number(b.pattern !== "") - Number(a.pattern !== "") || b.failures - a.failures || b.users - a.users ||
    a.ip.localeCompare(b.ip)
  );
}

/**
 * Scatter of every source IP with failures (users targeted × failures, log scales), flagged ones colored and
 * labeled, plus the ranked table; rows from `failures_by_ip` (all addresses with failures) or `suspicious_ips`
 * (the flagged ones only, which then makes the chart say so).
 */
export function suspiciousIps(rows: readonly LooseRow[], options: SuspiciousIpsOptions = {}): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 380;
  const title = options.title ?? "Suspicious source IP addresses";
  const sprayUsers = options.sprayUsers ?? 5;
  const brute = options.bruteForceFailures ?? 20;
  const share = options.minFailureShare ?? 0.5;
  const caption =
    "Top right: addresses failing against many users (spray); high on the left: many failures against " +
    "one account (brute force); a black ring marks a flagged address that also signed in successfully.";
  const ips = assessIps(rows, options);
  if (ips.length === 0) {
    return new Chart({
      id: "suspicious-ips",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No failed sign-ins from any address in this range",
    });
  }
  const classOf = (ip: IpAssessment) =>
    ip.pattern.startsWith("spray") ? "spray" : ip.pattern.startsWith("brute") ? "brute" : "other";
  const COLORS = { spray: SPRAY_COLOR, brute: BRUTE_COLOR, other: OTHER_COLOR } as const;
  // Only flagged addresses get the ring: office gateways succeed all day and would drown the signal.
  const ringed = (i: IpAssessment) => i.pattern !== "" && i.successes > 0;

  // Addresses at the same spot (same users and failures, same class) are one dot, sized by how many they are,
  // so a stack of identical spray sources is visible as a stack and labeled "+N more".
  type Spot = { users: number; failures: number; cls: "spray" | "brute" | "other"; ips: IpAssessment[] };
  const spots = new Map<string, Spot>();
  for (const ip of ips) {
    const key = `${ip.users}|${ip.failures}|${classOf(ip)}|${ringed(ip)}`;
    const s = spots.get(key) ?? { users: ip.users, failures: ip.failures, cls: classOf(ip), ips: [] };
    s.ips.push(ip);
    spots.set(key, s);
  }
  const spotList = [...spots.values()];
  const radiusOf = (s: Spot) => Math.min(12, 5 + 2 * Math.sqrt(s.ips.length - 1));

  const maxUsers = Math.max(...ips.map((i) => i.users));
  const maxFailures = Math.max(...ips.map((i) => i.failures));
  const margin = { left: 60, right: 40, top: 28, bottom: 40 };
  // Every tick is labeled and the last one is at or above the largest value: no point above the top label.
  const xTicks = logCountTicks(Math.max(10, maxUsers));
  const yTicks = logCountTicks(Math.max(10, maxFailures));
  const xDomain: [number, number] = [0.8, xTicks[xTicks.length - 1] * 1.25];
  const yDomain: [number, number] = [0.8, yTicks[yTicks.length - 1] * 1.25];
  const logPos = (v: number, [d0, d1]: [number, number], r0: number, r1: number) =>
    r0 + ((Math.log(Math.max(1, v)) - Math.log(d0)) / (Math.log(d1) - Math.log(d0))) * (r1 - r0);
  const px = (s: Spot) => logPos(s.users, xDomain, margin.left, width - margin.right);
  const py = (s: Spot) => logPos(s.failures, yDomain, height - margin.bottom, margin.top);

  const flaggedSpots = spotList.filter((s) => s.cls !== "other").sort((a, b) =>
    b.failures - a.failures || b.users - a.users || a.ips[0].ip.localeCompare(b.ips[0].ip)
  );
  const labelText = (s: Spot) => {
    const first = s.ips[0];
    const more = s.ips.length > 1 ? ` +${s.ips.length - 1} more` : "";
    return `${first.ip}${first.country ? ` (${first.country})` : ""}${more}`;
  };
  const labels = layoutLabels(
    flaggedSpots.map((s) => ({ x: px(s), y: py(s), r: radiusOf(s), text: labelText(s) })),
    {
      fontSize: 11,
      bounds: { x0: margin.left, y0: 0, x1: width, y1: height - margin.bottom },
      obstacles: spotList.map((s) => ({ x: px(s), y: py(s), r: radiusOf(s) })),
      max: options.labels ?? 8,
    },
  );
  // Gray underneath, then brute force, then spray.
  const rank = { other: 0, brute: 1, spray: 2 } as const;
  const dots = [...spotList].sort((a, b) => rank[a.cls] - rank[b.cls] || a.failures - b.failures);
  const plot = renderPlot({
    width,
    height,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    // Log axes drawn as linear axes over log10 values: Plot's log scale silently drops the labels of some of
    // the ticks it is given, and every tick here must say what it is.
    x: {
      type: "linear",
      domain: xDomain.map(Math.log10),
      label: "Distinct users targeted",
      labelArrow: "right",
      grid: true,
      ticks: xTicks.map(Math.log10),
      tickFormat: (v: number) => formatCount(Math.round(10 ** v)),
    },
    y: {
      type: "linear",
      domain: yDomain.map(Math.log10),
      label: "Failed sign-ins",
      labelArrow: "up",
      grid: true,
      ticks: yTicks.map(Math.log10),
      tickFormat: (v: number) => formatCount(Math.round(10 ** v)),
    },
    color: { type: "identity" },
    r: { type: "identity" },
    marks: [
      Plot.dot(dots, {
        x: (s: Spot) => Math.log10(Math.max(1, s.users)),
        y: (s: Spot) => Math.log10(Math.max(1, s.failures)),
        r: radiusOf,
        fill: (s: Spot) => COLORS[s.cls],
        fillOpacity: 0.8,
        stroke: (s: Spot) => (ringed(s.ips[0]) ? "#000" : "white"),
        strokeWidth: (s: Spot) => (ringed(s.ips[0]) ? 2 : 0.8),
      }),
    ],
  });
  const labeledPlot = { ...plot, svg: appendToSvg(plot.svg, labelsSvg(labels, { fontSize: 11 })) };
  const flagged = ips.filter((i) => i.pattern !== "");
  const count = (cls: Spot["cls"]) => ips.filter((i) => classOf(i) === cls).length;
  const legend: LegendItem[] = [
    {
      label: `spray (many users): ${formatCount(count("spray"))}`,
      color: SPRAY_COLOR,
      shape: "circle" as const,
    },
    {
      label: `brute force (many failures): ${formatCount(count("brute"))}`,
      color: BRUTE_COLOR,
      shape: "circle" as const,
    },
    {
      label: `other addresses with failures: ${formatCount(count("other"))}`,
      color: OTHER_COLOR,
      shape: "circle" as const,
    },
  ].filter((_, i) => [count("spray"), count("brute"), count("other")][i] > 0);
  const stacked = spotList.filter((s) => s.ips.length > 1).reduce((a, s) => a + s.ips.length, 0);
  const unlabeled = flaggedSpots.length - labels.length;
  const allRows = rows.length > 0 && rows.every((r) => r.signins !== undefined);
  const notes = [
    `${formatCount(flagged.length)} of ${plural(ips.length, "address", "addresses")} with failures ` +
    `${
      flagged.length === 1 || ips.length === 1 ? "is" : "are"
    } flagged (spray: ≥${sprayUsers} users; brute force: ≥${brute} failures; ` +
    `and at least ${Math.round(share * 100)}% of the address's sign-ins failed).` +
    (stacked > 0 ? ` ${plural(stacked, "address", "addresses")} share a position with another one.` : "") +
    (unlabeled > 0 ? ` ${plural(unlabeled, "flagged spot")} left unlabeled for room: see the table.` : ""),
  ];
  if (!allRows) {
    notes.push(
      "Only flagged addresses were given (rows of suspicious_ips); others with failures are not drawn.",
    );
  }
  return new Chart({
    id: "suspicious-ips",
    title,
    caption,
    width,
    plots: [labeledPlot],
    legends: [{ items: legend }],
    notes,
    table: {
      caption: "Source addresses with failures, flagged first",
      columns: [
        { key: "ip", label: "IP address" },
        { key: "country", label: "Country" },
        { key: "pattern", label: "Pattern" },
        { key: "users", label: "Users", align: "right" },
        { key: "failures", label: "Failures", align: "right" },
        { key: "successes", label: "Successes", align: "right" },
        { key: "first_seen", label: "First seen (UTC)" },
        { key: "last_seen", label: "Last seen (UTC)" },
      ],
      rows: ips.slice(0, options.tableRows ?? 15).map((i) => ({
        ip: i.ip,
        country: i.country,
        pattern: i.pattern,
        users: i.users,
        failures: i.failures,
        successes: i.successes,
        first_seen: i.first_seen.replace("T", " ").replace(/(:\d\d)(\.\d+)?Z$/, "$1"),
        last_seen: i.last_seen.replace("T", " ").replace(/(:\d\d)(\.\d+)?Z$/, "$1"),
      })),
    },
  });
}
