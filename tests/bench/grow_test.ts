// `deno task bench --grow`: the growth curve's run end to end at a tiny size, and its targets' rules. No timing is
// asserted: the numbers depend on the machine.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  evaluateGrowTargets,
  type GrowPoint,
  type GrowResults,
  renderGrowMarkdown,
} from "../../bench/grow_report.ts";
import { runScript } from "../fakes/run_script.ts";

const BENCH = new URL("../../bench/bench.ts", import.meta.url).pathname;

for (const overlap of [[], ["--overlap"]]) {
  Deno.test(
    `deno task bench --grow 2 --chunk 2000 ${
      overlap.join("")
    } grows one store, checks every count and writes table, JSON and PNG`.replace("  ", " "),
    async () => {
      const dir = await Deno.makeTempDir({ prefix: "bench-grow-" });
      try {
        const r = await runScript(BENCH, [
          "--grow",
          "2",
          ...overlap,
          "--chunk",
          "2000",
          "--reps",
          "1",
          "--cache",
          join(dir, "cache"),
          "--results",
          join(dir, "results"),
        ]);
        assert.equal(r.code, 0, r.stderr);
        const names = [...Deno.readDirSync(join(dir, "results"))].map((e) => e.name).sort();
        assert.deepEqual(names.map((n) => n.replace(/^\d{4}-\d{2}-\d{2}/, "D")), [
          "D-grow2x2000.json",
          "D-grow2x2000.md",
          "D-grow2x2000.png",
        ]);
        const res = JSON.parse(await Deno.readTextFile(join(dir, "results", names[0]))) as GrowResults;
        assert.equal(res.complete, true);
        assert.equal(res.points.length, 2);
        const [a, b] = res.points;
        assert.ok(a.load!.ok && a.nightly!.ok && a.queries!.ok, JSON.stringify(a.errors));
        assert.equal(b.storedBefore, a.storedAfter, "chunk 2 loads into the store chunk 1 left");
        assert.ok(b.storedAfter! > a.storedAfter! + 1900, "the second chunk's sign-ins are new ones");
        assert.equal(a.queries!.detail!.summarySignins, a.storedAfter);
        // Every triage rule timed on its own, and listed under the per-query table.
        const rules = Object.keys(a.queries!.detail!.rules as Record<string, number>);
        assert.ok(rules.includes("password_success") && rules.includes("first_seen"), rules.join(", "));
        const md = await Deno.readTextFile(join(dir, "results", names[1]));
        assert.match(md, /\| · triage rule first_seen \(once\) \| \d/);
        // The nightly day's size beside its time: weekend days are a fifth of working days.
        assert.match(md, /\| \d[\d.]* m?s \([\d,]+ sign-ins\) \|/);
        assert.ok(res.cold?.ok, res.cold?.error);
        assert.ok(res.bare?.ok);
        const png = await Deno.readFile(join(dir, "results", names[2]));
        assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
        assert.match(r.stdout, /\| store after \| chunk load \|/);
        // The chunks' files are gone: the disk holds one chunk at a time.
        assert.deepEqual([...Deno.readDirSync(join(dir, "cache"))], []);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );
}

Deno.test("deno task bench --chunk without --grow is a usage error", async () => {
  const r = await runScript(BENCH, ["--chunk", "1000"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --chunk goes with --grow N\n/);
  const o = await runScript(BENCH, ["--overlap"]);
  assert.equal(o.code, 2);
  assert.match(o.stderr, /^error: --overlap goes with --grow N\n/);
});

const step = (seconds: number, ok = true) => ({ ok, seconds, wallSeconds: seconds, peakRssBytes: 1e9 });
const point = (chunk: number, load: number, errors: string[] = []): GrowPoint => ({
  chunk,
  storedBefore: (chunk - 1) * 1000,
  chunkRecords: 1000,
  generatedSeconds: 1,
  load: step(load),
  nightly: step(1),
  queries: { ...step(0.4), detail: { triageSeconds: 0.1 } },
  storeBytes: 1,
  storedAfter: chunk * 1000,
  errors,
});
const results = (points: GrowPoint[]): GrowResults => ({
  date: "2026-12-01T00:00:00Z",
  chunks: 2,
  chunk: 1000,
  reps: 1,
  machine: { cores: 2, memAvailableBytes: 0, loadAverageBefore: [], deno: "", duckdb: "" },
  points,
  cold: { ok: true, seconds: 4, wallSeconds: 4, peakRssBytes: 1e9, storedRecords: 2000 },
  bare: step(10),
  targets: [],
  complete: true,
});

Deno.test("evaluateGrowTargets() judges flat ingest, and meets nothing on a chunk that failed", () => {
  const t = evaluateGrowTargets(results([point(1, 10), point(2, 11.5)]));
  const by = (s: string) => t.find((x) => x.name.startsWith(s))!;
  assert.equal(by("flat ingest").met, true);
  assert.match(by("flat ingest").measured, /^1\.15×/);
  assert.equal(by("first load ≤ 1.1×").met, true);
  assert.equal(by("full report from a cold process").met, true);
  const failed = evaluateGrowTargets(results([point(1, 10), point(2, 11, ["queries: wrong answer"])]));
  for (
    const x of failed.filter((x) =>
      !x.name.startsWith("report queries + triage ≤ 0.5") && !x.name.startsWith("first load")
    )
  ) {
    assert.equal(x.met, null, `${x.name} judged on a failed chunk`);
  }
  const r = results([point(1, 10)]);
  r.targets = evaluateGrowTargets(r);
  assert.match(
    renderGrowMarkdown(r),
    /\| flat ingest: chunk 2 loads within 1\.2× the time of chunk 1 \| not every chunk loaded \| n\/a \|/,
  );
});
