-- Triage rule password_success (MITRE T1110.003 password spraying, T1110.001 password guessing): a password
-- attack that worked. A source address that failed against many accounts (spray) or one account many times
-- (brute force) around the moment the same address got a sign-in through for one of them: a success, or a
-- failure Entra ID only reports after the password checked out (53003 blocked by Conditional Access, 500121
-- MFA not completed, 50074/50076/50079 MFA required). The address must be foreign to that account: no
-- successful sign-in of the account from it before the burst, nor later than a day after it (so a user who
-- mistypes a new password at home and gets it right, the home they keep working from, is no attack even at
-- the very start of the stored history; nor is an office's morning of expired passwords).
-- Defaults from Microsoft Sentinel's "Password spray attack against Microsoft Entra ID application"
-- (SigninPasswordSpray.yaml: 5 accounts within a 20-minute authentication window, failure codes 50126 and
-- 50053; its 50055 "password expired" is left out, that password was right) and "Brute force attack against
-- Azure Portal" (SigninBruteForce-AzurePortal.yaml: 5 failures, then a success, within 20 minutes).
-- signal: success | password_only (blocked after the password checked out); one row per account and address.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param window_minutes integer >= 1 = 20  failures count when within this many minutes of the sign-in that got through
-- @param min_users integer >= 1 = 5  a spray: failures against at least this many accounts from the address
-- @param min_failures integer >= 1 = 5  a brute force: at least this many failures of the account itself from the address
WITH attempts AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.result, x.status.errorcode AS error_code,
    x.location.countryorregion AS country, x.appdisplayname AS app, x.sessionid AS session_id,
    i.asn, i.as_org, i.network_class
  FROM signins AS x
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.ipaddress IS NOT NULL AND x.ipaddress <> '' AND x.userprincipalname IS NOT NULL
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= -60 * $window_minutes
    AND date_diff('second', x.created_at, from_iso8601_timestamp($to)) > -60 * $window_minutes
),
failures AS (
  SELECT upn, created_at, ipaddress FROM attempts WHERE error_code IN (50126, 50053)
),
through AS (
  SELECT * FROM attempts
  WHERE (result = 'success' OR error_code IN (53003, 500121, 50074, 50076, 50079))
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
scored AS (
  SELECT t.id, t.upn, t.created_at, t.ipaddress, t.result, t.error_code, t.country, t.app, t.session_id, t.asn,
    t.as_org, t.network_class,
    count(DISTINCT f.upn) AS sprayed_users,
    count(f.upn) AS failures,
    count(f.upn) FILTER (WHERE f.upn = t.upn) AS own_failures
  FROM through AS t
  JOIN failures AS f ON f.ipaddress = t.ipaddress
    AND abs(date_diff('second', t.created_at, f.created_at)) <= 60 * $window_minutes
  GROUP BY t.id, t.upn, t.created_at, t.ipaddress, t.result, t.error_code, t.country, t.app, t.session_id, t.asn,
    t.as_org, t.network_class
),
unfamiliar AS (
  SELECT s.*,
    row_number() OVER (PARTITION BY s.upn, s.ipaddress ORDER BY CASE WHEN s.result = 'success' THEN 0 ELSE 1 END,
      s.created_at, s.id) AS nth
  FROM scored AS s
  WHERE (s.sprayed_users >= $min_users OR s.own_failures >= $min_failures)
    AND NOT EXISTS (
      SELECT 1 FROM signins AS h
      WHERE h.userprincipalname = s.upn AND h.ipaddress = s.ipaddress AND h.result = 'success'
        AND (date_diff('second', h.created_at, s.created_at) > 60 * $window_minutes
          OR date_diff('second', s.created_at, h.created_at) > 86400)
    )
)
SELECT upn AS user_principal_name, 'password_success' AS rule,
  CASE WHEN sprayed_users >= $min_users THEN 'T1110.003' ELSE 'T1110.001' END AS technique,
  created_at AS "at", ipaddress AS ip, asn, as_org, network_class, country, app, session_id,
  concat(
    CASE WHEN result = 'success' THEN 'signed in'
      ELSE concat('password accepted (error ', CAST(error_code AS VARCHAR), ')') END,
    ' from ', ipaddress, ' amid ', CAST(failures AS VARCHAR), ' failed sign-ins against ',
    CAST(sprayed_users AS VARCHAR), ' accounts (', CAST(own_failures AS VARCHAR), ' of them this one) within ',
    CAST($window_minutes AS VARCHAR), ' minutes'
  ) AS evidence,
  CASE WHEN result = 'success' THEN 'success' ELSE 'password_only' END AS signal
FROM unfamiliar
WHERE nth = 1
ORDER BY "at", user_principal_name, ip
