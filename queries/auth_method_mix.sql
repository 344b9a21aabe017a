-- How users proved who they were: the MFA method (beta mfaDetail), else the first method used, per result.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT coalesce(nullif(mfadetail.authmethod, ''), element_at(authenticationmethodsused, 1), 'Password only or none')
    AS auth_method,
  result, count(*) AS signins
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2
ORDER BY signins DESC, auth_method, result
