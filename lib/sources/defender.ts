/**
 * Defender XDR advanced hunting sign-ins: the AADSignInEventsBeta table and its successor EntraIdSignInEvents
 * (and the service-principal tables), as the portal's CSV export or the API's JSON ({"Schema": […],
 * "Results": […]} from /api/advancedqueries/run, {"schema", "results"} from Graph's runHuntingQuery, or a plain
 * array). Columns per Microsoft's advanced hunting schema reference: Timestamp, ErrorCode, AccountUpn,
 * IPAddress, Country, State, City, Latitude, Longitude, Application, ApplicationId, LogonType, SessionId,
 * RequestId, ReportId, ConditionalAccessStatus (0 success, 1 failure, 2 not applied), RiskLevelAggregated
 * (0, 1, 10, 50, 100), RiskState (0–5), TokenIssuerType (0 Entra ID, 1 AD FS), IsManaged / IsCompliant (0/1).
 */
import { instantText } from "./instant.ts";
import { compact, flag, integer, type Normalised, text } from "./normalised_record.ts";
import { normaliseKeys } from "./portal.ts";
import { signInKind } from "./sign_in_kind.ts";

const CA_STATUS: Record<number, string> = { 0: "success", 1: "failure", 2: "notApplied" };
const RISK_LEVEL: Record<number, string> = { 1: "none", 10: "low", 50: "medium", 100: "high" };
const RISK_STATE: Record<number, string> = {
  0: "none",
  1: "confirmedSafe",
  2: "remediated",
  3: "dismissed",
  4: "atRisk",
  5: "confirmedCompromised",
};
const TOKEN_ISSUER: Record<number, string> = { 0: "AzureAD", 1: "ADFederationServices" };

/** Rows of an API response body, or the body itself when it is already a list of rows. */
export function defenderRows(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === "object") {
    const o = body as Record<string, unknown>;
    const rows = o.Results ?? o.results;
    if (Array.isArray(rows)) return rows;
  }
  return [body];
}

/** A JSON-encoded column (ConditionalAccessPolicies, NetworkLocationDetails, LogonType) as a value. */
function decoded(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim();
  if (!/^[[{]/.test(s)) return s === "" ? undefined : s;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const mapped = (table: Record<number, string>, v: unknown) => {
  const n = integer(v);
  return n === undefined ? text(v) : table[n];
};

function number(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function defenderRecord(cells: Record<string, unknown>): Normalised {
  const r = normaliseKeys(cells);
  const id = text(r["requestid"]) ?? text(r["reportid"]);
  if (!id) return { ok: false, reason: "the row has no RequestId or ReportId" };
  const createdDateTime = instantText(r["timestamp"]);
  if (!createdDateTime) {
    return { ok: false, reason: `Timestamp ${JSON.stringify(r["timestamp"] ?? null)} is not a time` };
  }
  const logonType = decoded(r["logontype"]);
  const eventTypes = Array.isArray(logonType)
    ? logonType.map(String)
    : typeof logonType === "string"
    ? logonType.split(",").map((s) => s.trim()).filter(Boolean)
    : undefined;
  const policies = decoded(r["conditionalaccesspolicies"]);
  const networks = decoded(r["networklocationdetails"]);
  const guest = flag(r["isguestuser"]);
  const spId = text(r["serviceprincipalid"]);
  const record = compact({
    id,
    createdDateTime,
    appDisplayName: text(r["application"]),
    appId: text(r["applicationid"]),
    status: { errorCode: integer(r["errorcode"]) },
    correlationId: text(r["correlationid"]),
    sessionId: text(r["sessionid"]),
    userDisplayName: text(r["accountdisplayname"]),
    userId: text(r["accountobjectid"]),
    userPrincipalName: text(r["accountupn"]),
    userType: guest === undefined ? undefined : guest ? "guest" : "member",
    resourceDisplayName: text(r["resourcedisplayname"]),
    resourceId: text(r["resourceid"]),
    resourceTenantId: text(r["resourcetenantid"]),
    servicePrincipalId: spId,
    servicePrincipalName: text(r["serviceprincipalname"]),
    deviceDetail: {
      displayName: text(r["devicename"]),
      deviceId: text(r["aaddeviceid"]),
      operatingSystem: text(r["osplatform"]),
      trustType: text(r["devicetrusttype"]),
      isManaged: flag(r["ismanaged"]),
      isCompliant: flag(r["iscompliant"]),
      browser: text(r["browser"]),
    },
    authenticationRequirement: text(r["authenticationrequirement"]),
    tokenIssuerType: mapped(TOKEN_ISSUER, r["tokenissuertype"]),
    riskLevelAggregated: mapped(RISK_LEVEL, r["risklevelaggregated"]),
    riskState: mapped(RISK_STATE, r["riskstate"]),
    userAgent: text(r["useragent"]),
    clientAppUsed: text(r["clientappused"]),
    conditionalAccessStatus: mapped(CA_STATUS, r["conditionalaccessstatus"]),
    appliedConditionalAccessPolicies: Array.isArray(policies) ? policies : undefined,
    networkLocationDetails: Array.isArray(networks) ? networks : undefined,
    ipAddress: text(r["ipaddress"]),
    location: {
      countryOrRegion: text(r["country"]),
      state: text(r["state"]),
      city: text(r["city"]),
      geoCoordinates: { latitude: number(r["latitude"]), longitude: number(r["longitude"]) },
    },
    signInEventTypes: eventTypes,
  });
  const kind = eventTypes?.length ? signInKind({ eventTypes }) : spId ? "servicePrincipal" : "unknown";
  return { ok: true, record, kind, format: "defender", derived: [] };
}
