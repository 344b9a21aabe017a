import assert from "node:assert/strict";
import { duckdbJsonStructure, duckdbType, SIGNIN_FIELDS } from "../../lib/schema/mod.ts";

// Every property of the v1.0 signIn resource (Microsoft Graph reference), plus the beta ones analysts use.
const V1 = [
  "appDisplayName",
  "appId",
  "appliedConditionalAccessPolicies",
  "authenticationContextClassReferences",
  "authenticationDetails",
  "authenticationMethodsUsed",
  "authenticationProcessingDetails",
  "authenticationProtocol",
  "authenticationRequirement",
  "authenticationRequirementPolicies",
  "autonomousSystemNumber",
  "azureResourceId",
  "clientAppUsed",
  "clientCredentialType",
  "conditionalAccessStatus",
  "correlationId",
  "createdDateTime",
  "crossTenantAccessType",
  "deviceDetail",
  "federatedCredentialId",
  "flaggedForReview",
  "homeTenantId",
  "homeTenantName",
  "id",
  "incomingTokenType",
  "ipAddress",
  "ipAddressFromResourceProvider",
  "isInteractive",
  "isTenantRestricted",
  "location",
  "managedServiceIdentity",
  "networkLocationDetails",
  "originalRequestId",
  "originalTransferMethod",
  "processingTimeInMilliseconds",
  "resourceDisplayName",
  "resourceId",
  "resourceServicePrincipalId",
  "resourceTenantId",
  "riskDetail",
  "riskEventTypes",
  "riskEventTypes_v2",
  "riskLevelAggregated",
  "riskLevelDuringSignIn",
  "riskState",
  "servicePrincipalCredentialKeyId",
  "servicePrincipalCredentialThumbprint",
  "servicePrincipalId",
  "servicePrincipalName",
  "sessionLifetimePolicies",
  "signInEventTypes",
  "signInIdentifier",
  "signInIdentifierType",
  "signInTokenProtectionStatus",
  "status",
  "tokenIssuerName",
  "tokenIssuerType",
  "uniqueTokenIdentifier",
  "userDisplayName",
  "userId",
  "userPrincipalName",
  "userType",
];
const BETA = ["userAgent", "mfaDetail"];

Deno.test("SIGNIN_FIELDS lists every v1.0 signIn property and the analysts' beta ones, once each", () => {
  const names = SIGNIN_FIELDS.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, "duplicate property");
  for (const n of [...V1, ...BETA]) assert.ok(names.includes(n), `missing ${n}`);
  for (const n of BETA) assert.equal(SIGNIN_FIELDS.find((f) => f.name === n)?.api, "beta");
});

Deno.test("duckdbType() and duckdbJsonStructure() describe nested types the same way", () => {
  const status = SIGNIN_FIELDS.find((f) => f.name === "status")!;
  assert.equal(
    duckdbType(status.type),
    `STRUCT("errorCode" INTEGER, "failureReason" VARCHAR, "additionalDetails" VARCHAR)`,
  );
  assert.deepEqual(duckdbJsonStructure(status.type), {
    errorCode: "INTEGER",
    failureReason: "VARCHAR",
    additionalDetails: "VARCHAR",
  });
  const cap = SIGNIN_FIELDS.find((f) => f.name === "appliedConditionalAccessPolicies")!;
  assert.match(duckdbType(cap.type), /^STRUCT\(.*"enforcedGrantControls" VARCHAR\[\].*\)\[\]$/);
});
