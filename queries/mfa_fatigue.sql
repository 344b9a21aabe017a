-- MFA fatigue (push bombing): someone who has the password sends MFA prompt after prompt until the user gives
-- in. Finds bursts of a user's failed MFA (500121, prompts no more than max_gap_minutes apart) in which the
-- user declined at least min_declined prompts: authenticationDetails (beta endpoint) or the status' details
-- say "declined". Unanswered prompts in the burst are counted beside them. approved_at is the user's first
-- successful sign-in from one of the burst's IPs within max_gap_minutes after its last prompt: the user gave in.
-- country_or_region and city are where the burst's first prompt came from (the earliest, then the smallest id),
-- both from that one sign-in, so every engine and every run shows the same place.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param min_declined integer >= 1 = 5  flag a burst in which the user declined at least this many prompts
-- @param max_gap_minutes integer >= 1 = 30  a burst ends when no prompt fails for longer than this
WITH denials AS (
  SELECT id, userprincipalname, created_at, ipaddress, appdisplayname,
    location.countryorregion AS country_or_region, location.city AS city,
    -- auth_step_declined: derived from authenticationDetails at load (lib/store/derived_columns.ts).
    auth_step_declined OR coalesce(status.additionaldetails LIKE '%declined%', false) AS declined,
    CASE WHEN date_diff('second', lag(created_at) OVER (PARTITION BY userprincipalname ORDER BY created_at, id),
      created_at) <= $max_gap_minutes * 60 THEN 0 ELSE 1 END AS starts_burst
  FROM signins
  WHERE status.errorcode = 500121 AND userprincipalname IS NOT NULL
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
bursts AS (
  SELECT userprincipalname, burst,
    array_join(array_sort(array_agg(DISTINCT ipaddress)), ', ') AS ip_addresses,
    array_agg(DISTINCT ipaddress) AS ips,
    -- starts_burst is 1 on exactly one row of a burst, its first prompt in the windows' order.
    min(country_or_region) FILTER (WHERE starts_burst = 1) AS country_or_region,
    min(city) FILTER (WHERE starts_burst = 1) AS city,
    array_join(array_sort(array_agg(DISTINCT appdisplayname)), ', ') AS apps,
    count(*) FILTER (WHERE declined) AS declined, count(*) FILTER (WHERE NOT declined) AS unanswered,
    min(created_at) AS first_prompt, max(created_at) AS last_prompt
  FROM (
    SELECT *, sum(starts_burst) OVER (PARTITION BY userprincipalname ORDER BY created_at, id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
    FROM denials
  ) AS numbered
  GROUP BY userprincipalname, burst
  HAVING count(*) FILTER (WHERE declined) >= $min_declined
)
SELECT b.userprincipalname AS user_principal_name, b.ip_addresses, b.country_or_region, b.city, b.apps,
  b.declined, b.unanswered, b.first_prompt, b.last_prompt,
  round(date_diff('second', b.first_prompt, b.last_prompt) / 60e0, 1) AS minutes,
  min(s.created_at) AS approved_at
FROM bursts AS b
LEFT JOIN signins AS s ON s.userprincipalname = b.userprincipalname AND s.result = 'success'
  AND contains(b.ips, s.ipaddress) AND s.created_at > b.last_prompt
  AND date_diff('second', b.last_prompt, s.created_at) <= $max_gap_minutes * 60
GROUP BY b.userprincipalname, b.ip_addresses, b.country_or_region, b.city, b.apps, b.declined, b.unanswered,
  b.first_prompt, b.last_prompt
ORDER BY first_prompt, user_principal_name
