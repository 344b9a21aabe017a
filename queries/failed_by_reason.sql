-- Failed sign-ins (interrupts excluded) per error code and reason, across all users.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT status.errorcode AS error_code, min(status.failurereason) AS failure_reason, count(*) AS failures,
  count(DISTINCT userprincipalname) AS users
FROM signins
WHERE result = 'failure' AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1
ORDER BY failures DESC, error_code
