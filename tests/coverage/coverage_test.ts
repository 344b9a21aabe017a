import assert from "node:assert/strict";
import { buildCoverage, coverage } from "../../lib/coverage/coverage.ts";
import { readCoverageSources } from "../../lib/coverage/coverage_sources.ts";
import { summariseDays } from "../../lib/coverage/format_coverage.ts";
import { loadFiles } from "../../lib/store/mod.ts";
import { runScript } from "../fakes/run_script.ts";
import { input, withStore } from "../store/_helpers.ts";
import { writeFileAtomic } from "../../lib/write_file_atomic.ts";

const NOW = new Date("2026-11-04T09:00:00Z");
const rows = [
  { day: "2026-10-01", sign_in_kind: "interactive", source_format: "graph", signins: 10 },
  { day: "2026-10-01", sign_in_kind: "nonInteractive", source_format: "storage", signins: 5 },
  { day: "2026-10-03", sign_in_kind: "interactive", source_format: "graph", signins: 7 },
];

Deno.test("buildCoverage() lists every day, days with none, and sums by kind and source", () => {
  const c = buildCoverage(rows, { spans: [], files: [], problems: [] }, { now: NOW });
  assert.deepEqual(c.days.map((d) => [d.day, d.signins, d.status]), [
    ["2026-10-01", 15, "ok"],
    ["2026-10-02", 0, "none"],
    ["2026-10-03", 7, "ok"],
  ]);
  assert.deepEqual(c.days[0].byKind, { interactive: 10, nonInteractive: 5 });
  assert.deepEqual(c.days[0].bySource, { graph: 10, storage: 5 });
  assert.deepEqual(c.missing, ["2026-10-02"]);
  assert.equal(c.totals.signins, 22);
  // Graph keeps 30 days: 2026-11-04 minus 30 days.
  assert.equal(c.graphHorizon, "2026-10-05");
  assert.ok(c.days.every((d) => d.beyondGraphRetention));
  const wider = buildCoverage(rows, { spans: [], files: [], problems: [] }, { now: NOW, to: "2026-11-04" });
  assert.equal(wider.days.at(-1)!.status, "in_progress");
  assert.ok(!wider.missing.includes("2026-11-04"), "today is not missing yet");
  assert.ok(wider.missing.includes("2026-11-03"));
  assert.equal(wider.days.find((d) => d.day === "2026-10-05")!.beyondGraphRetention, false);
});

Deno.test("buildCoverage() calls a day partial when a pull window of it never finished; storage hour gaps are hints", () => {
  const h = (d: string, hh: number) => Date.parse(`${d}T${String(hh).padStart(2, "0")}:00:00Z`);
  const spans = [
    // 2026-10-01: fetched whole, in two windows.
    {
      source: "pull" as const,
      stream: "signins/interactive@beta",
      start: h("2026-10-01", 0),
      end: h("2026-10-01", 12),
      done: true,
    },
    {
      source: "pull" as const,
      stream: "signins/interactive@beta",
      start: h("2026-10-01", 12),
      end: h("2026-10-02", 0),
      done: true,
    },
    // 2026-10-03: the second half-day window was started and never finished.
    {
      source: "pull" as const,
      stream: "signins/interactive@beta",
      start: h("2026-10-03", 0),
      end: h("2026-10-03", 12),
      done: true,
    },
    {
      source: "pull" as const,
      stream: "signins/interactive@beta",
      start: h("2026-10-03", 12),
      end: h("2026-10-04", 0),
      done: false,
    },
    // storage: 2026-10-01 has blobs for 2 hours only.
    {
      source: "storage" as const,
      stream: "insights-logs-noninteractiveusersigninlogs",
      start: h("2026-10-01", 3),
      end: h("2026-10-01", 4),
      done: true,
    },
    {
      source: "storage" as const,
      stream: "insights-logs-noninteractiveusersigninlogs",
      start: h("2026-10-01", 5),
      end: h("2026-10-01", 6),
      done: true,
    },
  ];
  const c = buildCoverage(rows, { spans, files: ["x"], problems: [] }, { now: NOW });
  // Only the unfinished pull window makes a day partial; hours without a storage blob may be quiet hours.
  assert.deepEqual(c.partial, ["2026-10-03"]);
  assert.deepEqual(c.days[0].gaps, []);
  assert.equal(c.days[0].status, "ok");
  assert.deepEqual(c.days[0].hints, [
    "storage insights-logs-noninteractiveusersigninlogs: blobs for 2 of 24 hours (an hour without sign-ins has none)",
  ]);
  assert.deepEqual(c.days[2].gaps, ["pull signins/interactive@beta: 12 of 24 h fetched"]);
  assert.equal(c.days[1].status, "none");
});

Deno.test("readCoverageSources() reads pull checkpoints and storage ledgers under the raw directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeFileAtomic(
      `${dir}/graph/.pull/checkpoint`,
      JSON.stringify({
        version: 1,
        windows: {
          "signins/interactive@beta|2026-10-01T00:00:00Z|2026-10-02T00:00:00Z": { status: "done" },
          "audits@v1.0|2026-10-01T00:00:00Z|2026-10-02T00:00:00Z": { status: "done" },
        },
        streams: {},
      }),
    );
    await writeFileAtomic(
      `${dir}/storage/acme/.storage-ledger.json`,
      JSON.stringify({
        version: 1,
        account: "acme",
        blobs: { "insights-logs-signinlogs/tenantId=x/y=2026/m=10/d=01/h=07/m=00/PT1H.json": { etag: "e" } },
      }),
    );
    const s = await readCoverageSources(dir);
    assert.equal(s.files.length, 2);
    assert.deepEqual(
      s.spans.map((x) => [x.source, x.stream, new Date(x.start).toISOString()]),
      [
        ["pull", "signins/interactive@beta", "2026-10-01T00:00:00.000Z"],
        ["storage", "insights-logs-signinlogs", "2026-10-01T07:00:00.000Z"],
      ].sort(),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("coverage() splits a real store's days by kind and source", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json"), input("azure_monitor_quirks.json")]);
    const c = await coverage(store, { rawDir: "/nonexistent", now: NOW });
    const oct5 = c.days.find((d) => d.day === "2026-10-05")!;
    assert.deepEqual(oct5.bySource, { azure_monitor: 6 });
    assert.deepEqual(oct5.byKind, {
      servicePrincipal: 2,
      interactive: 1,
      nonInteractive: 1,
      managedIdentity: 1,
      adfs: 1,
    });
    assert.equal(c.days.find((d) => d.day === "2026-10-04")!.status, "none");
  });
});

Deno.test("deno task coverage --require-day exits 4 when the day has no sign-ins, 0 when it has", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = `${dir}/s.duckdb`;
    const load = await runScript(new URL("../../tasks/load.ts", import.meta.url).pathname, [
      input("graph_page.json"),
      "--db",
      db,
    ]);
    assert.equal(load.code, 0, load.stderr);
    const task = new URL("../../tasks/coverage.ts", import.meta.url).pathname;
    const ok = await runScript(task, ["--db", db, "--raw", dir, "--require-day", "2026-10-03"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /2026-10-03\s+\d+\s+ok/);
    const missing = await runScript(task, ["--db", db, "--raw", dir, "--require-day", "yesterday"]);
    assert.equal(missing.code, 4, missing.stderr);
    assert.match(missing.stderr, /error: \d{4}-\d{2}-\d{2} has no sign-ins in /);
    assert.match(missing.stdout, /NO SIGN-INS/);
    const json = await runScript(task, ["--db", db, "--raw", dir, "--format", "json"]);
    assert.equal(JSON.parse(json.stdout).totals.signins, 3);
    const bad = await runScript(task, ["--db", db, "--require-day", "someday"]);
    assert.equal(bad.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("summariseDays() collapses runs of days", () => {
  assert.equal(
    summariseDays(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-07", "2026-10-31", "2026-11-01"]),
    "2026-10-01..2026-10-03, 2026-10-07, 2026-10-31..2026-11-01",
  );
});
