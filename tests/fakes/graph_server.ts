/**
 * A fake Microsoft Graph + Entra ID token endpoint on 127.0.0.1 that speaks the real wire protocol:
 * the OAuth2 v2.0 token endpoint (form POST, client secret or certificate assertion), Graph list responses
 * with `@odata.context` / `@odata.nextLink` and opaque `$skiptoken`s, `$filter` time windows and `$top`
 * applied, newest first, and Graph's error body. Faults are injected on request: 429 with Retry-After, 5xx,
 * a connection dropped mid-body, a stalled body, an expired token (401), missing permission (403), a 200
 * that is not a page, redirects (on this host or to another), a two-URL or endless nextLink loop, a body
 * trickled a byte at a time, a token error echoing the client secret in the encodings servers use ….
 *
 * Used by the tests and by the benchmark:
 * ```ts
 * const fake = await startFakeGraph({ signIns: makeSignIns({ count: 100_000 }) });
 * // AZURE_AUTHORITY_HOST=fake.authorityHost MSGRAPH_BASE_URL=fake.url, credentials from fake.env
 * await fake.close();
 * ```
 */
import { constants, verify, X509Certificate } from "node:crypto";
import { generateDirectoryAudits, generateSignIns, type SampleOptions } from "../../lib/sample/mod.ts";
import { mulberry32 } from "./prng.ts";

// ---------------------------------------------------------------------------------------------------------------
// Records

/** A record as the fake serves it: the JSON text plus the fields the fake filters on. */
export interface FakeRecord {
  id: string;
  /** createdDateTime (sign-ins) or activityDateTime (audits), ms since epoch. */
  time: number;
  /** Graph `signInEventTypes[0]` for sign-ins (`interactiveUser`, `nonInteractiveUser`, …). */
  eventType?: string;
  json: string;
}

function guid(rand: () => number): string {
  const h = () => Math.floor(rand() * 0x10000).toString(16).padStart(4, "0");
  return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const USERS = [
  "adele",
  "alex",
  "diego",
  "grady",
  "isaiah",
  "joni",
  "lee",
  "lynne",
  "megan",
  "nestor",
  "patti",
  "pradeep",
];
const APPS = [
  ["00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"],
  ["00000003-0000-0000-c000-000000000000", "Microsoft Graph"],
  ["1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"],
  ["c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"],
];
const PLACES = [
  ["Seattle", "Washington", "US", 47.6, -122.3],
  ["London", "England", "GB", 51.5, -0.1],
  ["Berlin", "Berlin", "DE", 52.5, 13.4],
  ["Lagos", "Lagos", "NG", 6.5, 3.4],
  ["Sao Paulo", "Sao Paulo", "BR", -23.5, -46.6],
] as const;
const ERRORS = [
  [0, "Other."],
  [0, "Other."],
  [0, "Other."],
  [0, "Other."],
  [50126, "Error validating credentials due to invalid username or password."],
  [50074, "Strong Authentication is required."],
  [53003, "Access has been blocked by Conditional Access policies."],
] as const;
const GRAPH_EVENT_TYPES = ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"];

export interface MakeRecordsOptions {
  count: number;
  /** Range the timestamps are spread over (default: the 7 days before now). */
  from?: number;
  to?: number;
  seed?: number;
  /** Graph event types to cycle through for sign-ins (default interactiveUser only). */
  eventTypes?: string[];
}

function spread(o: MakeRecordsOptions): { rand: () => number; times: number[] } {
  const to = o.to ?? Date.now();
  const from = o.from ?? to - 7 * 86_400_000;
  const rand = mulberry32(o.seed ?? 1);
  const times: number[] = [];
  for (let i = 0; i < o.count; i++) times.push(Math.floor(from + ((i + rand()) * (to - from)) / o.count));
  return { rand, times };
}

/** Simple valid signIn records (v1.0 fields plus beta's `signInEventTypes`), deterministic for a seed. */
export function makeSignIns(o: MakeRecordsOptions): FakeRecord[] {
  const { rand, times } = spread(o);
  const types = o.eventTypes ?? ["interactiveUser"];
  return times.map((t, i) => {
    const user = USERS[Math.floor(rand() * USERS.length)];
    const [appId, appName] = APPS[Math.floor(rand() * APPS.length)];
    const [city, state, country, lat, lon] = PLACES[Math.floor(rand() * PLACES.length)];
    const [errorCode, failureReason] = ERRORS[Math.floor(rand() * ERRORS.length)];
    const eventType = types[i % types.length];
    const id = guid(rand);
    const record = {
      id,
      createdDateTime: isoSeconds(t),
      userDisplayName: user[0].toUpperCase() + user.slice(1),
      userPrincipalName: `${user}@contoso.example`,
      userId: guid(rand),
      appId,
      appDisplayName: appName,
      ipAddress: `203.0.113.${Math.floor(rand() * 254) + 1}`,
      clientAppUsed: "Browser",
      correlationId: guid(rand),
      conditionalAccessStatus: errorCode === 53003 ? "failure" : "notApplied",
      isInteractive: eventType === "interactiveUser",
      signInEventTypes: [eventType],
      riskDetail: "none",
      riskLevelAggregated: "none",
      riskLevelDuringSignIn: "none",
      riskState: "none",
      riskEventTypes_v2: [],
      resourceDisplayName: "Microsoft Graph",
      resourceId: "00000003-0000-0000-c000-000000000000",
      status: { errorCode, failureReason, additionalDetails: null },
      deviceDetail: {
        deviceId: "",
        displayName: "",
        operatingSystem: "Windows10",
        browser: "Edge 120.0.0",
        isCompliant: false,
        isManaged: false,
        trustType: "",
      },
      location: {
        city,
        state,
        countryOrRegion: country,
        geoCoordinates: { altitude: null, latitude: lat, longitude: lon },
      },
      appliedConditionalAccessPolicies: [],
    };
    return { id, time: Math.floor(t / 1000) * 1000, eventType, json: JSON.stringify(record) };
  });
}

/** Simple valid directoryAudit records, deterministic for a seed. */
export function makeAudits(o: MakeRecordsOptions): FakeRecord[] {
  const { rand, times } = spread(o);
  return times.map((t) => {
    const id = `Directory_${guid(rand)}`;
    const user = USERS[Math.floor(rand() * USERS.length)];
    const record = {
      id,
      category: "UserManagement",
      correlationId: guid(rand),
      result: "success",
      resultReason: "",
      activityDisplayName: rand() < 0.5 ? "Update user" : "Add member to group",
      activityDateTime: isoSeconds(t),
      loggedByService: "Core Directory",
      operationType: "Update",
      initiatedBy: {
        app: null,
        user: { id: guid(rand), displayName: null, userPrincipalName: `${user}@contoso.example` },
      },
      targetResources: [{
        id: guid(rand),
        displayName: null,
        type: "User",
        userPrincipalName: `x@contoso.example`,
      }],
      additionalDetails: [],
    };
    return { id, time: Math.floor(t / 1000) * 1000, json: JSON.stringify(record) };
  });
}

/** Wraps records of any shape that carry `id` and `createdDateTime` / `activityDateTime`. */
export function fromObjects(objects: Iterable<Record<string, unknown>>): FakeRecord[] {
  const out: FakeRecord[] = [];
  for (const o of objects) {
    const ts = (o.createdDateTime ?? o.activityDateTime) as string;
    const types = o.signInEventTypes as string[] | undefined;
    out.push({
      id: String(o.id),
      time: Date.parse(ts),
      eventType: types?.[0] ?? (o.isInteractive === false ? "nonInteractiveUser" : "interactiveUser"),
      json: JSON.stringify(o),
    });
  }
  return out;
}

/**
 * The project's deterministic sample tenant (lib/sample) as records to serve: realistic beta-shaped
 * sign-ins (interactive and non-interactive) and directory audits.
 */
export function sampleRecords(opts: SampleOptions): { signIns: FakeRecord[]; audits: FakeRecord[] } {
  return {
    signIns: fromObjects(generateSignIns(opts) as unknown as Record<string, unknown>[]),
    audits: fromObjects(generateDirectoryAudits(opts) as unknown as Record<string, unknown>[]),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Server

export type FaultType =
  | "429"
  | "500"
  | "503"
  | "504"
  | "drop"
  | "stall"
  | "expireToken"
  | "forbidden"
  | "premium"
  | "badRequest"
  | "tokenInvalidClient"
  | "token503"
  /** 200 with a body that is valid JSON but not a Graph page (`body`, default Graph's error object). */
  | "notPage"
  /** 302 to `location` (another host); the page is never served. */
  | "redirectOffHost"
  /** 307 to the same URL on this host (followed, the next request gets the page). */
  | "redirectSameHost"
  /** The page's nextLink starts a two-URL loop: A → B → A → … (each an empty page). */
  | "loop"
  /** The page's nextLink starts an endless chain of distinct links (each an empty page). */
  | "endless"
  /** The page is sent one byte every `intervalMs` (default 2000). */
  | "trickle"
  /** invalid_client whose description echoes the client secret as received, and JSON-escaped and base64. */
  | "tokenEchoSecret"
  /** 307 from the token endpoint to `location` (a client that follows re-sends the secret there). */
  | "tokenRedirect"
  /** The token response never comes (until the fake closes). */
  | "tokenStall";

export interface Fault {
  type: FaultType;
  /** 1-based number of the Graph request (token requests for token faults) where the fault starts. */
  at?: number;
  /** How many consecutive requests it hits (default 1). */
  times?: number;
  /** Retry-After header for 429/5xx (seconds or HTTP date); null sends none. Default "1" for 429. */
  retryAfter?: string | null;
  /** Only requests for this kind (default any). */
  kind?: "signins" | "audits";
  /** Body of a `notPage` fault. */
  body?: string;
  /** Target of a `redirectOffHost` fault. */
  location?: string;
  /** Byte interval of a `trickle` fault. */
  intervalMs?: number;
}

export interface FakeGraphOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate whose key signs client assertions (certificate credential). */
  certificatePem?: string;
  signIns?: FakeRecord[];
  audits?: FakeRecord[];
  faults?: Fault[];
  /** Server-side throttle like Graph's reporting limit; 429 + Retry-After when exceeded. */
  throttle?: { requests: number; perSeconds: number } | null;
  /** Delay before each Graph response (ms). */
  latencyMs?: number;
  tokenLifetimeSeconds?: number;
  /** Default page size when `$top` is absent (Graph's is 1000). */
  defaultTop?: number;
  /** Put `@odata.nextLink` before `value` (some Graph endpoints do). */
  nextLinkFirst?: boolean;
  port?: number;
  /** Called as each Graph request arrives, before it is answered (tests use it to kill a client mid-window). */
  onGraphRequest?: (request: { n: number; path: string; query: Record<string, string> }) => void;
}

export interface FakeGraphStats {
  tokenRequests: number;
  graphRequests: number;
  pagesServed: number;
  recordsServed: number;
  bytesServed: number;
  throttled: number;
  byStatus: Record<string, number>;
  faultsInjected: Record<string, number>;
  /** Every access token issued (tests grep outputs for them). */
  issuedTokens: string[];
  /** Graph requests: path + decoded query, the Prefer header, and the status answered. */
  requests: { path: string; query: Record<string, string>; prefer: string | null; status: number }[];
}

export interface FakeGraph {
  /** Graph base URL (MSGRAPH_BASE_URL). */
  url: string;
  /** Authority host (AZURE_AUTHORITY_HOST); the same server. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Environment for a subprocess pull against this fake (secret credential). */
  env: Record<string, string>;
  stats: FakeGraphStats;
  /** Adds faults at run time. */
  addFaults(...faults: Fault[]): void;
  /** Revokes every issued token: the next Graph request answers 401. */
  expireTokens(): void;
  close(): Promise<void>;
}

interface Listing {
  kind: "signins" | "audits";
  api: string;
  eventType?: string;
  lo: number;
  hi: number;
  top: number;
}

const enc = new TextEncoder();

/** signIn enum members Graph sends only to clients sending `Prefer: include-unknown-enum-members`. */
const EVOLVABLE_ENUMS: [string, string[]][] = [["incomingTokenType", ["remoteDesktopToken", "refreshToken"]]];

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromB64url(s: string): Uint8Array {
  const b = atob(s.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/** First index whose time is < t in a newest-first array. */
function firstBelow(records: FakeRecord[], t: number): number {
  let lo = 0, hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid].time < t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Starts the fake on 127.0.0.1 (a free port unless `port` is given). */
export function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const tenantId = options.tenantId ?? "8c1b6a52-1f0e-4b6e-9a57-6d3c2f1e0a11";
  const clientId = options.clientId ?? "5a3f2e1d-0c9b-4a87-b6e5-d4c3b2a19f08";
  const clientSecret = options.clientSecret ?? `fake~Secret.${crypto.randomUUID()}`;
  const faults: (Fault & { left: number })[] = (options.faults ?? []).map((f) => ({
    ...f,
    left: f.times ?? 1,
  }));
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const tokens = new Map<string, number>();
  const sent: number[] = [];
  const stalls: (() => void)[] = [];
  const stats: FakeGraphStats = {
    tokenRequests: 0,
    graphRequests: 0,
    pagesServed: 0,
    recordsServed: 0,
    bytesServed: 0,
    throttled: 0,
    byStatus: {},
    faultsInjected: {},
    issuedTokens: [],
    requests: [],
  };
  const sortDesc = (r: FakeRecord[]) => [...r].sort((a, b) => b.time - a.time);
  const all = { signins: sortDesc(options.signIns ?? []), audits: sortDesc(options.audits ?? []) };
  const byType = new Map<string, FakeRecord[]>();
  for (const r of all.signins) {
    const t = r.eventType ?? "interactiveUser";
    if (!byType.has(t)) byType.set(t, []);
    byType.get(t)!.push(r);
  }
  const cert = options.certificatePem ? new X509Certificate(options.certificatePem) : undefined;
  const certThumb = cert
    ? Uint8Array.from(cert.fingerprint256.split(":"), (h) => parseInt(h, 16))
    : undefined;
  let base = "";

  function takeFault(isToken: boolean, n: number, kind?: string): Fault | undefined {
    for (const f of faults) {
      const tokenFault = f.type.startsWith("token");
      if (tokenFault !== isToken || f.left <= 0) continue;
      if (f.kind && f.kind !== kind) continue;
      if ((f.at ?? 1) > n) continue;
      f.left--;
      stats.faultsInjected[f.type] = (stats.faultsInjected[f.type] ?? 0) + 1;
      return f;
    }
    return undefined;
  }

  function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    const requestId = crypto.randomUUID();
    return new Response(
      JSON.stringify({
        error: {
          code,
          message,
          innerError: {
            date: new Date().toISOString().slice(0, 19),
            "request-id": requestId,
            "client-request-id": requestId,
          },
        },
      }),
      { status, headers: { "content-type": "application/json", "request-id": requestId, ...headers } },
    );
  }

  function tokenError(status: number, error: string, code: number, description: string) {
    const trace = crypto.randomUUID();
    return Response.json(
      {
        error,
        error_description:
          `AADSTS${code}: ${description}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${crypto.randomUUID()}\r\n` +
          `Timestamp: ${new Date().toISOString()}`,
        error_codes: [code],
        timestamp: new Date().toISOString(),
        trace_id: trace,
        correlation_id: crypto.randomUUID(),
      },
      { status },
    );
  }

  function verifyAssertion(assertion: string, audience: string): string | undefined {
    if (!cert || !certThumb) return "no certificate is registered for the app";
    const parts = assertion.split(".");
    if (parts.length !== 3) return "client assertion is not a JWT";
    const header = JSON.parse(new TextDecoder().decode(fromB64url(parts[0])));
    const payload = JSON.parse(new TextDecoder().decode(fromB64url(parts[1])));
    const data = enc.encode(`${parts[0]}.${parts[1]}`);
    const sig = fromB64url(parts[2]);
    const key = { key: cert.publicKey };
    const ok = header.alg === "PS256"
      ? verify("sha256", data, { ...key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
      : header.alg === "RS256"
      ? verify("sha256", data, key, sig)
      : false;
    if (!ok) return "client assertion signature is invalid";
    const thumb = header["x5t#S256"] ?? header.x5t;
    if (header["x5t#S256"] && thumb !== b64url(certThumb)) return "certificate thumbprint does not match";
    if (payload.aud !== audience) return `assertion audience ${payload.aud} is not ${audience}`;
    if (payload.iss !== clientId || payload.sub !== clientId) {
      return "assertion issuer/subject is not the client id";
    }
    if (typeof payload.exp !== "number" || payload.exp * 1000 < Date.now()) return "assertion expired";
    return undefined;
  }

  async function handleToken(req: Request, url: URL): Promise<Response> {
    stats.tokenRequests++;
    if (req.method !== "POST") return new Response("method not allowed", { status: 405 });
    if (!url.pathname.startsWith(`/${tenantId}/`)) {
      return tokenError(400, "invalid_request", 90002, `Tenant '${url.pathname.split("/")[1]}' not found.`);
    }
    const body = await req.text();
    const form = new URLSearchParams(body);
    const fault = takeFault(true, stats.tokenRequests);
    if (fault?.type === "token503") return new Response("Service Unavailable", { status: 503 });
    if (fault?.type === "tokenRedirect") {
      return new Response(null, {
        status: 307,
        headers: { location: fault.location ?? "https://login.attacker.example/" },
      });
    }
    if (fault?.type === "tokenStall") {
      await new Promise<void>((r) => stalls.push(r));
      return new Response("closed", { status: 503 });
    }
    if (fault?.type === "tokenEchoSecret") {
      // Some gateways and older STS builds quote the request back: the secret as it came over the wire
      // (form-encoded), and decoded inside JSON and base64.
      const received = /(?:^|&)client_secret=([^&]*)/.exec(body)?.[1] ?? "";
      const decoded = form.get("client_secret") ?? "";
      return tokenError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Request body: client_secret=${received}; value ${
          JSON.stringify(decoded)
        } (base64 ${btoa(decoded)}); twice encoded ${encodeURIComponent(received)}`,
      );
    }
    if (form.get("grant_type") !== "client_credentials") {
      return tokenError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    if (form.get("client_id") !== clientId) {
      return tokenError(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${form.get("client_id")}' was not found in the directory.`,
      );
    }
    if (form.get("scope") !== `${base}/.default`) {
      return tokenError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${form.get("scope")} is not valid.`,
      );
    }
    const secret = form.get("client_secret");
    const assertion = form.get("client_assertion");
    let problem: string | undefined;
    if (fault?.type === "tokenInvalidClient") problem = "forced";
    else if (secret !== null) problem = secret === clientSecret ? undefined : "bad secret";
    else if (assertion !== null) {
      if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
        problem = "bad assertion type";
      } else problem = verifyAssertion(assertion, `${base}/${tenantId}/oauth2/v2.0/token`);
    } else problem = "no credential";
    if (problem) {
      return tokenError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const token = `eyJ0eXAiOiJKV1QifQ.${b64url(crypto.getRandomValues(new Uint8Array(24)))}.${
      b64url(crypto.getRandomValues(new Uint8Array(16)))
    }`;
    tokens.set(token, Date.now() + lifetime * 1000);
    stats.issuedTokens.push(token);
    return Response.json({
      token_type: "Bearer",
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: token,
    });
  }

  function parseFilter(
    filter: string,
    kind: "signins" | "audits",
    api: string,
  ): { lo: number; hi: number; eventType?: string } | string {
    const field = kind === "signins" ? "createdDateTime" : "activityDateTime";
    let ge: number | undefined, lt: number | undefined, eventType: string | undefined;
    for (const clause of filter.trim().split(/\s+and\s+/i)) {
      const t = /^(\w+)\s+(ge|gt|lt|le)\s+(.+)$/.exec(clause.trim());
      if (t) {
        if (t[1] !== field) return `Invalid filter clause: property '${t[1]}' cannot be used to filter here.`;
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(t[3])) {
          return `Invalid filter clause: A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind '${
            t[2]
          }'.`;
        }
        const ms = Date.parse(t[3]);
        if (t[2] === "ge") ge = ms;
        else if (t[2] === "gt") ge = ms + 1;
        else if (t[2] === "lt") lt = ms;
        else lt = ms + 1;
        continue;
      }
      const a = /^signInEventTypes\/any\((\w+):\s*\1\s+eq\s+'(\w+)'\)$/.exec(clause.trim());
      if (a && kind === "signins") {
        if (api !== "beta") {
          return "Could not find a property named 'signInEventTypes' on type 'microsoft.graph.signIn'.";
        }
        if (!GRAPH_EVENT_TYPES.includes(a[2])) {
          return `Invalid filter clause: unknown sign-in event type '${a[2]}'.`;
        }
        eventType = a[2];
        continue;
      }
      return `Invalid filter clause: ${clause}`;
    }
    const records = kind === "audits" ? all.audits : byType.get(eventType ?? "interactiveUser") ?? [];
    // Newest first: [lo, hi) holds everything with ge <= time < lt.
    const lo = lt === undefined ? 0 : firstBelow(records, lt);
    const hi = ge === undefined ? records.length : firstBelow(records, ge);
    return { lo, hi: Math.max(lo, hi), eventType };
  }

  async function handleGraph(req: Request, url: URL): Promise<Response> {
    stats.graphRequests++;
    const n = stats.graphRequests;
    options.onGraphRequest?.({ n, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const m = /^\/(v1\.0|beta)\/auditLogs\/(signIns|directoryAudits)$/.exec(url.pathname);
    if (!m) {
      return graphError(
        400,
        "BadRequest",
        `Resource not found for the segment '${url.pathname.split("/").pop()}'.`,
      );
    }
    const api = m[1];
    const kind = m[2] === "signIns" ? "signins" : "audits";
    const auth = req.headers.get("authorization") ?? "";
    const fault = takeFault(false, n, kind);
    if (fault?.type === "expireToken") tokens.clear();
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const exp = tokens.get(token);
    if (exp === undefined || exp < Date.now()) {
      return graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", {
        "www-authenticate": 'Bearer realm="", error="invalid_token"',
      });
    }
    if (options.throttle) {
      const now = Date.now();
      const windowMs = options.throttle.perSeconds * 1000;
      while (sent.length && sent[0] <= now - windowMs) sent.shift();
      if (sent.length >= options.throttle.requests) {
        stats.throttled++;
        const wait = Math.max(1, Math.ceil((sent[0] + windowMs - now) / 1000));
        return graphError(429, "TooManyRequests", "Too many requests.", { "retry-after": String(wait) });
      }
      sent.push(now);
    }
    if (fault) {
      const ra = fault.retryAfter === undefined ? (fault.type === "429" ? "1" : undefined) : fault.retryAfter;
      const h: Record<string, string> = ra ? { "retry-after": ra } : {};
      switch (fault.type) {
        case "429":
          stats.throttled++;
          return graphError(429, "TooManyRequests", "Too many requests.", h);
        case "500":
        case "503":
        case "504":
          return graphError(
            Number(fault.type),
            fault.type === "504" ? "GatewayTimeout" : "ServiceUnavailable",
            "The service is temporarily unavailable.",
            h,
          );
        case "forbidden":
          return graphError(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
          );
        case "premium":
          return graphError(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
          );
        case "badRequest":
          return graphError(400, "BadRequest", "Invalid filter clause");
        case "notPage":
          return new Response(
            fault.body ??
              JSON.stringify({ error: { code: "UnknownError", message: "", innerError: { date: "" } } }),
            { status: 200, headers: { "content-type": "application/json" } },
          );
        case "redirectOffHost":
          return new Response(`moved to ${fault.location}`, {
            status: 302,
            headers: { location: fault.location ?? "https://graph.attacker.example/v1.0/auditLogs/signIns" },
          });
        case "redirectSameHost":
          return new Response(null, { status: 307, headers: { location: url.href } });
        default:
          break;
      }
    }

    const skiptoken = url.searchParams.get("$skiptoken");
    const path = kind === "signins" ? "auditLogs/signIns" : "auditLogs/directoryAudits";
    const context = `"@odata.context":${JSON.stringify(`${base}/${api}/$metadata#${path}`)}`;
    const chain = /^(loop|endless)-(\d+)$/.exec(skiptoken ?? "");
    if (chain) {
      // A → B → A for loop, 1 → 2 → 3 … for endless: valid empty pages whose links never end.
      const i = Number(chain[2]);
      const nextToken = chain[1] === "loop" ? `loop-${1 - i}` : `endless-${i + 1}`;
      stats.pagesServed++;
      return new Response(
        `{${context},"value":[],"@odata.nextLink":${
          JSON.stringify(`${base}/${api}/${path}?$top=1&$skiptoken=${nextToken}`)
        }}`,
        { status: 200, headers: { "content-type": "application/json" } },
      );
    }
    let listing: Listing;
    let offset = 0;
    if (skiptoken) {
      try {
        const t = JSON.parse(new TextDecoder().decode(fromB64url(skiptoken)));
        listing = t.l;
        offset = t.o;
        if (listing.kind !== kind || listing.api !== api) throw new Error("mismatch");
      } catch {
        return graphError(400, "BadRequest", "Invalid paging token ($skiptoken).");
      }
    } else {
      const topText = url.searchParams.get("$top");
      const top = topText === null ? options.defaultTop ?? 1000 : Number(topText);
      if (topText !== null && (!Number.isInteger(top) || top < 1 || top > 999)) {
        return graphError(
          400,
          "Request_UnsupportedQuery",
          `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`,
        );
      }
      const filter = url.searchParams.get("$filter");
      let lo = 0,
        hi = (kind === "audits" ? all.audits : byType.get("interactiveUser") ?? []).length,
        eventType: string | undefined;
      if (filter !== null) {
        const f = parseFilter(filter, kind, api);
        if (typeof f === "string") return graphError(400, "BadRequest", f);
        ({ lo, hi, eventType } = f);
      }
      listing = { kind, api, eventType, lo, hi, top };
    }
    const records = kind === "audits" ? all.audits : byType.get(listing.eventType ?? "interactiveUser") ?? [];
    const from = listing.lo + offset;
    const to = Math.min(listing.hi, from + listing.top);
    const page = records.slice(from, Math.max(from, to));
    const more = to < listing.hi;
    const next = fault?.type === "loop" || fault?.type === "endless"
      ? `"@odata.nextLink":${
        JSON.stringify(
          `${base}/${api}/${path}?$top=1&$skiptoken=${fault.type === "loop" ? "loop-0" : "endless-0"}`,
        )
      }`
      : more
      ? `"@odata.nextLink":${
        JSON.stringify(
          `${base}/${api}/${path}?$top=${listing.top}&$skiptoken=${
            b64url(enc.encode(JSON.stringify({ l: listing, o: offset + listing.top })))
          }`,
        )
      }`
      : "";
    let value = `"value":[${page.map((r) => r.json).join(",")}]`;
    if (!/\binclude-unknown-enum-members\b/i.test(req.headers.get("prefer") ?? "")) {
      // As Graph does: members added to an evolvable enum after its unknownFutureValue sentinel are sent as
      // the sentinel unless the client asks for them.
      for (const [field, members] of EVOLVABLE_ENUMS) {
        for (const m of members) {
          value = value.replaceAll(`"${field}":"${m}"`, `"${field}":"unknownFutureValue"`);
        }
      }
    }
    const body = options.nextLinkFirst && next
      ? `{${context},${next},${value}}`
      : `{${context},${value}${next ? "," + next : ""}}`;
    const bytes = enc.encode(body);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const headers = {
      "content-type":
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
      "request-id": crypto.randomUUID(),
      "content-length": String(bytes.length),
    };
    if (fault?.type === "drop" || fault?.type === "stall") {
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      const stall = fault.type === "stall";
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(half);
        },
        async pull(c) {
          if (stall) {
            await new Promise<void>((r) => stalls.push(r));
            c.close();
          } else {
            await new Promise((r) => setTimeout(r, 10));
            c.error(new Error("fake Graph dropped the connection mid-body"));
          }
        },
      });
      return new Response(stream, { status: 200, headers });
    }
    if (fault?.type === "trickle") {
      const interval = fault.intervalMs ?? 2000;
      let i = 0;
      let stopped = false;
      const stream = new ReadableStream<Uint8Array>({
        async pull(c) {
          await new Promise((r) => setTimeout(r, interval));
          if (stopped) return;
          c.enqueue(bytes.subarray(i, i + 1));
          if (++i >= bytes.length) c.close();
        },
        cancel() {
          stopped = true;
        },
      });
      return new Response(stream, { status: 200, headers });
    }
    stats.pagesServed++;
    stats.recordsServed += page.length;
    stats.bytesServed += bytes.length;
    return new Response(bytes, { status: 200, headers });
  }

  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      onListen() {},
      onError: () => new Response("fake error", { status: 500 }),
    },
    async (req) => {
      const url = new URL(req.url);
      let res: Response;
      try {
        res = url.pathname.endsWith("/oauth2/v2.0/token")
          ? await handleToken(req, url)
          : await handleGraph(req, url);
      } catch (e) {
        res = graphError(500, "InternalServerError", `fake Graph failed: ${(e as Error).message}`);
      }
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      if (!url.pathname.endsWith("/token")) {
        stats.requests.push({
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          prefer: req.headers.get("prefer"),
          status: res.status,
        });
      }
      return res;
    },
  );
  base = `http://127.0.0.1:${server.addr.port}`;
  const fake: FakeGraph = {
    url: base,
    authorityHost: base,
    tenantId,
    clientId,
    clientSecret,
    env: {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: clientId,
      AZURE_CLIENT_SECRET: clientSecret,
      AZURE_AUTHORITY_HOST: base,
      MSGRAPH_BASE_URL: base,
    },
    stats,
    addFaults(...more) {
      for (const f of more) faults.push({ ...f, left: f.times ?? 1 });
    },
    expireTokens() {
      tokens.clear();
    },
    async close() {
      for (const r of stalls.splice(0)) r();
      await server.shutdown();
    },
  };
  return Promise.resolve(fake);
}

// ---------------------------------------------------------------------------------------------------------------
// Stand-alone: `deno run -A tests/fakes/graph_server.ts [--users N] [--days D] [--end ISO] [--throttle 5/10]
// [--latency MS] [--port P]` serves the sample tenant and prints the environment for `deno task pull`.
if (import.meta.main) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      users: { type: "string", default: "60" },
      days: { type: "string", default: "30" },
      end: { type: "string", default: "2026-11-01T00:00:00Z" },
      throttle: { type: "string" },
      latency: { type: "string" },
      port: { type: "string" },
    },
  });
  const records = sampleRecords({
    users: Number(values.users),
    days: Number(values.days),
    end: values.end,
    seed: 1,
  });
  const [req, per] = (values.throttle ?? "").split("/").map(Number);
  const fake = await startFakeGraph({
    ...records,
    throttle: values.throttle ? { requests: req, perSeconds: per } : null,
    latencyMs: values.latency ? Number(values.latency) : undefined,
    port: values.port ? Number(values.port) : undefined,
  });
  for (const [k, v] of Object.entries(fake.env)) console.log(`export ${k}=${v}`);
  console.log(`# ${records.signIns.length} sign-ins, ${records.audits.length} audits; Ctrl-C to stop`);
  const stop = async () => {
    await fake.close();
    console.error(
      JSON.stringify({
        ...fake.stats,
        issuedTokens: fake.stats.issuedTokens.length,
        requests: fake.stats.requests.length,
      }),
    );
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
