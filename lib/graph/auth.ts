/**
 * App-only tokens for Graph through @azure/msal-node's ConfidentialClientApplication (client secret or
 * certificate). The authority's endpoints are given to msal as metadata built from AZURE_AUTHORITY_HOST, so
 * the same code path serves the public cloud, national clouds and a loopback fake: msal makes exactly one
 * call, the token POST, and skips discovery.
 */
import {
  ConfidentialClientApplication,
  type Configuration,
  type INetworkModule,
  LogLevel,
  type NetworkRequestOptions,
  type NetworkResponse,
} from "@azure/msal-node";
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { GraphConfig } from "../config.ts";
import { GraphAuthError, TransientError } from "./errors.ts";
import type { Redactor } from "./redact.ts";

/** Supplies bearer tokens; `forceRefresh` bypasses any cache (used once after a 401). */
export interface TokenProvider {
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

/** The certificate parts msal-node needs, from one PEM file holding the certificate and its private key. */
export interface CertificateParts {
  thumbprintSha256: string;
  privateKey: string;
  x5c: string;
}

/** Splits a PEM bundle into what msal-node wants (pure apart from crypto). */
export function parseCertificatePem(
  pem: string,
  passphrase: string | undefined,
  path: string,
): CertificateParts {
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const key = pem.match(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/);
  if (certs.length === 0) throw new GraphAuthError("certificate", `${path} holds no PEM certificate block`);
  if (!key) throw new GraphAuthError("certificate", `${path} holds no PEM private key block`);
  let privateKey: string;
  try {
    // msal signs with a PKCS#8 key; converting also decrypts an encrypted key and accepts PKCS#1 input.
    privateKey = createPrivateKey({ key: key[0], format: "pem", passphrase }).export({
      type: "pkcs8",
      format: "pem",
    }) as string;
  } catch (e) {
    const encrypted = /ENCRYPTED/.test(key[0]);
    throw new GraphAuthError(
      "certificate",
      encrypted && !passphrase
        ? `${path} has an encrypted private key; set AZURE_CLIENT_CERTIFICATE_PASSWORD`
        : `${path}: private key cannot be read (${(e as Error).message.split("\n")[0]})`,
    );
  }
  const leaf = new X509Certificate(certs[0]!);
  const thumbprintSha256 = leaf.fingerprint256.replaceAll(":", "").toLowerCase();
  return { thumbprintSha256, privateKey, x5c: certs.join("\n") };
}

/** Authority endpoints for msal, built rather than discovered. */
export function authorityMetadata(authorityHost: string, tenantId: string): Record<string, string> {
  const base = `${authorityHost}/${tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    issuer: `${base}/v2.0`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
  };
}

export interface MsalTokenProviderOptions {
  /** Secrets and tokens seen here are registered for redaction. */
  redactor?: Redactor;
  readTextFile?: (path: string) => Promise<string>;
  /** Extra msal configuration for tests (e.g. `system.networkClient`); normally unset. */
  system?: Configuration["system"];
  /** The token request's deadline, connect to last byte (default 60 s); a slower endpoint is a transient fault. */
  deadlineMs?: number;
  fetch?: typeof fetch;
}

/** An msal network error with the code toAuthError() reads. */
function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { errorCode: code });
}

/**
 * msal's HTTP client, replaced for two reasons: its fetch follows redirects (a 307 would re-send the POST body,
 * client secret included, to whatever host the Location names) and its POST has no deadline (a trickling
 * token endpoint would hold the pull forever). This one refuses every redirect and bounds the whole request.
 */
export function tokenNetworkClient(
  options: { deadlineMs?: number; fetch?: typeof fetch } = {},
): INetworkModule {
  const doFetch = options.fetch ?? fetch;
  const deadlineMs = options.deadlineMs ?? DEFAULT_TOKEN_DEADLINE_MS;
  async function send<T>(
    method: "GET" | "POST",
    url: string,
    opts?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deadlineMs);
    try {
      let res: Response;
      try {
        res = await doFetch(url, {
          method,
          headers: opts?.headers,
          body: method === "POST" ? opts?.body ?? "" : undefined,
          redirect: "manual",
          signal: controller.signal,
        });
      } catch (e) {
        throw networkError(
          "network_error",
          controller.signal.aborted ? "deadline" : `connection failed: ${(e as Error).message}`,
        );
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => {});
        // Answered as an OAuth error of our own: msal turns a thrown error into a retried network_error, and
        // a redirect is not something a retry fixes.
        return {
          headers: {},
          body: { error: "redirect_refused", error_description: "redirect refused" } as T,
          status: 400,
        };
      }
      let text: string;
      try {
        text = await res.text();
      } catch {
        throw networkError("network_error", controller.signal.aborted ? "deadline" : "connection dropped");
      }
      let body: T;
      try {
        body = JSON.parse(text) as T;
      } catch {
        // msal reads the status and the error fields; a non-JSON body (a gateway's HTML page) has neither.
        body = {} as T;
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { headers, body, status: res.status };
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    sendGetRequestAsync: (url, opts) => send("GET", url, opts),
    sendPostRequestAsync: (url, opts) => send("POST", url, opts),
  };
}

export const DEFAULT_TOKEN_DEADLINE_MS = 60_000;

const MSAL_TRANSIENT = new Set([
  "network_error",
  "endpoints_resolution_error",
  "no_network_connectivity",
  "request_cannot_be_made",
]);

/** Creates the msal-node backed provider. msal caches the token and renews it shortly before expiry. */
export function createMsalTokenProvider(
  config: GraphConfig,
  options: MsalTokenProviderOptions = {},
): TokenProvider {
  const redactor = options.redactor;
  const readTextFile = options.readTextFile ?? ((p: string) => Deno.readTextFile(p));
  const host = new URL(config.authorityHost).host;
  const scope = `${config.graphBaseUrl}/.default`;
  let app: ConfidentialClientApplication | undefined;

  async function build(): Promise<ConfidentialClientApplication> {
    const c = config.credential;
    const auth: Configuration["auth"] = {
      clientId: config.clientId,
      // msal insists on an https authority; the real endpoints come from authorityMetadata (may be loopback http).
      authority: `https://${host}/${config.tenantId}`,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify(authorityMetadata(config.authorityHost, config.tenantId)),
    };
    if (c.kind === "secret") {
      redactor?.add(c.clientSecret);
      auth.clientSecret = c.clientSecret;
    } else {
      redactor?.add(c.certificatePassword);
      let pem: string;
      try {
        pem = await readTextFile(c.certificatePath);
      } catch (e) {
        throw new GraphAuthError(
          "certificate",
          `Cannot read AZURE_CLIENT_CERTIFICATE_PATH ${c.certificatePath}: ${
            (e as Error).message.split("\n")[0]
          }`,
        );
      }
      const parts = parseCertificatePem(pem, c.certificatePassword, c.certificatePath);
      redactor?.add(parts.privateKey);
      auth.clientCertificate = parts;
    }
    return new ConfidentialClientApplication({
      auth,
      system: {
        // msal's own log lines may carry request details; they stay off.
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
        networkClient: tokenNetworkClient({ deadlineMs: options.deadlineMs, fetch: options.fetch }),
        ...options.system,
      },
    });
  }

  return {
    async getToken(opts = {}) {
      app ??= await build();
      let result;
      try {
        result = await app.acquireTokenByClientCredential({
          scopes: [scope],
          skipCache: opts.forceRefresh === true,
        });
      } catch (e) {
        throw toAuthError(e, config, redactor);
      }
      if (!result?.accessToken) {
        throw new GraphAuthError(
          "no_token",
          `Token endpoint of ${config.authorityHost} returned no access token`,
        );
      }
      redactor?.add(result.accessToken);
      return result.accessToken;
    },
  };
}

/**
 * Fixed descriptions of the AADSTS codes an app-only token request meets. The token endpoint's own text is
 * never printed: besides trace ids and timestamps it can quote the request back, secret included.
 */
const AADSTS_DESCRIPTIONS: Record<string, string> = {
  "7000215": "Invalid client secret provided (use the secret's value, not its ID)",
  "7000222": "the client secret has expired; create a new one for the app",
  "700016": "the application was not found in the directory (check AZURE_CLIENT_ID and AZURE_TENANT_ID)",
  "700027": "the client assertion failed signature validation (is the certificate registered on the app?)",
  "700024": "the client assertion is not within its valid time range (check the machine's clock)",
  "7000112": "the application is disabled",
  "90002": "the tenant was not found (check AZURE_TENANT_ID)",
  "900023": "the tenant identifier is not valid (check AZURE_TENANT_ID)",
  "90072": "the account is not in the tenant",
  "1002012": "the requested scope is not valid (check MSGRAPH_BASE_URL)",
  "70011": "the requested scope is not valid (check MSGRAPH_BASE_URL)",
  "70003": "the grant type is not supported for this app",
  "53003": "access was blocked by a Conditional Access policy",
  "50034": "the account does not exist in the directory",
};

/** Fixed descriptions for msal error codes without an AADSTS code. */
const MSAL_DESCRIPTIONS: Record<string, string> = {
  network_error: "the token endpoint could not be reached or did not answer",
  endpoints_resolution_error: "the authority's endpoints could not be resolved",
  no_network_connectivity: "no network connection to the token endpoint",
  request_cannot_be_made: "the token request could not be made",
  invalid_client: "the client credential was rejected",
  unauthorized_client: "the application is not authorized for this tenant",
  invalid_request: "the token endpoint rejected the request",
  invalid_scope: "the requested scope is not valid",
  redirect_refused:
    "the token endpoint answered with a redirect, not followed (the client secret would go along); check AZURE_AUTHORITY_HOST",
};

function toAuthError(e: unknown, config: GraphConfig, redactor?: Redactor): Error {
  const err = e as { errorCode?: string; errorMessage?: string; message?: string; errorNo?: string };
  // The code comes from the server too: keep it only when it looks like an OAuth error code.
  const rawCode = String(err.errorCode ?? "");
  const code = /^[a-z][a-z0-9_]{0,63}$/i.test(rawCode) ? rawCode : "auth_error";
  const raw = String(err.errorMessage || err.message || "");
  const aadsts = /AADSTS(\d{4,9})\b/.exec(raw)?.[1] ??
    (/^\d{4,9}$/.test(String(err.errorNo ?? "")) ? err.errorNo : undefined);
  const description = aadsts
    ? `AADSTS${aadsts}: ${
      AADSTS_DESCRIPTIONS[aadsts] ?? `see https://login.microsoftonline.com/error?code=${aadsts}`
    }`
    : MSAL_DESCRIPTIONS[code] ?? "the token endpoint refused the request";
  const text =
    `Token request to ${config.authorityHost} for app ${config.clientId} failed: ${code}: ${description}`;
  // Nothing above is the server's text, but the redactor stays as the last line of defence.
  const safe = redactor ? redactor.redact(text) : text;
  if (MSAL_TRANSIENT.has(code)) return new TransientError(safe);
  return new GraphAuthError(code, safe);
}
