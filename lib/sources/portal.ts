/**
 * The Entra admin center's sign-in logs Download (CSV or JSON): one file per tab — InteractiveSignIns_…,
 * NonInteractiveSignIns_…, ApplicationSignIns_… (service principals), MSISignIns_… (managed identities) — with
 * the columns the portal shows ("Date (UTC)", "Request ID", "Sign-in error code", "Location" as
 * "City, State, CC", …), plus …_AuthDetails_… files with one row per authentication step, joined on the
 * request id. Headers are matched after normaliseHeader (case, repeated spaces); repeated columns keep their
 * first non-empty value.
 */
import { basename } from "node:path";
import { normaliseHeader } from "./csv.ts";
import { instantText } from "./instant.ts";
import { compact, flag, integer, type Normalised, text } from "./normalised_record.ts";
import { type SignInKind, signInKind } from "./sign_in_kind.ts";
import type { SourceFormat } from "./source_format.ts";

/** The tab a Download file came from, by its file name; null when the name does not say. */
export function portalTab(path: string): SignInKind | null {
  const name = basename(path).toLowerCase();
  if (name.startsWith("noninteractivesignins")) return "nonInteractive";
  if (name.startsWith("interactivesignins")) return "interactive";
  if (name.startsWith("applicationsignins") || name.startsWith("serviceprincipalsignins")) {
    return "servicePrincipal";
  }
  if (name.startsWith("msisignins") || name.startsWith("managedidentitysignins")) return "managedIdentity";
  return null;
}

/** True for a file name of the Download's authentication-details files. */
export const isAuthDetailsName = (path: string) => /authdetails/i.test(basename(path));

/** Headers (normalised) that identify the Download's sign-in files and its authentication-details files. */
export function portalHeaderKind(headers: string[]): "signins" | "auth_details" | null {
  const h = new Set(headers.map(normaliseHeader));
  if (!h.has("request id")) return null;
  if (h.has("authentication method") && !h.has("application") && !h.has("username")) return "auth_details";
  if (h.has("date (utc)") || h.has("date")) return "signins";
  return null;
}

const pick = (row: Record<string, unknown>, ...names: string[]): unknown => {
  for (const n of names) {
    const v = row[n];
    if (v !== undefined && v !== null && v !== "") return v;
  }
  return undefined;
};

/** "Redmond, Washington, US" → city, state, country; two parts are city and country, one is the country. */
export function parseLocation(value: unknown): Record<string, string> | undefined {
  const s = text(value);
  if (!s) return undefined;
  const parts = s.split(",").map((p) => p.trim());
  const country = parts.length > 0 && /^[A-Za-z]{2}$/.test(parts[parts.length - 1])
    ? parts.pop()!.toUpperCase()
    : undefined;
  const [city, ...rest] = parts;
  return compact({
    city,
    state: rest.length > 0 ? rest.join(", ") : undefined,
    countryOrRegion: country,
  }) as Record<
    string,
    string
  >;
}

const lowerFirst = (s: string | undefined) => (s ? s[0].toLowerCase() + s.slice(1) : s);

/** The portal's words for a few enums, as Graph spells them. */
function camel(s: string | undefined): string | undefined {
  if (!s) return s;
  return s.replace(/[-\s]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase());
}

/** One authentication step of an …_AuthDetails_… row, as Graph's authenticationDetail. */
export function authDetailFrom(
  cells: Record<string, unknown>,
): { requestId?: string; step: Record<string, unknown> } {
  const row = normaliseKeys(cells);
  const date = pick(row, "date (utc)", "authentication date", "date");
  return {
    requestId: text(row["request id"]),
    step: compact({
      authenticationStepDateTime: instantText(date) ?? text(date),
      authenticationMethod: text(row["authentication method"]),
      authenticationMethodDetail: text(row["authentication method detail"]),
      succeeded: flag(pick(row, "succeeded", "result")),
      authenticationStepResultDetail: text(pick(row, "result detail", "authentication step result detail")),
      authenticationStepRequirement: text(pick(row, "requirement", "authentication step requirement")),
    }),
  };
}

export function normaliseKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const n = normaliseHeader(k);
    if (!(n in out) || out[n] === "" || out[n] === null) out[n] = v;
  }
  return out;
}

/**
 * One Download row (CSV cells or a JSON object keyed by the same column names) as a signIn record. A JSON
 * object already in Graph's own spelling (camelCase `createdDateTime`, …) is taken as it is.
 */
export function portalRecord(
  cells: Record<string, unknown>,
  path: string,
  format: Extract<SourceFormat, "portal_csv" | "portal_json">,
): Normalised {
  const tab = portalTab(path);
  if ("createdDateTime" in cells || "id" in cells) {
    const kind = tab ??
      signInKind({ eventTypes: cells.signInEventTypes, isInteractive: cells.isInteractive });
    return { ok: true, record: cells, kind, format, derived: [] };
  }
  const row = normaliseKeys(cells);
  const id = text(row["request id"]);
  if (!id) return { ok: false, reason: `no "Request ID"` };
  const date = pick(row, "date (utc)", "date");
  const createdDateTime = instantText(date);
  if (!createdDateTime) {
    return { ok: false, reason: `"Date (UTC)" ${JSON.stringify(date ?? null)} is not a time` };
  }
  const statusText = text(row["status"])?.toLowerCase();
  const code = integer(pick(row, "sign-in error code", "error code"));
  const errorCode = code ?? (statusText === "success" ? 0 : undefined);
  const requirement = text(row["authentication requirement"]);
  const record = compact({
    id,
    createdDateTime,
    userDisplayName: text(row["user"]),
    userPrincipalName: text(row["username"]),
    userId: text(row["user id"]),
    userType: lowerFirst(text(row["user type"])),
    userAgent: text(row["user agent"]),
    correlationId: text(row["correlation id"]),
    crossTenantAccessType: camel(text(row["cross tenant access type"])),
    incomingTokenType: text(row["incoming token type"]),
    authenticationProtocol: camel(text(row["authentication protocol"])),
    uniqueTokenIdentifier: text(row["unique token identifier"]),
    originalTransferMethod: text(row["original transfer method"]),
    clientCredentialType: camel(text(row["client credential type"])),
    signInTokenProtectionStatus: text(row["token protection - sign in session"]),
    appDisplayName: text(row["application"]),
    appId: text(row["application id"]),
    resourceDisplayName: text(row["resource"]),
    resourceId: text(row["resource id"]),
    resourceTenantId: text(row["resource tenant id"]),
    resourceServicePrincipalId: text(row["resource service principal id"]),
    homeTenantId: text(row["home tenant id"]),
    homeTenantName: text(row["home tenant name"]),
    ipAddress: text(row["ip address"]),
    ipAddressFromResourceProvider: text(row["ip address (seen by resource)"]),
    location: parseLocation(row["location"]),
    status: { errorCode, failureReason: text(row["failure reason"]) },
    clientAppUsed: text(row["client app"]),
    deviceDetail: {
      deviceId: text(row["device id"]),
      browser: text(row["browser"]),
      operatingSystem: text(row["operating system"]),
      isCompliant: flag(row["compliant"]),
      isManaged: flag(row["managed"]),
      trustType: text(row["join type"]),
    },
    mfaDetail: {
      authMethod: text(row["multifactor authentication auth method"]),
      authDetail: text(row["multifactor authentication auth detail"]),
    },
    // The portal writes "Single-factor authentication"; Graph singleFactorAuthentication.
    authenticationRequirement: requirement ? camel(requirement.replace(/-/g, " ")) : undefined,
    signInIdentifier: text(row["sign-in identifier"]),
    sessionId: text(row["session id"]),
    isThroughGlobalSecureAccess: flag(row["through global secure access"]),
    globalSecureAccessIpAddress: text(row["global secure access ip address"]),
    autonomousSystemNumber: integer(row["autonomous system number"]),
    flaggedForReview: flag(row["flagged for review"]),
    tokenIssuerType: text(row["token issuer type"]),
    tokenIssuerName: text(row["token issuer name"]),
    processingTimeInMilliseconds: integer(String(row["latency"] ?? "").replace(/\s*ms$/i, "")),
    conditionalAccessStatus: camel(text(row["conditional access"])),
    servicePrincipalId: text(row["service principal id"]),
    servicePrincipalName: text(row["service principal name"]),
    servicePrincipalCredentialKeyId: text(row["credential key id"]),
    servicePrincipalCredentialThumbprint: text(row["credential thumbprint"]),
    federatedCredentialId: text(pick(row, "federated credential id", "federated token id")),
    managedServiceIdentity: {
      msiType: camel(text(row["managed identity type"])),
      associatedResourceId: text(row["associated resource id"]),
    },
  });
  return { ok: true, record, kind: tab ?? "unknown", format, derived: [] };
}
