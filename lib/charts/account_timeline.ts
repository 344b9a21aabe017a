// One account's sign-ins over time: a lane per network (ASN, organisation, country), a dot per sign-in colored by
// result, the suspicious ones ringed in black, directory-audit events on their own lane at the top. Readable
// with one sign-in (a two-hour window around it) and with thousands (smaller, translucent dots; only the busiest
// networks get a lane, the rest share one).
import * as Plot from "@observablehq/plot";
import { Chart, type LegendItem } from "./chart.ts";
import { OTHER_COLOR, resultColor, resultLegend, RESULTS } from "./colors.ts";
import { renderPlot } from "./render_plot.ts";
import { optNum, str } from "./rows.ts";
import { fitWidth, formatCount, plural, textWidth } from "./svg_text.ts";

/** The fields the chart reads: rows of account_signins, or the investigation's AccountSignIn objects. */
export type TimelineSignIn = Readonly<Record<string, unknown>>;
export type TimelineAudit = Readonly<Record<string, unknown>>;

export interface AccountTimelineOptions {
  /** The account, for the title and the chart id. */
  upn?: string;
  /** Directory-audit events (AccountAudit objects or account_audits rows), drawn on the top lane. */
  audits?: readonly TimelineAudit[];
  /** Networks with their own lane (default 10); suspicious networks always get one. */
  lanes?: number;
  width?: number;
  title?: string;
  tableRows?: number;
}

const AUDIT_LANE = "Directory audit events";
const AUDIT_COLOR = "#6A3D9A";
const LABEL_FONT = 12;
const MAX_LABEL = 260;

interface Point {
  date: Date;
  lane: string;
  result: string;
  suspicious: boolean;
  ip: string;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "account";
}

/** "US · hosting · AS14061 DigitalOcean, LLC", or the address when nothing is known about its network. */
export function networkLabel(s: TimelineSignIn): string {
  const asn = optNum(s.asn);
  const org = str(s.as_org);
  const country = str(s.country) ?? "no location";
  const cls = str(s.network_class);
  const network = asn !== null ? `AS${asn}${org ? ` ${org}` : ""}` : (str(s.ip) ?? "no address");
  return [country, cls && cls !== "isp" ? cls : null, network].filter((x) => x !== null).join(" · ");
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** UTC tick labels: 24-hour times for spans up to two days, "Oct 12" beyond. */
function tickFormatFor(span: number): (d: Date) => string {
  if (span <= 2 * 86_400_000) {
    return (d) =>
      d.getUTCHours() === 0 && d.getUTCMinutes() === 0
        ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`
        : `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  }
  return (d) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

function formatWindow(lo: number, hi: number): string {
  const a = new Date(lo).toISOString();
  const b = new Date(hi).toISOString();
  return a.slice(0, 10) === b.slice(0, 10)
    ? `${a.slice(0, 10)} ${a.slice(11, 16)}–${b.slice(11, 16)} UTC`
    : `${a.slice(0, 10)} ${a.slice(11, 16)} – ${b.slice(0, 10)} ${b.slice(11, 16)} UTC`;
}

function isSuspicious(s: TimelineSignIn): boolean {
  return s.suspicious === true || s.suspicious === "true";
}

/** Timeline of one account's sign-ins; see the module comment. */
export function accountTimeline(
  signins: readonly TimelineSignIn[],
  options: AccountTimelineOptions = {},
): Chart {
  const width = options.width ?? 960;
  const upn = options.upn ?? str(signins[0]?.user_principal_name) ?? "the account";
  const id = `account-timeline-${slug(upn)}`;
  const title = options.title ?? `Sign-ins of ${upn}`;
  const caption =
    "One lane per network (ASN, organisation, country). Ringed dots are the suspicious sign-ins; " +
    "look for a new network right before the audit events.";
  const points: Point[] = [];
  let undated = 0;
  for (const s of signins) {
    const t = Date.parse(String(str(s.at) ?? ""));
    if (Number.isNaN(t)) {
      undated++;
      continue;
    }
    points.push({
      date: new Date(t),
      lane: networkLabel(s),
      result: str(s.result) ?? "unknown",
      suspicious: isSuspicious(s),
      ip: str(s.ip) ?? "",
    });
  }
  const audits = (options.audits ?? []).map((a) => ({
    date: new Date(Date.parse(String(str(a.at) ?? ""))),
    activity: str(a.activity) ?? "audit event",
  })).filter((a) => !Number.isNaN(a.date.getTime()));
  if (points.length === 0) {
    return new Chart({
      id,
      title,
      caption,
      width,
      plots: [],
      emptyMessage: `No sign-ins of ${upn} in this range`,
    });
  }

  // Lanes: suspicious networks first, then the busiest; the rest share one gray lane.
  const perLane = new Map<string, { n: number; suspicious: boolean; first: number }>();
  for (const p of points) {
    const l = perLane.get(p.lane) ?? { n: 0, suspicious: false, first: p.date.getTime() };
    l.n++;
    l.suspicious ||= p.suspicious;
    l.first = Math.min(l.first, p.date.getTime());
    perLane.set(p.lane, l);
  }
  const ranked = [...perLane.entries()].sort((a, b) =>
    Number(b[1].suspicious) - Number(a[1].suspicious) || b[1].n - a[1].n || a[0].localeCompare(b[0])
  );
  const room = Math.max(1, options.lanes ?? 10);
  const kept = ranked.filter(([, l], i) => l.suspicious || i < room).map(([lane]) => lane);
  const rest = ranked.length - kept.length;
  const otherLane = rest > 0 ? `${formatCount(rest)} other ${rest === 1 ? "network" : "networks"}` : null;
  const keptSet = new Set(kept);
  for (const p of points) if (!keptSet.has(p.lane)) p.lane = otherLane!;
  const labels = new Map<string, string>();
  const lanes = [...(audits.length > 0 ? [AUDIT_LANE] : []), ...kept, ...(otherLane ? [otherLane] : [])];
  for (const l of lanes) labels.set(l, fitWidth(l, MAX_LABEL, LABEL_FONT));

  const n = points.length;
  const r = n <= 200 ? 4 : n <= 2000 ? 3 : 2.2;
  const opacity = n <= 200 ? 0.9 : n <= 2000 ? 0.6 : 0.35;
  const marginLeft =
    Math.min(MAX_LABEL, Math.max(...[...labels.values()].map((l) => textWidth(l, LABEL_FONT)))) +
    18;
  const suspicious = points.filter((p) => p.suspicious);
  const resultsPresent = RESULTS.filter((res) => points.some((p) => p.result === res));
  const unknownResults = [
    ...new Set(points.map((p) => p.result).filter((x) => !RESULTS.includes(x as never))),
  ];

  const panel = (lo0: number, hi0: number, only: (t: number) => boolean) => {
    let lo = lo0, hi = hi0;
    // One sign-in (or a burst of seconds) still gets a readable axis: at least two hours wide.
    const minSpan = 2 * 3_600_000;
    if (hi - lo < minSpan) {
      const mid = (lo + hi) / 2;
      lo = mid - minSpan / 2;
      hi = mid + minSpan / 2;
    }
    const pad = (hi - lo) * 0.03;
    const ps = points.filter((p) => only(p.date.getTime()));
    const as = audits.filter((a) => only(a.date.getTime()));
    const shown = lanes.filter((l) => l === AUDIT_LANE ? as.length > 0 : ps.some((p) => p.lane === l));
    return renderPlot({
      width,
      height: 56 + 30 * shown.length,
      marginLeft,
      marginRight: 20,
      marginTop: 16,
      marginBottom: 36,
      x: {
        type: "utc",
        domain: [new Date(lo - pad), new Date(hi + pad)],
        label: null,
        grid: true,
        tickFormat: tickFormatFor(hi - lo),
        ticks: Math.max(3, Math.floor((width - marginLeft) / 90)),
      },
      y: {
        type: "point",
        domain: shown,
        label: null,
        padding: 0.6,
        tickFormat: (l: string) => labels.get(l) ?? l,
        tickSize: 0,
        tickPadding: 8,
      },
      color: { type: "identity" },
      marks: [
        Plot.ruleY(shown, { stroke: "#eceff3" }),
        Plot.dot(ps.filter((p) => p.lane === otherLane), {
          x: "date",
          y: "lane",
          r,
          fill: OTHER_COLOR,
          fillOpacity: opacity,
        }),
        Plot.dot(ps.filter((p) => p.lane !== otherLane), {
          x: "date",
          y: "lane",
          r,
          fill: (p: Point) => resultColor(p.result),
          fillOpacity: opacity,
        }),
        Plot.dot(ps.filter((p) => p.suspicious), {
          x: "date",
          y: "lane",
          r: r + 3,
          stroke: "#111",
          strokeWidth: 1.6,
          fill: "none",
        }),
        Plot.dot(as, {
          x: "date",
          y: () => AUDIT_LANE,
          r: 6,
          symbol: "diamond",
          fill: AUDIT_COLOR,
          stroke: "white",
          strokeWidth: 1,
        }),
      ],
    });
  };
  const times = [...points.map((p) => p.date.getTime()), ...audits.map((a) => a.date.getTime())];
  const plots = [panel(Math.min(...times), Math.max(...times), () => true)];
  const notes: string[] = [];
  // A month squeezes an attack of minutes into one dot: a second panel zooms in on the suspicious activity
  // and the audit events around it.
  const hot = [...suspicious.map((p) => p.date.getTime())];
  if (hot.length > 0) {
    const near = audits.map((a) => a.date.getTime())
      .filter((t) => t >= Math.min(...hot) - 6 * 3_600_000 && t <= Math.max(...hot) + 6 * 3_600_000);
    const zLo = Math.min(...hot, ...near) - 30 * 60_000;
    const zHi = Math.max(...hot, ...near) + 30 * 60_000;
    const span = Math.max(...times) - Math.min(...times);
    if (span > 4 * (zHi - zLo) && span > 12 * 3_600_000) {
      plots.push(panel(zLo, zHi, (t) => t >= zLo && t <= zHi));
      notes.push(`Lower panel: ${formatWindow(zLo, zHi)}, around the suspicious sign-ins.`);
    }
  }

  const legendItems: LegendItem[] = [
    ...resultLegend(resultsPresent, "circle"),
    ...unknownResults.map((x) => ({ label: x, color: resultColor(x), shape: "circle" as const })),
    ...(suspicious.length > 0
      ? [{ label: "suspicious (ringed)", color: "#111", shape: "circle" as const }]
      : []),
    ...(audits.length > 0
      ? [{ label: "directory audit event", color: AUDIT_COLOR, shape: "square" as const }]
      : []),
    ...(otherLane
      ? [{ label: "other networks (any result)", color: OTHER_COLOR, shape: "circle" as const }]
      : []),
  ];
  notes.unshift(
    `${plural(n, "sign-in")} from ${plural(perLane.size, "network")}; ${
      formatCount(suspicious.length)
    } suspicious.`,
  );
  if (undated > 0) {
    notes.push(`${plural(undated, "sign-in")} without a time left out.`);
  }
  if (n > 2000) notes.push("Dots are translucent: darker means many sign-ins at once.");
  const tableRows = suspicious.slice(0, options.tableRows ?? 15);
  const tableSource = signins.filter(isSuspicious).slice(0, tableRows.length);
  return new Chart({
    id,
    title,
    caption,
    width,
    plots,
    legends: [{ items: legendItems }],
    notes,
    table: {
      caption: suspicious.length > tableRows.length
        ? `Suspicious sign-ins (first ${tableRows.length} of ${formatCount(suspicious.length)})`
        : "Suspicious sign-ins",
      columns: [
        { key: "at", label: "Time (UTC)" },
        { key: "ip", label: "Address" },
        { key: "network", label: "Network" },
        { key: "app", label: "App" },
        { key: "result", label: "Result" },
        { key: "how", label: "How" },
      ],
      rows: tableSource.map((s) => ({
        at: (str(s.at) ?? "").replace("T", " ").replace(/\.\d+Z$|Z$/, ""),
        ip: str(s.ip),
        network: networkLabel(s),
        app: str(s.app),
        result: [str(s.result), optNum(s.error_code)].filter((x) => x !== null).join(" "),
        how: how(s),
      })),
    },
  });
}

function how(s: TimelineSignIn): string {
  const parts: string[] = [];
  if (s.interactive === false) parts.push("non-interactive");
  const protocol = str(s.authentication_protocol);
  if (protocol && protocol !== "none") parts.push(protocol);
  const token = str(s.incoming_token_type);
  if (token && token !== "none") parts.push(token);
  if (s.mfa_by_claim === true) parts.push("MFA by claim in the token");
  else if (str(s.mfa_method)) parts.push(`MFA: ${str(s.mfa_method)}`);
  const rules = Array.isArray(s.rules) ? s.rules.join(", ") : "";
  if (rules) parts.push(`[${rules}]`);
  return parts.join(", ");
}
