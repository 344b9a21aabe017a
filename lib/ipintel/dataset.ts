/**
 * The offline IP → autonomous system dataset: the `@ip-location-db/asn` npm package, pinned in deno.json.
 * Its CSVs (`asn-ipv4-num.csv`, `asn-ipv6-num.csv`: start, end, ASN, organisation, inclusive numeric ranges)
 * merge RouteViews, the five RIRs' delegation statistics (published by the NRO) and DB-IP's IP to ASN Lite
 * database, all CC BY 4.0: whoever shows results must credit them (DB-IP asks for a link on web pages), which
 * ASN_ATTRIBUTION / ASN_ATTRIBUTION_HTML do for the report footer and the triage output.
 *
 * The package's README warns that data published to npm has known errors and that npm updates will stop;
 * treat an organisation name as a hint and prefer Entra's own autonomousSystemNumber where a record has it.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ASN_DATASET = {
  package: "@ip-location-db/asn",
  version: "2.3.2026061719",
  /** The day the data was generated (the version's date part; published to npm 2026-09-16). */
  date: "2026-06-17",
  licence: "CC BY 4.0",
  sources: [
    { name: "RouteViews", url: "https://www.routeviews.org/routeviews/" },
    { name: "DB-IP IP to ASN Lite", url: "https://db-ip.com" },
    { name: "NRO (RIR statistics)", url: "https://www.nro.net" },
  ],
} as const;

/** One line for a footer or a CLI: what the ASN data is, its date and whom it credits. */
export const ASN_ATTRIBUTION =
  `ASN data: ${ASN_DATASET.package} ${ASN_DATASET.version} (data of ${ASN_DATASET.date}) by RouteViews, ` +
  `DB-IP (db-ip.com) and the NRO, ${ASN_DATASET.licence}`;

/** The same for HTML, with the link back DB-IP's licence asks for. */
export const ASN_ATTRIBUTION_HTML =
  `ASN data: ${ASN_DATASET.package} ${ASN_DATASET.version} (data of ${ASN_DATASET.date}) by ` +
  `<a href="https://www.routeviews.org/routeviews/">RouteViews</a>, ` +
  `<a href="https://db-ip.com">IP Geolocation by DB-IP</a> and the <a href="https://www.nro.net">NRO</a>, ` +
  `<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>`;

export interface AsnDatasetFiles {
  ipv4: string;
  ipv6: string;
}

/** Paths of the package's numeric CSVs, from the import map (node_modules), with a clear error when absent. */
export function asnDatasetFiles(): AsnDatasetFiles {
  const find = (name: string): string => {
    const tried: string[] = [];
    try {
      const url = import.meta.resolve(`@ip-location-db/asn/${name}`);
      if (url.startsWith("file:")) {
        const path = fileURLToPath(url);
        if (existsSync(path)) return path;
        tried.push(path);
      }
    } catch {
      // not resolvable through the import map: try the project's node_modules below
    }
    const local = fileURLToPath(new URL(`../../node_modules/@ip-location-db/asn/${name}`, import.meta.url));
    if (existsSync(local)) return local;
    tried.push(local);
    throw new Error(
      `the ASN dataset file ${name} is missing (looked at ${
        tried.join(", ")
      }); run \`deno install\` to fetch ` +
        `${ASN_DATASET.package}@${ASN_DATASET.version}`,
    );
  };
  return { ipv4: find("asn-ipv4-num.csv"), ipv6: find("asn-ipv6-num.csv") };
}
