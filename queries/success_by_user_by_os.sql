-- Successful sign-ins per user per device operating system (the vertical stacked bars of the original 2019 blog post "Capturing and Visualizing Office 365 Security Logs – Part 2").
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT userprincipalname AS user_principal_name,
  coalesce(nullif(devicedetail.operatingsystem, ''), 'Unknown') AS operating_system, count(*) AS signins
FROM signins
WHERE result = 'success' AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY user_principal_name, signins DESC, operating_system
