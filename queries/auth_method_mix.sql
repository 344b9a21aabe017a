-- How users proved who they were, per result: the MFA method (beta mfaDetail), else the last method Graph lists
-- in authenticationMethodsUsed, else what the beta authenticationDetails say ("Previously satisfied": a session that
-- had already done MFA; "Password"). "Password only" is a sign-in whose only recorded method is the
-- password; "No method recorded" is one for which Graph reported no method at all (common for token refreshes and
-- non-interactive sign-ins), which is not the same thing and must not be read as password-only.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT CASE
    WHEN method IS NULL THEN 'No method recorded'
    WHEN method = 'Password' THEN 'Password only'
    ELSE method
  END AS auth_method,
  result, count(*) AS signins
FROM (
  SELECT coalesce(
      nullif(mfadetail.authmethod, ''),
      nullif(element_at(authenticationmethodsused, -1), ''),
      -- What the steps say, derived at load (lib/store/derived_columns.ts): reading the list of steps here cost
      -- 19.5 s at 10M sign-ins.
      auth_step_method
    ) AS method,
    result
  FROM signins
  WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
) m
GROUP BY 1, 2
ORDER BY signins DESC, auth_method, result
