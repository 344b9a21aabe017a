import { TrinoQueryError } from "./errors.ts";
import { type TrinoColumn, trinoValue } from "./values.ts";

/** Where and as whom statements run; every field has a default good for a local `deno task trino up`. */
export interface TrinoClientOptions {
  /** Base URL of the coordinator, e.g. http://127.0.0.1:8080 (no path). */
  url: string;
  user?: string;
  catalog?: string;
  schema?: string;
  /** Session time zone; UTC (as on Athena) unless told otherwise, so date casts and truncation agree. */
  timeZone?: string;
  /** Injectable fetch (tests); the global one by default. */
  fetch?: typeof fetch;
  /** Aborting (Ctrl-C) cancels the query on the server (DELETE of its nextUri). */
  signal?: AbortSignal;
  /** Prepared statements sent with the request (`X-Trino-Prepared-Statement`), name → SQL text. */
  prepared?: Record<string, string>;
  /** Waits between retries of a 429/502/503/504 answer, in ms (default 100, doubling, 10 tries). */
  retryMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Trino's statistics of a finished query, the parts we report. */
export interface TrinoStats {
  state: string;
  elapsedTimeMillis?: number;
  cpuTimeMillis?: number;
  processedRows?: number;
  processedBytes?: number;
  /** Bytes read from storage: what Athena bills as data scanned. */
  physicalInputBytes?: number;
  peakMemoryBytes?: number;
}

export interface TrinoStatementResult {
  queryId: string;
  columns: TrinoColumn[];
  /** Rows as objects keyed by lower-case column name, values typed (see trinoValue). */
  rows: Record<string, unknown>[];
  stats: TrinoStats;
  /** The `X-Trino-Update-Type` of DDL/DML (e.g. "CREATE TABLE"), if any. */
  updateType?: string;
}

interface QueryResults {
  id: string;
  nextUri?: string;
  columns?: TrinoColumn[];
  data?: unknown[][];
  stats?: TrinoStats;
  updateType?: string;
  error?: { message: string; errorName?: string; errorType?: string; errorCode?: number };
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Runs one SQL statement through Trino's client REST protocol: POST /v1/statement, then GET every nextUri
 * until there is none, collecting the typed rows. Trino's error message, error name and query id are kept in
 * the {@linkcode TrinoQueryError}; an abort sends DELETE to the current nextUri, which cancels the query.
 */
export async function trinoStatement(
  sql: string,
  options: TrinoClientOptions,
): Promise<TrinoStatementResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = options.url.replace(/\/+$/, "");
  const headers: Record<string, string> = {
    "X-Trino-User": options.user ?? "signin-lens",
    "X-Trino-Source": "signin-lens",
    "X-Trino-Time-Zone": options.timeZone ?? "UTC",
    "Content-Type": "text/plain; charset=utf-8",
  };
  if (options.catalog) headers["X-Trino-Catalog"] = options.catalog;
  if (options.schema) headers["X-Trino-Schema"] = options.schema;
  const prepared = Object.entries(options.prepared ?? {});
  if (prepared.length > 0) {
    headers["X-Trino-Prepared-Statement"] = prepared
      .map(([name, text]) => `${name}=${encodeURIComponent(text)}`).join(",");
  }

  // Known once the first answer names it; errors and cancellation report it.
  const current: { queryId?: string } = {};
  let nextUri: string | undefined;
  const cancel = async () => {
    if (!nextUri) return;
    try {
      const r = await doFetch(nextUri, {
        method: "DELETE",
        headers: { "X-Trino-User": headers["X-Trino-User"] },
      });
      await r.body?.cancel();
    } catch {
      // The server may be gone; the abort error below is what the caller needs.
    }
  };
  const aborted = async (): Promise<never> => {
    await cancel();
    const r = options.signal?.reason;
    throw new TrinoQueryError(
      "ABORTED",
      current.queryId,
      r instanceof Error ? r.message : String(r ?? "aborted"),
    );
  };

  const request = async (url: string, init: RequestInit): Promise<QueryResults> => {
    let wait = options.retryMs ?? 100;
    for (let attempt = 1;; attempt++) {
      if (options.signal?.aborted) return await aborted();
      let response: Response;
      try {
        response = await doFetch(url, { ...init, signal: options.signal });
      } catch (e) {
        if (options.signal?.aborted) return await aborted();
        throw new TrinoQueryError(
          "HTTP",
          current.queryId,
          `cannot reach Trino at ${base}: ${(e as Error).message}`,
        );
      }
      if (response.ok) return await response.json() as QueryResults;
      const text = await response.text();
      if (RETRY_STATUSES.has(response.status) && attempt < 10) {
        await sleep(wait);
        wait *= 2;
        continue;
      }
      throw new TrinoQueryError(
        "HTTP",
        current.queryId,
        `HTTP ${response.status} from ${new URL(url).pathname}: ${
          text.slice(0, 300).trim() || response.statusText
        }`,
      );
    }
  };

  let page = await request(`${base}/v1/statement`, { method: "POST", headers, body: sql });
  current.queryId = page.id;
  let columns: TrinoColumn[] | undefined;
  const rows: Record<string, unknown>[] = [];
  let names: string[] = [];
  for (;;) {
    if (page.error) {
      throw new TrinoQueryError("FAILED", page.id, page.error.message, page.error.errorName);
    }
    if (!columns && page.columns) {
      columns = page.columns;
      names = columns.map((c) => c.name.toLowerCase());
    }
    for (const row of page.data ?? []) {
      const out: Record<string, unknown> = {};
      names.forEach((n, i) => (out[n] = trinoValue(row[i], columns![i].typeSignature)));
      rows.push(out);
    }
    nextUri = page.nextUri;
    if (!nextUri) break;
    page = await request(nextUri, { method: "GET", headers: { "X-Trino-User": headers["X-Trino-User"] } });
  }
  return {
    queryId: page.id,
    columns: columns ?? [],
    rows,
    stats: page.stats ?? { state: "FINISHED" },
    ...(page.updateType ? { updateType: page.updateType } : {}),
  };
}
