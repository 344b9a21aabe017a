-- Triage rule risky_network (MITRE T1078.004 valid cloud accounts; T1090.003 multi-hop proxy for Tor): a
-- successful sign-in from a hosting, VPN or Tor network (lib/ipintel's sourced ASN list, joined through
-- ip_intel) that the account had not signed in from before. The account's own history decides "before": the
-- whole store, not only the range, with each account's first learning_days days of successful sign-ins only
-- learning its networks; and a network the account signed in from on steady_days distinct days or more is
-- its own wherever it first appears, so a steady VPN the user always works through is never "new" (the price:
-- an attacker who keeps one VPS for that many days is left to the other rules). One row per account and
-- network: its first sign-in.
-- Default learning period: 3 days, as detect_first_seen (see there; Elastic's new-terms rules look back over
-- a fixed window instead, 10 days in "Entra ID ROPC Authentication with Unknown Client ID").
-- signal: the network class (hosting | vpn | tor).
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param learning_days integer >= 0 = 3  days from each account's first successful sign-in that only learn its networks
-- @param steady_days integer >= 1 = 5  a network the account signed in from on this many days is its own
WITH located AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id, i.asn, i.as_org, i.network_class,
    coalesce(CAST(i.asn AS VARCHAR), x.ipaddress) AS network
  FROM signins AS x
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL
),
days AS (
  SELECT upn, network, count(DISTINCT date_trunc('day', created_at)) AS network_days
  FROM located
  GROUP BY upn, network
),
successes AS (
  SELECT l.*, d.network_days,
    min(created_at) OVER (PARTITION BY l.upn) AS first_seen,
    row_number() OVER (PARTITION BY l.upn, l.network ORDER BY l.created_at, l.id) AS nth,
    count(*) OVER (PARTITION BY l.upn, l.network) AS signins
  FROM located AS l
  JOIN days AS d ON d.upn = l.upn AND d.network = l.network
)
SELECT upn AS user_principal_name, 'risky_network' AS rule,
  CASE WHEN network_class = 'tor' THEN 'T1090.003' ELSE 'T1078.004' END AS technique,
  created_at AS "at", ipaddress AS ip, asn, as_org, network_class, country, app, session_id,
  concat('first sign-in from ', network_class, ' network AS', CAST(asn AS VARCHAR), ' ', coalesce(as_org, '?'),
    ' (successful sign-ins from it in all: ', CAST(signins AS VARCHAR), ')') AS evidence,
  network_class AS signal
FROM successes
WHERE nth = 1 AND network_class IN ('hosting', 'vpn', 'tor') AND network_days < $steady_days
  AND date_diff('second', first_seen, created_at) >= $learning_days * 86400
  AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
ORDER BY "at", user_principal_name
