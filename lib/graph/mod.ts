/**
 * Microsoft Graph collector: app-only auth with msal-node, paged and throttling-aware reads of
 * `/auditLogs/signIns` and `/auditLogs/directoryAudits`, raw pages streamed to disk, resumable windows.
 *
 * @example
 * ```ts
 * import { readConfig } from "../config.ts";
 * import { pull } from "./mod.ts";
 * const result = await pull({ config: readConfig(), outDir: "data/raw", range: { sinceMs: 86_400_000 } });
 * console.log(`${result.records} records in ${result.pages} pages`);
 * ```
 *
 * @module
 */
export { MAX_RECORDS_PER_DAY_WINDOW, maxPagesFor, planStreams, pull } from "./pull.ts";
export type { PullEvent, PullOptions, PullRange, PullResult } from "./pull.ts";
export {
  DEFAULT_DEADLINE_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MIN_BYTES_PER_SECOND,
  DEFAULT_THROUGHPUT_GRACE_MS,
  GraphClient,
  graphErrorFrom,
} from "./client.ts";
export type { ClientEvent, GraphClientOptions, PageSink } from "./client.ts";
export {
  authorityMetadata,
  createMsalTokenProvider,
  DEFAULT_TOKEN_DEADLINE_MS,
  parseCertificatePem,
  tokenNetworkClient,
} from "./auth.ts";
export type { CertificateParts, MsalTokenProviderOptions, TokenProvider } from "./auth.ts";
export {
  GraphAuthError,
  GraphError,
  OffHostRedirectError,
  PagingError,
  PullAbortedError,
  PullLockedError,
  TransientError,
} from "./errors.ts";
export { Redactor } from "./redact.ts";
export { notAPageProblem, PageScanner, scanPage } from "./page_scanner.ts";
export type { PageSummary } from "./page_scanner.ts";
export { PageFileSink, pageName } from "./page_store.ts";
export { checkpointPath, loadCheckpoint } from "./checkpoint.ts";
export type { CheckpointData, StreamState, WindowState } from "./checkpoint.ts";
export { DEFAULT_PACE, Pacer, parsePace, realClock, realSleep } from "./pacer.ts";
export type { Clock, PaceLimit, Sleep } from "./pacer.ts";
export { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs } from "./retry.ts";
export type { RetryPolicy } from "./retry.ts";
export {
  buildFilter,
  buildListUrl,
  EVENT_TYPES,
  GRAPH_EVENT_TYPE,
  parseDuration,
  parseInstant,
  planWindows,
  RETENTION_DAYS,
  retentionWarning,
} from "./windows.ts";
export type { ApiVersion, EventType, Kind, Stream, Window } from "./windows.ts";
export { ProgressLine, ProgressState } from "./progress.ts";
export { parsePullArgs, parseThroughput, PULL_USAGE, UsageError } from "./cli.ts";
export type { PullCli } from "./cli.ts";
