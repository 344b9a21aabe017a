-- Failed sign-ins per user per UTC hour: the per-user chart's bins when the report covers a day or two (an
-- incident day in daily bins is one dot per user).
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT date_trunc('hour', created_at) AS hour, userprincipalname AS user_principal_name, count(*) AS failures
FROM signins
WHERE result = 'failure' AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY hour, user_principal_name
