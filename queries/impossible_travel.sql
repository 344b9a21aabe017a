-- Impossible travel: two consecutive successful sign-ins of one user from places so far apart that getting from
-- one to the other in the time between them would take a speed above max_speed_kmh (an airliner cruises at
-- about 900 km/h). Hops shorter than min_distance_km are ignored: IP geolocation puts one connection in
-- neighbouring cities, and mobile carriers route through a hub hundreds of kilometres away.
-- Distance is the great-circle distance between the two sign-ins' coordinates. A stolen session used beside
-- the real user's flips between the two places many times: each user and pair of places is one row, the first
-- impossible hop, with hops (how many there were) and last_hop_at.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param max_speed_kmh double > 0 = 900  flag a hop faster than this
-- @param min_distance_km double >= 0 = 500  and at least this long
WITH located AS (
  SELECT id, userprincipalname, created_at, ipaddress, appdisplayname,
    location.countryorregion AS country_or_region, location.city AS city,
    location.geocoordinates.latitude AS latitude, location.geocoordinates.longitude AS longitude
  FROM signins
  WHERE result = 'success' AND userprincipalname IS NOT NULL
    AND location.geocoordinates.latitude IS NOT NULL AND location.geocoordinates.longitude IS NOT NULL
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
consecutive AS (
  SELECT userprincipalname, id, created_at, ipaddress, appdisplayname, country_or_region, city, latitude,
    longitude,
    lag(created_at) OVER w AS prev_at, lag(ipaddress) OVER w AS prev_ip,
    lag(country_or_region) OVER w AS prev_country, lag(city) OVER w AS prev_city,
    lag(latitude) OVER w AS prev_latitude, lag(longitude) OVER w AS prev_longitude
  FROM located
  WINDOW w AS (PARTITION BY userprincipalname ORDER BY created_at, id)
),
measured AS (
  SELECT *, great_circle_distance(prev_latitude, prev_longitude, latitude, longitude) AS km,
    date_diff('second', prev_at, created_at) AS seconds,
    least(concat(coalesce(prev_country, ''), '/', coalesce(prev_city, '')),
      concat(coalesce(country_or_region, ''), '/', coalesce(city, ''))) AS place_a,
    greatest(concat(coalesce(prev_country, ''), '/', coalesce(prev_city, '')),
      concat(coalesce(country_or_region, ''), '/', coalesce(city, ''))) AS place_b
  FROM consecutive
  WHERE prev_at IS NOT NULL
),
flagged AS (
  SELECT *,
    row_number() OVER (PARTITION BY userprincipalname, place_a, place_b ORDER BY created_at, id) AS nth,
    count(*) OVER (PARTITION BY userprincipalname, place_a, place_b) AS hops,
    max(created_at) OVER (PARTITION BY userprincipalname, place_a, place_b) AS last_hop_at
  FROM measured
  WHERE km >= $min_distance_km AND km * 3600 > $max_speed_kmh * greatest(seconds, 1)
)
SELECT userprincipalname AS user_principal_name,
  prev_at AS from_time, prev_city AS from_city, prev_country AS from_country, prev_ip AS from_ip,
  created_at AS to_time, city AS to_city, country_or_region AS to_country, ipaddress AS to_ip,
  appdisplayname AS to_app, round(km) AS distance_km, round(seconds / 60e0, 1) AS minutes,
  round(km * 3600 / greatest(seconds, 1)) AS speed_kmh, hops, last_hop_at
FROM flagged
WHERE nth = 1
ORDER BY to_time, user_principal_name
