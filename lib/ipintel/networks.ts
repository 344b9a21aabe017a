/**
 * Autonomous systems whose addresses are not where people normally are: cloud and VPS hosts (an attacker's
 * rented server, an AiTM phishing proxy), commercial VPN exits and Tor-heavy networks. A sign-in from one of
 * them is worth a look when the account has not used that network before; the list never decides alone.
 *
 * Small on purpose, each entry with its source, so a reviewer can check it. Sources:
 * - X4B_DC: X4BNet/lists_vpn, input/datacenter/ASN.txt (github.com/X4BNet/lists_vpn), a community list of
 *   data-centre ASNs used to block VPN/hosting traffic, read 2026-12-01.
 * - X4B_VPN: X4BNet/lists_vpn, input/vpn/ASN.txt (same repository), ASNs of commercial VPN providers and Tor exits.
 * Names are the AS names as those lists and the RIRs give them.
 *
 * Bump NETWORK_LIST_VERSION whenever an entry changes: stores rebuild their asn_classes table from it.
 */
import type { NetworkClass } from "../detections/types.ts";

export interface KnownNetwork {
  asn: number;
  network_class: NetworkClass;
  name: string;
  /** Where the classification comes from: a list or a provider's own page, enough to find it again. */
  source: string;
}

export const NETWORK_LIST_VERSION = "2026-12-01.2";

const X4B_DC = "X4BNet/lists_vpn input/datacenter/ASN.txt (github.com/X4BNet/lists_vpn)";
const X4B_VPN = "X4BNet/lists_vpn input/vpn/ASN.txt (github.com/X4BNet/lists_vpn)";

const hosting = (asn: number, name: string, source = X4B_DC): KnownNetwork => ({
  asn,
  network_class: "hosting",
  name,
  source,
});
const vpn = (asn: number, name: string, source = X4B_VPN): KnownNetwork => ({
  asn,
  network_class: "vpn",
  name,
  source,
});

export const KNOWN_NETWORKS: readonly KnownNetwork[] = [
  // Hyperscale clouds
  hosting(16509, "Amazon.com (AMAZON-02, AWS)"),
  hosting(14618, "Amazon.com (AMAZON-AES, AWS us-east-1)"),
  hosting(15169, "Google"),
  hosting(8075, "Microsoft (MICROSOFT-CORP-MSN-AS-BLOCK, Azure)"),
  hosting(45102, "Alibaba (China) Technology (Alibaba Cloud)"),
  hosting(45090, "Tencent cloud computing"),
  // VPS and dedicated-server hosts
  hosting(14061, "DigitalOcean"),
  hosting(62567, "DigitalOcean (NY2)"),
  hosting(20473, "Choopa / Vultr (AS-CHOOPA)"),
  hosting(63949, "Linode (Akamai)"),
  hosting(16276, "OVH"),
  hosting(24940, "Hetzner Online"),
  hosting(37153, "Hetzner (ZA)"),
  hosting(60781, "LeaseWeb Netherlands"),
  hosting(28753, "LeaseWeb Deutschland"),
  hosting(51167, "Contabo"),
  hosting(36352, "ColoCrossing"),
  hosting(54290, "Hostwinds"),
  hosting(46844, "Sharktech"),
  hosting(202053, "UpCloud"),
  hosting(49981, "WorldStream"),
  hosting(57043, "HOSTKEY"),
  hosting(53667, "FranTech Solutions (PONYNET, BuyVM)"),
  hosting(35916, "Multacom"),
  hosting(8100, "QuadraNet"),
  hosting(40676, "Psychz Networks"),
  // Commercial VPN exits and anonymisers
  vpn(9009, "M247 (NordVPN and other VPN exits)"),
  vpn(209854, "Surfshark"),
  vpn(136787, "TEFINCOM (NordVPN)"),
  vpn(207137, "Packethub (NordVPN)"),
  vpn(50525, "Privado VPN"),
  vpn(20448, "VPNtranet"),
  vpn(53559, "Anonymizer Inc.", X4B_DC),
  vpn(
    39351,
    "31173 Services AB (Mullvad VPN exits)",
    `${X4B_DC} lists AS39351 (ESAB-AS); the same repository's input/vpn/ips/mullvadvpn.txt lists Mullvad's exits`,
  ),
  // Tor
  {
    asn: 60729,
    network_class: "tor",
    name: "Zwiebelfreunde / Tor Servers (Tor exit nodes)",
    source: X4B_VPN,
  },
];

const BY_ASN = new Map(KNOWN_NETWORKS.map((n) => [n.asn, n]));

/** The entry for an ASN, or undefined when the ASN is not a known hosting / VPN / Tor network. */
export function knownNetwork(asn: number | null | undefined): KnownNetwork | undefined {
  return asn == null ? undefined : BY_ASN.get(asn);
}
