-- Sign-ins per UTC day, kind (interactive, nonInteractive, servicePrincipal, managedIdentity, adfs, unknown) and source format (graph, azure_monitor, storage, log_analytics, portal_csv, portal_json, purview, defender): what the store holds, for deno task coverage.
-- @param from timestamp = 1970-01-01T00:00:00Z  start of the range (inclusive), ISO 8601
-- @param to timestamp = 9999-12-31T00:00:00Z  end of the range (exclusive), ISO 8601
SELECT CAST(created_at AS DATE) AS day, coalesce(sign_in_kind, 'unknown') AS sign_in_kind,
  coalesce(source_format, 'unknown') AS source_format, count(*) AS signins
FROM signins
WHERE created_at >= from_iso8601_timestamp($from) AND created_at < from_iso8601_timestamp($to)
GROUP BY 1, 2, 3
ORDER BY day, sign_in_kind, source_format
