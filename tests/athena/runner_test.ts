import assert from "node:assert/strict";
import { createAthenaClient } from "../../lib/athena/client.ts";
import { athenaConfigFromEnv } from "../../lib/athena/config.ts";
import { AthenaQueryError } from "../../lib/athena/errors.ts";
import { runQueryOnAthena } from "../../lib/athena/run_query.ts";
import { runOnAthena } from "../../lib/athena/runner.ts";
import { loadQuery, parseQueryFile, resolveParams, runOnDuckdb } from "../../lib/query/mod.ts";
import { type FakeAthena, startFakeAthena } from "../fakes/athena_server.ts";
import { testStore } from "./test_store.ts";
import type { Store } from "../../lib/store/mod.ts";

const CREDENTIALS = { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" };

async function withFake(
  fn: (ctx: { fake: FakeAthena; store: Store; send: ReturnType<typeof makeClient> }) => Promise<void>,
  pageSize = 1000,
) {
  const { store } = await testStore();
  const fake = await startFakeAthena({ connection: store.connection, pageSize, dataScannedBytes: 1234 });
  const client = makeClient(fake);
  try {
    await fn({ fake, store, send: client });
  } finally {
    client.destroy();
    await fake.close();
    store.close();
  }
}

function makeClient(fake: FakeAthena) {
  const config = athenaConfigFromEnv({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_ATHENA: fake.url });
  return createAthenaClient(config, { credentials: CREDENTIALS, maxAttempts: 1 });
}

async function summary() {
  const query = await loadQuery("summary");
  return { query, params: resolveParams(query, {}) };
}

Deno.test("runOnAthena() polls QUEUED → RUNNING → SUCCEEDED with growing waits", async () => {
  await withFake(async ({ fake, send }) => {
    fake.script({ queued: 2, running: 3 });
    const waits: number[] = [];
    const states: string[] = [];
    const { query, params } = await summary();
    const result = await runOnAthena(query, params, {
      client: send,
      pollMs: 10,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      onState: (s) => states.push(s),
    });
    assert.deepEqual(states, ["QUEUED", "QUEUED", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"]);
    assert.deepEqual(waits, [10, 15, 23, 35, 53]);
    assert.equal(result.stats.bytesScanned, 1234);
    assert.match(result.stats.queryId!, /fake/);
    assert.equal(result.rows.length, 1);
  });
});

Deno.test("runOnAthena() raises FAILED with the query id and Athena's StateChangeReason", async () => {
  await withFake(async ({ fake, send }) => {
    fake.script({ outcome: "fail", reason: "HIVE_BAD_DATA: Error parsing field value for field 0" });
    const { query, params } = await summary();
    const err = await runOnAthena(query, params, { client: send, pollMs: 1 }).catch((e) => e);
    assert.ok(err instanceof AthenaQueryError);
    assert.equal(err.kind, "FAILED");
    assert.equal(err.reason, "HIVE_BAD_DATA: Error parsing field value for field 0");
    assert.ok(fake.executions.has(err.queryId));
    assert.match(err.message, /query summary \(.+\) failed: HIVE_BAD_DATA/);
    assert.ok(!fake.requests.some((r) => r.op === "GetQueryResults"));
  });
});

Deno.test("runOnAthena() raises CANCELLED when someone else stops the query", async () => {
  await withFake(async ({ fake, send }) => {
    fake.script({ outcome: "cancel", reason: "Query cancelled by user" });
    const { query, params } = await summary();
    const err = await runOnAthena(query, params, { client: send, pollMs: 1 }).catch((e) => e);
    assert.ok(err instanceof AthenaQueryError);
    assert.equal(err.kind, "CANCELLED");
    assert.match(err.message, /was cancelled: Query cancelled by user/);
  });
});

Deno.test("runOnAthena() reports a SQL error the engine found as FAILED", async () => {
  await withFake(async ({ send }) => {
    const query = parseQueryFile("broken", "SELECT no_such_column FROM signins");
    const err = await runOnAthena(query, {}, { client: send, pollMs: 1 }).catch((e) => e);
    assert.ok(err instanceof AthenaQueryError);
    assert.equal(err.kind, "FAILED");
    assert.match(err.reason, /no_such_column/);
  });
});

Deno.test("runOnAthena() stops the query on Athena when it times out", async () => {
  await withFake(async ({ fake, send }) => {
    fake.script({ outcome: "hang" });
    const { query, params } = await summary();
    const err = await runOnAthena(query, params, { client: send, pollMs: 5, timeoutMs: 60 }).catch((e) => e);
    assert.ok(err instanceof AthenaQueryError);
    assert.equal(err.kind, "TIMEOUT");
    const stops = fake.requests.filter((r) => r.op === "StopQueryExecution");
    assert.deepEqual(stops.map((r) => r.body.QueryExecutionId), [err.queryId]);
    assert.equal(fake.executions.get(err.queryId)!.state, "CANCELLED");
  });
});

Deno.test("runOnAthena() stops the query on Athena when the signal aborts (Ctrl-C)", async () => {
  await withFake(async ({ fake, send }) => {
    fake.script({ outcome: "hang" });
    const controller = new AbortController();
    const { query, params } = await summary();
    const err = await runOnAthena(query, params, {
      client: send,
      pollMs: 5,
      signal: controller.signal,
      onState: (state) => {
        if (state === "RUNNING") controller.abort(new Error("SIGINT"));
      },
    }).catch((e) => e);
    assert.ok(err instanceof AthenaQueryError);
    assert.equal(err.kind, "ABORTED");
    assert.match(err.message, /interrupted \(SIGINT\); StopQueryExecution was sent/);
    assert.equal(fake.requests.filter((r) => r.op === "StopQueryExecution").length, 1);
    assert.equal(fake.executions.get(err.queryId)!.stopped, true);
  });
});

Deno.test("runOnAthena() follows NextToken over several pages and drops only the header row", async () => {
  await withFake(async ({ fake, send, store }) => {
    const query = await loadQuery("signins_flat");
    const params = resolveParams(query, {});
    const result = await runOnAthena(query, params, { client: send, pollMs: 1, pageSize: 50 });
    const pages = fake.requests.filter((r) => r.op === "GetQueryResults");
    assert.ok(pages.length >= 5, `expected several pages, got ${pages.length}`);
    assert.equal(pages[0].body.NextToken, undefined);
    assert.ok(pages.slice(1).every((p) => typeof p.body.NextToken === "string"));
    assert.ok(pages.every((p) => p.body.MaxResults === 50));
    const direct = await runOnDuckdb(store.connection, query, params);
    assert.equal(result.rows.length, direct.rows.length);
    assert.deepEqual(result.rows, direct.rows);
  }, 3);
});

Deno.test("runOnAthena() sends $params as ExecutionParameters, never inside the SQL", async () => {
  await withFake(async ({ fake, send, store }) => {
    const query = parseQueryFile(
      "by_user",
      "-- @param who string = nobody  a user\nSELECT count(*) AS n FROM signins WHERE userprincipalname = $who",
    );
    for (const who of ["x' OR '1'='1", "x'; DROP TABLE signin_records; --"]) {
      const athena = await runOnAthena(query, { who }, { client: send, pollMs: 1 });
      const direct = await runOnDuckdb(store.connection, query, { who });
      assert.deepEqual(athena.rows, [{ n: 0 }]);
      assert.deepEqual(athena.rows, direct.rows);
    }
    const starts = fake.requests.filter((r) => r.op === "StartQueryExecution");
    assert.ok(String(starts[0].body.QueryString).endsWith("FROM signins WHERE userprincipalname = ?"));
    assert.deepEqual(starts[0].body.ExecutionParameters, ["'x'' OR ''1''=''1'"]);
    const remaining = await store.connection.runAndReadAll("SELECT count(*) AS n FROM signin_records");
    assert.ok(Number(remaining.getRowObjectsJS()[0].n) > 0);
  });
});

Deno.test("runQueryOnAthena() takes workgroup, database and output location from the configuration", async () => {
  await withFake(async ({ fake, send }) => {
    const config = athenaConfigFromEnv({
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_ATHENA: fake.url,
      ATHENA_WORKGROUP: "security",
      ATHENA_DATABASE: "entra_logs",
      ATHENA_OUTPUT_LOCATION: "s3://acme-athena-results/lens",
    });
    const result = await runQueryOnAthena("failed_by_country", { from: "2026-10-01" }, {
      config,
      client: send,
      pollMs: 1,
    });
    assert.equal(result.name, "failed_by_country");
    const start = fake.requests.find((r) => r.op === "StartQueryExecution")!;
    assert.equal(start.body.WorkGroup, "security");
    assert.deepEqual(start.body.QueryExecutionContext, { Database: "entra_logs" });
    assert.deepEqual(start.body.ResultConfiguration, { OutputLocation: "s3://acme-athena-results/lens/" });
    assert.deepEqual(start.body.ExecutionParameters, [
      "'2026-10-01T00:00:00.000Z'",
      "'9999-12-31T00:00:00Z'",
    ]);
  });
});
