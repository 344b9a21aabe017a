// Failures by operating system and browser: scripted attacks show up as odd pairs (Linux + Python Requests,
// an ancient Chrome) next to the tenant's usual Windows + Edge.
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { rampLegend } from "./ramp.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { fitWidth, formatCount, textWidth } from "./svg_text.ts";
import { topN, totalsBy } from "./top_n.ts";

export interface OsBrowserOptions {
  /** Operating systems (columns) and browsers (rows) kept; the rest are "other" (defaults 8 and 12). */
  topOs?: number;
  topBrowsers?: number;
  /** Keep browser versions ("Chrome 130.0.0") instead of grouping by browser name (default false). */
  keepVersions?: boolean;
  width?: number;
  title?: string;
  tableRows?: number;
}

const OTHER = "other";

/** Browser name without its trailing version: "Chrome Mobile 130.0" → "Chrome Mobile". */
export function browserFamily(browser: string): string {
  const stripped = browser.replace(/(\s+v?\d[\w.]*)+$/i, "").trim();
  return stripped === "" ? browser : stripped;
}

/** Matrix of failed sign-ins by OS × browser; rows from `failures_by_os_browser`. */
export function failuresByOsBrowser(rows: readonly LooseRow[], options: OsBrowserOptions = {}): Chart {
  const width = options.width ?? 960;
  const title = options.title ?? "Failed sign-ins by operating system and browser";
  const caption =
    "Look for pairs your users don't have: scripting clients, outdated browsers, Linux in a Windows shop.";
  const data = rows.map((r) => {
    const browser = str(r.browser) ?? "(unknown browser)";
    return {
      os: str(r.operating_system) ?? "(unknown OS)",
      browser: options.keepVersions ? browser : browserFamily(browser),
      rawBrowser: browser,
      failures: num(r.failures),
    };
  }).filter((r) => r.failures > 0);
  if (data.length === 0) {
    return new Chart({
      id: "os-browser",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No failed sign-ins in this range",
    });
  }
  const oses = topN(totalsBy(data, (r) => r.os, (r) => r.failures), options.topOs ?? 8);
  const browsers = topN(totalsBy(data, (r) => r.browser, (r) => r.failures), options.topBrowsers ?? 12);
  const keptOs = new Set(oses.kept);
  const keptBrowsers = new Set(browsers.kept);
  const xDomain = oses.others.length > 0
    ? [...oses.kept, `${OTHER} (${oses.others.length})`]
    : [...oses.kept];
  const yDomain = browsers.others.length > 0
    ? [...browsers.kept, `${OTHER} (${browsers.others.length})`]
    : [...browsers.kept];
  const cellCounts = new Map<string, number>();
  for (const r of data) {
    const x = keptOs.has(r.os) ? r.os : xDomain[xDomain.length - 1];
    const y = keptBrowsers.has(r.browser) ? r.browser : yDomain[yDomain.length - 1];
    cellCounts.set(`${x}\u0000${y}`, (cellCounts.get(`${x}\u0000${y}`) ?? 0) + r.failures);
  }
  const cells = [...cellCounts.entries()].map(([k, failures]) => {
    const [os, browser] = k.split("\u0000");
    return { os, browser, failures };
  });
  const max = Math.max(...cells.map((c) => c.failures));
  const scale = Plot.scale({ color: { type: "sqrt", scheme: "reds", domain: [0, max] } });
  const colorOf = (n: number) => String(scale.apply(n));
  const labelWidth = Math.min(220, Math.max(...yDomain.map((y) => textWidth(y, 12))));
  const rowHeight = 26;
  const height = 40 + 8 + yDomain.length * rowHeight;
  const plotWidth = Math.min(width, Math.ceil(labelWidth) + 24 + xDomain.length * 104);
  const plot = renderPlot({
    width: plotWidth,
    height,
    marginLeft: Math.ceil(labelWidth) + 16,
    marginTop: 40,
    marginBottom: 8,
    marginRight: 8,
    x: {
      type: "band",
      domain: xDomain,
      axis: "top",
      label: null,
      tickFormat: (x: string) => fitWidth(x, 98, 12),
    },
    y: { type: "band", domain: yDomain, label: null, tickFormat: (y: string) => fitWidth(y, 220, 12) },
    color: { type: "identity" },
    marks: [
      Plot.cell(xDomain.flatMap((os) => yDomain.map((browser) => ({ os, browser }))), {
        x: "os",
        y: "browser",
        fill: "#F6F6F6",
        inset: 1,
      }),
      Plot.cell(cells, {
        x: "os",
        y: "browser",
        fill: (c: { failures: number }) => colorOf(c.failures),
        inset: 1,
      }),
      Plot.text(cells, {
        x: "os",
        y: "browser",
        text: (c: { failures: number }) => formatCount(c.failures),
        fill: (c: { failures: number }) => (Math.sqrt(c.failures / max) > 0.6 ? "white" : "#222"),
        fontSize: 11,
      }),
    ],
  });
  const tableRows = [...data].sort((a, b) =>
    b.failures - a.failures || a.os.localeCompare(b.os) || a.rawBrowser.localeCompare(b.rawBrowser)
  )
    .slice(0, options.tableRows ?? 10).map((r) => ({
      os: r.os,
      browser: r.rawBrowser,
      failures: r.failures,
    }));
  return new Chart({
    id: "os-browser",
    title,
    caption,
    width,
    plots: [plot],
    ramps: [rampLegend({ label: "Failed sign-ins", max, type: "sqrt", color: colorOf })],
    notes: options.keepVersions ? [] : ["Browsers are grouped by name; the table keeps versions."],
    table: {
      caption: "Most frequent operating system and browser pairs among failures",
      columns: [
        { key: "os", label: "Operating system" },
        { key: "browser", label: "Browser" },
        { key: "failures", label: "Failures", align: "right" },
      ],
      rows: tableRows,
    },
  });
}
