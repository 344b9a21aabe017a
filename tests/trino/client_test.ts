import assert from "node:assert/strict";
import { parseQueryFile } from "../../lib/query/query_file.ts";
import {
  runOnTrino,
  trinoExecute,
  TrinoQueryError,
  trinoStatement,
  trinoValue,
} from "../../lib/trino/mod.ts";

interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body?: string;
}

/** A loopback stand-in for a coordinator's /v1/statement protocol: pages are served in order. */
function fakeTrino(pages: unknown[], opts: { hangAfter?: number } = {}) {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input);
    const method = init?.method ?? "GET";
    seen.push({ method, url, headers: new Headers(init?.headers), body: init?.body as string | undefined });
    if (method === "DELETE") return new Response(null, { status: 204 });
    const n = seen.filter((s) => s.method !== "DELETE").length - 1;
    if (opts.hangAfter !== undefined && n >= opts.hangAfter) {
      return await new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason), { once: true });
      });
    }
    return Response.json(pages[n]);
  };
  return { seen, fetchFn };
}

const rowType = {
  rawType: "row",
  arguments: [
    { kind: "NAMED_TYPE", value: { fieldName: { name: "city" }, typeSignature: { rawType: "varchar" } } },
    {
      kind: "NAMED_TYPE",
      value: {
        fieldName: { name: "tags" },
        typeSignature: { rawType: "array", arguments: [{ kind: "TYPE", value: { rawType: "varchar" } }] },
      },
    },
  ],
};

Deno.test("trinoValue() turns rows, arrays, integers and timestamps into the DuckDB engine's plain values", () => {
  assert.deepEqual(trinoValue(["Oslo", ["a", null]], rowType), { city: "Oslo", tags: ["a", null] });
  assert.equal(trinoValue(42, { rawType: "bigint" }), 42);
  assert.equal(trinoValue("NaN", { rawType: "double" }), NaN);
  assert.equal(
    trinoValue("2026-10-03 11:22:34.123 UTC", { rawType: "timestamp with time zone" }),
    "2026-10-03T11:22:34.123Z",
  );
  assert.equal(trinoValue("2026-10-03 11:22:34.123", { rawType: "timestamp" }), "2026-10-03T11:22:34.123Z");
  assert.equal(trinoValue("2026-10-03", { rawType: "date" }), "2026-10-03");
  assert.equal(trinoValue(null, { rawType: "varchar" }), null);
});

Deno.test("trinoStatement() follows nextUri to the end and keeps every page's rows", async () => {
  const cols = [
    { name: "Country", type: "varchar", typeSignature: { rawType: "varchar" } },
    { name: "n", type: "bigint", typeSignature: { rawType: "bigint" } },
  ];
  const { seen, fetchFn } = fakeTrino([
    { id: "q1", nextUri: "http://127.0.0.1:1/v1/statement/queued/q1/1", stats: { state: "QUEUED" } },
    { id: "q1", nextUri: "http://127.0.0.1:1/v1/statement/executing/q1/2", columns: cols, data: [["DE", 3]] },
    { id: "q1", columns: cols, data: [["US", 1]], stats: { state: "FINISHED", physicalInputBytes: 1234 } },
  ]);
  const r = await trinoStatement("SELECT 1", { url: "http://127.0.0.1:1/", fetch: fetchFn, schema: "s" });
  assert.deepEqual(r.rows, [{ country: "DE", n: 3 }, { country: "US", n: 1 }]);
  assert.equal(r.stats.physicalInputBytes, 1234);
  assert.equal(seen[0].method, "POST");
  assert.equal(seen[0].url, "http://127.0.0.1:1/v1/statement");
  assert.equal(seen[0].headers.get("X-Trino-Schema"), "s");
  assert.equal(seen[0].headers.get("X-Trino-Time-Zone"), "UTC");
  assert.deepEqual(seen.slice(1).map((s) => s.url.split("/").slice(-3).join("/")), [
    "queued/q1/1",
    "executing/q1/2",
  ]);
});

Deno.test("trinoStatement() reports Trino's error message, error name and query id", async () => {
  const { fetchFn } = fakeTrino([
    { id: "q2", nextUri: "http://127.0.0.1:1/v1/statement/executing/q2/1" },
    {
      id: "q2",
      error: { message: "line 1:8: Column 'nope' cannot be resolved", errorName: "COLUMN_NOT_FOUND" },
    },
  ]);
  await assert.rejects(
    trinoStatement("SELECT nope", { url: "http://127.0.0.1:1", fetch: fetchFn }),
    (e: unknown) =>
      e instanceof TrinoQueryError && e.queryId === "q2" && e.errorName === "COLUMN_NOT_FOUND" &&
      /Column 'nope' cannot be resolved/.test(e.message),
  );
});

Deno.test("trinoStatement() cancels the query on the server (DELETE nextUri) when aborted", async () => {
  const { seen, fetchFn } = fakeTrino([
    { id: "q3", nextUri: "http://127.0.0.1:1/v1/statement/executing/q3/1" },
  ], { hangAfter: 1 });
  const controller = new AbortController();
  const running = trinoStatement("SELECT 1", {
    url: "http://127.0.0.1:1",
    fetch: fetchFn,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(new Error("Ctrl-C")), 20);
  await assert.rejects(running, (e: unknown) => e instanceof TrinoQueryError && e.kind === "ABORTED");
  const del = seen.find((s) => s.method === "DELETE");
  assert.equal(del?.url, "http://127.0.0.1:1/v1/statement/executing/q3/1");
});

Deno.test("trinoStatement() retries 503 and then gives up with the status", async () => {
  let calls = 0;
  const fetchFn: typeof fetch = () => {
    calls++;
    return Promise.resolve(new Response("busy", { status: 503 }));
  };
  await assert.rejects(
    trinoStatement("SELECT 1", { url: "http://127.0.0.1:1", fetch: fetchFn, sleep: () => Promise.resolve() }),
    /HTTP 503/,
  );
  assert.equal(calls, 10);
});

const QUERY = parseQueryFile(
  "t",
  `-- test\n-- @param from timestamp = 1970-01-01T00:00:00Z  start\n-- @param who string = x  name\n` +
    `-- @param n integer = 1  count\nSELECT * FROM signins WHERE created_at >= from_iso8601_timestamp($from) ` +
    `AND userprincipalname = $who AND '$who' <> '' LIMIT $n`,
);

Deno.test("trinoExecute() prepares the query text unchanged and binds values in EXECUTE … USING", () => {
  const { prepared, execute } = trinoExecute(QUERY, {
    from: "2026-10-01T00:00:00.000Z",
    who: "o'brien",
    n: 5,
  });
  assert.match(
    prepared,
    /from_iso8601_timestamp\(\?\) AND userprincipalname = \? AND '\$who' <> '' LIMIT \?$/,
  );
  assert.ok(!prepared.includes("brien"));
  assert.equal(execute, "EXECUTE lens_query USING '2026-10-01T00:00:00.000Z', 'o''brien', 5");
});

Deno.test("runOnTrino() sends the prepared statement in X-Trino-Prepared-Statement, URL-encoded", async () => {
  const { seen, fetchFn } = fakeTrino([{ id: "q4", columns: [], data: [], stats: { state: "FINISHED" } }]);
  const r = await runOnTrino(QUERY, { from: "2026-10-01T00:00:00.000Z", who: "a b", n: 1 }, {
    url: "http://127.0.0.1:1",
    fetch: fetchFn,
  });
  assert.equal(r.engine, "trino");
  const header = seen[0].headers.get("X-Trino-Prepared-Statement")!;
  assert.ok(header.startsWith("lens_query="));
  assert.equal(
    decodeURIComponent(header.slice("lens_query=".length)),
    trinoExecute(QUERY, {
      from: "2026-10-01T00:00:00.000Z",
      who: "a b",
      n: 1,
    }).prepared,
  );
  assert.equal(seen[0].body, "EXECUTE lens_query USING '2026-10-01T00:00:00.000Z', 'a b', 1");
});
