-- Failed sign-ins (interrupts excluded) per country of origin.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT location.countryorregion AS country_or_region, count(*) AS failures,
  count(DISTINCT userprincipalname) AS users, count(DISTINCT ipaddress) AS ips
FROM signins
WHERE result = 'failure' AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1
ORDER BY failures DESC, country_or_region
