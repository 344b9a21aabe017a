/**
 * The directoryAudit properties the store keeps (`directory_audits`), in its column order. Scalars are text;
 * `json` ones (objects and arrays) are kept as their JSON text, which queries read with json_extract_scalar:
 * their camelCase keys stay as Graph sent them. Both the DuckDB load and the Athena/Trino DDL derive from
 * this list.
 */
export const AUDIT_FIELDS: readonly { readonly name: string; readonly json?: true }[] = [
  { name: "id" },
  { name: "activityDateTime" },
  { name: "activityDisplayName" },
  { name: "category" },
  { name: "correlationId" },
  { name: "result" },
  { name: "resultReason" },
  { name: "loggedByService" },
  { name: "operationType" },
  { name: "initiatedBy", json: true },
  { name: "targetResources", json: true },
  { name: "additionalDetails", json: true },
];
