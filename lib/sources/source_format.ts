/** Where a stored sign-in came from: kept beside each record (`source_format`) so queries can split by it. */
export type SourceFormat =
  | "graph" // Graph API pages or NDJSON / arrays of signIn objects
  | "azure_monitor" // diagnostic-settings export wrapped in {"records": […]}
  | "storage" // diagnostic-settings archive in a storage account: one record per line (PT1H.json)
  | "log_analytics" // Log Analytics SigninLogs & co. export
  | "portal_csv" // Entra admin center Download, CSV
  | "portal_json" // Entra admin center Download, JSON
  | "purview" // Purview unified audit log (CSV export, Search-UnifiedAuditLog, Management Activity API)
  | "defender"; // Defender XDR advanced hunting AADSignInEventsBeta / EntraIdSignInEvents
