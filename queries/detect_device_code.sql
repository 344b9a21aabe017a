-- Triage rule device_code (MITRE T1528 steal application access token, T1566.002 phishing link): device-code
-- phishing. The victim signs in with a code the attacker requested (authenticationProtocol deviceCode); the
-- attacker's client redeems the tokens from its own network: sign-ins of the account with the same sessionId
-- or originalTransferMethod deviceCodeFlow (incomingTokenType refreshToken / primaryRefreshToken) from another
-- ASN (another country where an ASN is unknown), within max_minutes. A device-code sign-in from a hosting,
-- VPN or Tor network is flagged too. A developer's own Azure CLI login stays on one network and is no row.
-- v1.0 records lack authenticationProtocol and originalTransferMethod: this rule needs beta records.
-- Default window: Elastic's "Entra ID OAuth Device Code Flow with Concurrent Sign-ins"
-- (credential_access_azure_entra_susp_device_code_signin.toml) counts a device-code session's sign-ins from
-- 2+ addresses over a 9-minute look-back; 60 minutes here leaves room for a slower attacker.
-- signal: other_network | risky_network. One row per device-code sign-in; ip/asn are the attacker's.
-- Method, so a store of millions stays interactive: the device-code sign-ins are found first, then only their
-- accounts' successes within max_minutes are joined (the device-code sign-in itself among them, so one with no
-- token use keeps its row without an outer join), and addresses are looked up in ip_intel only for those.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param max_minutes integer >= 1 = 60  token use from another network at most this long after the device-code sign-in
WITH phished AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id, coalesce(x.autonomoussystemnumber, -1) AS entra_asn
  FROM signins AS x
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL AND lower(x.authenticationprotocol) = 'devicecode'
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= 0
    AND x.created_at < from_iso8601_timestamp($to)
),
tokens AS (
  SELECT d.*, u.id AS use_id, u.created_at AS used_at, u.ipaddress AS use_ip,
    u.location.countryorregion AS use_country, coalesce(u.autonomoussystemnumber, -1) AS use_entra_asn,
    u.incomingtokentype AS token_type,
    (u.sessionid = d.session_id AND d.session_id <> '') OR lower(u.originaltransfermethod) = 'devicecodeflow'
      AS same_grant
  FROM phished AS d
  JOIN signins AS u ON u.userprincipalname = d.upn
    AND date_diff('second', d.created_at, u.created_at) BETWEEN 0 AND 60 * $max_minutes
  WHERE u.result = 'success'
    AND date_diff('second', from_iso8601_timestamp($from), u.created_at) >= 0
    AND date_diff('second', u.created_at, from_iso8601_timestamp($to)) > -60 * $max_minutes
),
redeemed AS (
  SELECT t.id, t.upn, t.created_at, t.ipaddress, t.country, t.app, t.session_id, di.asn, di.as_org,
    di.network_class, t.use_id, t.used_at, t.use_ip, t.use_country, t.token_type, ui.asn AS use_asn,
    ui.as_org AS use_as_org, ui.network_class AS use_network_class,
    t.use_id <> t.id AND coalesce(t.same_grant, false) AND (CASE WHEN ui.asn IS NOT NULL AND di.asn IS NOT NULL
      THEN ui.asn <> di.asn ELSE coalesce(t.use_country, '') <> coalesce(t.country, '') END) AS hit
  FROM tokens AS t
  LEFT JOIN ip_intel AS di ON di.ip_address = t.ipaddress AND di.entra_asn = t.entra_asn
  LEFT JOIN ip_intel AS ui ON ui.ip_address = t.use_ip AND ui.entra_asn = t.use_entra_asn
),
ranked AS (
  SELECT r.*,
    row_number() OVER (PARTITION BY r.id ORDER BY CASE WHEN r.hit THEN 0 ELSE 1 END, r.used_at, r.use_id) AS nth,
    CAST(sum(CASE WHEN r.hit THEN 1 ELSE 0 END) OVER (PARTITION BY r.id) AS BIGINT) AS uses
  FROM redeemed AS r
)
SELECT upn AS user_principal_name, 'device_code' AS rule, 'T1528' AS technique, created_at AS "at",
  CASE WHEN hit THEN coalesce(use_ip, ipaddress) ELSE ipaddress END AS ip,
  CASE WHEN hit THEN coalesce(use_asn, asn) ELSE asn END AS asn,
  CASE WHEN hit THEN coalesce(use_as_org, as_org) ELSE as_org END AS as_org,
  CASE WHEN hit THEN coalesce(use_network_class, network_class) ELSE network_class END AS network_class,
  CASE WHEN hit THEN coalesce(use_country, country) ELSE country END AS country,
  app, session_id,
  CASE WHEN hit THEN
    concat('device-code sign-in from ', ipaddress, ' (AS', coalesce(CAST(asn AS VARCHAR), '?'), '); its tokens used ',
      CAST(uses AS VARCHAR), ' times from ', use_ip, ' (AS', coalesce(CAST(use_asn AS VARCHAR), '?'), ' ',
      coalesce(use_as_org, '?'), ', ', coalesce(use_country, '?'), ') from ',
      CAST(date_diff('second', created_at, used_at) AS VARCHAR), ' s later, token type ',
      coalesce(token_type, '?'))
    ELSE concat('device-code sign-in from ', network_class, ' network AS', CAST(asn AS VARCHAR), ' ',
      coalesce(as_org, '?')) END AS evidence,
  CASE WHEN hit THEN 'other_network' ELSE 'risky_network' END AS signal
FROM ranked
WHERE nth = 1 AND (hit OR network_class IN ('hosting', 'vpn', 'tor'))
ORDER BY "at", user_principal_name
