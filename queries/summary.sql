-- Totals for a report header: sign-ins, users, results, countries, source IPs and the time span.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT count(*) AS signins,
  count(DISTINCT userprincipalname) AS users,
  count(*) FILTER (WHERE result = 'success') AS successes,
  count(*) FILTER (WHERE result = 'failure') AS failures,
  count(*) FILTER (WHERE result = 'interrupt') AS interrupts,
  count(DISTINCT location.countryorregion) AS countries,
  count(DISTINCT ipaddress) AS ips,
  min(created_at) AS first_seen,
  max(created_at) AS last_seen
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
