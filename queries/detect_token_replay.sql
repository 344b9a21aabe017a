-- Triage rule token_replay (MITRE T1550.004 web session cookie, T1557 adversary-in-the-middle): one Entra
-- sessionId used from two networks in quick succession, as when an AiTM phishing proxy or a stolen cookie
-- replays a session the user just signed in to. A row is a sign-in whose session was, within max_minutes
-- before, used from another network: another ASN, or another country where either ASN is unknown. Strongest
-- when the replayed sign-in satisfied MFA "by claim in the token" (it never did MFA itself).
-- Records without a sessionId (v1.0, most exports, failures) cannot show this and are skipped.
-- Default window from Elastic's "Entra ID OAuth User Impersonation to Microsoft Graph"
-- (defense_evasion_entra_id_graph_single_session_from_multiple_addresses.toml: one session ID from more than
-- one address, the rule looking back 31 minutes every 30).
-- signal: mfa_by_claim | network_change.
-- Method: most sessions are one sign-in, or stay on one address, ASN and country, and can hold no change; the
-- two GROUP BY passes drop them (one that only counts, one that looks at the sign-ins of the sessions left)
-- before the window functions run, which over every sign-in took seconds at a million. Two sign-ins can only
-- both have an ASN and differ in it where both have an address and the addresses (or Entra's ASNs) differ.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param max_minutes integer >= 1 = 30  the other network's use of the session was at most this long before
WITH multi AS (
  SELECT x.sessionid AS session_id
  FROM signins AS x
  WHERE x.sessionid IS NOT NULL AND x.sessionid <> '' AND x.userprincipalname IS NOT NULL
    AND x.result = 'success'
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= -60 * $max_minutes
    AND x.created_at < from_iso8601_timestamp($to)
  GROUP BY x.sessionid
  HAVING count(*) > 1
),
moving AS (
  SELECT x.sessionid AS session_id
  FROM signins AS x
  WHERE x.sessionid IS NOT NULL AND x.sessionid <> '' AND x.userprincipalname IS NOT NULL
    AND x.result = 'success'
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= -60 * $max_minutes
    AND x.created_at < from_iso8601_timestamp($to)
    AND x.sessionid IN (SELECT session_id FROM multi)
  GROUP BY x.sessionid
  HAVING count(DISTINCT x.ipaddress) > 1 OR count(DISTINCT coalesce(x.autonomoussystemnumber, -1)) > 1
    OR count(DISTINCT coalesce(x.location.countryorregion, '')) > 1
),
sessions AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id, i.asn, i.as_org, i.network_class,
    coalesce(CAST(i.asn AS VARCHAR), x.location.countryorregion) AS network,
    -- auth_step_claim: derived from authenticationDetails at load (lib/store/derived_columns.ts).
    x.auth_step_claim OR coalesce(x.status.additionaldetails LIKE '%claim in the token%', false) AS mfa_by_claim
  FROM signins AS x
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.sessionid IS NOT NULL AND x.sessionid <> '' AND x.userprincipalname IS NOT NULL
    AND x.result = 'success'
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= -60 * $max_minutes
    AND x.created_at < from_iso8601_timestamp($to)
    AND x.sessionid IN (SELECT session_id FROM moving)
),
paired AS (
  SELECT *,
    lag(created_at) OVER w AS prev_at, lag(asn) OVER w AS prev_asn, lag(country) OVER w AS prev_country,
    lag(ipaddress) OVER w AS prev_ip, lag(as_org) OVER w AS prev_org
  FROM sessions
  WINDOW w AS (PARTITION BY session_id ORDER BY created_at, id)
),
switched AS (
  SELECT *,
    row_number() OVER (PARTITION BY session_id, network ORDER BY created_at, id) AS nth
  FROM paired
  WHERE prev_at IS NOT NULL AND date_diff('second', prev_at, created_at) <= 60 * $max_minutes
    AND (CASE WHEN asn IS NOT NULL AND prev_asn IS NOT NULL THEN asn <> prev_asn
      ELSE coalesce(country, '') <> coalesce(prev_country, '') END)
)
SELECT upn AS user_principal_name, 'token_replay' AS rule,
  CASE WHEN mfa_by_claim THEN 'T1550.004' ELSE 'T1557' END AS technique,
  created_at AS "at", ipaddress AS ip, asn, as_org, network_class, country, app, session_id,
  concat('session used from ', ipaddress, ' (AS', coalesce(CAST(asn AS VARCHAR), '?'), ' ', coalesce(as_org, '?'),
    ', ', coalesce(country, '?'), ') ', CAST(date_diff('second', prev_at, created_at) AS VARCHAR),
    ' s after ', prev_ip, ' (AS', coalesce(CAST(prev_asn AS VARCHAR), '?'), ' ', coalesce(prev_org, '?'), ', ',
    coalesce(prev_country, '?'), ')',
    CASE WHEN mfa_by_claim THEN '; MFA satisfied by claim in the token' ELSE '' END) AS evidence,
  CASE WHEN mfa_by_claim THEN 'mfa_by_claim' ELSE 'network_change' END AS signal
FROM switched
WHERE nth = 1 AND created_at >= from_iso8601_timestamp($from)
ORDER BY "at", user_principal_name
