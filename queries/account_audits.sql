-- Account investigation: the directory-audit events around one account's suspicious sign-ins: those the
-- account initiated, those initiated from one of the suspicious addresses (whoever signed in), and those a
-- service (e.g. the Device Registration Service) initiated with the account among the targets. Oldest first.
-- lib/investigate sets the range to 24 h either side of the account's findings.
-- matched_by: account | ip | target (the first that applies, in that order).
-- targets and details are the targetResources and additionalDetails JSON text; the investigation lists the
-- targets' names and the details' key = value pairs from them.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
-- @param upn string = -  the account's userPrincipalName (compared case-insensitively)
-- @param ips string = -  suspicious source addresses, comma-separated, no spaces (- for none)
WITH events AS (
  SELECT id, activity_at, activitydisplayname, category, loggedbyservice, result, resultreason,
    json_extract_scalar(initiatedby, '$.user.userPrincipalName') AS initiated_by_upn,
    json_extract_scalar(initiatedby, '$.user.ipAddress') AS ip,
    json_extract_scalar(initiatedby, '$.app.displayName') AS initiated_by_app,
    CAST(targetresources AS VARCHAR) AS targets, CAST(additionaldetails AS VARCHAR) AS details
  FROM directory_audits
  WHERE activity_at >= from_iso8601_timestamp($from) AND activity_at < from_iso8601_timestamp($to)
),
matched AS (
  SELECT *,
    CASE
      WHEN lower(initiated_by_upn) = lower($upn) THEN 'account'
      WHEN ip IS NOT NULL AND strpos(concat(',', $ips, ','), concat(',', ip, ',')) > 0 THEN 'ip'
      WHEN initiated_by_upn IS NULL AND strpos(lower(targets), lower($upn)) > 0 THEN 'target'
    END AS matched_by
  FROM events
)
SELECT id, activity_at AS "at", activitydisplayname AS activity, category, loggedbyservice AS service, result,
  resultreason AS result_reason, initiated_by_upn, initiated_by_app, ip, matched_by, targets, details
FROM matched
WHERE matched_by IS NOT NULL
ORDER BY activity_at, id
