import assert from "node:assert/strict";
import { LoadError, loadFiles } from "../../lib/store/mod.ts";
import { EXIT_SOME_REJECTED } from "../../lib/sources/load_summary.ts";
import { runScript } from "../fakes/run_script.ts";
import { count, input, rows, withStore } from "../store/_helpers.ts";

const BAD = [
  "mixed_records.ndjson",
  "truncated_page.json",
  "wrong_type.json",
  "unknown_shape.json",
  "bad_time.ndjson",
]
  .map((f) => input(`bad/${f}`));

Deno.test("loadFiles() with skipBadRecords loads every good record and keeps each bad one with where and why", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("signins.ndjson"), ...BAD], { skipBadRecords: true });
    // signins.ndjson 5, mixed_records.ndjson lines 1 and 5; wrong_type.json's page holds only the bad record.
    assert.equal(r.added, 7);
    assert.equal(r.rejected, 7);
    assert.equal(await count(store, `SELECT count(*) AS n FROM signins WHERE id LIKE 'mixed-%'`), 2);
    const got = await rows(
      store,
      `SELECT regexp_extract(path, '[^/]+$') AS file, line, byte_offset AS off, reason, raw FROM rejected_records ` +
        `ORDER BY file, line`,
    );
    const summary = got.map((g) => [g.file, g.line, g.off === null ? null : Number(g.off), String(g.reason)]);
    const mixed = (await Deno.readTextFile(input("bad/mixed_records.ndjson"))).split("\n");
    const offsetOf = (line: number) =>
      new TextEncoder().encode(mixed.slice(0, line - 1).join("\n") + "\n").length;
    assert.deepEqual(summary.map(([f, l, o]) => [f, l, o]), [
      ["bad_time.ndjson", "1", 0],
      // A line that is not JSON: the offset is where its syntax breaks (here: where it ends, unclosed).
      ["mixed_records.ndjson", "2", offsetOf(3) - 1],
      ["mixed_records.ndjson", "3", offsetOf(3)],
      ["mixed_records.ndjson", "4", offsetOf(4)],
      ["truncated_page.json", "1", 900],
      ["unknown_shape.json", null, 0],
      ["wrong_type.json", "1", 0],
    ]);
    assert.match(summary[0][3] as string, /createdDateTime "last tuesday" is not a time/);
    assert.match(summary[1][3] as string, /not valid JSON/);
    assert.match(summary[2][3] as string, /status\.errorCode is "fifty", not an integer/);
    assert.match(summary[3][3] as string, /no id/);
    assert.match(summary[4][3] as string, /not valid JSON/);
    assert.match(summary[5][3] as string, /not a known sign-in log shape/);
    assert.match(summary[6][3] as string, /"fifty"/);
    // The raw text is kept as it was in the file.
    assert.equal(got.find((g) => g.line === "2" && g.file === "mixed_records.ndjson")!.raw, mixed[1]);
    assert.equal(got.find((g) => g.file === "unknown_shape.json")!.raw, `{"hello":"world","items":[1,2]}`);
    const files = await rows(
      store,
      `SELECT regexp_extract(path, '[^/]+$') AS f, records FROM loaded_files ORDER BY f`,
    );
    assert.deepEqual(files.find((f) => f.f === "mixed_records.ndjson"), {
      f: "mixed_records.ndjson",
      records: "2",
    });
  });
});

Deno.test("loadFiles() without skipBadRecords stays all-or-nothing and its error names the flag", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    const before = await rows(store, `SELECT id, result FROM signins ORDER BY id`);
    await assert.rejects(
      () => loadFiles(store, [input("signins.ndjson"), input("bad/mixed_records.ndjson")]),
      (e: unknown) =>
        e instanceof LoadError && /mixed_records\.ndjson/.test(e.message) &&
        /--skip-bad-records/.test(e.message),
    );
    assert.deepEqual(await rows(store, `SELECT id, result FROM signins ORDER BY id`), before);
    assert.equal(await count(store, `SELECT count(*) AS n FROM rejected_records`), 0);
    assert.equal(await count(store, `SELECT count(*) AS n FROM loaded_files`), 1);
  });
});

Deno.test("deno task load --skip-bad-records exits 3 and says how many records it left out", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = `${dir}/s.duckdb`;
    const script = new URL("../../tasks/load.ts", import.meta.url).pathname;
    const refused = await runScript(script, [
      input("signins.ndjson"),
      input("bad/mixed_records.ndjson"),
      "--db",
      db,
    ]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /--skip-bad-records/);
    const run = await runScript(script, [
      input("signins.ndjson"),
      input("bad/mixed_records.ndjson"),
      "--db",
      db,
      "--skip-bad-records",
    ]);
    assert.equal(run.code, EXIT_SOME_REJECTED, run.stderr);
    assert.match(run.stdout, /7 added/);
    assert.match(run.stderr, /3 bad record\(s\) left out/);
    const help = await runScript(script, ["--help"]);
    assert.match(help.stdout, /--skip-bad-records/);
    assert.match(help.stdout, new RegExp(`exit ${EXIT_SOME_REJECTED}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
