-- Every source IP address with at least one failed sign-in, with what else it did: the population the
-- suspicious-IP chart draws (flagged addresses highlighted, the rest gray) and counts in its caption.
-- suspicious_ips.sql is the flagged subset of these rows, by the same thresholds. country_or_region is where
-- the address's first sign-in in the range (first_seen, then the smallest id) came from, as in suspicious_ips,
-- so every engine and every run shows the same country.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
WITH ips AS (
  SELECT ipaddress,
    count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure') AS users,
    count(*) FILTER (WHERE result = 'failure') AS failures,
    count(*) FILTER (WHERE result = 'success') AS successes,
    count(*) AS signins,
    min(created_at) AS first_seen, max(created_at) AS last_seen
  FROM signins
  WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
  GROUP BY ipaddress
  HAVING count(*) FILTER (WHERE result = 'failure') > 0
),
-- The address's sign-ins at its first_seen instant (usually one): looked up after the counts, for the few
-- addresses kept, instead of ordering every sign-in.
firsts AS (
  SELECT i.*, s.location.countryorregion AS country_or_region,
    row_number() OVER (PARTITION BY i.ipaddress ORDER BY s.id) AS nth
  FROM ips AS i
  JOIN signins AS s ON s.created_at = i.first_seen
    AND (s.ipaddress = i.ipaddress OR (s.ipaddress IS NULL AND i.ipaddress IS NULL))
)
SELECT ipaddress AS ip_address, country_or_region, users, failures, successes, signins, first_seen, last_seen
FROM firsts
WHERE nth = 1
ORDER BY failures DESC, ip_address
