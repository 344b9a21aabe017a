-- The flattened sign-in table of the original 2019 blog post "Capturing and Visualizing Office 365 Security Logs – Part 2",
-- column for column and alias for alias (its QuickSight custom SQL).
-- Differences, all forced by today's Graph schema:
--   * FROM signins AS records: the blog post's `CROSS JOIN (UNNEST(value) AS t(records))` lives in the signins
--     relation (one row per sign-in, latest state), so every `records.x` expression below is the blog post's own.
--   * The blog post's 2019 beta field appliedConditionalAccessPolicy (one struct) is today's array
--     appliedConditionalAccessPolicies. One row per sign-in is kept; the cap_* columns describe the policies
--     that acted on it (result success or failure; notApplied/notEnabled/reportOnly* ones are left out),
--     joined with '; ' in the array's order: cap_displayname, cap_id and cap_result one entry per policy,
--     cap_enforcedgrantcontrols / cap_enforcedsessioncontrols the distinct controls of those policies, sorted
--     (array_distinct keeps first-seen order on Trino but not on DuckDB; sorting makes both agree).
--   * riskeventtypes is riskEventTypes_v2 when the v1.0 riskEventTypes is absent (beta drops it).
--   * location.geocoordinates.* keep the blog post's unaliased names: altitude, latitude, longitude.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT records.id, records.createddatetime, records.userprincipalname, records.userDisplayName, records.userid,
  records.appid, records.appdisplayname, records.ipaddress, records.clientappused,
  records.mfadetail.authdetail AS mfadetail_authdetail, records.mfadetail.authmethod AS mfadetail_authmethod,
  records.correlationid, records.conditionalaccessstatus,
  array_join(transform(filter(records.appliedconditionalaccesspolicies, p -> p.result IN ('success', 'failure')), p -> p.displayname), '; ') AS cap_displayname,
  array_join(array_sort(array_distinct(flatten(transform(filter(records.appliedconditionalaccesspolicies, p -> p.result IN ('success', 'failure')), p -> p.enforcedgrantcontrols)))), ' ') AS cap_enforcedgrantcontrols,
  array_join(array_sort(array_distinct(flatten(transform(filter(records.appliedconditionalaccesspolicies, p -> p.result IN ('success', 'failure')), p -> p.enforcedsessioncontrols)))), ' ') AS cap_enforcedsessioncontrols,
  array_join(transform(filter(records.appliedconditionalaccesspolicies, p -> p.result IN ('success', 'failure')), p -> p.id), '; ') AS cap_id,
  array_join(transform(filter(records.appliedconditionalaccesspolicies, p -> p.result IN ('success', 'failure')), p -> p.result), '; ') AS cap_result,
  records.originalrequestid, records.isinteractive, records.tokenissuername, records.tokenissuertype,
  records.devicedetail.browser AS device_browser, records.devicedetail.deviceid AS device_id,
  records.devicedetail.iscompliant AS device_iscompliant, records.devicedetail.ismanaged AS device_ismanaged,
  records.devicedetail.operatingsystem AS device_os, records.devicedetail.trusttype AS device_trusttype,
  records.location.city AS location_city, records.location.countryorregion AS location_countryorregion,
  records.location.geocoordinates.altitude AS altitude, records.location.geocoordinates.latitude AS latitude,
  records.location.geocoordinates.longitude AS longitude,
  records.location.state AS location_state, records.riskdetail, records.risklevelaggregated,
  records.risklevelduringsignin, records.riskstate,
  coalesce(records.riskeventtypes, records.riskeventtypes_v2) AS riskeventtypes,
  records.resourcedisplayname, records.resourceid, records.authenticationmethodsused,
  records.status.additionaldetails AS additionaldetails, records.status.errorcode AS errorcode,
  records.status.failurereason AS failurereason
FROM signins AS records
WHERE records.created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
ORDER BY records.created_at DESC, records.id
