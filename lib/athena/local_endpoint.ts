/**
 * A local Amazon Athena endpoint (for tests, and for notebooks/04_athena.ipynb when AWS is not configured, so the
 * same Athena client code runs offline): the AWS JSON 1.1 protocol (POST /, X-Amz-Target:
 * AmazonAthena.<Op>, application/x-amz-json-1.1, SigV4-signed), answering StartQueryExecution,
 * GetQueryExecution, GetQueryResults and StopQueryExecution.
 *
 * Answers are computed, not canned: the received SQL gets its ExecutionParameters substituted for the `?`
 * placeholders in order, goes through the DuckDB dialect step (toDuckdbSql) and runs on a DuckDB store with
 * the Presto macros. Results come back in Athena's wire shape: a header row first, every cell a
 * VarCharValue string in Athena's text form (NULL is `{}`), ColumnInfo with Athena type names, and pages of
 * at most `pageSize` rows chained by NextToken.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { AthenaClient } from "@aws-sdk/client-athena";
import { createAthenaClient } from "./client.ts";
import { type AthenaConfig, athenaConfigFromEnv } from "./config.ts";
import { stripLiterals } from "../query/query_file.ts";
import { toDuckdbSql } from "../query/duckdb_dialect.ts";

/** How the next query(ies) should behave. */
export interface QueryScript {
  /** succeed (default), fail with `reason`, get cancelled by "someone else", or hang in RUNNING until stopped. */
  outcome?: "succeed" | "fail" | "cancel" | "hang";
  reason?: string;
  /** GetQueryExecution polls answered QUEUED, then RUNNING, before the outcome (defaults 1 and 1). */
  queued?: number;
  running?: number;
}

/**
 * An engine that answers the endpoint's queries instead of DuckDB: gets the SQL with its parameters in place,
 * returns column names with Athena type names and rows of plain values (timestamps as ISO strings). A real
 * Trino (Athena engine v3's engine) plugs in here, so the wire protocol is tested with Trino's own answers.
 */
export type LocalAthenaEngine = (
  sql: string,
) => Promise<{ columns: { name: string; type: string }[]; rows: unknown[][] }>;

export interface LocalAthenaOptions {
  /** The DuckDB store queries run on (with the Presto macros), unless `engine` is given. */
  connection?: DuckDBConnection;
  engine?: LocalAthenaEngine;
  /** Largest page GetQueryResults returns, whatever MaxResults asks (Athena's own cap is 1000). */
  pageSize?: number;
  /** Reported as Statistics.DataScannedInBytes (a simulation: what a full scan of the raw pages reads). */
  dataScannedBytes?: number;
  /** Applied to every query unless `script()` queued a specific one. */
  defaultScript?: QueryScript;
}

interface Execution {
  id: string;
  sql: string;
  executionParameters: string[];
  workgroup: string;
  database?: string;
  outputLocation?: string;
  script: Required<Pick<QueryScript, "outcome" | "queued" | "running">> & { reason?: string };
  polls: number;
  state: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  reason?: string;
  submitted: number;
  completed?: number;
  stopped: boolean;
  result?: { columns: ColumnInfo[]; rows: { VarCharValue?: string }[][] };
  error?: string;
}

interface ColumnInfo {
  CatalogName: string;
  SchemaName: string;
  TableName: string;
  Name: string;
  Label: string;
  Type: string;
  Precision: number;
  Scale: number;
  Nullable: string;
  CaseSensitive: boolean;
}

export interface LocalAthena {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_ATHENA or the client's `endpoint`. */
  readonly url: string;
  /** Every request received, in order: operation and parsed body. */
  readonly requests: { op: string; body: Record<string, unknown> }[];
  readonly executions: Map<string, Execution>;
  /** Queues a behaviour for the next StartQueryExecution. */
  script(next: QueryScript): void;
  /** Settings and a client (fake static credentials) for runQueryOnAthena against this endpoint. */
  localRunOptions(): { config: AthenaConfig; client: AthenaClient };
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

const LITERAL =
  /^(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|(?:DOUBLE|DECIMAL|DATE|TIMESTAMP|BIGINT|INTEGER|REAL|VARCHAR) '(?:[^']|'')*'|true|false|NULL)$/i;

export function startLocalAthena(options: LocalAthenaOptions): Promise<LocalAthena> {
  const pageSize = options.pageSize ?? 1000;
  const requests: LocalAthena["requests"] = [];
  const executions = new Map<string, Execution>();
  const scripts: QueryScript[] = [];
  let counter = 0;

  const ops: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    async StartQueryExecution(body) {
      const sql = body.QueryString;
      if (typeof sql !== "string" || sql.length === 0) {
        throw new ApiError("InvalidRequestException", "QueryString is required");
      }
      const params = (body.ExecutionParameters ?? []) as string[];
      params.forEach((p, i) => {
        if (typeof p !== "string" || !LITERAL.test(p.trim())) {
          throw new ApiError("InvalidRequestException", `ExecutionParameters[${i}] is not a literal: ${p}`);
        }
      });
      const script = {
        outcome: "succeed" as const,
        queued: 1,
        running: 1,
        ...options.defaultScript,
        ...scripts.shift(),
      };
      const id = `${(++counter).toString(16).padStart(8, "0")}-fake-4000-8000-${
        crypto.randomUUID().slice(-12)
      }`;
      const context = body.QueryExecutionContext as { Database?: string } | undefined;
      const result = body.ResultConfiguration as { OutputLocation?: string } | undefined;
      const e: Execution = {
        id,
        sql,
        executionParameters: params,
        workgroup: (body.WorkGroup as string | undefined) ?? "primary",
        database: context?.Database,
        outputLocation: result?.OutputLocation,
        script,
        polls: 0,
        state: "QUEUED",
        submitted: Date.now() / 1000,
        stopped: false,
      };
      executions.set(id, e);
      if (script.outcome === "succeed") {
        try {
          const text = substitute(sql, params);
          e.result = options.engine
            ? await executeOn(options.engine, text)
            : options.connection
            ? await execute(options.connection, text)
            : (() => {
              throw new Error("the local Athena endpoint has neither a DuckDB connection nor an engine");
            })();
        } catch (err) {
          e.error = (err as Error).message;
        }
      }
      return { QueryExecutionId: id };
    },
    GetQueryExecution(body) {
      const e = find(body);
      advance(e);
      return { QueryExecution: describe(e) };
    },
    GetQueryResults(body) {
      const e = find(body);
      if (e.state !== "SUCCEEDED" || !e.result) {
        throw new ApiError(
          "InvalidRequestException",
          `Query has not yet finished. Current state: ${e.state}`,
        );
      }
      const max = Math.min(Number(body.MaxResults ?? 1000), pageSize, 1000);
      if (!(max >= 1)) throw new ApiError("InvalidRequestException", "MaxResults must be between 1 and 1000");
      let offset = 0;
      if (typeof body.NextToken === "string") {
        const [tokenId, at] = atob(body.NextToken).split("|");
        if (tokenId !== e.id) {
          throw new ApiError("InvalidRequestException", "NextToken does not match the query");
        }
        offset = Number(at);
      }
      const header = e.result.columns.map((c) => ({ VarCharValue: c.Label }));
      const all = [header, ...e.result.rows];
      const slice = all.slice(offset, offset + max);
      const next = offset + max < all.length ? btoa(`${e.id}|${offset + max}`) : undefined;
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: slice.map((Data) => ({ Data })),
          ResultSetMetadata: { ColumnInfo: e.result.columns },
        },
        ...(next ? { NextToken: next } : {}),
      };
    },
    StopQueryExecution(body) {
      const e = find(body);
      e.stopped = true;
      if (e.state === "QUEUED" || e.state === "RUNNING") {
        e.state = "CANCELLED";
        e.reason = "Query cancelled by user";
        e.completed = Date.now() / 1000;
      }
      return {};
    },
  };

  function find(body: Record<string, unknown>): Execution {
    const e = executions.get(String(body.QueryExecutionId));
    if (!e) {
      throw new ApiError("InvalidRequestException", `QueryExecution ${body.QueryExecutionId} was not found`);
    }
    return e;
  }

  function advance(e: Execution): void {
    if (e.state !== "QUEUED" && e.state !== "RUNNING") return;
    e.polls++;
    const s = e.script;
    if (e.polls <= s.queued) e.state = "QUEUED";
    else if (e.polls <= s.queued + s.running || s.outcome === "hang") e.state = "RUNNING";
    else {
      e.completed = Date.now() / 1000;
      if (s.outcome === "fail") {
        e.state = "FAILED";
        e.reason = s.reason ?? "GENERIC_INTERNAL_ERROR: simulated failure";
      } else if (s.outcome === "cancel") {
        e.state = "CANCELLED";
        e.reason = s.reason ?? "Query cancelled by user";
      } else if (e.error !== undefined) {
        e.state = "FAILED";
        e.reason = `SYNTAX_ERROR: ${e.error.split("\n")[0]}`;
      } else {
        e.state = "SUCCEEDED";
      }
    }
  }

  function describe(e: Execution) {
    const done = e.completed !== undefined;
    return {
      QueryExecutionId: e.id,
      Query: e.sql,
      StatementType: "DML",
      ResultConfiguration: {
        OutputLocation: `${e.outputLocation ?? "s3://fake-athena-results/"}${e.id}.csv`,
      },
      QueryExecutionContext: e.database ? { Database: e.database, Catalog: "awsdatacatalog" } : {},
      Status: {
        State: e.state,
        ...(e.reason ? { StateChangeReason: e.reason } : {}),
        SubmissionDateTime: e.submitted,
        ...(done ? { CompletionDateTime: e.completed } : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: done ? Math.round((e.completed! - e.submitted) * 1000) : 0,
        DataScannedInBytes: e.state === "SUCCEEDED" ? options.dataScannedBytes ?? 0 : 0,
        TotalExecutionTimeInMillis: done ? Math.round((e.completed! - e.submitted) * 1000) : 0,
        QueryQueueTimeInMillis: 0,
      },
      WorkGroup: e.workgroup,
      EngineVersion: { SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3" },
      ...(e.executionParameters.length ? { ExecutionParameters: e.executionParameters } : {}),
    };
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), {
        status,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": crypto.randomUUID(),
          ...extra,
        },
      });
    const fail = (type: string, message: string, status = 400) =>
      json(status, { __type: type, Message: message }, { "x-amzn-errortype": type });
    const target = req.headers.get("x-amz-target") ?? "";
    if (req.method !== "POST" || new URL(req.url).pathname !== "/") {
      return fail("UnknownOperationException", `${req.method} ${new URL(req.url).pathname}`, 404);
    }
    if (!(req.headers.get("content-type") ?? "").startsWith("application/x-amz-json-1.1")) {
      return fail("SerializationException", "Content-Type must be application/x-amz-json-1.1");
    }
    const auth = req.headers.get("authorization") ?? "";
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/athena\/aws4_request/.test(auth)) {
      return fail("UnrecognizedClientException", "The request is not signed with SigV4 for athena", 403);
    }
    const op = target.startsWith("AmazonAthena.") ? target.slice("AmazonAthena.".length) : "";
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await req.text() || "{}");
    } catch {
      return fail("SerializationException", "the body is not JSON");
    }
    requests.push({ op, body });
    const handler = ops[op];
    if (!handler) return fail("UnknownOperationException", `unknown operation ${target}`);
    try {
      return json(200, await handler(body));
    } catch (e) {
      if (e instanceof ApiError) return fail(e.type, e.message, e.status);
      return fail("InternalServerException", (e as Error).message, 500);
    }
  });

  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    executions,
    script(next) {
      scripts.push(next);
    },
    localRunOptions() {
      const config = athenaConfigFromEnv({
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL_ATHENA: `http://127.0.0.1:${server.addr.port}`,
        ATHENA_OUTPUT_LOCATION: "s3://fake-athena-results/",
      });
      const client = createAthenaClient(config, {
        credentials: { accessKeyId: "AKIDLOCALFAKE", secretAccessKey: "local-fake" },
      });
      return { config, client };
    },
    async close() {
      await server.shutdown();
    },
  });
}

/** Puts each ExecutionParameter where its `?` stands (outside literals and comments), in order. */
export function substitute(sql: string, params: string[]): string {
  const visible = stripLiterals(sql);
  const marks = [...visible.matchAll(/\?/g)].map((m) => m.index);
  if (marks.length !== params.length) {
    throw new Error(
      `Incorrect number of parameters: expected ${marks.length} but found ${params.length}`,
    );
  }
  let out = "";
  let last = 0;
  marks.forEach((at, i) => {
    out += sql.slice(last, at) + params[i];
    last = at + 1;
  });
  return out + sql.slice(last);
}

async function executeOn(
  engine: LocalAthenaEngine,
  sql: string,
): Promise<{ columns: ColumnInfo[]; rows: { VarCharValue?: string }[][] }> {
  const answer = await engine(sql);
  const columns = answer.columns.map((c): ColumnInfo => ({
    CatalogName: "hive",
    SchemaName: "",
    TableName: "",
    Name: c.name,
    Label: c.name,
    Type: c.type,
    Precision: 0,
    Scale: 0,
    Nullable: "UNKNOWN",
    CaseSensitive: c.type === "varchar",
  }));
  const asText = (v: unknown, type: string) =>
    athenaText(
      (type === "date" || type.startsWith("timestamp")) && typeof v === "string" ? new Date(v) : v,
      type,
    );
  const rows = answer.rows.map((row) =>
    row.map((v, i) => (v === null || v === undefined ? {} : { VarCharValue: asText(v, columns[i].Type) }))
  );
  return { columns, rows };
}

async function execute(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ columns: ColumnInfo[]; rows: { VarCharValue?: string }[][] }> {
  const reader = await connection.runAndReadAll(toDuckdbSql(sql));
  const names = reader.columnNames().map((n) => n.toLowerCase());
  const types = reader.columnTypes().map((t) => t.toString());
  const columns = names.map((name, i): ColumnInfo => ({
    CatalogName: "hive",
    SchemaName: "",
    TableName: "",
    Name: name,
    Label: name,
    Type: athenaTypeName(types[i]),
    Precision: 0,
    Scale: 0,
    Nullable: "UNKNOWN",
    CaseSensitive: types[i] === "VARCHAR",
  }));
  const rows = reader.getRowsJS().map((row) =>
    row.map((v, i) => (v === null || v === undefined ? {} : { VarCharValue: athenaText(v, columns[i].Type) }))
  );
  return { columns, rows };
}

/** DuckDB's type name → the name Athena puts in ColumnInfo.Type. */
export function athenaTypeName(duckdb: string): string {
  const t = duckdb.toUpperCase();
  if (t.endsWith("[]") || /^[A-Z]+\[\d+\]$/.test(t)) return "array";
  if (t.startsWith("STRUCT")) return "row";
  if (t.startsWith("MAP")) return "map";
  if (t.startsWith("DECIMAL")) return "decimal";
  const simple: Record<string, string> = {
    BIGINT: "bigint",
    HUGEINT: "bigint",
    UBIGINT: "bigint",
    INTEGER: "integer",
    UINTEGER: "bigint",
    SMALLINT: "smallint",
    TINYINT: "tinyint",
    DOUBLE: "double",
    FLOAT: "real",
    BOOLEAN: "boolean",
    VARCHAR: "varchar",
    DATE: "date",
    TIMESTAMP: "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    JSON: "json",
  };
  return simple[t] ?? "varchar";
}

/** One value in Athena's result text form (what its CSV / GetQueryResults shows). */
export function athenaText(v: unknown, type: string): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return type === "double" || type === "real" ? javaDouble(v) : String(v);
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    if (type === "date") return iso.slice(0, 10);
    const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
    return type === "timestamp with time zone" ? `${text} UTC` : text;
  }
  if (Array.isArray(v)) {
    // DuckDB hands MAP values over as [{key, value}] entries.
    if (type === "map") {
      return `{${v.map((e) => `${athenaText(e.key, "")}=${athenaText(e.value, "")}`).join(", ")}}`;
    }
    return `[${v.map((x) => athenaText(x, "")).join(", ")}]`;
  }
  if (typeof v === "object") {
    return `{${Object.entries(v as object).map(([k, x]) => `${k}=${athenaText(x, "")}`).join(", ")}}`;
  }
  return String(v);
}

/** Java's Double.toString, which Athena's text form uses: 52.0, 0.001, 1.0E-4, 1.2345E7. */
function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mantissa, exp] = n.toExponential().split("e");
    return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
  }
  return Number.isInteger(n) ? `${n}.0` : String(n);
}
