import assert from "node:assert/strict";
import { createAthenaClient } from "../../lib/athena/client.ts";
import { athenaConfigFromEnv } from "../../lib/athena/config.ts";
import { runOnAthena } from "../../lib/athena/runner.ts";
import { listQueries, loadQuery, resolveParams, runOnDuckdb } from "../../lib/query/mod.ts";
import { plantedPatterns } from "../../lib/sample/mod.ts";
import { startFakeAthena } from "../fakes/athena_server.ts";
import { SAMPLE, testStore } from "./test_store.ts";

/** Small pages, so most answers span several GetQueryResults calls chained by NextToken. */
const PAGE = 16;

const CREDENTIALS = { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" };

/**
 * Triage rules whose planted case (device-code phishing, the one risky success) lies outside the narrow
 * window: there both engines must agree on an empty answer; with the defaults they must answer rows.
 */
const RARE_IN_NARROW_WINDOW = new Set(["detect_device_code", "detect_risky_success"]);

/**
 * The account investigation's queries have no meaningful default account: they run for the sample's device-code
 * victim (inside the narrow window too) and the address that redeemed her tokens.
 */
const PLANTED = plantedPatterns(SAMPLE).compromises.deviceCode;
const ACCOUNT = { upn: PLANTED.userPrincipalName, ips: PLANTED.tokenUse.ipAddress };

/** Parameter sets each query runs with: its defaults, and a narrower window with low thresholds. */
const PARAM_SETS: Record<string, string | number>[] = [
  {},
  { from: "2026-10-22", to: "2026-10-29T06:30:00Z", min_users: 2, min_failures: 3, learning_days: 2 },
];

Deno.test("runOnAthena() gives the DuckDB engine's rows for every query, through a fake Athena", async (t) => {
  const { store, bytes, records } = await testStore({ sample: true });
  const fake = await startFakeAthena({
    connection: store.connection,
    pageSize: PAGE,
    dataScannedBytes: bytes,
  });
  const config = athenaConfigFromEnv({ AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL_ATHENA: fake.url });
  const client = createAthenaClient(config, { credentials: CREDENTIALS });
  const summary: string[] = [];
  try {
    for (const name of await listQueries()) {
      await t.step(name, async () => {
        const query = await loadQuery(name);
        for (const given of PARAM_SETS) {
          const applicable = Object.fromEntries(
            Object.entries({ ...ACCOUNT, ...given }).filter(([k]) => query.params.some((p) => p.name === k)),
          );
          const params = resolveParams(query, applicable);
          const direct = await runOnDuckdb(store.connection, query, params);
          const athena = await runOnAthena(query, params, {
            client,
            workgroup: "primary",
            database: "signin_lens",
            outputLocation: "s3://results-bucket/athena/",
            pollMs: 1,
          });
          assert.deepEqual(athena.columns.map((c) => c.name), direct.columns.map((c) => c.name));
          assert.deepEqual(athena.rows, direct.rows);
          assert.equal(athena.engine, "athena");
          assert.equal(athena.stats.bytesScanned, bytes);
          const pages = fake.requests.filter((r) =>
            r.op === "GetQueryResults" && r.body.QueryExecutionId === athena.stats.queryId
          ).length;
          assert.equal(pages, Math.max(1, Math.ceil((direct.rows.length + 1) / PAGE)));
          assert.ok(
            direct.rows.length > 0 || (given !== PARAM_SETS[0] && RARE_IN_NARROW_WINDOW.has(name)),
            `${name} ${JSON.stringify(applicable)} answered nothing: weak test data`,
          );
          summary.push(`${name} ${JSON.stringify(applicable)}: ${direct.rows.length} rows, ${pages} pages`);
        }
      });
    }
  } finally {
    client.destroy();
    await fake.close();
    store.close();
  }
  if (Deno.env.get("ATHENA_TEST_VERBOSE")) {
    console.log(`${records} sign-ins, ${bytes} bytes\n${summary.join("\n")}`);
  }
});
