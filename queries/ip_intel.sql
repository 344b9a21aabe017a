-- IP intelligence: the autonomous system (ASN and organisation) and the network class (hosting, vpn, tor)
-- of every source address in the store. Entra's own autonomousSystemNumber wins where the record has one
-- (entra_asn, -1 when absent); otherwise the address is looked up in asn_ranges, the offline
-- @ip-location-db/asn dataset (RouteViews, DB-IP, NRO; CC BY 4.0). Range keys are 32 hex digits of the
-- address (IPv4 as IPv4-mapped IPv6), compared as text, so no 128-bit integer or inet type is needed; the
-- bucket (the /16 of IPv4, the /32 of IPv6) turns the range join into an equi-join plus one BETWEEN.
-- ip_addresses and asn_ranges come from lib/ipintel (DuckDB) or the Athena DDL (deno task ddl); network
-- classes from the sourced list in lib/ipintel/networks.ts (table asn_classes).
-- Where the dataset's ranges overlap (one pair in 2.3.2026061719), the more specific range wins (the one that
-- starts later, or ends sooner). from/to keep the addresses that signed in within the range; the store's
-- ip_intel table is this query with the defaults (every address).
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
WITH candidates AS (
  SELECT a.ip_address, a.entra_asn, r.asn AS dataset_asn, r.as_org AS dataset_org,
    row_number() OVER (PARTITION BY a.ip_address, a.entra_asn ORDER BY r.range_start DESC, r.range_end, r.asn) AS nth
  FROM ip_addresses AS a
  LEFT JOIN asn_ranges AS r ON r.bucket = a.bucket AND a.ip_key BETWEEN r.range_start AND r.range_end
  WHERE a.last_seen >= from_iso8601_timestamp($from) AND a.first_seen < from_iso8601_timestamp($to)
),
matched AS (
  SELECT ip_address, entra_asn, dataset_asn, dataset_org FROM candidates WHERE nth = 1
),
names AS (
  SELECT asn, min(as_org) AS as_org
  FROM asn_ranges
  WHERE asn IN (SELECT entra_asn FROM ip_addresses WHERE entra_asn > 0)
  GROUP BY asn
),
chosen AS (
  SELECT m.ip_address, m.entra_asn, m.dataset_asn, m.dataset_org,
    CASE WHEN m.entra_asn > 0 THEN m.entra_asn ELSE m.dataset_asn END AS asn
  FROM matched AS m
)
SELECT h.ip_address, h.entra_asn, h.asn,
  CASE WHEN h.asn = h.dataset_asn THEN h.dataset_org ELSE coalesce(n.as_org, c.as_name) END AS as_org,
  c.network_class,
  CASE WHEN h.entra_asn > 0 THEN 'entra' WHEN h.dataset_asn IS NOT NULL THEN 'dataset' END AS asn_source,
  h.dataset_asn
FROM chosen AS h
LEFT JOIN names AS n ON n.asn = h.asn
LEFT JOIN asn_classes AS c ON c.asn = h.asn
ORDER BY h.ip_address, h.entra_asn
