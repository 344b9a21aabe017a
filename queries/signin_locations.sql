-- Sign-ins per place and result, for the world map. Rows without coordinates are kept (latitude and
-- longitude null) so a chart can count what it cannot place.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT location.countryorregion AS country_or_region, location.state AS state, location.city AS city,
  round(location.geocoordinates.latitude, 2) AS latitude, round(location.geocoordinates.longitude, 2) AS longitude,
  result, count(*) AS signins, count(DISTINCT userprincipalname) AS users
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY signins DESC, country_or_region, city, result
