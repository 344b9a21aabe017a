// Failed sign-ins by country as bars: the map's numbers for people who can't read maps.
import { horizontalStack } from "./bars.ts";
import { Chart } from "./chart.ts";
import { OTHER_COLOR, RESULT_COLORS } from "./colors.ts";
import { countryLabel } from "./countries.ts";
import { type LooseRow, num, str } from "./rows.ts";
import { othersLabel, topN, totalsBy } from "./top_n.ts";

export interface FailedByCountryOptions {
  /** Countries shown as bars; the rest are one "others" bar (default 15). */
  top?: number;
  width?: number;
  title?: string;
  tableRows?: number;
}

/** Horizontal bars of failed sign-ins per country; rows from `failed_by_country`. */
export function failedByCountry(rows: readonly LooseRow[], options: FailedByCountryOptions = {}): Chart {
  const width = options.width ?? 960;
  const title = options.title ?? "Failed sign-ins by country or region";
  const caption =
    "Look for countries where you have no staff; many users per country means a spray, many addresses " +
    "a botnet.";
  const data = rows.map((r) => ({
    country: countryLabel(str(r.country_or_region)),
    failures: num(r.failures),
    users: num(r.users),
    ips: num(r.ips),
  })).filter((r) => r.failures > 0);
  if (data.length === 0) {
    return new Chart({
      id: "failed-by-country",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: "No failed sign-ins in this range",
    });
  }
  const split = topN(totalsBy(data, (r) => r.country, (r) => r.failures), options.top ?? 15);
  const others = split.others.length > 0
    ? othersLabel(split.others.length, "country", "countries")
    : undefined;
  const kept = new Set(split.kept);
  const bars = totalsBy(data, (r) => (kept.has(r.country) ? r.country : others!), (r) => r.failures);
  const plot = horizontalStack(
    [...bars.entries()].map(([y, value]) => ({ y, value, series: y === others ? "others" : "failure" })),
    {
      width,
      yOrder: others ? [...split.kept, others] : split.kept,
      seriesOrder: ["failure", "others"],
      colorOf: (s) => (s === "others" ? OTHER_COLOR : RESULT_COLORS.failure),
      xLabel: "Failed sign-ins",
      othersY: others,
    },
  );
  const tableRows = [...data].sort((a, b) => b.failures - a.failures || a.country.localeCompare(b.country))
    .slice(0, options.tableRows ?? 10);
  return new Chart({
    id: "failed-by-country",
    title,
    caption,
    width,
    plots: [plot],
    table: {
      caption: "Countries with the most failed sign-ins",
      columns: [
        { key: "country", label: "Country or region" },
        { key: "failures", label: "Failures", align: "right" },
        { key: "users", label: "Users targeted", align: "right" },
        { key: "ips", label: "Source IPs", align: "right" },
      ],
      rows: tableRows,
    },
  });
}
