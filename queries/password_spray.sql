-- Password spray: one source IP failing against many accounts with only a few tries each, in one burst of
-- activity (sign-ins from the IP no more than max_gap_minutes apart). The failed-share condition keeps busy
-- office and VPN egress addresses out (a Monday of expired passwords there is mostly successes).
-- password_worked_for lists the accounts whose password the spray got right: a success, or a failure that
-- Entra ID only reports after the password checked out (53003 blocked by Conditional Access, 500121 MFA
-- not completed, 50074/50076/50079 MFA required). country_or_region and city are where the burst's first
-- sign-in came from (the earliest, then the smallest id), both from that one sign-in, so every engine and every
-- run shows the same place.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param min_users integer >= 1 = 10  flag a burst whose failures touch at least this many accounts
-- @param max_attempts_per_user double > 0 = 3  with at most this many failures per account on average
-- @param max_gap_minutes integer >= 1 = 30  a burst ends when the IP is quiet for longer than this
-- @param min_failure_share double >= 0 <= 1 = 0.8  and whose sign-ins failed at least this often
WITH attempts AS (
  SELECT id, ipaddress, userprincipalname, created_at, result, status.errorcode AS error_code,
    location.countryorregion AS country_or_region, location.city AS city, clientappused,
    CASE WHEN date_diff('second', lag(created_at) OVER (PARTITION BY ipaddress ORDER BY created_at, id), created_at)
      <= $max_gap_minutes * 60 THEN 0 ELSE 1 END AS starts_burst
  FROM signins
  WHERE ipaddress IS NOT NULL
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
bursts AS (
  SELECT *, sum(starts_burst) OVER (PARTITION BY ipaddress ORDER BY created_at, id
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
  FROM attempts
),
tried AS (
  SELECT *, sum(CASE WHEN result = 'failure' THEN 1 ELSE 0 END)
    OVER (PARTITION BY ipaddress, burst, userprincipalname) AS user_failures
  FROM bursts
)
SELECT ipaddress AS ip_address,
  -- starts_burst is 1 on exactly one row of a burst, its first sign-in in the windows' order.
  min(country_or_region) FILTER (WHERE starts_burst = 1) AS country_or_region,
  min(city) FILTER (WHERE starts_burst = 1) AS city,
  array_join(array_sort(array_agg(DISTINCT clientappused)), ', ') AS client_apps,
  count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure') AS users,
  count(*) FILTER (WHERE result = 'failure') AS failures,
  max(user_failures) AS max_failures_per_user,
  count(*) FILTER (WHERE error_code = 50053) AS locked_out,
  count(*) FILTER (WHERE result = 'success') AS successes,
  array_join(array_sort(array_agg(DISTINCT userprincipalname) FILTER (WHERE result = 'success'
    OR error_code IN (53003, 500121, 50074, 50076, 50079))), ', ') AS password_worked_for,
  min(created_at) AS first_attempt, max(created_at) AS last_attempt,
  round(date_diff('second', min(created_at), max(created_at)) / 60e0, 1) AS minutes
FROM tried
GROUP BY ipaddress, burst
HAVING count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure') >= $min_users
  AND count(*) FILTER (WHERE result = 'failure')
    <= $max_attempts_per_user * count(DISTINCT userprincipalname) FILTER (WHERE result = 'failure')
  AND count(*) FILTER (WHERE result = 'failure') >= $min_failure_share * count(*)
ORDER BY first_attempt, ip_address
