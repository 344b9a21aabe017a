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
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param learning_days integer >= 0 = 3  days from each account's first successful sign-in that only learn its places
-- @param steady_days integer >= 1 = 5  a network or country the account signed in from on this many days is its own
-- @param max_speed_kmh double > 0 = 900  travel from the previous sign-in faster than this is not plausible
-- @param min_distance_km double >= 0 = 500  hops shorter than this are always plausible
WITH located AS (
  SELECT x.id, x.userprincipalname AS upn, x.created_at, x.ipaddress, x.location.countryorregion AS country,
    x.appdisplayname AS app, x.sessionid AS session_id, i.asn, i.as_org, i.network_class,
    coalesce(CAST(i.asn AS VARCHAR), x.ipaddress) AS network,
    coalesce(x.deviceDetail.operatingsystem, '') AS os, nullif(x.devicedetail.deviceid, '') AS device_id,
    x.location.geocoordinates.latitude AS lat, x.location.geocoordinates.longitude AS lon,
    x.authenticationrequirement = 'multiFactorAuthentication'
      AND coalesce(cardinality(filter(x.authenticationdetails,
        d -> d.authenticationstepresultdetail LIKE '%claim in the token%')), 0) = 0
      AND NOT coalesce(x.status.additionaldetails LIKE '%claim in the token%', false) AS mfa_done
  FROM signins AS x
  LEFT JOIN ip_intel AS i ON i.ip_address = x.ipaddress AND i.entra_asn = coalesce(x.autonomoussystemnumber, -1)
  WHERE x.result = 'success' AND x.userprincipalname IS NOT NULL
),
days AS (
  SELECT upn, network, count(DISTINCT date_trunc('day', created_at)) AS network_days
  FROM located
  GROUP BY upn, network
),
country_days AS (
  SELECT upn, country, count(DISTINCT date_trunc('day', created_at)) AS country_days
  FROM located
  WHERE country IS NOT NULL
  GROUP BY upn, country
),
counted AS (
  SELECT l.*, d.network_days, coalesce(c.country_days, 0) AS country_days
  FROM located AS l
  JOIN days AS d ON d.upn = l.upn AND d.network = l.network
  LEFT JOIN country_days AS c ON c.upn = l.upn AND c.country = l.country
),
ranked AS (
  SELECT *,
    min(created_at) OVER (PARTITION BY upn) AS user_first,
    min(created_at) OVER (PARTITION BY upn, country) AS country_first,
    min(created_at) OVER (PARTITION BY upn, network) AS network_first,
    min(created_at) OVER (PARTITION BY upn, os) AS os_first,
    min(created_at) OVER (PARTITION BY upn, app) AS app_first,
    min(created_at) OVER (PARTITION BY upn, device_id) AS device_first,
    row_number() OVER (PARTITION BY upn, country ORDER BY created_at, id) AS country_nth,
    row_number() OVER (PARTITION BY upn, network ORDER BY created_at, id) AS network_nth,
    lag(created_at) OVER w AS prev_at, lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon,
    lag(country) OVER w AS prev_country
  FROM counted
  WINDOW w AS (PARTITION BY upn ORDER BY created_at, id)
),
fresh AS (
  SELECT *,
    country IS NOT NULL AND country <> '' AND country_nth = 1 AND country_days < $steady_days AS new_country,
    network_nth = 1 AND network_days < $steady_days AS new_network,
    os_first = created_at AS new_os,
    app_first = created_at AS new_app,
    device_id IS NOT NULL AND device_first < created_at AS own_device,
    -- DuckDB's greatest/least skip NULLs where Trino's return NULL: only measure between two known places.
    CASE WHEN lat IS NOT NULL AND lon IS NOT NULL AND prev_lat IS NOT NULL AND prev_lon IS NOT NULL
      THEN great_circle_distance(prev_lat, prev_lon, lat, lon) END AS km,
    greatest(date_diff('second', prev_at, created_at), 1) AS seconds
  FROM ranked
  WHERE date_diff('second', user_first, created_at) >= $learning_days * 86400
    AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
),
judged AS (
  SELECT *,
    -- Unknown when either place is (an anonymiser hides it): not evidence of impossible travel.
    coalesce(km < $min_distance_km OR km * 3600 <= $max_speed_kmh * seconds, true) AS plausible
  FROM fresh
  WHERE (new_country AND country_first = created_at) OR (new_network AND network_first = created_at)
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
ORDER BY "at", user_principal_name
