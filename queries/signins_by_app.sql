-- Sign-ins per application, split by result.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT coalesce(appdisplayname, appid, 'Unknown') AS app_display_name, count(*) AS signins,
  count(*) FILTER (WHERE result = 'success') AS successes,
  count(*) FILTER (WHERE result = 'failure') AS failures,
  count(*) FILTER (WHERE result = 'interrupt') AS interrupts,
  count(DISTINCT userprincipalname) AS users
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1
ORDER BY signins DESC, app_display_name
