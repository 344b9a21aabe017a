/** How a query ended without results. */
export type AthenaFailureKind = "FAILED" | "CANCELLED" | "TIMEOUT" | "ABORTED";

/**
 * A query that did not succeed. `queryId` finds it in the Athena console / CloudTrail; `reason` is Athena's
 * StateChangeReason (FAILED, CANCELLED) or what stopped it on our side (TIMEOUT, ABORTED).
 */
export class AthenaQueryError extends Error {
  constructor(
    readonly kind: AthenaFailureKind,
    readonly queryId: string,
    readonly reason: string,
    readonly queryName?: string,
  ) {
    const what = queryName ? `query ${queryName} (${queryId})` : `Athena query ${queryId}`;
    super(
      kind === "FAILED"
        ? `${what} failed: ${reason}`
        : kind === "CANCELLED"
        ? `${what} was cancelled: ${reason}`
        : kind === "TIMEOUT"
        ? `${what} ${reason}; StopQueryExecution was sent`
        : `${what} was interrupted (${reason}); StopQueryExecution was sent`,
    );
    this.name = "AthenaQueryError";
  }
}
