-- Triage rule mfa_fatigue (MITRE T1621 multi-factor authentication request generation): push bombing that
-- ended in approval. A burst of the account's failed MFA (500121, prompts no more than max_gap_minutes
-- apart) with at least min_declined prompts the user declined (authenticationDetails on beta records, the
-- status' additionalDetails on v1.0 ones), then a successful sign-in from one of the burst's addresses
-- within max_gap_minutes of its last prompt: the user gave in. Bursts nobody approved are queries/mfa_fatigue.sql.
-- Defaults: Elastic's "Rapid MFA Deny Push Notifications (MFA Bombing)" hunting query (more than 5 denied
-- pushes in 10 minutes) and "Potential Abuse of Repeated MFA Push Notifications" (denied pushes, then a
-- sign-in, within 10 minutes); bursts here may pause up to 30 minutes, as queries/mfa_fatigue.sql.
-- signal: approved.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param min_declined integer >= 1 = 5  declined prompts in the burst
-- @param max_gap_minutes integer >= 1 = 30  a burst ends when no prompt fails for longer than this
WITH denials AS (
  SELECT id, userprincipalname, created_at, ipaddress,
    -- auth_step_declined: derived from authenticationDetails at load (lib/store/derived_columns.ts).
    auth_step_declined OR coalesce(status.additionaldetails LIKE '%declined%', false) AS declined,
    CASE WHEN date_diff('second', lag(created_at) OVER (PARTITION BY userprincipalname ORDER BY created_at, id),
      created_at) <= $max_gap_minutes * 60 THEN 0 ELSE 1 END AS starts_burst
  FROM signins
  WHERE status.errorcode = 500121 AND userprincipalname IS NOT NULL
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
bursts AS (
  SELECT userprincipalname, burst, array_agg(DISTINCT ipaddress) AS ips,
    count(*) FILTER (WHERE declined) AS declined, count(*) AS prompts,
    min(created_at) AS first_prompt, max(created_at) AS last_prompt
  FROM (
    SELECT *, sum(starts_burst) OVER (PARTITION BY userprincipalname ORDER BY created_at, id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst
    FROM denials
  ) AS numbered
  GROUP BY userprincipalname, burst
  HAVING count(*) FILTER (WHERE declined) >= $min_declined
),
-- The approving sign-ins are found on narrow columns first; the columns a finding shows are read for those only.
approvals AS (
  SELECT b.userprincipalname, b.burst, s.id, s.created_at, s.ipaddress
  FROM bursts AS b
  JOIN signins AS s ON s.userprincipalname = b.userprincipalname AND s.result = 'success'
    AND contains(b.ips, s.ipaddress) AND s.created_at > b.last_prompt
    AND date_diff('second', b.last_prompt, s.created_at) <= $max_gap_minutes * 60
),
approved AS (
  SELECT b.userprincipalname, b.declined, b.prompts, b.first_prompt, b.last_prompt, s.id, s.created_at, s.ipaddress,
    s.location.countryorregion AS country, s.appdisplayname AS app, s.sessionid AS session_id,
    s.autonomoussystemnumber AS entra_asn,
    row_number() OVER (PARTITION BY b.userprincipalname, b.burst ORDER BY s.created_at, s.id) AS nth
  FROM bursts AS b
  JOIN approvals AS p ON p.userprincipalname = b.userprincipalname AND p.burst = b.burst
  JOIN signins AS s ON s.id = p.id AND s.userprincipalname = p.userprincipalname AND s.created_at = p.created_at
    AND s.ipaddress = p.ipaddress AND s.result = 'success'
)
SELECT a.userprincipalname AS user_principal_name, 'mfa_fatigue' AS rule, 'T1621' AS technique,
  a.created_at AS "at", a.ipaddress AS ip, i.asn, i.as_org, i.network_class, a.country, a.app,
  nullif(a.session_id, '') AS session_id,
  concat('approved MFA from ', a.ipaddress, ' after declining ', CAST(a.declined AS VARCHAR), ' of ',
    CAST(a.prompts AS VARCHAR), ' prompts in ',
    CAST(CAST(round(date_diff('second', a.first_prompt, a.last_prompt) / 60e0) AS BIGINT) AS VARCHAR), ' min')
    AS evidence,
  'approved' AS signal
FROM approved AS a
LEFT JOIN ip_intel AS i ON i.ip_address = a.ipaddress AND i.entra_asn = coalesce(a.entra_asn, -1)
WHERE a.nth = 1
ORDER BY "at", user_principal_name
