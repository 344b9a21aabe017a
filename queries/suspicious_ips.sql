-- Source IPs that failed against many users or many times, and mostly failed: spray and brute-force
-- candidates. The failure-share condition keeps busy office or VPN egress addresses (thousands of successes,
-- a few typos from many people) out, while an attacker who finally got in (many failures, one success) stays.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param min_users integer >= 1 = 5  flag an IP whose failures touch at least this many users
-- @param min_failures integer >= 1 = 20  or that failed at least this many times
-- @param min_failure_share double >= 0 <= 1 = 0.5  and whose failed share of its sign-ins is at least this
SELECT ipaddress AS ip_address, arbitrary(location.countryorregion) AS country_or_region,
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
ORDER BY failures DESC, ip_address
