/**
 * IP address → country for sources that log no geolocation (Purview's unified audit log): the
 * `@ip-location-db/geo-whois-asn-country` npm package, pinned in deno.json. Its numeric CSVs hold inclusive
 * ranges (start, end, ISO 3166-1 alpha-2) built from geofeeds, RIR whois and ASN data; the package.json says
 * CC0-1.0 and its README credits the NRO under CC BY 4.0, so signin-lens credits it as CC BY 4.0
 * (COUNTRY_ATTRIBUTION). The package's README warns that npm-published data has known errors: a country found
 * this way is a hint, and every record that got one lists `location.countryOrRegion` in derived_fields.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ipKey, IPV4_MAPPED_PREFIX } from "../ipintel/ip_key.ts";

export const COUNTRY_DATASET = {
  package: "@ip-location-db/geo-whois-asn-country",
  version: "2.3.2026061719",
  licence: "CC BY 4.0 (NRO); package.json: CC0-1.0",
} as const;

export const COUNTRY_ATTRIBUTION =
  `Countries derived from IP addresses: ${COUNTRY_DATASET.package} ${COUNTRY_DATASET.version} ` +
  `(geofeed, whois and ASN data; CC BY 4.0 by the NRO, www.nro.net)`;

/** Looks up the country of an address; null when unknown or not an address. */
export type CountryLookup = (ip: string | null | undefined) => string | null;

interface Ranges4 {
  starts: Uint32Array;
  ends: Uint32Array;
  codes: string[];
}
interface Ranges6 {
  starts: bigint[];
  ends: bigint[];
  codes: string[];
}

/** A lookup over CSV texts in the package's numeric format (`start,end,CC` per line, sorted by start). */
export function countryLookupFrom(ipv4Csv: string, ipv6Csv: string): CountryLookup {
  const v4 = parse4(ipv4Csv);
  // BigInt parsing of the IPv6 ranges costs seconds; most sign-ins are IPv4, so only when one is not.
  let v6: Ranges6 | undefined;
  return (ip) => {
    const key = ipKey(ip);
    if (key === null) return null;
    if (key.startsWith(IPV4_MAPPED_PREFIX)) {
      return find(v4.starts, v4.ends, v4.codes, parseInt(key.slice(24), 16));
    }
    v6 ??= parse6(ipv6Csv);
    return find(v6.starts, v6.ends, v6.codes, BigInt(`0x${key}`));
  };
}

let cached: CountryLookup | undefined;

/** The lookup over the pinned package's files, read once per process. */
export async function countryLookup(): Promise<CountryLookup> {
  if (!cached) {
    const [v4, v6] = await Promise.all([
      Deno.readTextFile(datasetFile("geo-whois-asn-country-ipv4-num.csv")),
      Deno.readTextFile(datasetFile("geo-whois-asn-country-ipv6-num.csv")),
    ]);
    cached = countryLookupFrom(v4, v6);
  }
  return cached;
}

function find<T extends number | bigint>(
  starts: ArrayLike<T>,
  ends: ArrayLike<T>,
  codes: string[],
  x: T,
): string | null {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= x) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi >= 0 && x <= ends[hi] ? codes[hi] : null;
}

function lines(csv: string): string[][] {
  return csv.split("\n").filter((l) => l.trim() !== "").map((l) => l.trim().split(","));
}

function parse4(csv: string): Ranges4 {
  // A hand-rolled scan: split/map over 334k lines took ~1.5 s, this ~0.1 s.
  const n = csv.split("\n", -1).length;
  const r: Ranges4 = { starts: new Uint32Array(n), ends: new Uint32Array(n), codes: [] };
  let i = 0;
  let pos = 0;
  while (pos < csv.length) {
    const c1 = csv.indexOf(",", pos);
    const c2 = csv.indexOf(",", c1 + 1);
    let nl = csv.indexOf("\n", c2 + 1);
    if (c1 < 0 || c2 < 0) break;
    if (nl < 0) nl = csv.length;
    r.starts[i] = Number(csv.slice(pos, c1));
    r.ends[i] = Number(csv.slice(c1 + 1, c2));
    r.codes.push(csv.slice(c2 + 1, nl).trim());
    i++;
    pos = nl + 1;
  }
  return { starts: r.starts.subarray(0, i), ends: r.ends.subarray(0, i), codes: r.codes };
}

function parse6(csv: string): Ranges6 {
  const rows = lines(csv);
  return {
    starts: rows.map((x) => BigInt(x[0])),
    ends: rows.map((x) => BigInt(x[1])),
    codes: rows.map((x) => x[2]),
  };
}

function datasetFile(name: string): string {
  const tried: string[] = [];
  try {
    const url = import.meta.resolve(`${COUNTRY_DATASET.package}/${name}`);
    if (url.startsWith("file:")) {
      const path = fileURLToPath(url);
      if (existsSync(path)) return path;
      tried.push(path);
    }
  } catch {
    // not resolvable through the import map: try the project's node_modules below
  }
  const local = fileURLToPath(
    new URL(`../../node_modules/${COUNTRY_DATASET.package}/${name}`, import.meta.url),
  );
  if (existsSync(local)) return local;
  tried.push(local);
  throw new Error(
    `the IP → country dataset file ${name} is missing (looked at ${
      tried.join(", ")
    }); run \`deno install\` ` +
      `to fetch ${COUNTRY_DATASET.package}@${COUNTRY_DATASET.version}`,
  );
}
