// Chart 1, the seed's favorite: failed sign-ins on a world map (equal-earth projection).
import * as Plot from "@observablehq/plot";
import { geoEqualEarth, geoPath } from "d3-geo";
import { Chart, type ChartTable } from "./chart.ts";
import { resultColor, resultLabel, resultLegend, type SignInResult } from "./colors.ts";
import { countryInfo, countryLabel } from "./countries.ts";
import { rampLegend } from "./ramp.ts";
import { renderPlot } from "./render_plot.ts";
import { type LooseRow, num, optNum, type SignInLocationRow, str } from "./rows.ts";
import { formatCount, plural, textWidth } from "./svg_text.ts";
import { featureKey, featureKeyForAlpha2, worldCountries } from "./world.ts";

export interface FailedMapOptions {
  /** Result classes drawn as dots (default failure and interrupt). Countries are always shaded by failures. */
  results?: readonly SignInResult[];
  /** Number of largest clusters labeled with place and count (default 8). */
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
}

const FILL_SCHEME = "purples";

interface MapLabel {
  lat: number;
  lon: number;
  text: string;
  dx: number;
  dy: number;
  anchor: "start" | "middle" | "end";
}

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
  const labels = pickLabels(clusters, options.labels ?? 8, project, radius, width, height);

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
      Plot.dot(dots, {
        x: "lon",
        y: "lat",
        r: "r",
        fill: "color",
        fillOpacity: 0.72,
        stroke: "white",
        strokeWidth: 0.8,
      }),
      ...labels.map((l) =>
        Plot.text([l], {
          x: "lon",
          y: "lat",
          text: "text",
          dx: l.dx,
          dy: l.dy,
          textAnchor: l.anchor,
          fontSize: 11.5,
          fontWeight: "bold",
          fill: "#222",
          stroke: "white",
          strokeWidth: 3,
          paintOrder: "stroke",
        })
      ),
    ],
  });

  const notes: string[] = [];
  if (unlocated > 0) {
    notes.push(
      `${formatCount(unlocated)} of ${formatCount(total)} ${what} (${
        percent(unlocated, total)
      }) had no coordinates ` +
        `and are not drawn as dots; they still count in the country shading and the table.`,
    );
  }
  if (located.length > 0) {
    notes.push(`Largest dot: ${formatCount(maxCluster)} sign-ins.`);
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
    plots: [plot],
    legends: [{ title: "Dots:", items: resultLegend(results, "circle") }],
    ramps: ramp,
    notes,
    table: locationTable(relevant, options.tableRows ?? 10),
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
      });
    } else {
      c.signins += r.signins;
      if (r.signins > c.placeSignins) {
        c.place = placeName(r);
        c.placeSignins = r.signins;
      }
    }
  }
  return [...byKey.values()].sort((a, b) =>
    b.signins - a.signins || a.lat - b.lat || a.lon - b.lon || a.result.localeCompare(b.result)
  );
}

/**
 * Places to label: most failures first (this is a map of failures), then most sign-ins drawn. Each label is
 * centered above its dot; one whose box would overlap a label already placed, or run off the map, is skipped.
 */
function pickLabels(
  clusters: readonly Cluster[],
  n: number,
  project: (lon: number, lat: number) => [number, number],
  radius: (signins: number) => number,
  width: number,
  height: number,
): MapLabel[] {
  type Place = { lat: number; lon: number; place: string; total: number; failures: number; max: number };
  const byPlace = new Map<string, Place>();
  for (const c of clusters) {
    const key = `${c.lat}|${c.lon}`;
    const p = byPlace.get(key) ?? { lat: c.lat, lon: c.lon, place: c.place, total: 0, failures: 0, max: 0 };
    p.total += c.signins;
    if (c.result === "failure") p.failures += c.signins;
    p.max = Math.max(p.max, c.signins);
    byPlace.set(key, p);
  }
  const candidates = [...byPlace.values()].sort((a, b) =>
    b.failures - a.failures || b.total - a.total || a.lat - b.lat || a.lon - b.lon
  );
  const boxes: { x0: number; x1: number; y0: number; y1: number }[] = [];
  // Big dots are obstacles too: a label printed across another cluster's dot hides it.
  const dots = clusters.map((c) => {
    const [x, y] = project(c.lon, c.lat);
    return { x, y, r: radius(c.signins), lat: c.lat, lon: c.lon };
  }).filter((d) => d.r >= 5);
  const chosen: MapLabel[] = [];
  for (const c of candidates) {
    if (chosen.length >= n) break;
    const text = c.failures > 0
      ? `${c.place} · ${formatCount(c.failures)} failed`
      : `${c.place} · ${formatCount(c.total)}`;
    const [x, y] = project(c.lon, c.lat);
    const r = radius(c.max);
    const w = textWidth(text, 11.5) + 6;
    // Above the dot, below it, right of it, left of it: the first spot that is free wins.
    const spots: { dx: number; dy: number; anchor: MapLabel["anchor"] }[] = [
      { dx: 0, dy: -(r + 8), anchor: "middle" },
      { dx: 0, dy: r + 16, anchor: "middle" },
      { dx: r + 5, dy: 4, anchor: "start" },
      { dx: -(r + 5), dy: 4, anchor: "end" },
    ];
    for (const spot of spots) {
      const left = spot.anchor === "middle"
        ? x + spot.dx - w / 2
        : spot.anchor === "start"
        ? x + spot.dx
        : x + spot.dx - w;
      const box = { x0: left, x1: left + w, y0: y + spot.dy - 11, y1: y + spot.dy + 4 };
      if (box.x0 < 0 || box.y0 < 0 || box.x1 > width || box.y1 > height) continue;
      if (boxes.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
      const hitsDot = dots.some((d) =>
        !(d.lat === c.lat && d.lon === c.lon) &&
        d.x + d.r > box.x0 && d.x - d.r < box.x1 && d.y + d.r > box.y0 && d.y - d.r < box.y1
      );
      // The three biggest clusters are labeled even over a neighbour's dot (the halo keeps the text legible).
      if (hitsDot && chosen.length >= 3) continue;
      boxes.push(box);
      chosen.push({ lat: c.lat, lon: c.lon, text, dx: spot.dx, dy: spot.dy, anchor: spot.anchor });
      break;
    }
  }
  return chosen;
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

function locationTable(rows: readonly SignInLocationRow[], limit: number): ChartTable {
  const byPlace = new Map<
    string,
    { place: string; country: string; signins: number; failures: number; users: number }
  >();
  for (const r of rows) {
    const key = `${r.country_or_region ?? ""}|${r.state ?? ""}|${r.city ?? ""}`;
    const e = byPlace.get(key) ??
      {
        place: [r.city, r.state].filter(Boolean).join(", ") || "(unknown)",
        country: countryLabel(r.country_or_region),
        signins: 0,
        failures: 0,
        users: 0,
      };
    e.signins += r.signins;
    if (r.result === "failure") e.failures += r.signins;
    // Users per place can't be summed exactly across result rows; the largest is a lower bound.
    e.users = Math.max(e.users, r.users);
    byPlace.set(key, e);
  }
  const top = [...byPlace.values()].sort((a, b) => b.signins - a.signins || a.place.localeCompare(b.place))
    .slice(0, limit);
  return {
    caption: `Top ${plural(top.length, "place")} by sign-ins shown on the map`,
    columns: [
      { key: "place", label: "City / state" },
      { key: "country", label: "Country or region" },
      { key: "signins", label: "Sign-ins", align: "right" },
      { key: "failures", label: "Failures", align: "right" },
      { key: "users", label: "Users (at least)", align: "right" },
    ],
    rows: top,
  };
}
