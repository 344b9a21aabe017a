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
-- Method (interactive on millions of sign-ins): the firsts, distinct days and counts come from one GROUP BY
-- per account, address, ASN and day, not from windows over every sign-in; only the sign-ins at the first
-- moment of a hosting, VPN or Tor network that can be new are read one by one (ties at that instant: the
-- lower id is the first, as ordering by time and id). Sign-ins without an address have no network and take
-- no part. Each CTE is referenced once: Trino and Athena, which evaluate a CTE at every reference, read the
-- sign-ins twice, as before.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param learning_days integer >= 0 = 3  days from each account's first successful sign-in that only learn its networks
-- @param steady_days integer >= 1 = 5  a network the account signed in from on this many days is its own
WITH visits AS (
  -- Far fewer rows than sign-ins, and the grain the accounts' and the networks' firsts, days and counts roll up from.
  SELECT x.userprincipalname AS upn, x.ipaddress, coalesce(x.autonomoussystemnumber, -1) AS entra_asn,
    date_trunc('day', x.created_at) AS day, min(x.created_at) AS first_at, count(*) AS signins
  FROM signins AS x
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL AND x.ipaddress IS NOT NULL
  GROUP BY x.userprincipalname, x.ipaddress, coalesce(x.autonomoussystemnumber, -1), date_trunc('day', x.created_at)
),
networks AS (
  SELECT v.upn, coalesce(CAST(i.asn AS VARCHAR), v.ipaddress) AS network, min(v.first_at) AS first_at,
    count(DISTINCT v.day) AS days, sum(v.signins) AS signins,
    -- Only a network with a hosting, VPN or Tor sign-in can give a row (whether its first is one is checked on it).
    count_if(i.network_class IN ('hosting', 'vpn', 'tor')) AS risky
  FROM visits AS v
  LEFT JOIN ip_intel AS i ON i.ip_address = v.ipaddress AND i.entra_asn = v.entra_asn
  GROUP BY v.upn, coalesce(CAST(i.asn AS VARCHAR), v.ipaddress)
),
targets AS (
  SELECT upn, network, first_at, signins
  FROM (SELECT *, min(first_at) OVER (PARTITION BY upn) AS user_first FROM networks) AS n
  WHERE risky > 0 AND days < $steady_days AND date_diff('second', user_first, first_at) >= $learning_days * 86400
    AND first_at >= from_iso8601_timestamp($from) AND first_at < from_iso8601_timestamp($to)
),
firsts AS (
  -- Every sign-in at such a first moment, so ties on created_at are ranked among all of them.
  SELECT x.id, t.upn, x.created_at, x.ipaddress, x.location.countryorregion AS country, x.appdisplayname AS app,
    x.sessionid AS session_id, i.asn, i.as_org, i.network_class, t.network, t.signins
  FROM signins AS x
  JOIN targets AS t ON t.upn = x.userprincipalname AND t.first_at = x.created_at
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.result = 'success' AND x.ipaddress IS NOT NULL
),
successes AS (
  SELECT *, row_number() OVER (PARTITION BY upn, network ORDER BY id) AS nth
  FROM firsts
  WHERE coalesce(CAST(asn AS VARCHAR), ipaddress) = network
)
SELECT upn AS user_principal_name, 'risky_network' AS rule,
  CASE WHEN network_class = 'tor' THEN 'T1090.003' ELSE 'T1078.004' END AS technique,
  created_at AS "at", ipaddress AS ip, asn, as_org, network_class, country, app, session_id,
  concat('first sign-in from ', network_class, ' network AS', CAST(asn AS VARCHAR), ' ', coalesce(as_org, '?'),
    ' (successful sign-ins from it in all: ', CAST(signins AS VARCHAR), ')') AS evidence,
  network_class AS signal
FROM successes
WHERE nth = 1 AND network_class IN ('hosting', 'vpn', 'tor')
ORDER BY "at", user_principal_name
