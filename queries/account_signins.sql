-- Account investigation: every sign-in of one account in a range, oldest first, with the network it came from
-- and how it authenticated. ASN, organisation and network class come from ip_intel (Entra's own
-- autonomousSystemNumber where the record has one, else the offline @ip-location-db/asn dataset; built by
-- ensureIpIntel() on DuckDB, by the Athena DDL there). Feeds lib/investigate and the account timeline chart.
-- mfa_by_claim: the sign-in satisfied MFA "by claim in the token" (it did no MFA itself).
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param upn string = -  the account's userPrincipalName (compared case-insensitively)
SELECT x.id, x.created_at AS "at", x.ipaddress AS ip, i.asn, i.as_org, i.network_class,
  x.location.countryorregion AS country, x.location.city AS city, x.appdisplayname AS app,
  x.clientappused AS client_app, x.result, x.status.errorcode AS error_code,
  x.status.failurereason AS failure_reason, x.sessionid AS session_id, x.correlationid AS correlation_id,
  x.isinteractive AS interactive, x.authenticationprotocol AS authentication_protocol,
  x.incomingtokentype AS incoming_token_type, x.originaltransfermethod AS original_transfer_method,
  x.devicedetail.deviceid AS device_id, x.devicedetail.displayname AS device_name,
  x.devicedetail.operatingsystem AS operating_system, x.devicedetail.browser AS browser,
  x.mfadetail.authmethod AS mfa_method, x.risklevelduringsignin AS risk_level,
  x.auth_step_claim AS mfa_by_claim
FROM signins AS x
LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
WHERE lower(x.userprincipalname) = lower($upn)
  AND x.created_at >= from_iso8601_timestamp($from) AND x.created_at < from_iso8601_timestamp($to)
ORDER BY x.created_at, x.id
