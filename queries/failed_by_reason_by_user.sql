-- Why sign-ins did not succeed, per user (the stacked bar chart of the original 2019 blog post "Capturing and Visualizing Office 365 Security Logs – Part 2"), interrupts apart from failures.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT userprincipalname AS user_principal_name, result, status.errorcode AS error_code,
  status.failurereason AS failure_reason, count(*) AS attempts
FROM signins
WHERE result IN ('failure', 'interrupt') AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2, 3, 4
ORDER BY attempts DESC, user_principal_name, error_code
