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
-- Audits of those kinds are few and sign-ins many, so the query starts from the audits in range and their
-- sign-ins within the window, and learns (whole history, GROUP BY) only the accounts those sign-ins are of:
-- ranking every sign-in of the store with window functions took seconds at a million and found nothing.
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
events AS (
  SELECT *, floor(to_unixtime(activity_time) / (3600 * $window_hours + 2)) AS bucket
  FROM audits
  WHERE kind IS NOT NULL
    AND activity_time >= from_iso8601_timestamp($from) AND activity_time < from_iso8601_timestamp($to)
),
-- Of the whole store only narrow columns are read, for the sign-ins of the accounts and addresses the events
-- name; the columns a finding shows are read for the chosen sign-ins at the end. A sign-in without an address
-- has no network (no ip_intel row matches it) and is never suspicious nor counts towards its account's history.
near AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress,
    coalesce(x.autonomoussystemnumber, -1) AS entra_asn, nullif(x.devicedetail.deviceid, '') AS device_id,
    lower(coalesce(x.risklevelduringsignin, '')) AS risk, lower(coalesce(x.riskstate, '')) AS risk_state,
    floor(to_unixtime(x.created_at) / (3600 * $window_hours + 2)) AS bucket
  FROM signins AS x
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL AND x.ipaddress IS NOT NULL
    AND (x.userprincipalname IN (SELECT account FROM events) OR x.ipaddress IN (SELECT actor_ip FROM events))
),
-- The account's sign-ins, then the address's sign-ins of other accounts: two equi-joins, not one OR join,
-- each on the time bucket of window_hours plus 2 s too (wider than the ±window match, so every sign-in that
-- pairs lies in the event's own bucket or a neighbour).
pairs AS (
  SELECT a.*, s.id AS signin_id, s.upn, s.created_at AS signin_at, s.ipaddress, s.entra_asn, s.device_id, s.risk,
    s.risk_state
  FROM events AS a
  CROSS JOIN UNNEST(ARRAY[-1, 0, 1]) AS n(shift)
  JOIN near AS s ON s.upn = a.account AND s.bucket = a.bucket + n.shift
    AND abs(date_diff('second', s.created_at, a.activity_time)) <= $window_hours * 3600
  UNION ALL
  SELECT a.*, s.id AS signin_id, s.upn, s.created_at AS signin_at, s.ipaddress, s.entra_asn, s.device_id, s.risk,
    s.risk_state
  FROM events AS a
  CROSS JOIN UNNEST(ARRAY[-1, 0, 1]) AS n(shift)
  JOIN near AS s ON s.ipaddress = a.actor_ip AND s.bucket = a.bucket + n.shift
    AND abs(date_diff('second', s.created_at, a.activity_time)) <= $window_hours * 3600
  WHERE a.account IS NULL OR s.upn <> a.account
),
candidates AS (
  SELECT * FROM near WHERE id IN (SELECT signin_id FROM pairs)
),
-- The whole stored history of the candidates' accounts.
history AS (
  SELECT x.userprincipalname AS upn, x.created_at, x.ipaddress, coalesce(x.autonomoussystemnumber, -1) AS entra_asn,
    nullif(x.devicedetail.deviceid, '') AS device_id
  FROM signins AS x
  WHERE x.result = 'success' AND x.userprincipalname IN (SELECT upn FROM candidates) AND x.ipaddress IS NOT NULL
),
-- Per address and day, so that ip_intel is joined to groups rather than to every sign-in.
address_days AS (
  SELECT upn, ipaddress, entra_asn, date_trunc('day', created_at) AS day, min(created_at) AS first_at
  FROM history
  GROUP BY upn, ipaddress, entra_asn, date_trunc('day', created_at)
),
addresses AS (
  SELECT upn, ipaddress, entra_asn, min(first_at) AS first_at FROM address_days GROUP BY upn, ipaddress, entra_asn
),
accounts AS (
  SELECT upn, min(first_at) AS user_first FROM addresses GROUP BY upn
),
networks AS (
  SELECT g.upn, coalesce(CAST(i.asn AS VARCHAR), g.ipaddress) AS network, min(g.first_at) AS network_first,
    count(DISTINCT g.day) AS network_days
  FROM address_days AS g
  LEFT JOIN ip_intel AS i ON i.ip_address = g.ipaddress AND i.entra_asn = g.entra_asn
  GROUP BY g.upn, coalesce(CAST(i.asn AS VARCHAR), g.ipaddress)
),
devices AS (
  SELECT upn, device_id, min(created_at) AS device_first
  FROM history
  WHERE device_id IS NOT NULL
  GROUP BY upn, device_id
),
-- An address the account used a day or more before is part of a network it used then: only the risk can make
-- such a sign-in suspicious. This screen (the network's first use is no later than the address's) leaves few
-- candidates for the network join.
screened AS (
  SELECT c.*
  FROM candidates AS c
  JOIN addresses AS f ON f.upn = c.upn AND f.ipaddress = c.ipaddress AND f.entra_asn = c.entra_asn
  LEFT JOIN devices AS d ON d.upn = c.upn AND d.device_id = c.device_id
  WHERE (date_diff('second', f.first_at, c.created_at) < 86400 AND (c.device_id IS NULL OR d.device_first = c.created_at))
    OR (c.risk IN ('medium', 'high') AND c.risk_state <> 'remediated')
),
suspicious AS (
  SELECT c.*
  FROM screened AS c
  LEFT JOIN ip_intel AS i ON i.ip_address = c.ipaddress AND i.entra_asn = c.entra_asn
  JOIN accounts AS u ON u.upn = c.upn
  JOIN networks AS n ON n.upn = c.upn AND n.network = coalesce(CAST(i.asn AS VARCHAR), c.ipaddress)
  LEFT JOIN devices AS d ON d.upn = c.upn AND d.device_id = c.device_id
  WHERE (date_diff('second', u.user_first, n.network_first) >= $learning_days * 86400
      AND date_diff('second', n.network_first, c.created_at) < 86400 AND n.network_days < $steady_days
      AND (c.device_id IS NULL OR d.device_first = c.created_at))
    OR (c.risk IN ('medium', 'high') AND c.risk_state <> 'remediated')
),
nearest AS (
  SELECT *
  FROM (
    SELECT p.*,
      row_number() OVER (PARTITION BY p.id ORDER BY CASE WHEN p.signin_at <= p.activity_time THEN 0 ELSE 1 END,
        abs(date_diff('second', p.signin_at, p.activity_time)), p.signin_id) AS nth
    FROM (SELECT * FROM pairs WHERE signin_id IN (SELECT id FROM suspicious)) AS p
    JOIN suspicious AS s ON s.id = p.signin_id AND s.upn = p.upn AND s.created_at = p.signin_at
      AND s.ipaddress = p.ipaddress AND s.entra_asn = p.entra_asn
      AND coalesce(s.device_id, '') = coalesce(p.device_id, '') AND s.risk = p.risk AND s.risk_state = p.risk_state
  ) AS ranked
  WHERE nth = 1
),
-- The columns a finding shows, read for the chosen sign-ins only; a record stored twice counts once.
details AS (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY id, upn, created_at, ipaddress, entra_asn, device_id, risk, risk_state)
      AS copy
    FROM (
      SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress,
        coalesce(x.autonomoussystemnumber, -1) AS entra_asn, nullif(x.devicedetail.deviceid, '') AS device_id,
        lower(coalesce(x.risklevelduringsignin, '')) AS risk, lower(coalesce(x.riskstate, '')) AS risk_state,
        x.location.countryorregion AS country, x.appdisplayname AS app, x.sessionid AS session_id
      FROM signins AS x
      WHERE x.result = 'success' AND x.id IN (SELECT signin_id FROM nearest)
    ) AS chosen
  ) AS d
  WHERE copy = 1
),
matched AS (
  SELECT m.id, m.activity, m.activity_time, m.account, m.actor_ip, m.target, m.kind, m.upn, m.signin_at,
    m.ipaddress, i.asn, i.as_org, i.network_class, d.country, d.app, d.session_id
  FROM nearest AS m
  JOIN details AS d ON d.id = m.signin_id AND d.upn = m.upn AND d.created_at = m.signin_at
    AND d.ipaddress = m.ipaddress AND d.entra_asn = m.entra_asn
    AND coalesce(d.device_id, '') = coalesce(m.device_id, '')
    AND d.risk = m.risk AND d.risk_state = m.risk_state
  LEFT JOIN ip_intel AS i ON i.ip_address = m.ipaddress AND i.entra_asn = m.entra_asn
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
ORDER BY "at", user_principal_name
