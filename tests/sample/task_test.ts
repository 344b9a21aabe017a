import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "../fakes/run_script.ts";

const TASK = new URL("../../tasks/sample.ts", import.meta.url).pathname;

function run(...args: string[]) {
  return runScript(TASK, args, { env: { NO_COLOR: "1" } });
}

Deno.test("deno task sample --help prints options and an example", async () => {
  const r = await run("--help");
  assert.equal(r.code, 0);
  for (
    const flag of ["--users", "--days", "--seed", "--end", "--out", "--page-size", "--force", "Example:"]
  ) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

Deno.test("deno task sample rejects wrong options with a one-line error, usage and exit 2", async () => {
  for (
    const [args, message] of [
      [["--bogus"], "error: Unknown option '--bogus'"],
      [["--users", "many"], 'error: Option --users must be an integer, got "many"'],
      [["--users", "10"], "error: Option --users must be an integer from 25 to 100000, got 10"],
      [["--days", "0"], "error: Option --days must be an integer from 7 to 3650, got 0"],
      [["--end", "2026-11-01T06:00:00Z"], "error: Option --end must be midnight UTC"],
      [["--page-size", "1000"], "error: Option --page-size must be an integer from 1 to 999, got 1000"],
    ] as const
  ) {
    const r = await run(...args);
    assert.equal(r.code, 2, args.join(" "));
    const [first, blank, usage] = r.stderr.split("\n");
    assert.ok(first.startsWith(message), `${args.join(" ")}: ${first}`);
    assert.equal(blank, "");
    assert.ok(usage.startsWith("Usage: deno task sample"));
    assert.ok(!r.stderr.includes("    at "), "no stack trace");
  }
});

Deno.test("deno task sample writes a sample, then keeps it unless --force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sample-task-" });
  try {
    const out = join(dir, "s");
    const first = await run("--users", "25", "--days", "7", "--seed", "4", "--out", out);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Wrote \d+ sign-ins and \d+ audits in \d+ pages .* records\/s\)/);
    const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
    assert.equal(manifest.params.seed, 4);
    const second = await run("--users", "25", "--days", "7", "--seed", "4", "--out", out);
    assert.match(second.stdout, /is complete: \d+ sign-ins/);
    const forced = await run("--users", "25", "--days", "7", "--seed", "4", "--out", out, "--force");
    assert.match(forced.stdout, /^Wrote/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
