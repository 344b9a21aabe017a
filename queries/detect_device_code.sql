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
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param max_minutes integer >= 1 = 60  token use from another network at most this long after the device-code sign-in
WITH enriched AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id, x.authenticationprotocol AS protocol,
    x.originaltransfermethod AS transfer, x.incomingtokentype AS token_type, i.asn, i.as_org, i.network_class
  FROM signins AS x
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL
    AND date_diff('second', from_iso8601_timestamp($from), x.created_at) >= 0
    AND date_diff('second', x.created_at, from_iso8601_timestamp($to)) > -60 * $max_minutes
),
phished AS (
  SELECT * FROM enriched
  WHERE lower(protocol) = 'devicecode' AND created_at < from_iso8601_timestamp($to)
),
redeemed AS (
  SELECT d.id AS phished_id, u.created_at, u.ipaddress, u.asn, u.as_org, u.network_class, u.country, u.app,
    u.token_type,
    row_number() OVER (PARTITION BY d.id ORDER BY u.created_at, u.id) AS nth,
    count(*) OVER (PARTITION BY d.id) AS uses
  FROM phished AS d
  JOIN enriched AS u ON u.upn = d.upn AND u.id <> d.id
    AND date_diff('second', d.created_at, u.created_at) BETWEEN 0 AND 60 * $max_minutes
    AND ((u.session_id = d.session_id AND d.session_id <> '') OR lower(u.transfer) = 'devicecodeflow')
    AND (CASE WHEN u.asn IS NOT NULL AND d.asn IS NOT NULL THEN u.asn <> d.asn
      ELSE coalesce(u.country, '') <> coalesce(d.country, '') END)
)
SELECT d.upn AS user_principal_name, 'device_code' AS rule, 'T1528' AS technique, d.created_at AS "at",
  coalesce(r.ipaddress, d.ipaddress) AS ip, coalesce(r.asn, d.asn) AS asn, coalesce(r.as_org, d.as_org) AS as_org,
  coalesce(r.network_class, d.network_class) AS network_class, coalesce(r.country, d.country) AS country,
  d.app, d.session_id,
  CASE WHEN r.phished_id IS NOT NULL THEN
    concat('device-code sign-in from ', d.ipaddress, ' (AS', coalesce(CAST(d.asn AS VARCHAR), '?'), '); its tokens used ',
      CAST(r.uses AS VARCHAR), ' times from ', r.ipaddress, ' (AS', coalesce(CAST(r.asn AS VARCHAR), '?'), ' ',
      coalesce(r.as_org, '?'), ', ', coalesce(r.country, '?'), ') from ',
      CAST(date_diff('second', d.created_at, r.created_at) AS VARCHAR), ' s later, token type ',
      coalesce(r.token_type, '?'))
    ELSE concat('device-code sign-in from ', d.network_class, ' network AS', CAST(d.asn AS VARCHAR), ' ',
      coalesce(d.as_org, '?')) END AS evidence,
  CASE WHEN r.phished_id IS NOT NULL THEN 'other_network' ELSE 'risky_network' END AS signal
FROM phished AS d
LEFT JOIN redeemed AS r ON r.phished_id = d.id AND r.nth = 1
WHERE r.phished_id IS NOT NULL OR d.network_class IN ('hosting', 'vpn', 'tor')
ORDER BY "at", user_principal_name
