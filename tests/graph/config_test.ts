import assert from "node:assert/strict";
import { ConfigError, configSecrets, normalizeConfig } from "../../lib/config.ts";

const TENANT = "8c1b6a52-1f0e-4b6e-9a57-6d3c2f1e0a11";
const CLIENT = "5a3f2e1d-0c9b-4a87-b6e5-d4c3b2a19f08";

Deno.test("normalizeConfig() reads a client secret and defaults the public cloud hosts", () => {
  const c = normalizeConfig({
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: "s3cr3t-value",
  });
  assert.deepEqual(c, {
    tenantId: TENANT,
    clientId: CLIENT,
    credential: { kind: "secret", clientSecret: "s3cr3t-value" },
    authorityHost: "https://login.microsoftonline.com",
    graphBaseUrl: "https://graph.microsoft.com",
  });
  assert.deepEqual(configSecrets(c), ["s3cr3t-value"]);
});

Deno.test("normalizeConfig() takes a certificate, national cloud hosts and a domain tenant", () => {
  const c = normalizeConfig({
    AZURE_TENANT_ID: "contoso.onmicrosoft.us",
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_CERTIFICATE_PATH: "/etc/signin-lens/app.pem",
    AZURE_CLIENT_CERTIFICATE_PASSWORD: "pem-pass-phrase",
    AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/",
    MSGRAPH_BASE_URL: "https://graph.microsoft.us",
  });
  assert.deepEqual(c.credential, {
    kind: "certificate",
    certificatePath: "/etc/signin-lens/app.pem",
    certificatePassword: "pem-pass-phrase",
  });
  assert.equal(c.authorityHost, "https://login.microsoftonline.us");
  assert.equal(c.graphBaseUrl, "https://graph.microsoft.us");
  assert.deepEqual(configSecrets(c), ["pem-pass-phrase"]);
});

Deno.test("normalizeConfig() prefers the secret when both credentials are set, like the Azure SDK", () => {
  const c = normalizeConfig({
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: "s3cr3t-value",
    AZURE_CLIENT_CERTIFICATE_PATH: "/x.pem",
  });
  assert.equal(c.credential.kind, "secret");
});

Deno.test("normalizeConfig() allows plain http only on loopback", () => {
  const ok = normalizeConfig({
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: CLIENT,
    AZURE_CLIENT_SECRET: "s3cr3t-value",
    AZURE_AUTHORITY_HOST: "http://127.0.0.1:8080",
    MSGRAPH_BASE_URL: "http://localhost:9090/",
  });
  assert.equal(ok.authorityHost, "http://127.0.0.1:8080");
  assert.equal(ok.graphBaseUrl, "http://localhost:9090");
  assert.throws(
    () =>
      normalizeConfig({
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT,
        AZURE_CLIENT_SECRET: "s3cr3t-value",
        MSGRAPH_BASE_URL: "http://graph.example.com",
      }),
    /MSGRAPH_BASE_URL must use https/,
  );
});

Deno.test("normalizeConfig() lists every problem and never echoes the secret", () => {
  let err: unknown;
  try {
    normalizeConfig({
      AZURE_TENANT_ID: "common",
      AZURE_CLIENT_ID: "not-a-guid",
      AZURE_CLIENT_SECRET: "very-secret-123",
      MSGRAPH_BASE_URL: "https://graph.microsoft.com/v1.0",
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError);
  assert.equal(err.problems.length, 3);
  assert.match(err.message, /AZURE_TENANT_ID must name one tenant/);
  assert.match(err.message, /AZURE_CLIENT_ID is not a GUID/);
  assert.match(err.message, /must not include the API version/);
  assert.ok(!err.message.includes("very-secret-123"));
});

Deno.test("normalizeConfig() names missing variables", () => {
  assert.throws(() => normalizeConfig({}), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.problems.map((p) => p.split(" ")[0]), [
      "AZURE_TENANT_ID",
      "AZURE_CLIENT_ID",
      "Neither",
    ]);
    return true;
  });
});
