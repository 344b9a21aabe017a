-- Source IPs that failed against many users or many times, and mostly failed: spray and brute-force
-- candidates. The failure-share condition keeps busy office or VPN egress addresses (thousands of successes,
-- a few typos from many people) out, while an attacker who finally got in (many failures, one success) stays.
-- country_or_region is where the address's first sign-in in the range (first_seen, then the smallest id) came
-- from, as in failures_by_ip, so every engine and every run shows the same country.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param min_users integer >= 1 = 5  flag an IP whose failures touch at least this many users
-- @param min_failures integer >= 1 = 20  or that failed at least this many times
-- @param min_failure_share double >= 0 <= 1 = 0.5  and whose failed share of its sign-ins is at least this
WITH ips AS (
  SELECT ipaddress,
    count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure') AS users,
    count(*) FILTER (WHERE result = 'failure') AS failures,
    count(*) FILTER (WHERE result = 'success') AS successes,
    min(created_at) AS first_seen, max(created_at) AS last_seen
  FROM signins
  WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
  GROUP BY ipaddress
  HAVING (count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure') >= $min_users
      OR count(*) FILTER (WHERE result = 'failure') >= $min_failures)
    AND count(*) FILTER (WHERE result = 'failure') >= $min_failure_share * count(*)
),
-- The address's sign-ins at its first_seen instant (usually one): looked up for the flagged addresses only,
-- instead of ordering every sign-in.
firsts AS (
  SELECT i.*, s.location.countryorregion AS country_or_region,
    row_number() OVER (PARTITION BY i.ipaddress ORDER BY s.id) AS nth
  FROM ips AS i
  JOIN signins AS s ON s.created_at = i.first_seen
    AND (s.ipaddress = i.ipaddress OR (s.ipaddress IS NULL AND i.ipaddress IS NULL))
)
SELECT ipaddress AS ip_address, country_or_region, users, failures, successes, first_seen, last_seen
FROM firsts
WHERE nth = 1
ORDER BY failures DESC, ip_address
