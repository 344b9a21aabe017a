import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runScript } from "../fakes/run_script.ts";

const task = (name: string) => fileURLToPath(new URL(`../../tasks/${name}.ts`, import.meta.url));

Deno.test("deno task trino: --help, and a wrong verb or port is exit 2 with the usage", async () => {
  const help = await runScript(task("trino"), ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: deno task trino up \[--raw DIR\] \[--lake DIR\] \[--port N\]/);
  assert.match(help.stdout, /Example:/);
  const verb = await runScript(task("trino"), ["sideways"]);
  assert.equal(verb.code, 2);
  assert.match(verb.stderr, /^error: say up or down\n/);
  const port = await runScript(task("trino"), ["up", "--port", "99999"]);
  assert.equal(port.code, 2);
  assert.match(port.stderr, /--port 99999: not a port/);
  const down = await runScript(task("trino"), ["down", "--port", "1"]);
  assert.equal(down.code, 2);
});

Deno.test("deno task trino up names a --raw or --lake folder that is not one before starting anything", async () => {
  const r = await runScript(task("trino"), [
    "up",
    "--raw",
    "/nonexistent/raw",
    "--state",
    "/nonexistent/state",
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--raw \/nonexistent\/raw: no signins\/ folder in it/);
  assert.equal(r.stdout, "", "no TRINO_URL line when nothing started");
});

Deno.test("deno task lake: --out is required (exit 2); deno task ddl --format takes json or parquet", async () => {
  const lake = await runScript(task("lake"), []);
  assert.equal(lake.code, 2);
  assert.match(lake.stderr, /--out DIR is required/);
  const ddl = await runScript(task("ddl"), ["--format", "xml"]);
  assert.equal(ddl.code, 2);
  assert.match(ddl.stderr, /--format xml: use json or parquet/);
  const parquet = await runScript(task("ddl"), ["--format", "parquet", "--location", "s3://acme-logs/lake/"]);
  assert.equal(parquet.code, 0);
  assert.match(parquet.stdout, /STORED AS PARQUET/);
  assert.match(parquet.stdout, /CREATE OR REPLACE VIEW "signin_lens_lake"\."signins"/);
});

Deno.test("deno task query --engine trino without TRINO_URL says what to set (exit 1)", async () => {
  const env = Object.fromEntries(Object.entries(Deno.env.toObject()).filter(([k]) => k !== "TRINO_URL"));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", task("query"), "summary", "--engine", "trino"],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  assert.match(
    new TextDecoder().decode(out.stderr),
    /set TRINO_URL \(deno task trino up prints it\) or pass --trino-url/,
  );
  const wrong = await runScript(task("query"), ["summary", "--trino-url", "http://127.0.0.1:1"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--trino-url needs --engine trino/);
});

Deno.test("deno task query --engine trino reports an unreachable coordinator by URL (exit 1)", async () => {
  const r = await runScript(task("query"), [
    "summary",
    "--engine",
    "trino",
    "--trino-url",
    "http://127.0.0.1:9",
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot reach Trino at http:\/\/127\.0\.0\.1:9/);
});
