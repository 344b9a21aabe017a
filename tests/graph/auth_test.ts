import assert from "node:assert/strict";
import { createMsalTokenProvider, parseCertificatePem } from "../../lib/graph/auth.ts";
import { GraphAuthError, TransientError } from "../../lib/graph/errors.ts";
import { Redactor } from "../../lib/graph/redact.ts";
import { startFakeGraph } from "../fakes/graph_server.ts";
import { fakeConfig, secretForms } from "./helpers.ts";

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
const CERT = `${FIXTURES}test_cert.pem`;
const CERT_ENCRYPTED = `${FIXTURES}test_cert_encrypted.pem`;
const PUBLIC = Deno.readTextFileSync(`${FIXTURES}test_cert_public.pem`);

Deno.test("createMsalTokenProvider() gets a token with a client secret and reuses it", async () => {
  const fake = await startFakeGraph();
  try {
    const provider = createMsalTokenProvider(fakeConfig(fake));
    const a = await provider.getToken();
    const b = await provider.getToken();
    assert.equal(a, b);
    assert.equal(fake.stats.tokenRequests, 1);
    const c = await provider.getToken({ forceRefresh: true });
    assert.notEqual(c, a);
    assert.equal(fake.stats.tokenRequests, 2);
    assert.deepEqual(fake.stats.issuedTokens, [a, c]);
  } finally {
    await fake.close();
  }
});

Deno.test("createMsalTokenProvider() signs a client assertion with a PEM certificate", async () => {
  const fake = await startFakeGraph({ certificatePem: PUBLIC });
  try {
    const config = fakeConfig(fake, { AZURE_CLIENT_SECRET: "", AZURE_CLIENT_CERTIFICATE_PATH: CERT });
    assert.equal(config.credential.kind, "certificate");
    const token = await createMsalTokenProvider(config).getToken();
    assert.equal(fake.stats.issuedTokens[0], token);
  } finally {
    await fake.close();
  }
});

Deno.test("createMsalTokenProvider() decrypts an encrypted key with AZURE_CLIENT_CERTIFICATE_PASSWORD", async () => {
  const fake = await startFakeGraph({ certificatePem: PUBLIC });
  try {
    const base = { AZURE_CLIENT_SECRET: "", AZURE_CLIENT_CERTIFICATE_PATH: CERT_ENCRYPTED };
    const ok = fakeConfig(fake, { ...base, AZURE_CLIENT_CERTIFICATE_PASSWORD: "fixture-passphrase-1" });
    assert.ok(await createMsalTokenProvider(ok).getToken());
    await assert.rejects(
      createMsalTokenProvider(fakeConfig(fake, base)).getToken(),
      /encrypted private key; set AZURE_CLIENT_CERTIFICATE_PASSWORD/,
    );
  } finally {
    await fake.close();
  }
});

Deno.test("createMsalTokenProvider() reports a missing certificate file by its path", async () => {
  const fake = await startFakeGraph();
  try {
    const config = fakeConfig(fake, {
      AZURE_CLIENT_SECRET: "",
      AZURE_CLIENT_CERTIFICATE_PATH: "/nonexistent/app.pem",
    });
    await assert.rejects(
      createMsalTokenProvider(config).getToken(),
      /Cannot read AZURE_CLIENT_CERTIFICATE_PATH \/nonexistent\/app\.pem/,
    );
  } finally {
    await fake.close();
  }
});

Deno.test("createMsalTokenProvider() turns invalid_client into one line without the secret", async () => {
  const fake = await startFakeGraph();
  try {
    const secret = "Wrong~Secret~Value-0123456789";
    const redactor = new Redactor();
    const config = fakeConfig(fake, { AZURE_CLIENT_SECRET: secret });
    await assert.rejects(createMsalTokenProvider(config, { redactor }).getToken(), (e: unknown) => {
      assert.ok(e instanceof GraphAuthError);
      assert.equal(e.code, "invalid_client");
      assert.match(
        e.message,
        /^Token request to http:\/\/127\.0\.0\.1:\d+ for app [0-9a-f-]+ failed: invalid_client: AADSTS7000215/,
      );
      assert.ok(!e.message.includes("\n"));
      assert.ok(!e.message.includes("Trace ID"));
      assert.ok(!e.message.includes(secret));
      return true;
    });
    assert.equal(redactor.redact(`x ${secret} y`), "x [redacted] y");
  } finally {
    await fake.close();
  }
});

Deno.test("createMsalTokenProvider() reduces a token error that echoes the secret to its AADSTS code", async () => {
  // The fake quotes the request body back (the secret form-encoded as msal sent it), JSON-escaped and base64.
  const secret = "S3cr3t~Probe/ZXQ+v8=";
  const fake = await startFakeGraph({ clientSecret: secret, faults: [{ type: "tokenEchoSecret", at: 1 }] });
  try {
    // No redactor on purpose: the message itself must carry nothing the server said beyond the code.
    await assert.rejects(createMsalTokenProvider(fakeConfig(fake)).getToken(), (e: unknown) => {
      assert.ok(e instanceof GraphAuthError);
      assert.match(
        e.message,
        /^Token request to http:\/\/127\.0\.0\.1:\d+ for app [0-9a-f-]+ failed: invalid_client: AADSTS7000215: Invalid client secret provided \(use the secret's value, not its ID\)$/,
      );
      for (const [name, form] of Object.entries(secretForms(secret))) {
        assert.ok(!e.message.includes(form), `${name} form of the secret in ${e.message}`);
      }
      return true;
    });
    assert.equal(fake.stats.faultsInjected.tokenEchoSecret, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("createMsalTokenProvider() refuses a token endpoint redirect: the secret is never re-sent elsewhere", async () => {
  const bodies: string[] = [];
  const other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    bodies.push(await req.text());
    return Response.json({ token_type: "Bearer", expires_in: 3599, access_token: "stolen-token-value" });
  });
  const fake = await startFakeGraph({
    faults: [{ type: "tokenRedirect", at: 1, location: `http://127.0.0.1:${other.addr.port}/steal` }],
  });
  try {
    await assert.rejects(createMsalTokenProvider(fakeConfig(fake)).getToken(), (e: unknown) => {
      assert.ok(e instanceof GraphAuthError, String(e));
      assert.match(
        e.message,
        /failed: redirect_refused: the token endpoint answered with a redirect, not followed/,
      );
      return true;
    });
    assert.deepEqual(bodies, [], "the POST body (client secret) went to the other host");
  } finally {
    await fake.close();
    await other.shutdown();
  }
});

Deno.test("createMsalTokenProvider() gives up on a token endpoint that never answers, as a transient fault", async () => {
  const fake = await startFakeGraph({ faults: [{ type: "tokenStall", at: 1 }] });
  try {
    const started = performance.now();
    await assert.rejects(
      createMsalTokenProvider(fakeConfig(fake), { deadlineMs: 300 }).getToken(),
      (e: unknown) => {
        assert.ok(e instanceof TransientError, String(e));
        assert.match(
          e.message,
          /failed: network_error: the token endpoint could not be reached or did not answer$/,
        );
        return true;
      },
    );
    assert.ok(performance.now() - started < 10_000);
  } finally {
    await fake.close();
  }
});

Deno.test("parseCertificatePem() computes the SHA-256 thumbprint and names a PEM without key", () => {
  const pem = Deno.readTextFileSync(CERT);
  const parts = parseCertificatePem(pem, undefined, CERT);
  assert.match(parts.thumbprintSha256, /^[0-9a-f]{64}$/);
  assert.match(parts.privateKey, /^-----BEGIN PRIVATE KEY-----/);
  assert.throws(
    () => parseCertificatePem(PUBLIC, undefined, "only-cert.pem"),
    /only-cert\.pem holds no PEM private key/,
  );
});
