// Chart 1, the seed's favorite: failed sign-ins on a world map (equal-earth projection).
import * as Plot from "@observablehq/plot";
import { geoEqualEarth, geoPath } from "d3-geo";
import { Chart, type ChartTable } from "./chart.ts";
import { resultColor, resultLabel, resultLegend, type SignInResult } from "./colors.ts";
import { countryInfo, countryLabel } from "./countries.ts";
import { rampLegend } from "./ramp.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, optNum, type SignInLocationRow, str } from "./rows.ts";
import { formatCount, plural } from "./svg_text.ts";
import { appendToSvg, labelsSvg, layoutLabels, type PlacedLabel } from "./label_layout.ts";
import { featureKey, featureKeyForAlpha2, worldCountries } from "./world.ts";

export interface FailedMapOptions {
  /** Result classes drawn as dots (default failure and interrupt). Countries are always shaded by failures. */
  results?: readonly SignInResult[];
  /** Places labeled with name and count, most important first (default 10; fewer when they don't fit). */
  labels?: number;
  /** Pixel width (default 960). */
  width?: number;
  /** Largest dot radius in pixels (default 18). */
  maxRadius?: number;
  title?: string;
  /** Rows in the table under the chart (default 10). */
  tableRows?: number;
}

interface Cluster {
  lat: number;
  lon: number;
  result: string;
  signins: number;
  place: string;
  placeSignins: number;
  country: string | null;
  /** Users of the busiest row merged in (a lower bound: users can't be summed across rows). */
  users: number;
}

const LABEL_FONT = 11.5;

const FILL_SCHEME = "purples";

/** Failed (and interrupted) sign-ins on an equal-earth world map; rows from `signin_locations`. */
export function failedSignInsMap(rows: readonly LooseRow[], options: FailedMapOptions = {}): Chart {
  const width = options.width ?? 960;
  const results = options.results ?? ["failure", "interrupt"];
  const shown = new Set<string>(results);
  const data = rows.map(toRow);
  const relevant = data.filter((r) => shown.has(r.result) && r.signins > 0);
  const adjective: Record<string, string> = {
    failure: "failed",
    interrupt: "interrupted",
    success: "successful",
  };
  const what = results.map((r) => adjective[r] ?? resultLabel(r).toLowerCase()).join(" or ") + " sign-ins";
  const title = options.title ?? "Failed sign-ins around the world";
  const caption =
    "Look for clusters in countries where nobody works and for big dots far from your offices; " +
    "countries are shaded by failed sign-ins, dot area grows with the count.";

  if (relevant.length === 0) {
    return new Chart({
      id: "failed-map",
      title,
      caption,
      width,
      plots: [],
      emptyMessage: `No ${what} in this range`,
    });
  }

  // Countries shaded by failures (whatever results are drawn as dots), keyed like the world-atlas features.
  const failuresByFeature = new Map<string, number>();
  for (const r of data) {
    if (r.result !== "failure") continue;
    const key = featureKeyForAlpha2(r.country_or_region);
    if (key) failuresByFeature.set(key, (failuresByFeature.get(key) ?? 0) + r.signins);
  }
  const maxCountry = Math.max(0, ...failuresByFeature.values());

  const clusters = clusterPoints(relevant);
  const located = relevant.filter((r) => r.latitude !== null && r.longitude !== null);
  const unlocated = relevant.reduce(
    (s, r) => s + (r.latitude === null || r.longitude === null ? r.signins : 0),
    0,
  );
  const total = relevant.reduce((s, r) => s + r.signins, 0);

  const world = worldCountries();
  const land = world.features.filter((f) => f.id !== "010"); // Antarctica: no sign-ins, lots of space
  const domain = { type: "FeatureCollection", features: land };
  const height = mapHeight(width, domain);

  const maxCluster = Math.max(1, ...clusters.map((c) => c.signins));
  const maxRadius = options.maxRadius ?? 18;
  const radius = (n: number) => Math.max(2.5, maxRadius * Math.sqrt(n / maxCluster));
  // Larger dots first so smaller ones stay visible; failures above interrupts above successes.
  const order: Record<string, number> = { success: 0, interrupt: 1, failure: 2 };
  const dots = clusters
    .map((c) => ({ ...c, r: radius(c.signins), color: resultColor(c.result) }))
    .sort((a, b) => (order[a.result] ?? 0) - (order[b.result] ?? 0) || b.r - a.r);
  const projection = geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], domain as never);
  const project = (lon: number, lat: number): [number, number] => projection([lon, lat]) ?? [0, 0];
  const labels = pickLabels(data, clusters, options.labels ?? 10, project, radius, width, height);

  const countryFill = Plot.scale({
    color: { type: "sqrt", scheme: FILL_SCHEME, domain: [0, Math.max(1, maxCountry)] },
  });
  const fillOf = (f: { id?: string; properties: { name: string } }) => {
    const n = failuresByFeature.get(featureKey(f as never)) ?? 0;
    return n > 0 ? String(countryFill.apply(n)) : "#EEF0F2";
  };

  const plot = renderPlot({
    width,
    height,
    margin: 4,
    projection: { type: "equal-earth", domain: domain as never },
    color: { type: "identity" },
    r: { type: "identity" },
    marks: [
      Plot.sphere({ fill: "#F7FBFF", stroke: "#C8D3DD" }),
      Plot.geo(land, { fill: fillOf, stroke: "white", strokeWidth: 0.6 }),
      // Interrupts are rings, failures filled dots: where both happened at one place, each stays visible and
      // neither blends into a third colour (Plot draws larger dots first, so a smaller one is never hidden).
      Plot.dot(dots, {
        x: "lon",
        y: "lat",
        r: "r",
        fill: (d: { result: string; color: string }) => (d.result === "interrupt" ? "none" : d.color),
        fillOpacity: 0.72,
        stroke: (d: { result: string; color: string }) => (d.result === "interrupt" ? d.color : "white"),
        strokeWidth: (d: { result: string }) => (d.result === "interrupt" ? 2.2 : 0.8),
      }),
    ],
  });

  const labeledPlot = {
    ...plot,
    svg: appendToSvg(plot.svg, labelsSvg(labels, { fontSize: LABEL_FONT, fontWeight: "bold" })),
  };
  const notes: string[] = [];
  if (unlocated > 0) {
    notes.push(
      `${formatCount(unlocated)} of ${formatCount(total)} ${total === 1 ? what.replace(/s$/, "") : what} (${
        percent(unlocated, total)
      }) had no coordinates and ${unlocated === 1 ? "is" : "are"} not drawn as a dot; ` +
        `${unlocated === 1 ? "it still counts" : "they still count"} in the country shading and the table.`,
    );
  }
  if (located.length > 0) {
    const biggest = clusters[0];
    notes.push(
      `Largest dot: ${biggest.place}, ${formatCount(biggest.signins)} ${
        adjective[biggest.result] ?? biggest.result
      } ` +
        `${biggest.signins === 1 ? "sign-in" : "sign-ins"}.`,
    );
  }

  const ramp = maxCountry > 0
    ? [rampLegend({
      label: "Countries shaded by failed sign-ins",
      max: maxCountry,
      type: "sqrt",
      color: (v) => String(countryFill.apply(v)),
    })]
    : [];

  return new Chart({
    id: "failed-map",
    title,
    caption,
    width,
    plots: [labeledPlot],
    legends: [{
      title: "Dots:",
      items: resultLegend(results, "circle").map((i) =>
        i.label === resultLabel("interrupt") ? { ...i, shape: "ring" as const } : i
      ),
    }],
    ramps: ramp,
    notes,
    table: locationTable(relevant, data, options.tableRows ?? 10),
  });
}

function toRow(r: LooseRow): SignInLocationRow {
  let latitude = optNum(r.latitude);
  let longitude = optNum(r.longitude);
  // Graph reports unknown coordinates as 0/0 as well as null; nobody signs in from the Gulf of Guinea.
  if (latitude === 0 && longitude === 0) latitude = longitude = null;
  if (latitude !== null && (latitude < -90 || latitude > 90)) latitude = null;
  if (longitude !== null && (longitude < -180 || longitude > 180)) longitude = null;
  return {
    country_or_region: str(r.country_or_region),
    state: str(r.state),
    city: str(r.city),
    latitude,
    longitude,
    result: str(r.result) ?? "unknown",
    signins: num(r.signins),
    users: num(r.users),
  };
}

function placeName(r: SignInLocationRow): string {
  const cc = r.country_or_region ? countryInfo(r.country_or_region)?.alpha2 ?? r.country_or_region : null;
  if (r.city && cc) return `${r.city}, ${cc}`;
  return r.city ?? (cc ? countryLabel(cc) : "Unknown place");
}

/** Merges rows at the same place (0.1° grid) and result; the cluster is named after its busiest city. */
function clusterPoints(rows: readonly SignInLocationRow[]): Cluster[] {
  const byKey = new Map<string, Cluster>();
  for (const r of rows) {
    if (r.latitude === null || r.longitude === null) continue;
    const lat = Math.round(r.latitude * 10) / 10;
    const lon = Math.round(r.longitude * 10) / 10;
    const key = `${lat}|${lon}|${r.result}`;
    const c = byKey.get(key);
    if (!c) {
      byKey.set(key, {
        lat,
        lon,
        result: r.result,
        signins: r.signins,
        place: placeName(r),
        placeSignins: r.signins,
        country: r.country_or_region,
        users: r.users,
      });
    } else {
      c.signins += r.signins;
      c.users = Math.max(c.users, r.users);
      if (r.signins > c.placeSignins) {
        c.place = placeName(r);
        c.placeSignins = r.signins;
        c.country = r.country_or_region;
      }
    }
  }
  return [...byKey.values()].sort((a, b) =>
    b.signins - a.signins || a.lat - b.lat || a.lon - b.lon || a.result.localeCompare(b.result)
  );
}

/**
 * Places to label, the ones that matter first: failures, weighted up for places outside the tenant's home
 * countries (where its successful sign-ins come from) and for places many users failed from. Each label goes
 * next to its own dot, with a leader line when it has to move away, and never over another label or dot.
 */
function pickLabels(
  data: readonly SignInLocationRow[],
  clusters: readonly Cluster[],
  n: number,
  project: (lon: number, lat: number) => [number, number],
  radius: (signins: number) => number,
  width: number,
  height: number,
): PlacedLabel[] {
  const home = homeCountries(data);
  type Place = {
    lat: number;
    lon: number;
    place: string;
    country: string | null;
    failures: number;
    interrupts: number;
    users: number;
    max: number;
  };
  const byPlace = new Map<string, Place>();
  for (const c of clusters) {
    const key = `${c.lat}|${c.lon}`;
    const p = byPlace.get(key) ??
      {
        lat: c.lat,
        lon: c.lon,
        place: c.place,
        country: c.country,
        failures: 0,
        interrupts: 0,
        users: 0,
        max: 0,
      };
    if (c.result === "failure") p.failures += c.signins;
    if (c.result === "interrupt") p.interrupts += c.signins;
    if (c.signins > p.max) {
      p.max = c.signins;
      p.place = c.place;
      p.country = c.country;
    }
    p.users = Math.max(p.users, c.users);
    byPlace.set(key, p);
  }
  const foreign = (p: Place) => home.size > 0 && p.country !== null && !home.has(p.country);
  const score = (p: Place) => (p.failures + 0.2 * p.interrupts + 2 * p.users) * (foreign(p) ? 4 : 1);
  const candidates = [...byPlace.values()].sort((a, b) =>
    score(b) - score(a) || a.lat - b.lat || a.lon - b.lon
  );
  const obstacles = clusters.map((c) => {
    const [x, y] = project(c.lon, c.lat);
    return { x, y, r: radius(c.signins) };
  });
  const items = candidates.map((p) => {
    const [x, y] = project(p.lon, p.lat);
    const text = p.failures > 0
      ? `${p.place} · ${formatCount(p.failures)} failed`
      : `${p.place} · ${formatCount(p.interrupts)} interrupted`;
    return { x, y, r: radius(p.max), text };
  });
  return layoutLabels(items, {
    fontSize: LABEL_FONT,
    bounds: { x0: 0, y0: 0, x1: width, y1: height },
    obstacles,
    max: n,
    reach: 70,
  });
}

/** Countries that together hold 90% of the successful sign-ins (at least the busiest one). */
function homeCountries(data: readonly SignInLocationRow[]): Set<string> {
  const byCountry = new Map<string, number>();
  for (const r of data) {
    if (r.result !== "success" || !r.country_or_region) continue;
    byCountry.set(r.country_or_region, (byCountry.get(r.country_or_region) ?? 0) + r.signins);
  }
  const total = [...byCountry.values()].reduce((a, b) => a + b, 0);
  const home = new Set<string>();
  let covered = 0;
  for (
    const [country, n] of [...byCountry.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  ) {
    if (covered >= 0.9 * total) break;
    home.add(country);
    covered += n;
  }
  return home;
}

function mapHeight(width: number, domain: unknown): number {
  const projection = geoEqualEarth().fitWidth(width - 8, domain as never);
  const [[, y0], [, y1]] = geoPath(projection).bounds(domain as never);
  return Math.ceil(y1 - y0 + 8);
}

function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return p < 1 ? "<1%" : `${Math.round(p)}%`;
}

function locationTable(
  rows: readonly SignInLocationRow[],
  all: readonly SignInLocationRow[],
  limit: number,
): ChartTable {
  type Entry = {
    place: string;
    country: string;
    failures: number;
    interrupts: number;
    all: number;
    users: number;
  };
  const keyOf = (r: SignInLocationRow) => `${r.country_or_region ?? ""}|${r.state ?? ""}|${r.city ?? ""}`;
  const byPlace = new Map<string, Entry>();
  for (const r of rows) {
    const key = keyOf(r);
    const e = byPlace.get(key) ??
      {
        place: [r.city, r.state].filter(Boolean).join(", ") || "(unknown)",
        country: countryLabel(r.country_or_region),
        failures: 0,
        interrupts: 0,
        all: 0,
        users: 0,
      };
    if (r.result === "failure") e.failures += r.signins;
    if (r.result === "interrupt") e.interrupts += r.signins;
    // Users per place can't be summed exactly across result rows; the largest is a lower bound.
    e.users = Math.max(e.users, r.users);
    byPlace.set(key, e);
  }
  // Every result, successes included, so the reader sees how unusual the failures are for the place.
  for (const r of all) {
    const e = byPlace.get(keyOf(r));
    if (e) e.all += r.signins;
  }
  const top = [...byPlace.values()].sort((a, b) =>
    b.failures - a.failures || b.interrupts - a.interrupts || a.place.localeCompare(b.place)
  ).slice(0, limit);
  return {
    caption: `Top ${plural(top.length, "place")} by failed sign-ins`,
    columns: [
      { key: "place", label: "City / state" },
      { key: "country", label: "Country or region" },
      { key: "failures", label: "Failed", align: "right" },
      { key: "interrupts", label: "Interrupted", align: "right" },
      { key: "all", label: "All sign-ins", align: "right" },
      { key: "users", label: "Users (at least)", align: "right" },
    ],
    rows: top,
  };
}
