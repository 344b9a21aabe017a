-- Sign-ins over legacy protocols, which cannot do MFA: every client that is not a browser or modern client.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT clientappused AS client_app_used, result, count(*) AS attempts,
  count(DISTINCT userprincipalname) AS users
FROM signins
WHERE clientappused IS NOT NULL
  AND clientappused NOT IN ('Browser', 'Mobile Apps and Desktop clients')
  AND created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY attempts DESC, client_app_used, result
