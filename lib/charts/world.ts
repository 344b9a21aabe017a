// World outlines for the map, read from the world-atlas npm package (bundled, no network at run time).
import topology from "world-atlas/countries-110m.json" with { type: "json" };
import { feature } from "topojson-client";
import { countryInfo } from "./countries.ts";

export interface CountryFeature {
  type: "Feature";
  id?: string;
  properties: { name: string };
  geometry: unknown;
}

export interface CountryCollection {
  type: "FeatureCollection";
  features: CountryFeature[];
}

let cached: CountryCollection | undefined;

/** All 177 countries of world-atlas' 110m file (ids are ISO 3166-1 numeric strings, a few have none). */
export function worldCountries(): CountryCollection {
  if (!cached) {
    const topo = topology as unknown as { objects: { countries: unknown } };
    cached = feature(topo as never, topo.objects.countries as never) as unknown as CountryCollection;
  }
  return cached;
}

/** The world-atlas feature for an ISO-2 code: by numeric id, or by name for Kosovo which has no id. */
export function featureKey(feature: CountryFeature): string {
  return feature.id ?? `name:${feature.properties.name}`;
}

/** Key under which an ISO-2 code's country appears in `worldCountries()` (see featureKey), if any. */
export function featureKeyForAlpha2(alpha2: string | null | undefined): string | undefined {
  const info = countryInfo(alpha2);
  if (!info) return undefined;
  return info.numeric ?? `name:${info.name}`;
}
