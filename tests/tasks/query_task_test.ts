// issue 11 items 10–12: query falls back to the sample tenant, --list survives a bad file and never cuts a
// description mid-sentence, `query <name> --help`, --limit and tables fitted to the terminal.
import assert from "node:assert/strict";
import { describeQuery, firstSentence, listQueryFiles, queryHelp } from "../../lib/cli/query_help.ts";
import { listQueries, loadQuery, runQuery, toTable } from "../../lib/query/mod.ts";
import { runQueryLimited } from "../../lib/query/run_limited.ts";
import { loadFiles, openExistingStore, openStore } from "../../lib/store/mod.ts";
import { INPUTS, inTempDir, task } from "./_helpers.ts";

const FRESH = { SIGNIN_LENS_DEFAULT_DB: "/nonexistent/signins.duckdb" };

Deno.test("query without a store falls back to the sample tenant, saying so on stderr", async () => {
  const r = await task("query", ["summary", "--format", "json"], FRESH);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /no data\/signins\.duckdb yet: using the bundled sample tenant/);
  assert.match(r.stderr, /the bundled sample tenant, not yours/);
  const [summary] = JSON.parse(r.stdout);
  assert.ok(summary.signins > 1000, r.stdout);
});

Deno.test("query --db naming a missing store is an error, not the sample", async () => {
  const r = await task("query", ["summary", "--db", "/nonexistent/mine.duckdb"], FRESH);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: no store at \/nonexistent\/mine\.duckdb: load files first/);
  assert.doesNotMatch(r.stderr, /sample/);
});

Deno.test("listQueryFiles() lists the good queries and names the bad one", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/good.sql`,
      "-- Counts sign-ins. Nothing else.\nSELECT count(*) AS n FROM signins\n",
    );
    await Deno.writeTextFile(
      `${dir}/bad.sql`,
      "-- Unused parameter.\n-- @param limit integer = 5  never used\nSELECT 1 AS one\n",
    );
    const { queries, broken } = await listQueryFiles(dir);
    assert.deepEqual(queries.map((q) => q.name), ["good"]);
    assert.equal(broken.length, 1);
    assert.equal(broken[0].file, "queries/bad.sql");
    assert.match(broken[0].message, /queries\/bad\.sql: @param limit is declared but never used/);
  });
});

Deno.test("query --list shows every query's first sentence whole, with its parameters", async () => {
  const r = await task("query", ["--list"]);
  assert.equal(r.code, 0, r.stderr);
  for (const name of await listQueries()) {
    const q = await loadQuery(name);
    const entry = describeQuery(q, 110);
    assert.ok(r.stdout.includes(entry), `${name} entry missing`);
    const lines = entry.split("\n").map((l) => l.trim());
    const paramsAt = lines.findIndex((l) => l.startsWith("["));
    const sentence = lines.slice(0, paramsAt < 0 ? undefined : paramsAt).join(" ").slice(name.length).trim();
    assert.equal(sentence, firstSentence(q.description), name);
    assert.match(sentence, /[.!?)]$/, `${name}: "${sentence}" stops mid-sentence`);
    assert.ok(entry.split("\n").every((l) => l.length <= 110), `${name} is wider than 110`);
  }
});

Deno.test("firstSentence() stops at the first full stop, not at e.g. or a decimal", () => {
  assert.equal(
    firstSentence("Failed sign-ins, e.g. bad passwords, per day. Second."),
    "Failed sign-ins, e.g. bad passwords, per day.",
  );
  assert.equal(
    firstSentence("Speed above 0.5 km/s\nacross two lines. More."),
    "Speed above 0.5 km/s across two lines.",
  );
  assert.equal(firstSentence("Heading\n\nBody."), "Heading");
});

Deno.test("query <name> --help prints that query's description and parameters", async () => {
  const r = await task("query", ["password_spray", "--help"]);
  assert.equal(r.code, 0, r.stderr);
  const q = await loadQuery("password_spray");
  assert.equal(r.stdout.trimEnd(), queryHelp(q));
  assert.match(r.stdout, /^Usage: deno task query password_spray/);
  for (const p of q.params) {
    assert.match(r.stdout, new RegExp(`\\n  ${p.name} +${p.type}, default ${p.default}`));
  }
  const unknown = await task("query", ["no_such", "--help"]);
  assert.equal(unknown.code, 2);
});

Deno.test("query --limit N prints N rows and says how many were left out (table, json, csv)", async () => {
  const table = await task("query", ["signins_flat", "--limit", "5"], FRESH);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 2 + 5 + 1, table.stdout.slice(0, 500));
  assert.match(lines.at(-1)!, /^… [\d,]+ more rows not shown \(of [\d,]+\)$/);
  const json = await task("query", ["signins_flat", "--limit", "3", "--format", "json"], FRESH);
  assert.equal(JSON.parse(json.stdout).length, 3);
  assert.match(json.stderr, /--limit 3: \d+ of \d+ rows left out/);
  const csv = await task("query", ["failed_by_country", "--limit", "2", "--format", "csv"], FRESH);
  assert.equal(csv.stdout.trimEnd().split("\n").length, 3);
});

Deno.test("toTable() fits a terminal width: lines never wider, columns left out are named", () => {
  const columns = Array.from({ length: 30 }, (_, i) => ({ name: `column_${i}`, type: "VARCHAR" }));
  const rows = Array.from(
    { length: 4 },
    (_, r) => Object.fromEntries(columns.map((c) => [c.name, `${c.name}-value-${r}-${"x".repeat(40)}`])),
  );
  const out = toTable({ columns, rows }, { width: 100 });
  const lines = out.trimEnd().split("\n");
  for (const l of lines) assert.ok(l.length <= 100, `${l.length}: ${l}`);
  assert.match(out, /… \d+ columns left out to fit the width: column_\d+/);
  const kept = lines[0].split(/\s+/).length;
  assert.ok(kept >= 3, `only ${kept} columns kept`);
  const named = out.slice(out.indexOf("left out")).match(/column_\d+/g)!;
  assert.equal(kept + named.length, 30);
  // Without a width nothing is left out.
  assert.doesNotMatch(toTable({ columns, rows }), /left out/);
  assert.match(toTable({ columns, rows }, { limit: 1 }), /… 3 more rows not shown \(of 4\)/);
  assert.match(toTable({ columns, rows: rows.slice(0, 2) }, { limit: 1 }), /… 1 more row not shown \(of 2\)/);
});

Deno.test("runQueryLimited() keeps the first N rows in the query's order and counts the rest", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    const writer = await openStore({ path: db });
    await loadFiles(writer, [
      `${INPUTS}signins.ndjson`,
      `${INPUTS}graph_page.json`,
      `${INPUTS}log_analytics.ndjson`,
    ]);
    writer.close();
    const store = await openExistingStore(db);
    try {
      const all = await runQuery(store, "signins_flat");
      assert.ok(all.rows.length > 4, `${all.rows.length} rows`);
      const some = await runQueryLimited(store, "signins_flat", {}, 3);
      assert.equal(some.total, all.rows.length);
      assert.deepEqual(some.result.rows, all.rows.slice(0, 3));
      assert.deepEqual(some.result.columns, all.columns);
      const more = await runQueryLimited(store, "signins_flat", {}, 1000);
      assert.equal(more.total, all.rows.length);
      assert.deepEqual(more.result.rows, all.rows);
    } finally {
      store.close();
    }
  });
});
