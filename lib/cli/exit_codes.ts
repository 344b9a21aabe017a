/**
 * The exit codes every task uses, in one place (README "Exit codes" shows the same table):
 *
 * | code | meaning                                                                     |
 * | ---- | --------------------------------------------------------------------------- |
 * | 0    | done                                                                        |
 * | 1    | the work failed at run time (one line `error: …` on stderr)                 |
 * | 2    | wrong option, parameter or configuration; nothing was done                  |
 * | 130  | interrupted (Ctrl-C / SIGTERM); run the same command again to resume        |
 * | 3, 4 | load --skip-bad-records rejected some records; coverage --require-day failed  |
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/**
 * Errors that mean "the command or its configuration is wrong", by class name so this module imports none of
 * them: a user fixes these by changing what they typed or set, never by running again.
 */
const USAGE_ERRORS = new Set([
  "UsageError",
  "ConfigError",
  "ParamError",
  "UnknownQueryError",
  "StorePathError",
  "AthenaConfigError",
  "SampleOptionError",
]);

/** The exit code for an error that ended a task: its own `exitCode` if it has one, else by kind. */
export function exitCodeFor(error: unknown): number {
  if (error && typeof error === "object") {
    const e = error as { exitCode?: unknown; name?: unknown; code?: unknown };
    if (typeof e.exitCode === "number" && Number.isInteger(e.exitCode)) return e.exitCode;
    if (typeof e.name === "string" && USAGE_ERRORS.has(e.name)) return EXIT.usage;
    // A certificate file that is missing or unreadable is configuration (AZURE_CLIENT_CERTIFICATE_PATH).
    if (e.name === "GraphAuthError" && e.code === "certificate") return EXIT.usage;
    if (e.name === "PullAbortedError") return EXIT.interrupted;
  }
  return EXIT.failed;
}
