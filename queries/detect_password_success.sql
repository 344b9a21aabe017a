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
-- Method, so a store of millions stays interactive: failures are counted per address and time bucket of
-- window_minutes plus 2 s (wider than the ±window match, so every failure that counts lies in the sign-in's own
-- bucket or a neighbour); only a sign-in whose three buckets hold least(min_users, min_failures) failures can reach
-- a threshold, and only those are matched to the failures exactly. The counts and the history test depend on the
-- account, address and instant alone, so they are computed once per such triple; the records themselves are read
-- back only for the triples that qualify. "A success before the burst or a day after it" is the first or the last
-- success of the account from the address over the whole stored history. signins holds one row per id.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param window_minutes integer >= 1 = 20  failures count when within this many minutes of the sign-in that got through
-- @param min_users integer >= 1 = 5  a spray: failures against at least this many accounts from the address
-- @param min_failures integer >= 1 = 5  a brute force: at least this many failures of the account itself from the address
WITH failures AS (
  SELECT x.userprincipalname AS upn, x.created_at, x.ipaddress,
    floor(to_unixtime(x.created_at) / (60 * $window_minutes + 2)) AS bucket
  FROM signins AS x
  WHERE x.status.errorcode IN (50126, 50053)
    AND x.ipaddress IS NOT NULL AND x.ipaddress <> '' AND x.userprincipalname IS NOT NULL
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= -60 * $window_minutes
    AND date_diff('second', x.created_at, from_iso8601_timestamp($to)) > -60 * $window_minutes
),
busy AS (
  SELECT f.ipaddress, f.bucket + n.shift AS bucket
  FROM failures AS f
  CROSS JOIN UNNEST(ARRAY[-1, 0, 1]) AS n(shift)
  GROUP BY f.ipaddress, f.bucket + n.shift
  HAVING count(*) >= least($min_users, $min_failures)
),
through AS (
  SELECT DISTINCT x.userprincipalname AS upn, x.ipaddress, x.created_at, b.bucket
  FROM signins AS x
  JOIN busy AS b ON b.ipaddress = x.ipaddress
    AND b.bucket = floor(to_unixtime(x.created_at) / (60 * $window_minutes + 2))
  WHERE (x.result = 'success' OR x.status.errorcode IN (53003, 500121, 50074, 50076, 50079))
    AND x.userprincipalname IS NOT NULL
    AND x.created_at >= from_iso8601_timestamp($from) AND x.created_at < from_iso8601_timestamp($to)
),
pairs AS (
  SELECT t.upn, t.ipaddress, t.created_at, f.upn AS failed_upn, count(*) AS hits
  FROM through AS t
  CROSS JOIN UNNEST(ARRAY[-1, 0, 1]) AS n(shift)
  JOIN failures AS f ON f.ipaddress = t.ipaddress AND f.bucket = t.bucket + n.shift
    AND abs(date_diff('second', t.created_at, f.created_at)) <= 60 * $window_minutes
  GROUP BY t.upn, t.ipaddress, t.created_at, f.upn
),
scored AS (
  SELECT upn, ipaddress, created_at, count(*) AS sprayed_users, CAST(sum(hits) AS BIGINT) AS failures,
    CAST(coalesce(sum(hits) FILTER (WHERE failed_upn = upn), 0) AS BIGINT) AS own_failures
  FROM pairs
  GROUP BY upn, ipaddress, created_at
  HAVING count(*) >= $min_users OR coalesce(sum(hits) FILTER (WHERE failed_upn = upn), 0) >= $min_failures
),
known AS (
  SELECT h.userprincipalname AS upn, h.ipaddress, min(h.created_at) AS first_success,
    max(h.created_at) AS last_success
  FROM signins AS h
  JOIN (SELECT DISTINCT upn, ipaddress FROM scored) AS p
    ON p.upn = h.userprincipalname AND p.ipaddress = h.ipaddress
  WHERE h.result = 'success'
  GROUP BY h.userprincipalname, h.ipaddress
),
unfamiliar AS (
  SELECT s.*
  FROM scored AS s
  LEFT JOIN known AS k ON k.upn = s.upn AND k.ipaddress = s.ipaddress
  WHERE NOT coalesce(date_diff('second', k.first_success, s.created_at) > 60 * $window_minutes
    OR date_diff('second', s.created_at, k.last_success) > 86400, false)
),
ranked AS (
  SELECT x.id, u.upn, u.created_at, u.ipaddress, x.result, x.status.errorcode AS error_code,
    x.location.countryorregion AS country, x.appdisplayname AS app, x.sessionid AS session_id,
    coalesce(x.autonomoussystemnumber, -1) AS entra_asn, u.sprayed_users, u.failures, u.own_failures,
    row_number() OVER (PARTITION BY u.upn, u.ipaddress ORDER BY CASE WHEN x.result = 'success' THEN 0 ELSE 1 END,
      u.created_at, x.id) AS nth
  FROM unfamiliar AS u
  JOIN signins AS x ON x.userprincipalname = u.upn AND x.ipaddress = u.ipaddress AND x.created_at = u.created_at
  WHERE x.result = 'success' OR x.status.errorcode IN (53003, 500121, 50074, 50076, 50079)
)
SELECT r.upn AS user_principal_name, 'password_success' AS rule,
  CASE WHEN r.sprayed_users >= $min_users THEN 'T1110.003' ELSE 'T1110.001' END AS technique,
  r.created_at AS "at", r.ipaddress AS ip, i.asn, i.as_org, i.network_class, r.country, r.app, r.session_id,
  concat(
    CASE WHEN r.result = 'success' THEN 'signed in'
      ELSE concat('password accepted (error ', CAST(r.error_code AS VARCHAR), ')') END,
    ' from ', r.ipaddress, ' amid ', CAST(r.failures AS VARCHAR), ' failed sign-ins against ',
    CAST(r.sprayed_users AS VARCHAR), ' accounts (', CAST(r.own_failures AS VARCHAR), ' of them this one) within ',
    CAST($window_minutes AS VARCHAR), ' minutes'
  ) AS evidence,
  CASE WHEN r.result = 'success' THEN 'success' ELSE 'password_only' END AS signal
FROM ranked AS r
LEFT JOIN ip_intel AS i ON i.ip_address = r.ipaddress AND i.entra_asn = r.entra_asn
WHERE r.nth = 1
ORDER BY "at", user_principal_name, ip
