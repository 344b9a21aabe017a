/**
 * Environment → typed configuration, following the Azure SDK's environment variable conventions.
 *
 * `normalizeConfig(env)` is pure (testable with a plain object); `readConfig()` is the one place that reads
 * the process environment.
 *
 * @module
 */

/** How the app proves its identity to Entra ID. */
export type GraphCredential =
  | { kind: "secret"; clientSecret: string }
  | { kind: "certificate"; certificatePath: string; certificatePassword?: string };

/** Everything needed to reach Microsoft Graph as an app (client credentials flow). */
export interface GraphConfig {
  tenantId: string;
  clientId: string;
  credential: GraphCredential;
  /** Entra ID authority host without trailing slash, e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  /** Graph base URL without trailing slash or version, e.g. `https://graph.microsoft.com`. */
  graphBaseUrl: string;
}

export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com";

/** Raised when the environment does not describe a usable configuration; lists every problem at once. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `Configuration has ${problems.length} problems: ${problems.join("; ")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
// Multi-tenant aliases cannot be used with the client credentials flow.
const TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Validates a host URL: https anywhere, plain http only on loopback (test fakes, local air-gapped proxies),
 * so a typo can never send a client secret in clear text across a network.
 */
function normalizeHostUrl(name: string, raw: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL: ${JSON.stringify(raw)}`);
    return raw;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    problems.push(
      `${name} must use https (plain http is allowed only on 127.0.0.1 / localhost): ${url.origin}`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    problems.push(`${name} must be a bare host URL without query, fragment or credentials`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (name === "MSGRAPH_BASE_URL" && /\/(v1\.0|beta)$/.test(path)) {
    problems.push(`${name} must not include the API version (use --api v1.0|beta): ${url.origin}${path}`);
  }
  return `${url.protocol}//${url.host}${path}`;
}

function value(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/**
 * Builds a {@linkcode GraphConfig} from environment variables (pure: pass any record).
 *
 * Variables: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, and `AZURE_CLIENT_SECRET` or
 * `AZURE_CLIENT_CERTIFICATE_PATH` (PEM with certificate and private key; `AZURE_CLIENT_CERTIFICATE_PASSWORD`
 * for an encrypted key); optional `AZURE_AUTHORITY_HOST` and `MSGRAPH_BASE_URL` for national clouds.
 * When both a secret and a certificate are set the secret wins, as in the Azure SDK's EnvironmentCredential.
 *
 * @throws {ConfigError} naming every missing or malformed variable (never echoing a secret)
 * @example
 * ```ts
 * const config = normalizeConfig({
 *   AZURE_TENANT_ID: "contoso.onmicrosoft.com",
 *   AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000001",
 *   AZURE_CLIENT_SECRET: "…",
 * });
 * ```
 */
export function normalizeConfig(env: Record<string, string | undefined>): GraphConfig {
  const problems: string[] = [];
  const tenantId = value(env, "AZURE_TENANT_ID");
  const clientId = value(env, "AZURE_CLIENT_ID");
  const clientSecret = value(env, "AZURE_CLIENT_SECRET");
  const certificatePath = value(env, "AZURE_CLIENT_CERTIFICATE_PATH");
  const certificatePassword = env["AZURE_CLIENT_CERTIFICATE_PASSWORD"] || undefined;

  if (!tenantId) {
    problems.push("AZURE_TENANT_ID is not set (the directory (tenant) ID of your Entra ID tenant)");
  } else if (TENANT_ALIASES.has(tenantId.toLowerCase())) {
    problems.push(`AZURE_TENANT_ID must name one tenant (a GUID or domain), not "${tenantId}"`);
  } else if (!GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    problems.push(`AZURE_TENANT_ID is neither a GUID nor a domain name: ${JSON.stringify(tenantId)}`);
  }
  if (!clientId) {
    problems.push("AZURE_CLIENT_ID is not set (the application (client) ID of the app registration)");
  } else if (!GUID.test(clientId)) {
    problems.push(`AZURE_CLIENT_ID is not a GUID: ${JSON.stringify(clientId)}`);
  }
  if (!clientSecret && !certificatePath) {
    problems.push("Neither AZURE_CLIENT_SECRET nor AZURE_CLIENT_CERTIFICATE_PATH is set (one is required)");
  }
  const authorityHost = normalizeHostUrl(
    "AZURE_AUTHORITY_HOST",
    value(env, "AZURE_AUTHORITY_HOST") ?? DEFAULT_AUTHORITY_HOST,
    problems,
  );
  const graphBaseUrl = normalizeHostUrl(
    "MSGRAPH_BASE_URL",
    value(env, "MSGRAPH_BASE_URL") ?? DEFAULT_GRAPH_BASE_URL,
    problems,
  );
  if (problems.length > 0) throw new ConfigError(problems);

  const credential: GraphCredential = clientSecret
    ? { kind: "secret", clientSecret }
    : { kind: "certificate", certificatePath: certificatePath!, certificatePassword };
  return { tenantId: tenantId!, clientId: clientId!, credential, authorityHost, graphBaseUrl };
}

/** The secret strings of a config, for redaction of anything that might be printed or stored. */
export function configSecrets(config: GraphConfig): string[] {
  const c = config.credential;
  if (c.kind === "secret") return [c.clientSecret];
  return c.certificatePassword ? [c.certificatePassword] : [];
}

/** Reads the configuration from the process environment (the edge; everything else is pure). */
export function readConfig(env: Record<string, string | undefined> = Deno.env.toObject()): GraphConfig {
  return normalizeConfig(env);
}
