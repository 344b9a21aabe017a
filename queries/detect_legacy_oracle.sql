-- Triage rule legacy_oracle (MITRE T1110.003 password spraying, T1078.004 valid cloud accounts): passwords
-- tested over ROPC or legacy protocols, which cannot do MFA. Legacy means authenticationProtocol ropc, a
-- BAV2ROPC user agent, or a clientAppUsed other than Browser / Mobile Apps and Desktop clients.
-- password_confirmed: an attempt Entra answered only after the password checked out (700016 application not
-- found, the spoofed-client-ID oracle; 53003 blocked by Conditional Access; 50074/50076/50079/500121 MFA), or
-- legacy_success: a legacy sign-in that worked; both only when the account had not used that client before
-- (first use after its first learning_days days), so a phone's old mail app blocked every day is a habit,
-- not a finding. password_tested: at least min_failures wrong passwords (50126) for the account from one
-- address over a legacy client, the oracle's other answer. Evidence counts the address's 50126 (wrong
-- password), 50034 (no such user) and 700016 answers.
-- Defaults from Elastic's "Entra ID ROPC Authentication with Unknown Client ID"
-- (credential_access_entra_id_ropc_unknown_client_id.toml: ROPC with 700016, new terms over 10 days; the
-- learning period here is 7 days, as the other first-seen rules) and Sentinel's "Brute force attack against
-- Azure Portal" (SigninBruteForce-AzurePortal.yaml: 5 failures).
-- Method, so a store of millions stays interactive: only the legacy sign-ins are kept past the first scan; each
-- account's clients are summarised by their first use and first accepted attempt over the whole stored history,
-- and the account's first sign-in (its learning period) is looked up only for accounts with a first accepted
-- attempt in the range. password_tested shows the app, country, network and client of the first of its wrong
-- passwords (then the smallest id), so every engine shows the same row.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param learning_days integer >= 0 = 7  days from each account's first sign-in that only learn its legacy clients
-- @param min_failures integer >= 1 = 5  wrong passwords from one address that make password_tested
WITH legacy AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.result, x.status.errorcode AS error_code,
    x.location.countryorregion AS country, x.appdisplayname AS app, x.sessionid AS session_id,
    coalesce(x.autonomoussystemnumber, -1) AS entra_asn,
    concat(coalesce(nullif(x.clientappused, ''), '?'), ' / ', coalesce(nullif(x.authenticationprotocol, ''), '?'))
      AS client,
    x.result = 'success' OR x.status.errorcode IN (700016, 53003, 50074, 50076, 50079, 500121) AS accepted,
    x.created_at >= from_iso8601_timestamp($from) AND x.created_at < from_iso8601_timestamp($to) AS in_range
  FROM signins AS x
  WHERE x.userprincipalname IS NOT NULL
    AND (lower(coalesce(x.authenticationprotocol, '')) = 'ropc' OR coalesce(x.useragent LIKE '%BAV2ROPC%', false)
      OR (x.clientappused IS NOT NULL AND x.clientappused <> ''
        AND x.clientappused NOT IN ('Browser', 'Mobile Apps and Desktop clients')))
),
clients AS (
  SELECT upn, client, min(created_at) AS client_first, min(created_at) FILTER (WHERE accepted) AS first_accepted
  FROM legacy
  GROUP BY upn, client
),
fresh AS (
  SELECT * FROM clients
  WHERE first_accepted >= from_iso8601_timestamp($from) AND first_accepted < from_iso8601_timestamp($to)
),
accounts AS (
  SELECT x.userprincipalname AS upn, min(x.created_at) AS first_seen
  FROM signins AS x
  WHERE x.userprincipalname IN (SELECT upn FROM fresh)
  GROUP BY x.userprincipalname
),
confirmed AS (
  SELECT l.id, l.upn, l.created_at, l.ipaddress, l.result, l.error_code, l.country, l.app, l.session_id, l.entra_asn,
    l.client, CASE WHEN l.result = 'success' THEN 'legacy_success' ELSE 'password_confirmed' END AS signal,
    1 AS attempts_n,
    row_number() OVER (PARTITION BY l.upn, l.client ORDER BY l.id) AS nth
  FROM fresh AS c
  JOIN accounts AS a ON a.upn = c.upn
  JOIN legacy AS l ON l.upn = c.upn AND l.client = c.client AND l.created_at = c.first_accepted AND l.accepted
  WHERE date_diff('second', a.first_seen, c.client_first) >= $learning_days * 86400
),
tested AS (
  SELECT upn, ipaddress, min(created_at) AS created_at, count(*) AS attempts_n
  FROM legacy
  WHERE error_code = 50126 AND in_range
  GROUP BY upn, ipaddress
  HAVING count(*) >= $min_failures
),
tested_first AS (
  SELECT l.id, t.upn, t.created_at, t.ipaddress, 'failure' AS result, 50126 AS error_code, l.country, l.app,
    '' AS session_id, l.entra_asn, l.client, 'password_tested' AS signal, t.attempts_n,
    row_number() OVER (PARTITION BY t.upn, t.ipaddress ORDER BY l.id) AS nth
  FROM tested AS t
  JOIN legacy AS l ON l.upn = t.upn AND l.created_at = t.created_at
    AND (l.ipaddress = t.ipaddress OR (l.ipaddress IS NULL AND t.ipaddress IS NULL))
    AND l.error_code = 50126 AND l.in_range
),
found AS (
  SELECT * FROM confirmed WHERE nth = 1
  UNION ALL
  SELECT * FROM tested_first WHERE nth = 1
),
oracle AS (
  SELECT ipaddress, count(*) FILTER (WHERE error_code = 50126) AS wrong_password,
    count(*) FILTER (WHERE error_code = 50034) AS no_such_user,
    count(*) FILTER (WHERE error_code = 700016) AS app_not_found
  FROM legacy
  WHERE in_range AND ipaddress IN (SELECT ipaddress FROM found)
  GROUP BY ipaddress
)
SELECT f.upn AS user_principal_name, 'legacy_oracle' AS rule,
  CASE WHEN f.signal = 'password_tested' THEN 'T1110.003' ELSE 'T1078.004' END AS technique,
  f.created_at AS "at", f.ipaddress AS ip, i.asn, i.as_org, i.network_class, f.country, f.app,
  nullif(f.session_id, '') AS session_id,
  concat(
    CASE f.signal
      WHEN 'legacy_success' THEN concat('first sign-in over ', f.client, ' and it worked')
      WHEN 'password_confirmed' THEN concat('first use of ', f.client, ': password accepted (error ',
        CAST(f.error_code AS VARCHAR), ')')
      ELSE concat(CAST(f.attempts_n AS VARCHAR), ' wrong passwords over ', f.client) END,
    ' from ', f.ipaddress, '; that address got ', CAST(coalesce(o.wrong_password, 0) AS VARCHAR),
    ' wrong-password, ', CAST(coalesce(o.no_such_user, 0) AS VARCHAR), ' no-such-user and ',
    CAST(coalesce(o.app_not_found, 0) AS VARCHAR), ' app-not-found answers over legacy clients'
  ) AS evidence,
  f.signal
FROM found AS f
LEFT JOIN oracle AS o ON o.ipaddress = f.ipaddress
LEFT JOIN ip_intel AS i ON i.ip_address = f.ipaddress AND i.entra_asn = f.entra_asn
ORDER BY "at", user_principal_name, ip
