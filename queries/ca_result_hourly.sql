-- Conditional Access outcome of sign-ins per UTC hour: the CA chart's bins when the report covers a day or two.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT date_trunc('hour', created_at) AS hour, coalesce(conditionalaccessstatus, 'unknown') AS conditional_access_status,
  count(*) AS signins
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY hour, conditional_access_status
