/** Graph shapes (beta, camelCase as Graph's JSON) produced by the sample tenant. */

export interface SignInStatus {
  errorCode: number;
  failureReason: string | null;
  additionalDetails: string | null;
}

export interface DeviceDetail {
  deviceId: string;
  displayName: string;
  operatingSystem: string;
  browser: string;
  isCompliant: boolean;
  isManaged: boolean;
  trustType: string;
}

export interface GeoCoordinates {
  altitude?: number | null;
  latitude?: number;
  longitude?: number;
}

export interface SignInLocation {
  city: string | null;
  state: string | null;
  countryOrRegion: string | null;
  geoCoordinates: GeoCoordinates;
}

export interface AppliedConditionalAccessPolicy {
  id: string;
  displayName: string;
  enforcedGrantControls: string[];
  enforcedSessionControls: string[];
  result: string;
  conditionsSatisfied: string;
  conditionsNotSatisfied: string;
}

export interface AuthenticationDetail {
  authenticationStepDateTime: string;
  authenticationMethod: string;
  authenticationMethodDetail: string | null;
  succeeded: boolean;
  authenticationStepResultDetail: string;
  authenticationStepRequirement: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A Microsoft Graph beta signIn resource. */
export interface SignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string | null;
  userPrincipalName: string;
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  ipAddressFromResourceProvider: string | null;
  clientAppUsed: string;
  userAgent: string;
  correlationId: string;
  conditionalAccessStatus: string;
  conditionalAccessAudiences: string[];
  originalRequestId: string;
  authenticationProtocol: string;
  incomingTokenType: string;
  isInteractive: boolean;
  homeTenantId: string;
  homeTenantName: string;
  isTenantRestricted: boolean;
  isThroughGlobalSecureAccess: boolean;
  globalSecureAccessIpAddress: string | null;
  tokenIssuerName: string;
  tokenIssuerType: string;
  processingTimeInMilliseconds: number;
  riskDetail: string;
  riskLevelAggregated: string;
  riskLevelDuringSignIn: string;
  riskState: string;
  riskEventTypes_v2: string[];
  resourceDisplayName: string;
  resourceId: string;
  resourceServicePrincipalId: string;
  resourceTenantId: string;
  authenticationMethodsUsed: string[];
  authenticationRequirement: string;
  signInIdentifier: string;
  signInIdentifierType: string | null;
  signInEventTypes: string[];
  servicePrincipalId: string;
  servicePrincipalName: string | null;
  servicePrincipalCredentialKeyId: string | null;
  servicePrincipalCredentialThumbprint: string;
  federatedCredentialId: string | null;
  userType: string;
  flaggedForReview: boolean;
  autonomousSystemNumber: number;
  crossTenantAccessType: string;
  clientCredentialType: string;
  uniqueTokenIdentifier: string;
  sessionId: string;
  originalTransferMethod: string;
  azureResourceId: string | null;
  appTokenProtectionStatus: string | null;
  signInTokenProtectionStatus: string;
  status: SignInStatus;
  deviceDetail: DeviceDetail;
  location: SignInLocation;
  mfaDetail: { authMethod: string | null; authDetail: string | null };
  appliedConditionalAccessPolicies: AppliedConditionalAccessPolicy[];
  appliedEventListeners: unknown[];
  authenticationAppDeviceDetails: null;
  authenticationAppPolicyEvaluationDetails: unknown[];
  authenticationContextClassReferences: unknown[];
  authenticationProcessingDetails: KeyValue[];
  authenticationRequirementPolicies: { requirementProvider: string; detail: string }[];
  authenticationDetails: AuthenticationDetail[];
  networkLocationDetails: { networkType: string; networkNames: string[] }[];
  sessionLifetimePolicies: { expirationRequirement: string; detail: string }[];
  privateLinkDetails: {
    policyId: string | null;
    policyName: string | null;
    resourceId: string | null;
    policyTenantId: string | null;
  };
  managedServiceIdentity: {
    msiType: string;
    associatedResourceId: string | null;
    federatedTokenId: string | null;
    federatedTokenIssuer: string | null;
  };
  tokenProtectionStatusDetails: { signInSessionStatus: string; signInSessionStatusCode: number | null };
}

export interface AuditUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string | null;
  ipAddress: string | null;
  userType: string | null;
  homeTenantId: string | null;
  homeTenantName: string | null;
}

export interface AuditApp {
  appId: string | null;
  displayName: string | null;
  servicePrincipalId: string | null;
  servicePrincipalName: string | null;
}

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface TargetResource {
  id: string;
  displayName: string | null;
  type: string;
  userPrincipalName: string | null;
  groupType: string | null;
  modifiedProperties: ModifiedProperty[];
}

/** A Microsoft Graph beta directoryAudit resource. */
export interface DirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: string;
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  userAgent: string | null;
  initiatedBy: { app: AuditApp | null; user: AuditUser | null };
  targetResources: TargetResource[];
  additionalDetails: KeyValue[];
}

/** Options shared by every sample generator. */
export interface SampleOptions {
  /** Number of member users in the tenant, 25 to 100000 (default 60). */
  users?: number;
  /** Length of the window in days, 7 to 3650 (default 30). */
  days?: number;
  /** Seed of the pseudo-random streams (default 1); any safe integer. */
  seed?: number;
  /** Exclusive end of the window, an ISO instant at midnight UTC (default "2026-11-01T00:00:00Z"). */
  end?: string;
}

/** Options after validation, with the window resolved to epoch days. */
export interface ResolvedOptions {
  users: number;
  days: number;
  seed: number;
  end: string;
  /** First day of the window, in days since 1970-01-01 (UTC). */
  startDay: number;
  /** Exclusive last day of the window, in days since 1970-01-01 (UTC). */
  endDay: number;
}
