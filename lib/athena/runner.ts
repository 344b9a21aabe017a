import {
  type AthenaClient,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandOutput,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import type { ParamValue } from "../query/params.ts";
import type { QueryFile } from "../query/query_file.ts";
import type { QueryResult } from "../query/result.ts";
import { type AthenaColumnInfo, parseAthenaValue } from "./athena_values.ts";
import { AthenaQueryError } from "./errors.ts";
import { athenaStatement } from "./positional.ts";

type AthenaCommand =
  | StartQueryExecutionCommand
  | GetQueryExecutionCommand
  | GetQueryResultsCommand
  | StopQueryExecutionCommand;

/** Sends one Athena command; `client.send` of an AthenaClient, or anything answering the same way. */
export type AthenaSend = (command: AthenaCommand) => Promise<unknown>;

export interface AthenaRunOptions {
  /** An AthenaClient (or look-alike); ignored when `send` is given. */
  client?: Pick<AthenaClient, "send">;
  send?: AthenaSend;
  workgroup?: string;
  database?: string;
  /** s3://bucket/prefix/ for result files; leave out when the workgroup enforces one. */
  outputLocation?: string;
  /** First wait between GetQueryExecution polls, in ms (default 250); it grows 1.5× per poll. */
  pollMs?: number;
  /** Longest wait between polls, in ms (default 5000). */
  maxPollMs?: number;
  /** Give up (and StopQueryExecution) after this many ms (default 30 minutes). */
  timeoutMs?: number;
  /** Aborting (Ctrl-C) stops the query on Athena too. */
  signal?: AbortSignal;
  /** MaxResults per GetQueryResults page (1–1000, default 1000). */
  pageSize?: number;
  /** Called on every state seen while polling. */
  onState?: (state: string, queryId: string) => void;
  /** Injectable wait (tests); must reject or resolve early when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULTS = { pollMs: 250, maxPollMs: 5000, timeoutMs: 30 * 60_000, pageSize: 1000 };

/**
 * Runs a query file on Athena: its `$params` become positional `?` bound through ExecutionParameters,
 * StartQueryExecution → GetQueryExecution polled with backoff → every GetQueryResults page, rows typed from
 * ColumnInfo into the same plain values the DuckDB engine returns.
 *
 * @throws {AthenaQueryError} FAILED / CANCELLED with Athena's reason, TIMEOUT, ABORTED (the query is stopped)
 */
export async function runOnAthena(
  query: QueryFile,
  params: Record<string, ParamValue>,
  options: AthenaRunOptions = {},
): Promise<QueryResult> {
  const o = { ...DEFAULTS, ...definedOnly(options) };
  const send: AthenaSend = options.send ??
    (options.client ? (c) => options.client!.send(c as never) : () => {
      throw new Error("runOnAthena needs a client or send function (see createAthenaClient)");
    });
  const started = performance.now();
  const { sql, executionParameters } = athenaStatement(query, params);
  o.signal?.throwIfAborted();

  const start = await send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      ...(executionParameters.length > 0 ? { ExecutionParameters: executionParameters } : {}),
      ...(o.workgroup ? { WorkGroup: o.workgroup } : {}),
      ...(o.database ? { QueryExecutionContext: { Database: o.database } } : {}),
      ...(o.outputLocation ? { ResultConfiguration: { OutputLocation: o.outputLocation } } : {}),
    }),
  ) as StartQueryExecutionCommandOutput;
  const queryId = start.QueryExecutionId;
  if (!queryId) throw new Error(`query ${query.name}: StartQueryExecution returned no QueryExecutionId`);

  const execution = await waitForQuery(send, queryId, query.name, o);
  const stats = execution.QueryExecution?.Statistics;
  const { columns, rows } = await readResults(send, queryId, o);
  return {
    name: query.name,
    columns,
    rows,
    engine: "athena",
    stats: {
      seconds: (performance.now() - started) / 1000,
      bytesScanned: stats?.DataScannedInBytes,
      queryId,
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

type Resolved = typeof DEFAULTS & AthenaRunOptions;

async function waitForQuery(
  send: AthenaSend,
  queryId: string,
  name: string,
  o: Resolved,
): Promise<GetQueryExecutionCommandOutput> {
  const sleep = o.sleep ?? abortableSleep;
  const deadline = performance.now() + o.timeoutMs;
  let wait = o.pollMs;
  const stop = async (kind: "TIMEOUT" | "ABORTED", reason: string): Promise<never> => {
    try {
      await send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }));
    } catch {
      // The query may have finished meanwhile; the error below is what the caller needs either way.
    }
    throw new AthenaQueryError(kind, queryId, reason, name);
  };
  for (;;) {
    if (o.signal?.aborted) return await stop("ABORTED", abortReason(o.signal));
    let out: GetQueryExecutionCommandOutput;
    try {
      out = await send(
        new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
      ) as GetQueryExecutionCommandOutput;
    } catch (e) {
      if (o.signal?.aborted) return await stop("ABORTED", abortReason(o.signal));
      throw e;
    }
    const status = out.QueryExecution?.Status;
    const state = status?.State ?? "UNKNOWN";
    o.onState?.(state, queryId);
    if (state === "SUCCEEDED") return out;
    if (state === "FAILED" || state === "CANCELLED") {
      const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? "no reason given";
      throw new AthenaQueryError(state, queryId, reason, name);
    }
    const left = deadline - performance.now();
    if (left <= 0) return await stop("TIMEOUT", `did not finish within ${Math.round(o.timeoutMs / 1000)} s`);
    try {
      await sleep(Math.min(wait, left), o.signal);
    } catch (e) {
      if (o.signal?.aborted) return await stop("ABORTED", abortReason(o.signal));
      throw e;
    }
    wait = Math.min(o.maxPollMs, Math.ceil(wait * 1.5));
  }
}

function abortReason(signal: AbortSignal): string {
  const r = signal.reason;
  return r instanceof Error ? r.message : r === undefined ? "aborted" : String(r);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function readResults(
  send: AthenaSend,
  queryId: string,
  o: Resolved,
): Promise<{ columns: QueryResult["columns"]; rows: Record<string, unknown>[] }> {
  let columnInfo: AthenaColumnInfo[] | undefined;
  let names: string[] = [];
  const rows: Record<string, unknown>[] = [];
  let token: string | undefined;
  let first = true;
  do {
    o.signal?.throwIfAborted();
    const page = await send(
      new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: o.pageSize, NextToken: token }),
    ) as GetQueryResultsCommandOutput;
    if (!columnInfo) {
      columnInfo = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      names = columnInfo.map((c, i) => (c.Name ?? c.Label ?? `_col${i}`).toLowerCase());
    }
    let pageRows = page.ResultSet?.Rows ?? [];
    // A SELECT's first page starts with the column labels as a row.
    if (first && pageRows.length > 0 && isHeader(pageRows[0].Data ?? [], columnInfo)) {
      pageRows = pageRows.slice(1);
    }
    first = false;
    for (const row of pageRows) {
      const data = row.Data ?? [];
      const out: Record<string, unknown> = {};
      names.forEach((n, i) => {
        out[n] = parseAthenaValue(data[i]?.VarCharValue, columnInfo![i].Type ?? "varchar");
      });
      rows.push(out);
    }
    token = page.NextToken;
  } while (token);
  return { columns: names.map((name, i) => ({ name, type: columnInfo![i].Type ?? "varchar" })), rows };
}

function isHeader(data: { VarCharValue?: string }[], columns: AthenaColumnInfo[]): boolean {
  return data.length === columns.length &&
    data.every((d, i) => d.VarCharValue === (columns[i].Label ?? columns[i].Name));
}
