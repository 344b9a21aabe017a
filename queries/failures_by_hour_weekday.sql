-- Failed sign-ins by ISO weekday (1 = Monday) and UTC hour of day.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT day_of_week(created_at) AS weekday, hour(created_at) AS hour, count(*) AS failures
FROM signins
WHERE result = 'failure' AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY weekday, hour
