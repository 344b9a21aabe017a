/**
 * Turns one sign-in attempt (who, what, where, how it went) into a Graph beta signIn record,
 * applying the tenant's Conditional Access policies the way Entra reports them.
 */

import {
  type App,
  isLegacyClient,
  type Place,
  POLICIES,
  type PolicyDef,
  type Resource,
  RESOURCES,
  STATUS,
  TENANT_ID,
} from "./catalog.ts";
import type { Client } from "./clients.ts";
import type { Rng } from "./prng.ts";
import { servicePrincipalId, type Tenant } from "./tenant.ts";
import { graphTimestamp } from "./time.ts";
import type {
  AppliedConditionalAccessPolicy,
  AuthenticationDetail,
  SignIn,
  SignInLocation,
} from "./types.ts";

export interface Identity {
  id: string;
  displayName: string | null;
  upn: string;
  userType: "member" | "guest";
  homeTenantId: string;
}

export interface Net {
  ip: string;
  /** null when the address cannot be geolocated (anonymizers): Graph then writes geoCoordinates {}. */
  place: Place | null;
  asn: number;
  /** Named location (trusted office network), if any. */
  named: string | null;
}

export type MfaOutcome = "claim" | "push" | "denied" | "timeout" | "none";

export type Outcome =
  /** Primary authentication failed before Conditional Access was evaluated. */
  | { kind: "primaryFail"; code: 50126 | 50053 | 50057 | 90072; variant?: "malicious" | "lockout" }
  /** Sign-in interrupted (expected step of the flow); Conditional Access not evaluated. */
  | { kind: "interrupt"; code: 50140 | 50058 | 50072 | 50055 | 65001 }
  /** Credentials were good; Conditional Access and MFA decide the result. */
  | { kind: "auth"; mfa: MfaOutcome };

export interface Risk {
  during: "none" | "low" | "medium" | "high";
  aggregated: "none" | "low" | "medium" | "high";
  state: "none" | "atRisk" | "remediated" | "confirmedSafe";
  detail: string;
  events: string[];
}

export const NO_RISK: Risk = {
  during: "none",
  aggregated: "none",
  state: "none",
  detail: "none",
  events: [],
};

export interface Attempt {
  /** UTC seconds and, when present, 100 ns ticks within the second (Graph's seven fractional digits). */
  sec: number;
  ticks: number | null;
  identity: Identity;
  app: App;
  resource: Resource;
  net: Net;
  client: Client;
  interactive: boolean;
  outcome: Outcome;
  risk?: Risk;
  /** Shared by the records of one flow (e.g. 50074 then success). */
  correlationId?: string;
  /** Id of this record; defaults to a fresh request id. */
  requestId?: string;
  /** Request id of the first record of the flow; defaults to this record's id. */
  originalRequestId?: string;
  /** Graph's authenticationProtocol; defaults from the client. */
  protocol?: string;
  /** Seconds between the password step and the MFA step (for MFA push flows). */
  mfaDelay?: number;
  /** Graph's sessionId; defaults to a fresh one for a success. Planted replays reuse their victim's. */
  sessionId?: string;
  /** Graph's incomingTokenType; defaults from the flow (refresh or primary refresh token, or none). */
  incomingTokenType?: string;
  /** Graph's originalTransferMethod (`deviceCodeFlow` for a session begun with a device code); default none. */
  originalTransferMethod?: string;
}

interface CaEvaluation {
  policies: AppliedConditionalAccessPolicy[];
  status: string;
  blocked: boolean;
  mfaRequired: boolean;
  sifApplied: boolean;
}

function policyEntry(
  p: PolicyDef,
  result: string,
  satisfied: string,
  notSatisfied: string,
): AppliedConditionalAccessPolicy {
  return {
    id: p.id,
    displayName: p.displayName,
    enforcedGrantControls: p.grant.slice(),
    enforcedSessionControls: p.session.slice(),
    result,
    conditionsSatisfied: satisfied,
    conditionsNotSatisfied: notSatisfied,
  };
}

function evaluateCa(a: Attempt, risk: Risk): CaEvaluation {
  if (a.outcome.kind !== "auth") {
    return {
      policies: POLICIES.map((p) => policyEntry(p, "notApplied", "none", "none")),
      status: "notApplied",
      blocked: false,
      mfaRequired: false,
      sifApplied: false,
    };
  }
  const legacy = isLegacyClient(a.client.clientAppUsed);
  const mfaOk = a.outcome.mfa === "claim" || a.outcome.mfa === "push";
  const dev = a.client.deviceDetail;
  let blocked = false;
  let mfaRequired = false;
  let sifApplied = false;
  let anyApplied = false;
  let anyFailed = false;
  const policies = POLICIES.map((p) => {
    let applies: boolean;
    let cond: string;
    switch (p.key) {
      case "mfaAll":
        applies = !legacy;
        cond = "clientType";
        break;
      case "blockLegacy":
        applies = legacy;
        cond = "clientType";
        break;
      case "blockHighRisk":
        applies = risk.during === "high";
        cond = "signInRisk";
        break;
      case "mfaMediumRisk":
        applies = risk.during === "medium";
        cond = "signInRisk";
        break;
      case "unmanagedSif":
        applies = !dev.isManaged && a.client.clientAppUsed === "Browser";
        cond = "deviceState";
        break;
      case "compliantAdmin":
        applies = a.resource.id === RESOURCES.azureManagement.id;
        cond = "application";
        break;
    }
    if (!applies) {
      return policyEntry(p, "notApplied", cond === "application" ? "users" : "application,users", cond);
    }
    anyApplied = true;
    let ok: boolean;
    if (p.grant.includes("Block")) {
      ok = false;
      blocked = true;
    } else if (p.grant.includes("Mfa")) {
      mfaRequired = true;
      ok = mfaOk;
    } else if (p.grant.includes("RequireCompliantDevice")) {
      ok = dev.isCompliant;
      if (!ok) blocked = true;
    } else {
      sifApplied = true;
      ok = true;
    }
    if (!ok) anyFailed = true;
    return policyEntry(p, ok ? "success" : "failure", `application,users,${cond}`, "none");
  });
  return {
    policies,
    status: anyFailed ? "failure" : anyApplied ? "success" : "notApplied",
    blocked,
    mfaRequired,
    sifApplied,
  };
}

function location(place: Place | null): SignInLocation {
  if (place === null) return { city: null, state: null, countryOrRegion: null, geoCoordinates: {} };
  return {
    city: place.city,
    state: place.state,
    countryOrRegion: place.country,
    geoCoordinates: { altitude: null, latitude: place.latitude, longitude: place.longitude },
  };
}

/** The error code an attempt ends with, after Conditional Access. */
export function resultCode(a: Attempt): number {
  if (a.outcome.kind !== "auth") return a.outcome.code;
  const ca = evaluateCa(a, a.risk ?? NO_RISK);
  if (ca.blocked) return 53003;
  if (ca.mfaRequired) {
    if (a.outcome.mfa === "denied" || a.outcome.mfa === "timeout") return 500121;
    if (a.outcome.mfa === "none") return 50074;
  }
  return 0;
}

const PASSWORD_OK = "Correct password";
const PASSWORD_BAD = "Invalid username or password or Invalid on-premise username or password.";

/** Builds the Graph record. `rng` supplies ids; it must be the caller's deterministic stream. */
export function buildSignIn(tenant: Tenant, a: Attempt, rng: Rng): SignIn {
  const risk = a.risk ?? NO_RISK;
  const ca = evaluateCa(a, risk);
  const ts = graphTimestamp(a.sec, a.ticks);
  const legacy = isLegacyClient(a.client.clientAppUsed);
  const o = a.outcome;

  let code: number;
  let statusKey: string;
  if (o.kind === "primaryFail") {
    code = o.code;
    statusKey = o.code === 50053 && o.variant === "malicious" ? "50053:malicious" : String(o.code);
  } else if (o.kind === "interrupt") {
    code = o.code;
    statusKey = String(o.code);
  } else {
    code = ca.blocked
      ? 53003
      : ca.mfaRequired && (o.mfa === "denied" || o.mfa === "timeout")
      ? 500121
      : ca.mfaRequired && o.mfa === "none"
      ? 50074
      : 0;
    statusKey = code !== 0
      ? String(code)
      : ca.mfaRequired && o.mfa === "push"
      ? "0:mfa"
      : ca.mfaRequired && o.mfa === "claim"
      ? "0:claim"
      : "0";
  }
  const text = STATUS[statusKey];

  // Authentication steps as the portal's "Authentication Details" tab shows them.
  const steps: AuthenticationDetail[] = [];
  const stepAt = (offset: number) => offset === 0 ? ts : graphTimestamp(a.sec + offset, null);
  const passwordStep = (ok: boolean, detail: string): AuthenticationDetail => ({
    authenticationStepDateTime: ts,
    authenticationMethod: "Password",
    authenticationMethodDetail: "Password Hash Sync",
    succeeded: ok,
    authenticationStepResultDetail: detail,
    authenticationStepRequirement: "Primary authentication",
  });
  const claimStep = (requirement: string, detail: string): AuthenticationDetail => ({
    authenticationStepDateTime: ts,
    authenticationMethod: "Previously satisfied",
    authenticationMethodDetail: null,
    succeeded: true,
    authenticationStepResultDetail: detail,
    authenticationStepRequirement: requirement,
  });
  const usesToken = !a.interactive || (o.kind === "auth" && o.mfa === "claim" && !legacy);
  if (o.kind === "primaryFail") {
    const detail = o.code === 50126
      ? PASSWORD_BAD
      : o.code === 50053
      ? (o.variant === "malicious" ? "Malicious IP address" : "Account is locked")
      : o.code === 50057
      ? "User account is disabled"
      : "User does not exist in the tenant";
    steps.push(passwordStep(false, detail));
  } else if (usesToken) {
    steps.push(
      claimStep("Primary authentication", "First factor requirement satisfied by claim in the token"),
    );
    if (ca.mfaRequired) {
      steps.push(claimStep("Multi-factor authentication", "MFA requirement satisfied by claim in the token"));
    }
  } else {
    steps.push(passwordStep(true, PASSWORD_OK));
    if (o.kind === "auth" && ca.mfaRequired && !ca.blocked) {
      const mfaStep = (ok: boolean, detail: string): AuthenticationDetail => ({
        authenticationStepDateTime: stepAt(a.mfaDelay ?? 0),
        authenticationMethod: "Mobile app notification",
        authenticationMethodDetail: null,
        succeeded: ok,
        authenticationStepResultDetail: detail,
        authenticationStepRequirement: "Multi-factor authentication",
      });
      if (o.mfa === "push") steps.push(mfaStep(true, "MFA successfully completed"));
      else if (o.mfa === "denied") steps.push(mfaStep(false, "MFA denied; user declined the authentication"));
      else if (o.mfa === "timeout") {
        steps.push(mfaStep(false, "MFA denied; user did not respond to mobile app notification"));
      } else if (o.mfa === "none") steps.push(mfaStep(false, "MFA required in Azure AD"));
    }
  }

  const methodsUsed: string[] = [];
  if (steps.some((s) => s.authenticationMethod === "Password" && s.succeeded)) methodsUsed.push("Password");
  if (steps.some((s) => s.authenticationMethod === "Mobile app notification" && s.succeeded)) {
    methodsUsed.push("Mobile app notification");
  }
  const mfaPerformed = o.kind === "auth" && o.mfa === "push" && ca.mfaRequired && !ca.blocked;

  const id = a.requestId ?? rng.requestId();
  const requestId = a.originalRequestId ?? id;
  const protocol = a.protocol ?? (legacy ? "none" : a.interactive ? "oAuth2" : "none");
  const isOffice = a.net.named !== null;

  return {
    id,
    createdDateTime: ts,
    userDisplayName: a.identity.displayName,
    userPrincipalName: a.identity.upn,
    userId: a.identity.id,
    appId: a.app.id,
    appDisplayName: a.app.name,
    ipAddress: a.net.ip,
    ipAddressFromResourceProvider: null,
    clientAppUsed: a.client.clientAppUsed,
    userAgent: a.client.userAgent,
    correlationId: a.correlationId ?? rng.guid(),
    conditionalAccessStatus: ca.status,
    conditionalAccessAudiences: o.kind === "auth" ? [a.resource.id] : [],
    originalRequestId: requestId,
    authenticationProtocol: protocol,
    incomingTokenType: a.incomingTokenType ??
      (usesToken
        ? (a.client.deviceDetail.trustType.endsWith("joined") ? "primaryRefreshToken" : "refreshToken")
        : "none"),
    isInteractive: a.interactive,
    homeTenantId: a.identity.homeTenantId,
    homeTenantName: "",
    isTenantRestricted: false,
    isThroughGlobalSecureAccess: false,
    globalSecureAccessIpAddress: null,
    tokenIssuerName: "",
    tokenIssuerType: "AzureAD",
    processingTimeInMilliseconds: a.interactive ? rng.int(60, 900) : rng.int(15, 180),
    riskDetail: risk.detail,
    riskLevelAggregated: risk.aggregated,
    riskLevelDuringSignIn: risk.during,
    riskState: risk.state,
    riskEventTypes_v2: risk.events.slice(),
    resourceDisplayName: a.resource.name,
    resourceId: a.resource.id,
    resourceServicePrincipalId: servicePrincipalId(tenant, a.resource.id),
    resourceTenantId: TENANT_ID,
    authenticationMethodsUsed: methodsUsed,
    authenticationRequirement: ca.mfaRequired ? "multiFactorAuthentication" : "singleFactorAuthentication",
    signInIdentifier: a.interactive ? a.identity.upn : "",
    signInIdentifierType: a.interactive ? "userPrincipalName" : null,
    signInEventTypes: [a.interactive ? "interactiveUser" : "nonInteractiveUser"],
    servicePrincipalId: "",
    servicePrincipalName: null,
    servicePrincipalCredentialKeyId: null,
    servicePrincipalCredentialThumbprint: "",
    federatedCredentialId: null,
    userType: a.identity.userType,
    flaggedForReview: false,
    autonomousSystemNumber: a.net.asn,
    crossTenantAccessType: a.identity.homeTenantId === TENANT_ID ? "none" : "b2bCollaboration",
    clientCredentialType: "none",
    uniqueTokenIdentifier: rng.tokenId(),
    // A planted replay carries its victim's session id.
    sessionId: code === 0 ? (a.sessionId ?? rng.guid()) : "",
    originalTransferMethod: a.originalTransferMethod ?? "none",
    azureResourceId: null,
    appTokenProtectionStatus: null,
    signInTokenProtectionStatus: "none",
    status: { errorCode: code, failureReason: text.failureReason, additionalDetails: text.additionalDetails },
    deviceDetail: { ...a.client.deviceDetail },
    location: location(a.net.place),
    mfaDetail: mfaPerformed
      ? { authMethod: "Mobile app notification", authDetail: null }
      : { authMethod: null, authDetail: null },
    appliedConditionalAccessPolicies: ca.policies,
    appliedEventListeners: [],
    authenticationAppDeviceDetails: null,
    authenticationAppPolicyEvaluationDetails: [],
    authenticationContextClassReferences: [],
    authenticationProcessingDetails: [
      { key: "Legacy TLS (TLS 1.0, 1.1, 3DES)", value: "False" },
      { key: "Is CAE Token", value: usesToken && !legacy ? "True" : "False" },
    ],
    authenticationRequirementPolicies: ca.mfaRequired
      ? [{ requirementProvider: "multiConditionalAccess", detail: "Conditional Access" }]
      : [],
    authenticationDetails: steps,
    networkLocationDetails: isOffice
      ? [{ networkType: "trustedNamedLocation", networkNames: [a.net.named!] }]
      : [],
    sessionLifetimePolicies: ca.sifApplied
      ? [{ expirationRequirement: "signInFrequencyPeriodicReauthentication", detail: "Sign-in frequency" }]
      : [],
    privateLinkDetails: { policyId: null, policyName: null, resourceId: null, policyTenantId: null },
    managedServiceIdentity: {
      msiType: "none",
      associatedResourceId: null,
      federatedTokenId: null,
      federatedTokenIssuer: null,
    },
    tokenProtectionStatusDetails: { signInSessionStatus: "unbound", signInSessionStatusCode: null },
  };
}
