// Suspicious source addresses: one address failing against many users is a spray, one address failing many
// times against few users is a brute force, and either one that also succeeded is an incident.
import * as Plot from "@observablehq/plot";
import { Chart, type LegendItem } from "./chart.ts";
import { RESULT_COLORS } from "./colors.ts";
import { countryInfo } from "./countries.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { formatCount } from "./svg_text.ts";

export interface SuspiciousIpsOptions {
  /** An address that failed against at least this many users is flagged as a spray (default 5). */
  sprayUsers?: number;
  /** An address with at least this many failures is flagged as a brute force (default 20). */
  bruteForceFailures?: number;
  /** Addresses labeled on the chart (default 6). */
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
  first_seen: string;
  last_seen: string;
  pattern: string;
}

const SPRAY_COLOR = "#7A1F1F";
const BRUTE_COLOR = RESULT_COLORS.failure;
const OTHER_COLOR = "#9A9A9A";

/** Classifies and ranks addresses: flagged ones first, then by failures and users targeted. */
export function assessIps(rows: readonly LooseRow[], options: SuspiciousIpsOptions = {}): IpAssessment[] {
  const sprayUsers = options.sprayUsers ?? 5;
  const brute = options.bruteForceFailures ?? 20;
  return rows.map((r) => {
    const users = num(r.users);
    const failures = num(r.failures);
    const successes = num(r.successes);
    const patterns: string[] = [];
    if (users >= sprayUsers && failures >= sprayUsers) patterns.push("spray");
    if (failures >= brute && users < sprayUsers) patterns.push("brute force");
    if (patterns.length > 0 && successes > 0) patterns.push("also succeeded");
    const cc = str(r.country_or_region);
    return {
      ip: str(r.ip_address) ?? "(unknown)",
      country: cc ? countryInfo(cc)?.alpha2 ?? cc : "",
      users,
      failures,
      successes,
      first_seen: str(r.first_seen) ?? "",
      last_seen: str(r.last_seen) ?? "",
      pattern: patterns.join(", "),
    };
  }).filter((r) => r.failures > 0).sort((a, b) =>
    Number(b.pattern !== "") - Number(a.pattern !== "") || b.failures - a.failures || b.users - a.users ||
    a.ip.localeCompare(b.ip)
  );
}

/** Scatter of source IPs (users targeted × failures, log scales) plus the ranked table; rows from `suspicious_ips`. */
export function suspiciousIps(rows: readonly LooseRow[], options: SuspiciousIpsOptions = {}): Chart {
  const width = options.width ?? 960;
  const height = options.height ?? 380;
  const title = options.title ?? "Suspicious source IP addresses";
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
  const colorOf = (ip: IpAssessment) =>
    ip.pattern.startsWith("spray") ? SPRAY_COLOR : ip.pattern.startsWith("brute") ? BRUTE_COLOR : OTHER_COLOR;
  // Only flagged addresses get the ring: office gateways succeed all day and would drown the signal.
  const ringed = (i: IpAssessment) => i.pattern !== "" && i.successes > 0;
  const maxUsers = Math.max(...ips.map((i) => i.users));
  const maxFailures = Math.max(...ips.map((i) => i.failures));
  const margin = { left: 60, right: 40, top: 28, bottom: 40 };
  const xDomain: [number, number] = [0.8, Math.max(10, maxUsers * 1.6)];
  const yDomain: [number, number] = [0.8, Math.max(10, maxFailures * 1.8)];
  const logPos = (v: number, [d0, d1]: [number, number], r0: number, r1: number) =>
    r0 + ((Math.log(Math.max(1, v)) - Math.log(d0)) / (Math.log(d1) - Math.log(d0))) * (r1 - r0);
  // Labels go to flagged addresses, skipping any that would overprint a label already placed (~130 × 14 px).
  const labeled: IpAssessment[] = [];
  const boxes: { x: number; y: number }[] = [];
  for (const ip of ips.filter((i) => i.pattern !== "")) {
    if (labeled.length >= (options.labels ?? 6)) break;
    const x = logPos(ip.users, xDomain, margin.left, width - margin.right);
    const y = logPos(ip.failures, yDomain, height - margin.bottom, margin.top);
    if (boxes.some((b) => Math.abs(b.x - x) < 140 && Math.abs(b.y - y) < 18)) continue;
    boxes.push({ x, y });
    labeled.push(ip);
  }
  // Stable draw order: unflagged first (underneath), then by failures.
  const dots = [...ips].reverse();
  const plot = renderPlot({
    width,
    height,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    x: {
      type: "log",
      domain: xDomain,
      label: "Distinct users targeted",
      labelArrow: "right",
      grid: true,
      tickFormat: "~s",
    },
    y: {
      type: "log",
      domain: yDomain,
      label: "Failed sign-ins",
      labelArrow: "up",
      grid: true,
      tickFormat: "~s",
    },
    color: { type: "identity" },
    marks: [
      Plot.dot(dots, {
        x: (i: IpAssessment) => Math.max(1, i.users),
        y: "failures",
        r: 5,
        fill: colorOf,
        fillOpacity: 0.8,
        stroke: (i: IpAssessment) => (ringed(i) ? "#000" : "white"),
        strokeWidth: (i: IpAssessment) => (ringed(i) ? 2 : 0.8),
      }),
      Plot.text(labeled, {
        x: (i: IpAssessment) => Math.max(1, i.users),
        y: "failures",
        text: (i: IpAssessment) => `${i.ip}${i.country ? ` (${i.country})` : ""}`,
        dx: 8,
        textAnchor: "start",
        fontSize: 11,
        fill: "#222",
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
      }),
    ],
  });
  const flagged = ips.filter((i) => i.pattern !== "");
  const legend: LegendItem[] = [
    { label: "spray (many users)", color: SPRAY_COLOR, shape: "circle" },
    { label: "brute force (many failures)", color: BRUTE_COLOR, shape: "circle" },
    { label: "other addresses with failures", color: OTHER_COLOR, shape: "circle" },
  ];
  const overlap = new Map<string, number>();
  for (const i of ips) {
    overlap.set(`${i.users}|${i.failures}`, (overlap.get(`${i.users}|${i.failures}`) ?? 0) + 1);
  }
  const stacked = [...overlap.values()].filter((n) => n > 1).reduce((a, b) => a + b, 0);
  return new Chart({
    id: "suspicious-ips",
    title,
    caption,
    width,
    plots: [plot],
    legends: [{ items: legend }],
    notes: [
      `${formatCount(flagged.length)} of ${formatCount(ips.length)} addresses with failures are flagged ` +
      `(spray: ≥${options.sprayUsers ?? 5} users; brute force: ≥${
        options.bruteForceFailures ?? 20
      } failures).` +
      (stacked > 0 ? ` ${formatCount(stacked)} addresses share a position with another one.` : ""),
    ],
    table: {
      caption: "Source addresses, flagged first",
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
        ...i,
        first_seen: i.first_seen.replace("T", " ").replace(/(:\d\d)(\.\d+)?Z$/, "$1"),
        last_seen: i.last_seen.replace("T", " ").replace(/(:\d\d)(\.\d+)?Z$/, "$1"),
      })),
    },
  });
}
