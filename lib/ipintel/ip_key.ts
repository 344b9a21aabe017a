/**
 * Fixed-width range keys for IP addresses, the same on DuckDB and Trino: 32 lower-case hex digits of the
 * 128-bit address, IPv4 as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`). Text comparison of equal-length hex
 * is numeric comparison, so `key BETWEEN range_start AND range_end` needs no 128-bit integer type (Trino has
 * none; DECIMAL(38) stops below 2^128). On Trino the same key is
 * `lower(to_hex(CAST(CAST(ip AS IPADDRESS) AS VARBINARY)))`, which also maps IPv4 into IPv6.
 */

/** The IPv4-mapped prefix `::ffff:0:0/96` as key digits. */
export const IPV4_MAPPED_PREFIX = "00000000000000000000ffff";

/**
 * Buckets keep the range join an equi-join plus a BETWEEN inside one bucket: the first 16 bits of an IPv4
 * address (a /16), the first 32 bits of an IPv6 one (a /32). A range that spans buckets is stored once per
 * bucket it touches (411,961 IPv4 ranges become 440,634 rows; 103,196 IPv6 ranges 357,733).
 */
export const BUCKET_SQL = (key: string) =>
  `CASE WHEN substr(${key}, 1, 24) = '${IPV4_MAPPED_PREFIX}' THEN substr(${key}, 1, 28) ELSE substr(${key}, 1, 8) END`;

export function ipBucket(key: string): string {
  return key.startsWith(IPV4_MAPPED_PREFIX) ? key.slice(0, 28) : key.slice(0, 8);
}

function ipv4Hex(text: string): string | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let hex = "";
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    hex += n.toString(16).padStart(2, "0");
  }
  return hex;
}

/**
 * The range key of an address as Entra logs it (`203.0.113.10`, `2001:db8::1`, `::ffff:203.0.113.10`, with or
 * without `[…]` or a `%zone`), or null for anything that is not an IP address (Entra writes "" or omits it).
 */
export function ipKey(address: string | null | undefined): string | null {
  if (typeof address !== "string") return null;
  let text = address.trim().toLowerCase();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (text === "") return null;
  if (!text.includes(":")) {
    const v4 = ipv4Hex(text);
    return v4 === null ? null : IPV4_MAPPED_PREFIX + v4;
  }
  // IPv6: up to eight 16-bit groups, one "::" for a run of zero groups, an IPv4 tail for the last two.
  let tail = "";
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = ipv4Hex(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = v4;
    text = text.slice(0, lastColon + 1) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let hex = "";
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    hex += g.padStart(4, "0");
  }
  return tail ? hex.slice(0, 24) + tail : hex;
}
