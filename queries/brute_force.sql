-- Brute force: many failed sign-ins for one account from one source IP in one burst (attempts no more than
-- max_gap_minutes apart). A device stuck on an old password also fails over and over, but slowly, hours
-- apart, so it splits into many small bursts and stays out. successes counts sign-ins of the account from
-- the same IP in the burst: after a run of failures, one means the attacker probably got in.
-- country_or_region and city are where the burst's first attempt came from (the earliest, then the smallest
-- id), both from that one sign-in, so every engine and every run shows the same place.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param min_failures integer >= 1 = 20  flag a burst with at least this many failures
-- @param max_gap_minutes integer >= 1 = 10  a burst ends when the account is quiet from that IP for longer than this
WITH attempts AS (
  SELECT id, userprincipalname, ipaddress, created_at, result, status.errorcode AS error_code,
    location.countryorregion AS country_or_region, location.city AS city, appdisplayname, clientappused,
    CASE WHEN date_diff('second', lag(created_at) OVER (PARTITION BY userprincipalname, ipaddress
      ORDER BY created_at, id), created_at) <= $max_gap_minutes * 60 THEN 0 ELSE 1 END AS starts_burst
  FROM signins
  WHERE userprincipalname IS NOT NULL AND ipaddress IS NOT NULL
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
bursts AS (
  SELECT *, sum(starts_burst) OVER (PARTITION BY userprincipalname, ipaddress ORDER BY created_at, id
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
  FROM attempts
)
SELECT userprincipalname AS user_principal_name, ipaddress AS ip_address,
  -- starts_burst is 1 on exactly one row of a burst, its first attempt in the windows' order.
  min(country_or_region) FILTER (WHERE starts_burst = 1) AS country_or_region,
  min(city) FILTER (WHERE starts_burst = 1) AS city,
  array_join(array_sort(array_agg(DISTINCT appdisplayname)), ', ') AS apps,
  array_join(array_sort(array_agg(DISTINCT clientappused)), ', ') AS client_apps,
  count(*) FILTER (WHERE result = 'failure') AS failures,
  count(*) FILTER (WHERE error_code = 50126) AS wrong_password,
  count(*) FILTER (WHERE error_code = 50053) AS locked_out,
  count(*) FILTER (WHERE result = 'success') AS successes,
  min(created_at) AS first_attempt, max(created_at) AS last_attempt,
  round(date_diff('second', min(created_at), max(created_at)) / 60e0, 1) AS minutes
FROM bursts
GROUP BY userprincipalname, ipaddress, burst
HAVING count(*) FILTER (WHERE result = 'failure') >= $min_failures
ORDER BY first_attempt, user_principal_name, ip_address
