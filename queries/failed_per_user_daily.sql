-- Failed sign-ins per user per UTC day (the line chart of the original 2019 blog post "Capturing and Visualizing Office 365 Security Logs – Part 2").
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT CAST(created_at AS DATE) AS day, userprincipalname AS user_principal_name, count(*) AS failures
FROM signins
WHERE result = 'failure' AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY day, user_principal_name
