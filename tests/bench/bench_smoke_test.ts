// Smoke test of `deno task bench`: a small run end to end, every step present and every answer equal.
// No timing is asserted: the numbers depend on the machine.
import assert from "node:assert/strict";
import { join } from "node:path";
import type { BenchResults } from "../../bench/report.ts";
import { compareAnswers, countryMap } from "../../bench/answers.ts";
import { evaluateTargets, median, renderMarkdown } from "../../bench/report.ts";
import { runScript } from "../fakes/run_script.ts";

const BENCH = new URL("../../bench/bench.ts", import.meta.url).pathname;
const CACHE = new URL("../../bench/cache/", import.meta.url).pathname;

function run(args: string[]) {
  return runScript(BENCH, args);
}

Deno.test("deno task bench --records 5000 runs every step and every tool's answer equals ours", async () => {
  const results = await Deno.makeTempDir({ prefix: "bench-smoke-" });
  try {
    const r = await run([
      "--records",
      "5000",
      "--reps",
      "1",
      "--pull-records",
      "1000,2000",
      "--cache",
      CACHE,
      "--results",
      results,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const files = [...Deno.readDirSync(results)].map((e) => e.name);
    assert.equal(files.length, 1);
    assert.match(files[0], /^\d{4}-\d{2}-\d{2}-n5000\.json$/);
    const res = JSON.parse(await Deno.readTextFile(join(results, files[0]))) as BenchResults;
    assert.equal(res.records, 5000);
    assert.equal(res.pages.records, 5000);
    const ids = res.steps.map((s) => s.id);
    for (
      const id of [
        "load",
        "bare_lateral",
        "bare_lateral_ndjson",
        "bare_select_ndjson",
        "incremental",
        "queries",
        "raw_newline_delimited",
        "raw_auto",
        "pandas",
        "polars",
        "jq",
        "simdjson",
        "pull_1000",
        "pull_2000",
      ]
    ) assert.ok(ids.includes(id), `step ${id} is missing from ${ids.join(", ")}`);
    for (const s of res.steps) {
      // A peer that is not installed is skipped with a reason; anything that ran must have succeeded.
      if (s.skipped) {
        assert.ok(["pandas", "polars", "jq", "simdjson"].includes(s.id), `${s.id} skipped: ${s.skipped}`);
        continue;
      }
      assert.ok(s.ok, `${s.id} failed: ${s.error}`);
      assert.ok(s.seconds! > 0 && s.peakRssBytes! > 0, `${s.id} has no time or RSS`);
      if (s.answer) {
        assert.ok(s.answerCheck === "equal" || s.answerCheck === "reference", `${s.id}: ${s.answerCheck}`);
      }
    }
    const load = res.steps.find((s) => s.id === "load")!;
    assert.equal(load.runs.length, 1);
    const inc = res.steps.find((s) => s.id === "incremental")!;
    assert.ok(inc.records! > 0);
    const queries = res.steps.find((s) => s.id === "queries")!;
    assert.ok(Object.values(queries.answer!).reduce((a, b) => a + b, 0) > 0, "ours found no failures");
    assert.equal(res.targets.length, 8);
    for (
      const line of ["| step | median |", "| target | measured | met |", "| report query (warm, median) |"]
    ) {
      assert.ok(r.stdout.includes(line), `stdout lacks ${line}`);
    }
  } finally {
    await Deno.remove(results, { recursive: true });
  }
});

Deno.test("deno task bench rejects a bad option with one line and exit 2", async () => {
  const r = await run(["--records", "many"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --records must be a positive integer, got many\n/);
  const skip = await run(["--skip", "everything"]);
  assert.equal(skip.code, 2);
  assert.match(skip.stderr, /^error: --skip takes bare, incremental/);
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: deno task bench/);
});

Deno.test("compareAnswers() names the countries where two answers differ", () => {
  const ours = countryMap([["US", 3], ["GB", 1], [null, 2]]);
  assert.deepEqual(ours, { "(none)": 2, GB: 1, US: 3 });
  assert.deepEqual(compareAnswers(ours, countryMap([["US", 3], ["GB", 1], ["", 2]])), []);
  assert.deepEqual(compareAnswers(ours, { US: 4, GB: 1 }), ["(none): 2 ≠ 0", "US: 3 ≠ 4"]);
});

Deno.test("evaluateTargets() judges the load ratio, pull RSS growth and missing steps", () => {
  const step = (id: string, seconds: number, rss = 100 * 2 ** 20, records = 1000) => ({
    id,
    label: id,
    ok: true,
    runs: [],
    seconds,
    minSeconds: seconds,
    maxSeconds: seconds,
    peakRssBytes: rss,
    records,
  });
  const res: BenchResults = {
    date: "2026-11-28T00:00:00Z",
    records: 1000,
    reps: 1,
    peerReps: 1,
    machine: {
      cores: 2,
      memAvailableBytes: 0,
      loadAverageBefore: [],
      loadAverageAfter: [],
      deno: "",
      duckdb: "",
    },
    pages: { records: 1000, pages: 1, bytes: 1, days: 1, extraRecords: 10, generatedSeconds: 0 },
    steps: [
      step("load", 1.1),
      step("bare_lateral", 1.2),
      step("bare_select_ndjson", 1.0),
      step("pull_10000", 1, 100 * 2 ** 20, 10000),
      step("pull_100000", 5, 120 * 2 ** 20, 100000),
    ],
    targets: [],
  };
  const t = evaluateTargets(res);
  assert.equal(t.find((x) => x.name.startsWith("first load ≤"))!.met, true);
  assert.match(t.find((x) => x.name.startsWith("first load ≤"))!.measured, /^1\.10× .*bare_select_ndjson/);
  assert.equal(t.find((x) => x.name.startsWith("pull RSS"))!.met, false);
  assert.equal(t.find((x) => x.name.startsWith("first load ≥"))!.met, null);
  res.targets = t;
  assert.match(renderMarkdown(res), /\| pull RSS flat.*\| \*\*no\*\* \|/);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

Deno.test("deno task bench: a first load that fails fails the steps built on it, and no target is met on it", async () => {
  const results = await Deno.makeTempDir({ prefix: "bench-fail-" });
  try {
    // The load step's process dies by SIGSEGV right before COMMIT, as DuckDB 1.5.6 did (issue 15 item 3).
    const r = await runScript(BENCH, [
      "--records",
      "5000",
      "--reps",
      "1",
      "--skip",
      "bare,raw,peers,pull",
      "--cache",
      CACHE,
      "--results",
      results,
    ], { env: { SIGNIN_LENS_FAULT: "crash-before-commit" } });
    assert.equal(r.code, 0, r.stderr);
    const file = [...Deno.readDirSync(results)].map((e) => e.name).find((n) => n.endsWith(".json"))!;
    const res = JSON.parse(await Deno.readTextFile(join(results, file))) as BenchResults;
    const byId = Object.fromEntries(res.steps.map((s) => [s.id, s]));
    assert.equal(byId.load.ok, false);
    for (const id of ["incremental", "queries"]) {
      assert.equal(byId[id].ok, false, `${id} must fail with the load`);
      assert.match(byId[id].error!, /^not run: the first load failed/);
    }
    for (const t of res.targets) assert.notEqual(t.met, true, `${t.name} met on a failed load`);
    assert.match(r.stdout, /\| report queries together < 0\.5 s \| not measured \| n\/a \|/);
  } finally {
    await Deno.remove(results, { recursive: true });
  }
});

Deno.test("evaluateTargets() never meets the query target when the store's answer differs from the raw pages'", () => {
  const ok = (id: string, extra = {}) => ({
    id,
    label: id,
    ok: true,
    runs: [],
    seconds: 0.1,
    minSeconds: 0.1,
    maxSeconds: 0.1,
    records: 1000,
    ...extra,
  });
  const res = {
    date: "2026-12-01T00:00:00Z",
    records: 1000,
    reps: 1,
    peerReps: 1,
    machine: {
      cores: 2,
      memAvailableBytes: 0,
      loadAverageBefore: [],
      loadAverageAfter: [],
      deno: "",
      duckdb: "",
    },
    pages: { records: 1000, pages: 1, bytes: 1, days: 1, extraRecords: 10, generatedSeconds: 0 },
    steps: [
      ok("queries", { answerCheck: "reference" }),
      ok("raw_auto", { answerCheck: "DIFFERS: GB: 1 ≠ 2" }),
    ],
    targets: [],
  } as BenchResults;
  const q = evaluateTargets(res).find((t) => t.name.startsWith("report queries"))!;
  assert.equal(q.met, null);
  assert.match(q.measured, /differs from raw_auto/);
  const raw = evaluateTargets(res).find((t) => t.name.startsWith("report straight from raw ≤ 3.4"))!;
  assert.equal(raw.met, null, "a wrong raw answer is not a measurement either");
});
