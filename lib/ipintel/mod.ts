/**
 * Offline IP intelligence: ASN and organisation of every source address (Entra's own ASN, else the pinned
 * @ip-location-db/asn dataset), and whether the network is a hosting, VPN or Tor one (a small sourced list).
 *
 * @example
 * ```ts
 * import { ensureIpIntel, ASN_ATTRIBUTION } from "./mod.ts";
 * await ensureIpIntel(store); // asn_ranges, asn_classes, ip_addresses, ip_intel
 * console.log(ASN_ATTRIBUTION);
 * ```
 * @module
 */
export {
  ASN_ATTRIBUTION,
  ASN_ATTRIBUTION_HTML,
  ASN_DATASET,
  type AsnDatasetFiles,
  asnDatasetFiles,
} from "./dataset.ts";
export { BUCKET_SQL, ipBucket, ipKey, IPV4_MAPPED_PREFIX } from "./ip_key.ts";
export { KNOWN_NETWORKS, type KnownNetwork, knownNetwork, NETWORK_LIST_VERSION } from "./networks.ts";
export { ensureIpIntel, type IpIntelOptions, type IpIntelResult } from "./load_ip_intel.ts";
export { ipIntelAthenaDdl, type IpIntelDdlOptions, writeAsnRangesTsv } from "./athena_ddl.ts";
