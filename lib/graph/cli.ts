/** Command-line options of `deno task pull` → PullOptions (pure, testable). */
import { parseArgs } from "node:util";
import { parseArgsMessage } from "../cli/parse_cli.ts";
import { type PaceLimit, parsePace } from "./pacer.ts";
import type { PullRange } from "./pull.ts";
import {
  type ApiVersion,
  EVENT_TYPES,
  type EventType,
  type Kind,
  parseDuration,
  parseInstant,
} from "./windows.ts";

export const PULL_USAGE = `Usage: deno task pull [options]

Pull Entra ID sign-in / audit logs from Microsoft Graph into raw page files
<out>/<kind>/dt=YYYY-MM-DD/page-NNNNN.json. Re-runs resume; --since runs are incremental.

Options:
  --since DURATION      pull the last DURATION (30m, 24h, 7d); later runs start at the last
                        run's end minus --overlap (default: --since 24h)
  --from ISO --to ISO   pull a fixed range, e.g. --from 2026-11-01 --to 2026-11-02T06:00:00Z
                        (--to defaults to now)
  --kind KIND           signins | audits | all (default signins)
  --event-types LIST    interactive,nonInteractive,servicePrincipal,managedIdentity
                        (default interactive; others need the beta API, implied when --api is not given)
  --api VERSION         v1.0 | beta (default v1.0: interactive sign-ins only)
  --out DIR             output root (default data/raw)
  --window DURATION     window length, at most 1d (default 1d)
  --overlap DURATION    incremental overlap before the watermark (default 1h)
  --top N               page size, 1-999 (default 999)
  --pace N/PERIOD|off   request pacing (default 5/10s, Graph's reporting limit)
  --timeout DURATION    retry a request when no byte arrives for this long (default 60s)
  --deadline DURATION   retry a request not finished after this long, however busy (default 10m)
  --min-throughput RATE retry a request whose body arrives slower than RATE on average once 30 s
                        have passed since its headers: 1KB/s (default), 500B/s, 2MB/s, or off
  --quiet               no summary line on stdout
  -h, --help            show this help

Environment: AZURE_TENANT_ID, AZURE_CLIENT_ID, and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH
(PEM; AZURE_CLIENT_CERTIFICATE_PASSWORD if its key is encrypted); optional AZURE_AUTHORITY_HOST and
MSGRAPH_BASE_URL for national clouds. A .env file in the working directory is read first
(SIGNIN_LENS_ENV_FILE names another, or "" for none); variables already set win over it.

Example:
  deno task pull --since 24h --kind all --api beta --event-types interactive,nonInteractive
  deno task load data/raw && deno task report`;

/** A wrong option: print the message and the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface PullCli {
  help: boolean;
  quiet: boolean;
  outDir: string;
  range: PullRange;
  kinds: Kind[];
  eventTypes: EventType[];
  api: ApiVersion;
  windowMs: number;
  overlapMs: number;
  top: number;
  pace: PaceLimit | null;
  idleTimeoutMs: number;
  deadlineMs: number;
  minBytesPerSecond: number;
}

/** Parses `1KB/s`, `500B/s`, `2MB/s` (1 KB = 1024 bytes; `/s` optional) or `off` into bytes per second. */
export function parseThroughput(text: string, option = "--min-throughput"): number {
  const t = text.trim();
  if (/^(off|none|0)$/i.test(t)) return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB)?(?:\/s)?$/i.exec(t);
  if (!m || Number(m[1]) <= 0) {
    throw new Error(`${option} must look like 1KB/s, 500B/s, 2MB/s or off, not ${JSON.stringify(text)}`);
  }
  const unit = (m[2] ?? "B").toLowerCase();
  const factor = unit === "b" ? 1 : unit.startsWith("k") ? 1024 : 1024 * 1024;
  return Math.max(1, Math.round(Number(m[1]) * factor));
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(parseArgsMessage(e));
  }
}

export function parsePullArgs(argv: string[], nowMs: number): PullCli {
  const { values, positionals } = wrap(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        since: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        kind: { type: "string" },
        "event-types": { type: "string" },
        api: { type: "string" },
        out: { type: "string" },
        window: { type: "string" },
        overlap: { type: "string" },
        top: { type: "string" },
        pace: { type: "string" },
        timeout: { type: "string" },
        deadline: { type: "string" },
        "min-throughput": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    })
  );
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}`);
  const help = values.help === true;

  let range: PullRange;
  if (values.since !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new UsageError("Use either --since or --from/--to, not both");
  }
  if (values.from !== undefined) {
    const from = wrap(() => parseInstant(values.from!, "--from"));
    const to = values.to !== undefined ? wrap(() => parseInstant(values.to!, "--to")) : nowMs;
    if (from >= to) throw new UsageError(`--from must be before --to`);
    range = { from, to };
  } else if (values.to !== undefined) {
    throw new UsageError("--to needs --from");
  } else {
    range = { sinceMs: wrap(() => parseDuration(values.since ?? "24h", "--since")) };
  }

  const kindText = values.kind ?? "signins";
  const kinds: Kind[] = kindText === "all"
    ? ["signins", "audits"]
    : kindText === "signins" || kindText === "audits"
    ? [kindText]
    : (() => {
      throw new UsageError(`--kind must be signins, audits or all, not ${JSON.stringify(kindText)}`);
    })();

  const eventTypes: EventType[] = [];
  for (const raw of (values["event-types"] ?? "interactive").split(",")) {
    const t = raw.trim();
    if (!t) continue;
    const match = EVENT_TYPES.find((e) => e.toLowerCase() === t.toLowerCase());
    if (!match) {
      throw new UsageError(
        `--event-types: unknown type ${JSON.stringify(t)} (use ${EVENT_TYPES.join(", ")})`,
      );
    }
    if (!eventTypes.includes(match)) eventTypes.push(match);
  }
  if (eventTypes.length === 0) throw new UsageError("--event-types is empty");

  let api: ApiVersion;
  const needsBeta = eventTypes.some((t) => t !== "interactive");
  if (values.api === undefined) api = needsBeta && kinds.includes("signins") ? "beta" : "v1.0";
  else if (values.api === "v1.0" || values.api === "beta") api = values.api;
  else throw new UsageError(`--api must be v1.0 or beta, not ${JSON.stringify(values.api)}`);
  if (api === "v1.0" && needsBeta && kinds.includes("signins")) {
    throw new UsageError(
      `Graph v1.0 lists only interactive sign-ins; --event-types ${eventTypes.join(",")} needs --api beta`,
    );
  }

  const windowMs = wrap(() => parseDuration(values.window ?? "1d", "--window"));
  if (windowMs > 86_400_000) {
    throw new UsageError("--window must be at most 1d (a window never crosses midnight)");
  }
  const overlapMs = wrap(() => parseDuration(values.overlap ?? "1h", "--overlap"));
  const topText = (values.top ?? "999").trim();
  // Decimal digits only: Number() would take 0x10, 1e2 or an empty string (0).
  const top = /^\d+$/.test(topText) ? Number(topText) : NaN;
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw new UsageError(`--top must be a whole number from 1 to 999, not ${JSON.stringify(values.top)}`);
  }
  const pace = wrap(() => parsePace(values.pace ?? "5/10s"));
  const idleTimeoutMs = wrap(() => parseDuration(values.timeout ?? "60s", "--timeout"));
  let deadlineMs = Math.max(600_000, idleTimeoutMs);
  if (values.deadline !== undefined) {
    deadlineMs = wrap(() => parseDuration(values.deadline!, "--deadline"));
    if (deadlineMs < idleTimeoutMs) {
      throw new UsageError(`--deadline ${values.deadline} must not be shorter than --timeout`);
    }
  }
  const minBytesPerSecond = wrap(() => parseThroughput(values["min-throughput"] ?? "1KB/s"));

  return {
    help,
    quiet: values.quiet === true,
    outDir: values.out ?? "data/raw",
    range,
    kinds,
    eventTypes,
    api,
    windowMs,
    overlapMs,
    top,
    pace,
    idleTimeoutMs,
    deadlineMs,
    minBytesPerSecond,
  };
}
