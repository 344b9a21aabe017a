-- Triage rule risky_success (MITRE T1078.004 valid cloud accounts): a successful sign-in Entra ID Protection
-- rated medium or high risk in real time (riskLevelDuringSignIn). A risk the user remediated by passing the
-- MFA a risk-based policy asked for (riskState remediated) still counts, lower (signal remediated).
-- riskLevelDuringSignIn needs Entra ID P2; without it every record says none or hidden and the rule finds
-- nothing, which the triage cannot tell from "no risk".
-- Default levels from Sentinel's "Risky Sign-in with new MFA method" hunting query
-- (riskSignInWithNewMFAMethod.yaml: a medium or high risk sign-in).
-- signal: high | medium | remediated.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT x.userprincipalname AS user_principal_name, 'risky_success' AS rule, 'T1078.004' AS technique,
  x.created_at AS "at", x.ipaddress AS ip, i.asn, i.as_org, i.network_class, x.location.countryorregion AS country,
  x.appdisplayname AS app, nullif(x.sessionid, '') AS session_id,
  concat(lower(x.risklevelduringsignin), '-risk sign-in succeeded (risk state ', coalesce(x.riskstate, '?'),
    CASE WHEN cardinality(x.riskeventtypes_v2) > 0 THEN concat('; ', array_join(x.riskeventtypes_v2, ', ')) ELSE '' END,
    ')') AS evidence,
  CASE WHEN lower(x.riskstate) = 'remediated' THEN 'remediated' ELSE lower(x.risklevelduringsignin) END AS signal
FROM signins AS x
LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL
  AND lower(x.risklevelduringsignin) IN ('medium', 'high')
  AND x.created_at >= from_iso8601_timestamp($from) AND x.created_at < from_iso8601_timestamp($to)
ORDER BY "at", user_principal_name
