-- Sign-ins from a new country: a user's first successful sign-in from a country or region they had not signed
-- in from before within the range. Each user's first learning_days days of successful sign-ins in the range
-- only teach the detection where they usually are (so a new hire's first week is not flagged); a country
-- first seen after that is reported once, with how often the user signed in from it in the range.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param learning_days integer >= 0 = 7  days from each user's first successful sign-in in the range that only set the baseline
WITH successes AS (
  SELECT id, userprincipalname, created_at, ipaddress, location.countryorregion AS country_or_region,
    location.city AS city, appdisplayname,
    min(created_at) OVER (PARTITION BY userprincipalname) AS user_first_seen,
    row_number() OVER (PARTITION BY userprincipalname, location.countryorregion ORDER BY created_at, id) AS nth,
    count(*) OVER (PARTITION BY userprincipalname, location.countryorregion) AS signins_from_country
  FROM signins
  WHERE result = 'success' AND userprincipalname IS NOT NULL AND location.countryorregion IS NOT NULL
    AND location.countryorregion <> ''
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
baseline AS (
  SELECT userprincipalname,
    array_join(array_sort(array_agg(DISTINCT country_or_region)), ', ') AS baseline_countries
  FROM successes
  WHERE date_diff('second', user_first_seen, created_at) < $learning_days * 86400
  GROUP BY userprincipalname
)
SELECT s.userprincipalname AS user_principal_name, s.country_or_region, s.city, s.ipaddress AS ip_address,
  s.appdisplayname AS app_display_name, s.created_at AS first_signin, s.signins_from_country,
  b.baseline_countries
FROM successes AS s
LEFT JOIN baseline AS b ON b.userprincipalname = s.userprincipalname
WHERE s.nth = 1 AND date_diff('second', s.user_first_seen, s.created_at) >= $learning_days * 86400
ORDER BY first_signin, user_principal_name
