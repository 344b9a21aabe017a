-- Triage rule persistence (MITRE T1556.006 MFA method, T1098.005 device registration, T1528 app consent,
-- T1098.001 credentials added, T1098.003 role assignment): what an attacker does right after getting in.
-- Directory-audit events of those kinds initiated by the account (or naming it as the target, for events a
-- service initiates, such as the device owner the Device Registration Service adds), or from the same
-- address, within window_hours of one of the account's suspicious sign-ins: a successful sign-in from a
-- network the account first used after its learning_days (that day; not one it went on to use on
-- steady_days days) on a device it had not signed in with before, or one Entra ID Protection rated medium /
-- high risk and not remediated.
-- A new hire's first security-info registration falls in the hire's own learning days and is no row.
-- Defaults: 24 hours as the issue asks; Sentinel's "Risky Sign-in with new MFA method" hunting query
-- (riskSignInWithNewMFAMethod.yaml) looks 6 hours after a medium or high risk sign-in, its "Suspicious Sign In
-- Followed by MFA Modification" pairs a sign-in and an MFA change the same way; 3 learning days as
-- detect_first_seen.
-- signal: mfa_method | device | app_consent | credential | role. One row per audit event, paired with the
-- nearest suspicious sign-in before it (else the nearest after it).
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param window_hours integer >= 1 = 24  audit events at most this long before or after the suspicious sign-in
-- @param learning_days integer >= 0 = 3  days from each account's first successful sign-in that only learn its networks
-- @param steady_days integer >= 1 = 5  a network the account signed in from on this many days is its own
WITH audits AS (
  SELECT id, activitydisplayname AS activity, from_iso8601_timestamp(activitydatetime) AS activity_time,
    coalesce(json_extract_scalar(initiatedby, '$.user.userPrincipalName'),
      json_extract_scalar(targetresources, '$[0].userPrincipalName'),
      json_extract_scalar(targetresources, '$[1].userPrincipalName')) AS account,
    json_extract_scalar(initiatedby, '$.user.ipAddress') AS actor_ip,
    coalesce(json_extract_scalar(targetresources, '$[0].displayName'), '') AS target,
    CASE
      WHEN activitydisplayname LIKE 'User registered%' OR activitydisplayname LIKE 'Admin registered%'
        OR activitydisplayname = 'User changed default security info' THEN 'mfa_method'
      WHEN activitydisplayname IN ('Register device', 'Add registered owner to device', 'Add registered users to device')
        THEN 'device'
      WHEN activitydisplayname IN ('Consent to application', 'Add delegated permission grant',
        'Add app role assignment grant to user') THEN 'app_consent'
      WHEN activitydisplayname IN ('Add service principal credentials', 'Add owner to application',
        'Add owner to service principal') OR activitydisplayname LIKE 'Update application%Certificates and secrets%'
        THEN 'credential'
      WHEN activitydisplayname IN ('Add member to role', 'Add eligible member to role', 'Add scoped member to role')
        THEN 'role'
    END AS kind
  FROM directory_audits
  WHERE activitydatetime IS NOT NULL
),
wanted AS (
  SELECT * FROM audits
  WHERE kind IS NOT NULL
    AND activity_time >= from_iso8601_timestamp($from) AND activity_time < from_iso8601_timestamp($to)
),
located AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id, i.asn, i.as_org, i.network_class,
    coalesce(CAST(i.asn AS VARCHAR), x.ipaddress) AS network, nullif(x.devicedetail.deviceid, '') AS device_id,
    lower(coalesce(x.risklevelduringsignin, '')) AS risk, lower(coalesce(x.riskstate, '')) AS risk_state
  FROM signins AS x
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL
    -- Only accounts an audit of the range can pair with: named by one, or signed in from its address. Each
    -- keeps its whole history, so the first-use windows below are exact; with no such audit nothing is read.
    AND (x.userprincipalname IN (SELECT account FROM wanted)
      OR x.userprincipalname IN (
        SELECT h.userprincipalname FROM signins AS h
        WHERE h.result = 'success' AND h.ipaddress IN (SELECT actor_ip FROM wanted)))
),
days AS (
  SELECT upn, network, count(DISTINCT date_trunc('day', created_at)) AS network_days
  FROM located
  GROUP BY upn, network
),
ranked AS (
  SELECT l.*, d.network_days,
    min(l.created_at) OVER (PARTITION BY l.upn) AS user_first,
    min(l.created_at) OVER (PARTITION BY l.upn, l.network) AS network_first,
    min(l.created_at) OVER (PARTITION BY l.upn, l.device_id) AS device_first
  FROM located AS l
  JOIN days AS d ON d.upn = l.upn AND d.network = l.network
),
suspicious AS (
  SELECT * FROM ranked
  WHERE (date_diff('second', user_first, network_first) >= $learning_days * 86400
      AND date_diff('second', network_first, created_at) < 86400 AND network_days < $steady_days
      AND (device_id IS NULL OR device_first = created_at))
    OR (risk IN ('medium', 'high') AND risk_state <> 'remediated')
),
matched AS (
  SELECT a.*, s.upn, s.created_at AS signin_at, s.ipaddress, s.asn, s.as_org, s.network_class, s.country, s.app,
    s.session_id,
    row_number() OVER (PARTITION BY a.id ORDER BY CASE WHEN s.created_at <= a.activity_time THEN 0 ELSE 1 END,
      abs(date_diff('second', s.created_at, a.activity_time)), s.id) AS nth
  FROM wanted AS a
  JOIN suspicious AS s ON (s.upn = a.account OR s.ipaddress = a.actor_ip)
    AND abs(date_diff('second', s.created_at, a.activity_time)) <= $window_hours * 3600
)
SELECT coalesce(account, upn) AS user_principal_name, 'persistence' AS rule,
  CASE kind WHEN 'mfa_method' THEN 'T1556.006' WHEN 'device' THEN 'T1098.005' WHEN 'app_consent' THEN 'T1528'
    WHEN 'credential' THEN 'T1098.001' ELSE 'T1098.003' END AS technique,
  activity_time AS "at", coalesce(actor_ip, ipaddress) AS ip, asn, as_org, network_class, country, app, session_id,
  concat('"', activity, '"', CASE WHEN target <> '' THEN concat(' (', target, ')') ELSE '' END,
    CASE WHEN actor_ip IS NOT NULL THEN concat(' from ', actor_ip) ELSE '' END, ', ',
    CAST(CAST(round(abs(date_diff('second', signin_at, activity_time)) / 60e0) AS BIGINT) AS VARCHAR), ' min ',
    CASE WHEN activity_time >= signin_at THEN 'after' ELSE 'before' END, ' a suspicious sign-in of ', upn,
    ' from ', ipaddress) AS evidence,
  kind AS signal
FROM matched
WHERE nth = 1
ORDER BY "at", user_principal_name
