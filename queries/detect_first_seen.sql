-- Triage rule first_seen (MITRE T1078.004 valid cloud accounts): an account's first successful sign-in from a
-- country or network (ASN, else the address) it had never used, over the whole stored history (not only the
-- range, nor only Graph's 30 days), once each account's first learning_days days have taught its usual
-- places. The row says which of country, network, operating system and app were new, and whether the
-- sign-in explains itself as a genuine trip: the travel from the previous sign-in is plausible (at most
-- max_speed_kmh, or under min_distance_km), the device is the account's own (a deviceId it signed in with
-- before) and, in a new country, MFA was done in the sign-in (not "satisfied by claim in the token"). A new
-- home broadband on the own laptop explains itself too. A network or country the account signed in from on
-- steady_days distinct days or more is its own wherever it first appears: a steady VPN the account always
-- uses (and its exit's country) is never new (an attacker who keeps one VPS that long is left to the other
-- rules). Travel from or to an unknown place (an anonymiser) counts as plausible: no evidence either way.
-- Defaults: 3 learning days, short enough for the 7 days Graph keeps on Entra ID Free and a 14-day pull, long
-- enough to see an account's working days (Elastic's new-terms rules for Entra ID instead look back over a
-- fixed history window, 10 days in credential_access_entra_id_ropc_unknown_client_id.toml: raise
-- learning_days on long histories); 900 km/h and 500 km as impossible_travel (an airliner's cruise;
-- geolocation jitter).
-- signal: impossible_travel (from the previous sign-in) | explained (the checks pass) | unexplained.
-- Method (interactive on millions of sign-ins): the firsts and distinct days come from one GROUP BY per account,
-- address, ASN, country and day, not from windows over every sign-in; only the sign-ins at the first moment of a
-- network or country that can be new are looked at one by one (ties at that instant: the lower id is the first,
-- as ordering the history by time and id), and only the accounts they belong to, up to that moment, are read
-- for the previous sign-in, the own device and the first OS and app. Sign-ins without an address have no
-- network and take no part, except that their days count toward a country's steady_days. Trino and Athena
-- evaluate a CTE again at each reference: the history is referenced once, the instants twice (so the sign-ins are
-- read five times there, each read aggregated or cut to the accounts concerned, instead of three times and sorted).
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param learning_days integer >= 0 = 3  days from each account's first successful sign-in that only learn its places
-- @param steady_days integer >= 1 = 5  a network or country the account signed in from on this many days is its own
-- @param max_speed_kmh double > 0 = 900  travel from the previous sign-in faster than this is not plausible
-- @param min_distance_km double >= 0 = 500  hops shorter than this are always plausible
WITH visits AS (
  -- Far fewer rows than sign-ins, and the grain both the networks' and the countries' firsts and days roll up from.
  SELECT x.userprincipalname AS upn, x.ipaddress, coalesce(x.autonomoussystemnumber, -1) AS entra_asn,
    x.location.countryorregion AS country, date_trunc('day', x.created_at) AS day, min(x.created_at) AS first_at
  FROM signins AS x
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL
  GROUP BY x.userprincipalname, x.ipaddress, coalesce(x.autonomoussystemnumber, -1), x.location.countryorregion,
    date_trunc('day', x.created_at)
),
places AS (
  SELECT v.upn, v.country, v.day, v.first_at, coalesce(CAST(i.asn AS VARCHAR), v.ipaddress) AS network
  FROM visits AS v
  LEFT JOIN ip_intel AS i ON i.ip_address = v.ipaddress AND i.entra_asn = v.entra_asn
),
news AS (
  -- The networks' firsts and days, then the countries' (the days of every sign-in in the country, the first
  -- only among those with a network).
  SELECT upn, network, CAST(NULL AS VARCHAR) AS country, min(first_at) AS first_at, count(DISTINCT day) AS days
  FROM places
  WHERE network IS NOT NULL
  GROUP BY upn, network
  UNION ALL
  SELECT upn, CAST(NULL AS VARCHAR) AS network, country, min(CASE WHEN network IS NOT NULL THEN first_at END),
    count(DISTINCT day)
  FROM places
  WHERE country IS NOT NULL AND country <> ''
  GROUP BY upn, country
),
instants AS (
  -- The instants at which some sign-in can be a new network or country: a first time, not steady, past the
  -- account's learning days (from its first sign-in with a network) and in the range.
  SELECT upn, first_at, filter(array_agg(network), v -> v IS NOT NULL) AS networks,
    filter(array_agg(country), v -> v IS NOT NULL) AS countries
  FROM (SELECT *, min(first_at) OVER (PARTITION BY upn) AS user_first FROM news) AS n
  WHERE days < $steady_days AND date_diff('second', user_first, first_at) >= $learning_days * 86400
    AND first_at >= from_iso8601_timestamp($from) AND first_at < from_iso8601_timestamp($to)
  GROUP BY upn, first_at
),
reach AS (
  -- An account's history matters up to its last such instant: the previous sign-in and the firsts look back.
  SELECT upn, max(first_at) AS last_at FROM instants GROUP BY upn
),
history AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress,
    coalesce(x.autonomoussystemnumber, -1) AS entra_asn, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id,
    coalesce(x.deviceDetail.operatingsystem, '') AS os, nullif(x.devicedetail.deviceid, '') AS device_id,
    x.location.geocoordinates.latitude AS lat, x.location.geocoordinates.longitude AS lon,
    -- auth_step_claim: derived from authenticationDetails at load (lib/store/derived_columns.ts).
    x.authenticationrequirement = 'multiFactorAuthentication' AND NOT x.auth_step_claim
      AND NOT coalesce(x.status.additionaldetails LIKE '%claim in the token%', false) AS mfa_done
  FROM signins AS x
  JOIN reach AS r ON r.upn = x.userprincipalname AND x.created_at <= r.last_at
  WHERE x.result = 'success' AND x.ipaddress IS NOT NULL
),
ranked AS (
  SELECT *,
    min(created_at) OVER (PARTITION BY upn, os) AS os_first,
    min(created_at) OVER (PARTITION BY upn, app) AS app_first,
    min(created_at) OVER (PARTITION BY upn, device_id) AS device_first,
    lag(created_at) OVER w AS prev_at, lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon
  FROM history
  WINDOW w AS (PARTITION BY upn ORDER BY created_at, id)
),
tied AS (
  -- Every sign-in at such an instant, so ties on created_at are ranked among all of them.
  SELECT r.*, i.asn, i.as_org, i.network_class, coalesce(CAST(i.asn AS VARCHAR), r.ipaddress) AS network,
    m.networks AS first_networks, m.countries AS first_countries
  FROM ranked AS r
  JOIN instants AS m ON m.upn = r.upn AND m.first_at = r.created_at
  LEFT JOIN ip_intel AS i ON i.ip_address = r.ipaddress AND i.entra_asn = r.entra_asn
),
fresh AS (
  SELECT *,
    country IS NOT NULL AND coalesce(contains(first_countries, country), false)
      AND row_number() OVER (PARTITION BY upn, country, created_at ORDER BY id) = 1 AS new_country,
    coalesce(contains(first_networks, network), false)
      AND row_number() OVER (PARTITION BY upn, network, created_at ORDER BY id) = 1 AS new_network,
    os_first = created_at AS new_os,
    app_first = created_at AS new_app,
    device_id IS NOT NULL AND device_first < created_at AS own_device,
    -- DuckDB's greatest/least skip NULLs where Trino's return NULL: only measure between two known places.
    CASE WHEN lat IS NOT NULL AND lon IS NOT NULL AND prev_lat IS NOT NULL AND prev_lon IS NOT NULL
      THEN great_circle_distance(prev_lat, prev_lon, lat, lon) END AS km,
    greatest(date_diff('second', prev_at, created_at), 1) AS seconds
  FROM tied
),
judged AS (
  SELECT *,
    -- Unknown when either place is (an anonymiser hides it): not evidence of impossible travel.
    coalesce(km < $min_distance_km OR km * 3600 <= $max_speed_kmh * seconds, true) AS plausible
  FROM fresh
  WHERE new_country OR new_network
)
SELECT upn AS user_principal_name, 'first_seen' AS rule, 'T1078.004' AS technique, created_at AS "at",
  ipaddress AS ip, asn, as_org, network_class, country, app, session_id,
  concat('first sign-in from ',
    array_join(filter(ARRAY[
      CASE WHEN new_country THEN concat('country ', country) END,
      CASE WHEN new_network THEN concat('network AS', coalesce(CAST(asn AS VARCHAR), ipaddress), ' ', coalesce(as_org, '?')) END,
      CASE WHEN new_os THEN concat('OS ', os) END,
      CASE WHEN new_app THEN concat('app ', coalesce(app, '?')) END
    ], v -> v IS NOT NULL), ', '),
    '; travel ', CASE WHEN km IS NULL THEN 'unknown' WHEN plausible THEN 'plausible' ELSE concat('implausible (',
      CAST(CAST(round(km) AS BIGINT) AS VARCHAR), ' km in ', CAST(CAST(round(seconds / 60e0) AS BIGINT) AS VARCHAR), ' min)') END,
    ', MFA ', CASE WHEN mfa_done THEN 'done' ELSE 'not done' END,
    ', device ', CASE WHEN own_device THEN 'known' ELSE 'new or unknown' END) AS evidence,
  CASE WHEN km IS NOT NULL AND NOT plausible THEN 'impossible_travel'
    WHEN plausible AND own_device AND (mfa_done OR NOT new_country) THEN 'explained' ELSE 'unexplained' END
    AS signal
FROM judged
-- id last: sign-ins of one account at one instant come in id order, the same on every run and engine.
ORDER BY "at", user_principal_name, id
