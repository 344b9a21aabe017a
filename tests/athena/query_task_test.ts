import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadFiles, openStore } from "../../lib/store/mod.ts";
import { startFakeAthena } from "../fakes/athena_server.ts";
import { FIXTURE_FILES } from "./test_store.ts";
import { runScript } from "../fakes/run_script.ts";

const TASK = fileURLToPath(new URL("../../tasks/query.ts", import.meta.url));

function runQueryTask(args: string[], env: Record<string, string> = {}) {
  return runScript(TASK, args, { env: { NO_COLOR: "1", AWS_EC2_METADATA_DISABLED: "true", ...env } });
}

Deno.test("deno task query --engine athena prints what the DuckDB engine prints, in every format", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lens-query-task-" });
  const db = `${dir}/signins.duckdb`;
  const writer = await openStore({ path: db });
  await loadFiles(writer, FIXTURE_FILES);
  writer.close();
  const local: Record<string, string> = {};
  const cases = [
    ["summary", "table"],
    ["signins_flat", "csv"],
    ["ca_result_daily", "json"],
    ["suspicious_ips", "json"],
  ];
  for (const [name, format] of cases) {
    const r = await runQueryTask([name, "--db", db, "--format", format, "--param", "from=2019-01-01"]);
    assert.equal(r.code, 0, r.stderr);
    local[name] = r.stdout;
  }
  const store = await openStore({ path: db, readOnly: true });
  const fake = await startFakeAthena({
    connection: store.connection,
    pageSize: 5,
    dataScannedBytes: 2_500_000,
  });
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDFAKEFAKEFAKE",
    AWS_SECRET_ACCESS_KEY: "fake-secret",
    AWS_ENDPOINT_URL_ATHENA: fake.url,
    ATHENA_OUTPUT_LOCATION: "s3://results-bucket/athena/",
  };
  try {
    for (const [name, format] of cases) {
      const r = await runQueryTask(
        [name, "--engine", "athena", "--format", format, "--param", "from=2019-01-01"],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, local[name], `${name} as ${format}`);
      assert.match(r.stderr, /athena .*fake.*: 2\.5 MB scanned/);
    }
    fake.script({ outcome: "fail", reason: "HIVE_BAD_DATA: Error parsing field value" });
    const failed = await runQueryTask(["summary", "--engine", "athena"], env);
    assert.equal(failed.code, 1);
    assert.match(
      failed.stderr,
      /^error: query summary \(.+\) failed: HIVE_BAD_DATA: Error parsing field value\n$/,
    );
  } finally {
    await fake.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
