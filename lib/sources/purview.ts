/**
 * Purview unified audit log sign-ins: Azure AD STS logon events (Workload AzureActiveDirectory, Operation
 * UserLoggedIn / UserLoginFailed), as the audit search CSV export (CreationDate, UserIds, Operations, AuditData;
 * newer exports RecordId, CreationDate, RecordType, Operation, UserId, AuditData, AssociatedAdminUnits…),
 * Search-UnifiedAuditLog objects (AuditData a JSON string) or Management Activity API records (the AuditData
 * object itself). Field names per Microsoft's "Office 365 Management Activity API schema" (Azure Active
 * Directory STS logon schema). The log has no geolocation: the country comes from the IP address (derived).
 */
import { instantText } from "./instant.ts";
import { compact, flag, integer, type Normalised, text } from "./normalised_record.ts";
import { normaliseKeys } from "./portal.ts";
import type { CountryLookup } from "./ip_country.ts";

const SIGN_IN_OPERATIONS = new Set(["userloggedin", "userloginfailed"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The AuditData object of an export row (CSV cells or Search-UnifiedAuditLog object), or the row itself. */
export function auditDataOf(
  row: Record<string, unknown>,
): { data: Record<string, unknown> } | { error: string } {
  const keys = normaliseKeys(row);
  const audit = keys["auditdata"];
  if (audit === undefined) return { data: row };
  if (typeof audit === "object" && audit !== null) return { data: audit as Record<string, unknown> };
  try {
    const parsed = JSON.parse(String(audit));
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return { data: parsed };
    return { error: "AuditData is not a JSON object" };
  } catch (e) {
    return { error: `AuditData is not valid JSON: ${(e as Error).message}` };
  }
}

/** Name/Value pairs (ExtendedProperties, DeviceProperties) as a map by lower-case name. */
function pairs(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const p of list) {
    if (p && typeof p === "object" && "Name" in p) {
      out[String((p as { Name: unknown }).Name).toLowerCase()] = (p as {
        Value?: unknown;
      }).Value;
    }
  }
  return out;
}

/** "203.0.113.5", "203.0.113.5:4432", "[2001:db8::1]:443" → the address. */
export function bareIp(v: unknown): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracket) return bracket[1];
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  return v4port ? v4port[1] : s;
}

export function purviewRecord(row: Record<string, unknown>, countryOf?: CountryLookup): Normalised {
  const found = auditDataOf(row);
  if ("error" in found) return { ok: false, reason: found.error };
  const a = found.data;
  const op = text(a.Operation) ?? "";
  const workload = text(a.Workload) ?? "";
  if (!SIGN_IN_OPERATIONS.has(op.toLowerCase()) || (workload && workload !== "AzureActiveDirectory")) {
    return { ok: "other", category: `Purview ${op || "(no Operation)"}${workload ? ` (${workload})` : ""}` };
  }
  const id = text(a.IntraSystemId) ?? text(a.Id);
  if (!id) return { ok: false, reason: "the audit record has no Id" };
  const createdDateTime = instantText(a.CreationTime);
  if (!createdDateTime) {
    return { ok: false, reason: `CreationTime ${JSON.stringify(a.CreationTime ?? null)} is not a time` };
  }
  const ext = pairs(a.ExtendedProperties);
  const dev = pairs(a.DeviceProperties);
  const failed = op.toLowerCase() === "userloginfailed" || /^fail/i.test(text(a.ResultStatus) ?? "");
  const errorCode = integer(a.ErrorNumber) ?? (failed ? undefined : 0);
  const ip = bareIp(a.ClientIP) ?? bareIp(a.ActorIpAddress);
  const actors = Array.isArray(a.Actor) ? a.Actor as { ID?: unknown }[] : [];
  const userId = actors.map((x) => text(x?.ID)).find((x) => x && GUID.test(x));
  const country = countryOf?.(ip) ?? undefined;
  const record = compact({
    id,
    createdDateTime,
    userPrincipalName: text(a.UserId),
    userId,
    appId: text(a.ApplicationId),
    resourceId: GUID.test(text(a.ObjectId) ?? "") ? text(a.ObjectId) : undefined,
    ipAddress: ip,
    correlationId: text(a.InterSystemsId),
    userAgent: text(ext["useragent"]),
    status: {
      errorCode,
      failureReason: text(a.LogonError) ?? (failed ? text(ext["resultstatusdetail"]) : undefined),
    },
    deviceDetail: {
      deviceId: text(dev["id"]),
      displayName: text(dev["displayname"]),
      operatingSystem: text(dev["os"]),
      browser: text(dev["browsertype"]),
      isCompliant: flag(dev["iscompliant"]),
      isManaged: flag(dev["iscompliantandmanaged"]),
      trustType: text(dev["trusttype"]),
    },
    sessionId: text(dev["sessionid"]),
    location: { countryOrRegion: country },
  });
  return {
    ok: true,
    record,
    // The unified audit log says nothing of the sign-in's kind (no event types, no category).
    kind: "unknown",
    format: "purview",
    derived: country ? ["location.countryOrRegion"] : [],
  };
}
