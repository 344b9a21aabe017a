import { isAbsolute, join } from "node:path";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { PROJECT_ROOT } from "../lib/paths.ts";

const USAGE = `Usage: deno task test [--filter TEXT] [--only-tests] [paths...]

Runs the project's checks and tests: deno fmt --check, deno lint, deno check, then deno test (with a JUnit
report), and ends with one line "N passed, N failed" (the three checks count as one test each).

Options:
  --filter TEXT  run only tests whose name contains TEXT
  --only-tests   skip fmt, lint and check
  -h, --help     show this help

Example:
  deno task test --filter "loadFiles()" tests/store`;

interface Outcome {
  passed: number;
  failed: number;
  failures: string[];
}

async function step(name: string, args: string[]): Promise<boolean> {
  console.log(`\n== ${name}: deno ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: PROJECT_ROOT,
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  console.log(`== ${name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`}`);
  return code === 0;
}

/** Counts test cases and failures in deno's JUnit XML (one <testcase> per test and step). */
export function countJunit(xml: string): Outcome {
  const out: Outcome = { passed: 0, failed: 0, failures: [] };
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = /name="([^"]*)"/.exec(m[1])?.[1] ?? "?";
    const body = m[3] ?? "";
    if (/<failure\b|<error\b/.test(body)) {
      out.failed++;
      out.failures.push(name);
    } else if (!/<skipped\b/.test(body)) out.passed++;
  }
  return out;
}

await runTask(async () => {
  const { values, positionals } = parseCli(Deno.args, {
    usage: USAGE,
    allowPositionals: true,
    options: { filter: { type: "string" }, "only-tests": { type: "boolean" } },
  });
  // A path that does not exist would reach deno test, which answers with a Rust backtrace: say it here.
  for (const path of positionals) {
    try {
      await Deno.stat(isAbsolute(path) ? path : join(PROJECT_ROOT, path));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      usageExit(`${path}: no such test file or directory (paths are relative to ${PROJECT_ROOT})`, USAGE);
    }
  }
  const total: Outcome = { passed: 0, failed: 0, failures: [] };
  if (!values["only-tests"]) {
    for (
      const [name, args] of [
        ["fmt", ["fmt", "--check"]],
        ["lint", ["lint"]],
        ["check", ["check", "lib/", "tasks/", "tests/", "bench/"]],
      ] as const
    ) {
      if (await step(name, [...args])) total.passed++;
      else {
        total.failed++;
        total.failures.push(`deno ${name}`);
      }
    }
  }
  const junit = await Deno.makeTempFile({ suffix: ".xml" });
  try {
    const args = ["test", "--allow-all", `--junit-path=${junit}`];
    if (values.filter) args.push(`--filter=${values.filter}`);
    args.push(...(positionals.length > 0 ? positionals : ["tests/"]));
    const ok = await step("test", args);
    const counted = countJunit(await Deno.readTextFile(junit).catch(() => ""));
    total.passed += counted.passed;
    total.failed += counted.failed;
    total.failures.push(...counted.failures);
    if (!ok && counted.failed === 0) {
      // deno test failed before or outside any test (a type error, an uncaught error at load time).
      total.failed++;
      total.failures.push("deno test (failed outside a test case: see the output above)");
    }
  } finally {
    await Deno.remove(junit).catch(() => {});
  }
  if (total.failures.length > 0) {
    console.log(`\nfailed:\n${total.failures.map((f) => `  - ${f}`).join("\n")}`);
  }
  console.log(`\n${total.passed} passed, ${total.failed} failed`);
  if (total.failed > 0) Deno.exit(1);
});
