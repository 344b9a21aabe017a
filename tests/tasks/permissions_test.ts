// issue 11 item 18: every task in deno.json runs with the permissions it needs, never --allow-all; network
// only where a task talks to a service, subprocesses only where it starts one. Run through `deno task`, as
// users do, so the flags under test are the real ones.
import assert from "node:assert/strict";
import { INPUTS, inTempDir, ROOT } from "./_helpers.ts";

const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
const tasks = config.tasks as Record<string, string>;

/** Tasks that talk to a service (notebooks: the kernel on 127.0.0.1), and tasks that start processes. */
const NETWORK = new Set(["pull", "push", "query", "trino", "bench", "notebooks"]);
// load runs its work in a supervised child (lib/cli/supervise.ts) so a DuckDB crash is reported in one line.
const SUBPROCESS = new Set(["test", "notebooks", "trino", "bench", "load"]);

async function denoTask(name: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", name, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("no task in deno.json runs with --allow-all; net and run only where needed", () => {
  for (const [name, line] of Object.entries(tasks)) {
    assert.doesNotMatch(line, /--allow-all|(^|\s)-A(\s|$)/, `${name}: ${line}`);
    const net = /--allow-net/.test(line);
    if (name === "test") {
      // The test runner itself needs no network; the tests it starts get their own flags.
      assert.equal(net, false, `${name} needs no network of its own`);
    } else assert.equal(net, NETWORK.has(name), `${name}: --allow-net ${net ? "given" : "missing"}: ${line}`);
    assert.doesNotMatch(line, /--allow-net(\s|$)/, `${name}: --allow-net must list its hosts`);
    assert.equal(/--allow-run/.test(line), SUBPROCESS.has(name), `${name}: --allow-run: ${line}`);
    if (/--allow-ffi/.test(line)) {
      assert.match(line, /--allow-sys/, `${name}: DuckDB's Node bindings read os info`);
    }
  }
});

for (const name of Object.keys(tasks)) {
  Deno.test(`deno task ${name} --help runs under its own permissions`, async () => {
    const r = await denoTask(name, ["--help"]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Usage:|usage:/, r.stdout.slice(0, 300));
    assert.doesNotMatch(r.stderr, /NotCapable|Requires \w+ access/);
  });
}

Deno.test("load, query, ddl and sample do their work under their own permissions", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    const load = await denoTask("load", [`${INPUTS}signins.ndjson`, "--db", db]);
    assert.equal(load.code, 0, load.stderr);
    const query = await denoTask("query", ["summary", "--db", db, "--format", "json"]);
    assert.equal(query.code, 0, query.stderr);
    assert.equal(JSON.parse(query.stdout)[0].signins, 5);
    const sample = await denoTask("query", ["failed_by_country", "--format", "csv"], {
      SIGNIN_LENS_DEFAULT_DB: `${dir}/none.duckdb`,
    });
    assert.equal(sample.code, 0, sample.stderr);
    assert.match(sample.stdout, /^country_or_region,failures/);
    const ddl = await denoTask("ddl", ["--location", "s3://acme-logs/entra/"]);
    assert.equal(ddl.code, 0, ddl.stderr);
    assert.match(ddl.stdout, /CREATE EXTERNAL TABLE/);
    // The audit pages' table and view come after the sign-ins' (the view reads the table).
    const audits = ddl.stdout.indexOf("`audit_pages`");
    assert.ok(audits > ddl.stdout.indexOf(`VIEW "signin_lens"."signins"`), ddl.stdout.slice(0, 200));
    assert.ok(ddl.stdout.indexOf(`VIEW "signin_lens"."directory_audits"`) > audits);
    assert.match(ddl.stdout, /LOCATION 's3:\/\/acme-logs\/entra\/audits\/'/);
    const gen = await denoTask("sample", ["--users", "25", "--days", "7", "--out", `${dir}/sample`]);
    assert.equal(gen.code, 0, gen.stderr);
  });
});

Deno.test("report, notebooks and push --dry-run do their work under their own permissions", async () => {
  await inTempDir(async (dir) => {
    const report = await denoTask("report", ["--out", `${dir}/report`], {
      SIGNIN_LENS_DEFAULT_DB: `${dir}/none.duckdb`,
    });
    assert.equal(report.code, 0, report.stderr);
    await Deno.stat(`${dir}/report/signins-report.html`);
    const nb = await denoTask("notebooks", [
      "--dir",
      "tests/fixtures/notebooks",
      "display",
      "--out",
      `${dir}/nb`,
    ]);
    assert.equal(nb.code, 0, nb.stderr);
    await Deno.stat(`${dir}/nb/display.ipynb`);
    const push = await denoTask("push", [
      "--to",
      "s3://acme-logs/entra/",
      "--from",
      "data/sample",
      "--dry-run",
    ], {
      AWS_REGION: "eu-west-1",
    });
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /would be uploaded/);
  });
});
