/** Errors callers branch on: a Graph HTTP error, an auth failure, a retryable transport fault. */

/** Hints for Graph error codes whose fix is not obvious from Graph's own message. */
const HINTS: Record<string, string> = {
  Authorization_RequestDenied: "grant the app the AuditLog.Read.All application permission and admin consent",
  Authentication_RequestFromNonPremiumTenantOrB2CTenant:
    "sign-in logs need a Microsoft Entra ID P1 or P2 licence in the tenant",
  Authentication_MSGraphPermissionMissing: "grant AuditLog.Read.All and admin consent",
  InvalidAuthenticationToken:
    "the token was rejected even after a refresh; check the app registration and tenant",
  Request_UnsupportedQuery: "the $filter was rejected; check --from/--to and --event-types",
};

/** A non-success response from Microsoft Graph, with Graph's own error code and message. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: string;
  readonly graphMessage: string;
  readonly requestId?: string;
  /** Request path without query (the query is kept out because it can be long, not because it is secret). */
  readonly path: string;
  constructor(init: { status: number; code: string; message: string; requestId?: string; path: string }) {
    const hint = HINTS[init.code];
    super(
      `Graph ${init.path} answered ${init.status} ${init.code}: ${init.message}` +
        (hint ? ` (${hint})` : "") + (init.requestId ? ` [request-id ${init.requestId}]` : ""),
    );
    this.name = "GraphError";
    this.status = init.status;
    this.code = init.code;
    this.graphMessage = init.message;
    this.requestId = init.requestId;
    this.path = init.path;
  }
}

/** The token could not be acquired (bad secret, unknown app, unreachable authority after retries …). */
export class GraphAuthError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "GraphAuthError";
    this.code = code;
  }
}

/** A fault worth retrying: connection reset, timeout, truncated body, 429/5xx. */
export class TransientError extends Error {
  readonly status?: number;
  readonly retryAfter?: string | null;
  constructor(message: string, init: { status?: number; retryAfter?: string | null } = {}) {
    super(message);
    this.name = "TransientError";
    this.status = init.status;
    this.retryAfter = init.retryAfter;
  }
}

/**
 * Graph answered with a redirect to another host. Not followed (the bearer token would go along) and not
 * retried: a proxy or a misconfigured MSGRAPH_BASE_URL does not fix itself.
 */
export class OffHostRedirectError extends Error {
  readonly path: string;
  readonly target: string;
  constructor(path: string, target: string) {
    super(
      `Graph ${path} redirected to ${target}, another host; refusing to follow it (the token would go along)`,
    );
    this.name = "OffHostRedirectError";
    this.path = path;
    this.target = target;
  }
}

/** A pull stopped because the paging went wrong (a repeated nextLink, too many pages for one window). */
export class PagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PagingError";
  }
}

/** The pull was asked to stop (signal) before it finished. */
export class PullAbortedError extends Error {
  constructor() {
    super("Pull interrupted; run the same command again to resume");
    this.name = "PullAbortedError";
  }
}

/** Another pull holds the lock on the output directory. */
export class PullLockedError extends Error {
  constructor(lockPath: string, pid: number) {
    super(`Another pull (pid ${pid}) is writing to this directory; lock file ${lockPath}`);
    this.name = "PullLockedError";
  }
}
