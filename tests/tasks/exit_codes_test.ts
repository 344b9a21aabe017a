// issue 11 item 13: one table of exit codes (lib/cli/exit_codes.ts, README "Exit codes"), checked per task:
// 0 done, 1 failed at run time, 2 wrong option, parameter or configuration.
import assert from "node:assert/strict";
import { exitCodeFor } from "../../lib/cli/exit_codes.ts";
import { ConfigError } from "../../lib/config.ts";
import { ParamError, UnknownQueryError } from "../../lib/query/mod.ts";
import { StorePathError } from "../../lib/store/mod.ts";
import { exists, inTempDir, task } from "./_helpers.ts";

Deno.test("exitCodeFor(): configuration and option errors are 2, the rest 1, an own exitCode wins", () => {
  assert.equal(exitCodeFor(new ConfigError(["AZURE_TENANT_ID is not set"])), 2);
  assert.equal(exitCodeFor(new ParamError("bad")), 2);
  assert.equal(exitCodeFor(new UnknownQueryError("no query")), 2);
  assert.equal(exitCodeFor(new StorePathError("x", "x.json")), 2);
  assert.equal(
    exitCodeFor(Object.assign(new Error("x"), { name: "GraphAuthError", code: "certificate" })),
    2,
  );
  assert.equal(exitCodeFor(Object.assign(new Error("x"), { exitCode: 3 })), 3);
  assert.equal(exitCodeFor(new Error("disk full")), 1);
  assert.equal(exitCodeFor("thrown string"), 1);
});

/** Each row: task, arguments, expected code, what the first stderr line must say. */
const WRONG: [string, string[], RegExp][] = [
  ["report", ["--to", "2026-13-45"], /^error: --to: "2026-13-45" is not a date/],
  ["report", ["--from", "2026-10-05", "--to", "2026-10-01"], /^error: --from .* is not before --to/],
  ["report", ["--bogus"], /^error: Unknown option '--bogus'/],
  ["query", ["summary", "--param", "from=2026-13-45"], /^error: .*from.*2026-13-45/],
  ["query", ["summary", "--param", "nope=1"], /^error: query summary has no parameter "nope"/],
  ["query", ["no_such_query"], /^error: no query named no_such_query/],
  ["query", ["summary", "--format", "xml"], /^error: --format xml/],
  ["query", ["summary", "--limit", "ten"], /^error: --limit ten: expected a whole number/],
  ["ddl", ["--location", "http://x"], /^error: --location "http:\/\/x": expected s3:\/\/bucket\/prefix\//],
  ["ddl", ["--projection-start", "2026-13-45"], /^error: --projection-start/],
  ["push", ["--to", "http://x"], /^error: /],
  ["load", [], /^error: name at least one file or directory/],
  ["load", ["x.json", "--wait", "soon"], /^error: --wait soon/],
  ["notebooks", ["--timeout", "0"], /^error: --timeout must be a positive number/],
  // Number() would read these as 16, 1000 and 80: options take decimal digits only.
  [
    "push",
    ["--to", "s3://my-bucket/p/", "--dry-run", "--concurrency", "0x10"],
    /^error: --concurrency 0x10: expected a whole number/,
  ],
  ["notebooks", ["--timeout", "1e3"], /^error: --timeout must be a positive number/],
  ["trino", ["up", "--port", "0x50"], /^error: --port 0x50: not a port/],
  ["sample", ["--users", "many"], /^error: Option --users must be an integer/],
  ["kernel_install", ["--name", "a b"], /^error: --name a b/],
  ["test", ["--bogus"], /^error: Unknown option '--bogus'/],
  [
    "test",
    ["--only-tests", "tests/nonexistent"],
    /^error: tests\/nonexistent: no such test file or directory/,
  ],
];

for (const [name, args, message] of WRONG) {
  Deno.test(`${name} ${args.join(" ")} → exit 2, one line naming the problem, nothing built first`, async () => {
    const r = await task(name, args, { SIGNIN_LENS_DEFAULT_DB: "/nonexistent/signins.duckdb" });
    assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, message);
    // Options are checked before the sample tenant is built or any store is opened.
    assert.doesNotMatch(r.stderr, /using the bundled sample|loaded the sample tenant/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    assert.doesNotMatch(r.stderr, /Stack backtrace/, "no Rust backtrace");
  });
}

Deno.test("report --from after the data names the data's end, not a --to the user never gave", async () => {
  const r = await task("report", ["--from", "2030-01-01"], {
    SIGNIN_LENS_DEFAULT_DB: "/nonexistent/signins.duckdb",
  });
  assert.equal(r.code, 2, r.stderr);
  const line = r.stderr.split("\n").find((l) => l.startsWith("error:"))!;
  assert.match(
    line,
    /^error: --from 2030-01-01 is not before the end of the store's sign-ins \(\d{4}-\d{2}-\d{2}/,
  );
  assert.doesNotMatch(line, /--to \d/);
});

Deno.test("pull with a missing certificate file → exit 2 before anything is written", async () => {
  await inTempDir(async (dir) => {
    const r = await task("pull", ["--since", "1h", "--out", `${dir}/raw`], {
      AZURE_TENANT_ID: "contoso.onmicrosoft.com",
      AZURE_CLIENT_ID: "11111111-1111-1111-1111-111111111111",
      AZURE_CLIENT_CERTIFICATE_PATH: `${dir}/missing.pem`,
      AZURE_CLIENT_SECRET: "",
      SIGNIN_LENS_ENV_FILE: "/dev/null",
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: AZURE_CLIENT_CERTIFICATE_PATH .*missing\.pem: no such file/);
    assert.equal(await exists(`${dir}/raw`), false);
  });
});

Deno.test("report --out x.html writes that file and creates no directory of that name", async () => {
  await inTempDir(async (dir) => {
    const out = `${dir}/x.html`;
    const r = await task("report", ["--out", out], { SIGNIN_LENS_DEFAULT_DB: "/nonexistent/signins.duckdb" });
    assert.equal(r.code, 0, r.stderr);
    const info = await Deno.stat(out);
    assert.ok(info.isFile, "x.html is not a file");
    assert.match(await Deno.readTextFile(out), /^<!doctype html>/i);
  });
});
