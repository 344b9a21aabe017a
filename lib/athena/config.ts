/**
 * Environment → Athena / S3 settings, by AWS conventions. Credentials are never read here: the SDK's default
 * chain (environment, ~/.aws profiles, SSO, container and instance roles) finds them.
 *
 * @module
 */

export interface AthenaConfig {
  /** AWS_REGION, else AWS_DEFAULT_REGION; undefined lets the SDK look in ~/.aws/config (AWS_PROFILE). */
  region?: string;
  /** ATHENA_WORKGROUP (default "primary"). */
  workgroup: string;
  /** ATHENA_DATABASE (default "signin_lens", as `deno task ddl` creates it). */
  database: string;
  /** ATHENA_OUTPUT_LOCATION, s3://bucket/prefix/; optional when the workgroup enforces its own. */
  outputLocation?: string;
  /** AWS_ENDPOINT_URL_ATHENA, else AWS_ENDPOINT_URL (VPC endpoints, local fakes). */
  athenaEndpoint?: string;
  /** AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL. */
  s3Endpoint?: string;
  /** Path-style S3 addressing: AWS_S3_FORCE_PATH_STYLE=true, or any endpoint on 127.0.0.1 / localhost. */
  s3ForcePathStyle: boolean;
}

export const ATHENA_CONFIG_DEFAULTS = { workgroup: "primary", database: "signin_lens" } as const;

/** A malformed setting; the message names the variable. */
export class AthenaConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AthenaConfigError";
  }
}

const get = (env: Record<string, string | undefined>, name: string) => env[name]?.trim() || undefined;

/** Builds the settings from an environment record (pure; pass `Deno.env.toObject()` at the edge). */
export function athenaConfigFromEnv(env: Record<string, string | undefined>): AthenaConfig {
  const problems: string[] = [];
  const region = get(env, "AWS_REGION") ?? get(env, "AWS_DEFAULT_REGION");
  if (region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    problems.push(`AWS_REGION ${JSON.stringify(region)} is not a region name like eu-west-1`);
  }
  const workgroup = get(env, "ATHENA_WORKGROUP") ?? ATHENA_CONFIG_DEFAULTS.workgroup;
  if (!/^[a-zA-Z0-9._-]{1,128}$/.test(workgroup)) {
    problems.push(`ATHENA_WORKGROUP ${JSON.stringify(workgroup)}: letters, digits, . _ - only`);
  }
  const database = get(env, "ATHENA_DATABASE") ?? ATHENA_CONFIG_DEFAULTS.database;
  if (!/^[a-z0-9_]{1,255}$/.test(database)) {
    problems.push(`ATHENA_DATABASE ${JSON.stringify(database)}: lower-case letters, digits and _ only`);
  }
  const outputLocation = get(env, "ATHENA_OUTPUT_LOCATION");
  if (outputLocation && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(outputLocation)) {
    problems.push(`ATHENA_OUTPUT_LOCATION ${JSON.stringify(outputLocation)}: expected s3://bucket/prefix/`);
  }
  const athenaEndpoint = endpoint(env, "AWS_ENDPOINT_URL_ATHENA", problems);
  const s3Endpoint = endpoint(env, "AWS_ENDPOINT_URL_S3", problems);
  const pathStyle = get(env, "AWS_S3_FORCE_PATH_STYLE")?.toLowerCase();
  if (problems.length > 0) throw new AthenaConfigError(problems.join("; "));
  return {
    region,
    workgroup,
    database,
    outputLocation: outputLocation && !outputLocation.endsWith("/") ? `${outputLocation}/` : outputLocation,
    athenaEndpoint,
    s3Endpoint,
    s3ForcePathStyle: pathStyle === "true" || (pathStyle !== "false" && isLoopback(s3Endpoint)),
  };
}

function endpoint(env: Record<string, string | undefined>, name: string, problems: string[]) {
  const raw = get(env, name) ?? get(env, "AWS_ENDPOINT_URL");
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL: ${JSON.stringify(raw)}`);
    return undefined;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(raw))) {
    problems.push(`${name} must use https (plain http only on 127.0.0.1 / localhost): ${url.origin}`);
  }
  return raw.replace(/\/+$/, "");
}

function isLoopback(raw: string | undefined): boolean {
  if (!raw) return false;
  try {
    const host = new URL(raw).hostname;
    return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

/**
 * Whether the environment describes an Athena setup worth trying: a region (or profile) and somewhere for
 * results to go (an output location or a non-default workgroup). `missing` says what to set when not.
 */
export function athenaSetupStatus(
  env: Record<string, string | undefined>,
): { ready: boolean; missing: string[] } {
  const missing: string[] = [];
  if (!get(env, "AWS_REGION") && !get(env, "AWS_DEFAULT_REGION") && !get(env, "AWS_PROFILE")) {
    missing.push("AWS_REGION (or AWS_PROFILE with a region in ~/.aws/config)");
  }
  if (!get(env, "ATHENA_OUTPUT_LOCATION") && !get(env, "ATHENA_WORKGROUP")) {
    missing.push(
      "ATHENA_OUTPUT_LOCATION (s3://bucket/athena-results/) or ATHENA_WORKGROUP with one enforced",
    );
  }
  return { ready: missing.length === 0, missing };
}
