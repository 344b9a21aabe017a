/** How a Trino query ended without results. */
export type TrinoFailureKind = "FAILED" | "ABORTED" | "HTTP";

/**
 * A query that did not succeed. `queryId` finds it in Trino's web UI and `system.runtime.queries`; the message
 * carries Trino's own error text and error name (e.g. `COLUMN_NOT_FOUND`).
 */
export class TrinoQueryError extends Error {
  constructor(
    readonly kind: TrinoFailureKind,
    readonly queryId: string | undefined,
    readonly reason: string,
    readonly errorName?: string,
    readonly queryName?: string,
  ) {
    const what = queryName
      ? `query ${queryName}${queryId ? ` (${queryId})` : ""}`
      : `Trino query${queryId ? ` ${queryId}` : ""}`;
    super(
      kind === "FAILED"
        ? `${what} failed on Trino: ${reason}${errorName ? ` [${errorName}]` : ""}`
        : kind === "ABORTED"
        ? `${what} was interrupted (${reason}); it was cancelled on the server`
        : `${what}: ${reason}`,
    );
    this.name = "TrinoQueryError";
  }
}
