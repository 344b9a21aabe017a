// The whole triage gives the same ranking through the Athena runner (a fake Athena speaking the wire
// protocol, answering from the same DuckDB store) as on DuckDB directly.
import assert from "node:assert/strict";
import { createAthenaClient } from "../../lib/athena/client.ts";
import { athenaConfigFromEnv } from "../../lib/athena/config.ts";
import { runOnAthena } from "../../lib/athena/runner.ts";
import { RULES, triage } from "../../lib/detections/mod.ts";
import { loadQuery, resolveParams, runOnDuckdb } from "../../lib/query/mod.ts";
import { startFakeAthena } from "../fakes/athena_server.ts";
import { testStore } from "../athena/test_store.ts";

Deno.test("triage() ranks the same accounts with the same findings on DuckDB and through Athena", async () => {
  const { store } = await testStore({ sample: true });
  const fake = await startFakeAthena({ connection: store.connection, pageSize: 7 });
  const config = athenaConfigFromEnv({ AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL_ATHENA: fake.url });
  const client = createAthenaClient(config, {
    credentials: { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" },
  });
  try {
    const duck = await triage(async (name, params) => {
      const q = await loadQuery(name);
      return (await runOnDuckdb(store.connection, q, resolveParams(q, params))).rows;
    }, { minScore: 0 });
    const athena = await triage(async (name, params) => {
      const q = await loadQuery(name);
      return (await runOnAthena(q, resolveParams(q, params), { client, database: "signin_lens", pollMs: 1 }))
        .rows;
    }, { minScore: 0 });
    assert.ok(duck.length >= 5, `${duck.length} accounts`);
    assert.deepEqual(athena, duck);
    const rules = new Set(duck.flatMap((r) => r.findings.map((f) => f.rule)));
    const started = fake.requests.filter((r) => r.op === "StartQueryExecution").length;
    assert.equal(started, RULES.length, "one Athena query per rule");
    for (const r of ["password_success", "token_replay", "mfa_fatigue", "persistence", "first_seen"]) {
      assert.ok(rules.has(r), `${r} fired on the comparison tenant`);
    }
  } finally {
    client.destroy();
    await fake.close();
    store.close();
  }
});
