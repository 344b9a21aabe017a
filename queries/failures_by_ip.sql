-- Every source IP address with at least one failed sign-in, with what else it did: the population the
-- suspicious-IP chart draws (flagged addresses highlighted, the rest gray) and counts in its caption.
-- suspicious_ips.sql is the flagged subset of these rows, by the same thresholds.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT ipaddress AS ip_address, arbitrary(location.countryorregion) AS country_or_region,
  count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure') AS users,
  count(*) FILTER (WHERE result = 'failure') AS failures,
  count(*) FILTER (WHERE result = 'success') AS successes,
  count(*) AS signins,
  min(created_at) AS first_seen, max(created_at) AS last_seen
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY ipaddress
HAVING count(*) FILTER (WHERE result = 'failure') > 0
ORDER BY failures DESC, ip_address
