/**
 * Query files can read the store and nothing else (issue 15 item 4): one SELECT by a real tokenizer, one SELECT
 * by DuckDB's own parser, run inside a read-only transaction. Each bypass below ran on the old checks.
 */
import assert from "node:assert/strict";
import {
  checkTrino,
  parseQueryFile,
  type QueryFile,
  QueryRefusedError,
  resolveParams,
  runOnDuckdb,
  tokenizeSql,
} from "../../lib/query/mod.ts";
import { loadFiles, type Store } from "../../lib/store/mod.ts";
import { input, rows, withStore } from "../store/_helpers.ts";

async function counts(store: Store) {
  const [r] = await rows(
    store,
    "SELECT (SELECT count(*) FROM signin_records) AS records, (SELECT count(*) FROM loaded_files) AS files",
  );
  return r;
}

/** Loads a fixture, runs `fn`, and checks the store is exactly as it was. */
async function withLoadedStore(fn: (store: Store) => Promise<void>) {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    const before = await counts(store);
    assert.equal(before.records, "3");
    await fn(store);
    assert.deepEqual(await counts(store), before, "the query changed the store");
  });
}

/** Files that smuggle a second statement past a naive literal stripper, or are not a SELECT at all. */
const HOSTILE: [string, string, RegExp][] = [
  [
    "a quote inside a block comment",
    "SELECT 1 AS a /* ' */; DELETE FROM signin_records; DELETE FROM loaded_files; /* ' */",
    /one statement per file/,
  ],
  [
    "nested block comments (DuckDB nests, Trino does not)",
    "SELECT 1 AS a /* /* */ ; DELETE FROM signin_records; /* */",
    /nested \/\* comment/,
  ],
  [
    "an E'' string with a backslash quote",
    "SELECT E'\\'' AS a; DELETE FROM signin_records; SELECT '",
    /E'…'/,
  ],
  ["dollar quoting", "SELECT $x$ ; $x$ AS a; DELETE FROM signin_records", /dollar-quoted/],
  ["an unterminated comment", "SELECT 1 AS a /* ; DELETE FROM signin_records", /unterminated \/\*/],
  ["DELETE", "DELETE FROM signin_records", /one SELECT .*not "DELETE"/],
  ["COPY", "COPY signin_records TO '/tmp/lens_copy.csv'", /not "COPY"/],
  ["ATTACH", "ATTACH '/tmp/lens_attached.duckdb' AS other", /not "ATTACH"/],
  ["INSTALL", "INSTALL httpfs", /not "INSTALL"/],
  ["SET", "SET threads = 1", /not "SET"/],
  ["PRAGMA", "PRAGMA database_list", /not "PRAGMA"/],
  ["a comment first", "/* ok */ -- fine\nUPDATE signin_records SET id = 'x'", /not "UPDATE"/],
];

Deno.test("parseQueryFile() refuses everything but one SELECT or WITH, whatever hides the rest", () => {
  for (const [name, sql, expected] of HOSTILE) {
    assert.throws(() => parseQueryFile("hostile", sql), (e: unknown) => {
      assert.match((e as Error).message, /^queries\/hostile\.sql: /, name);
      assert.match((e as Error).message, expected, name);
      return true;
    });
  }
});

Deno.test("parseQueryFile() still takes comments and strings with quotes and semicolons in them", () => {
  const q = parseQueryFile(
    "ok",
    "-- it's a header; with punctuation\n-- @param n integer = 1  how many\n" +
      'WITH t AS (SELECT \'a;b\'\'c\' AS s, "we""ird" AS x FROM (SELECT 1 AS "we""ird")) /* it\'s; */\n' +
      "SELECT s, $n AS n FROM t -- trailing ' quote\n;\n",
  );
  assert.deepEqual(q.params.map((p) => p.name), ["n"]);
  assert.ok(q.sql.endsWith("-- trailing ' quote"), q.sql);
});

Deno.test("runOnDuckdb() refuses a non-SELECT by DuckDB's own parser and writes nothing", async () => {
  const path = `${await Deno.makeTempDir()}/copied.csv`;
  // Built directly, as a caller with its own QueryFile could: only the runner stands in the way.
  const direct: [string, string][] = [
    ["DELETE FROM signin_records", "DELETE"],
    [`COPY signin_records TO '${path}'`, "COPY"],
    ["ATTACH ':memory:' AS other", "ATTACH"],
    ["SET threads = 1", "SET"],
    ["SELECT 1; DELETE FROM loaded_files", "2 statements"],
  ];
  await withLoadedStore(async (store) => {
    for (const [sql, what] of direct) {
      const q: QueryFile = { name: "direct", description: "", params: [], sql };
      await assert.rejects(runOnDuckdb(store.connection, q, {}), (e: unknown) => {
        assert.ok(e instanceof QueryRefusedError, `${sql}: ${e}`);
        assert.match(
          e.message,
          new RegExp(`^query direct${what === "2 statements" ? ": DuckDB reads 2" : ` is a ${what}`}`),
        );
        return true;
      });
    }
  });
  await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
});

Deno.test("runOnDuckdb() runs a SELECT in a read-only transaction: a write hidden in it fails", async () => {
  await withLoadedStore(async (store) => {
    await store.connection.run("CREATE SEQUENCE lens_test_seq");
    const q = parseQueryFile("nextval", "SELECT nextval('lens_test_seq') AS n");
    await assert.rejects(runOnDuckdb(store.connection, q, {}), /read-only mode/);
    // The transaction was rolled back: the connection still answers, and the sequence never moved.
    const ok = parseQueryFile("count", "-- @param n integer = 0  x\nSELECT count(*) + $n AS n FROM signins");
    assert.deepEqual((await runOnDuckdb(store.connection, ok, resolveParams(ok, {}))).rows, [{ n: 3 }]);
    assert.deepEqual(await rows(store, "SELECT nextval('lens_test_seq') AS n"), [{ n: "1" }]);
  });
});

Deno.test("checkTrino() reports a statement that is not a single SELECT", () => {
  assert.match(checkTrino("DELETE FROM t").problems.join(), /not a single SELECT: delete/);
  assert.match(checkTrino("SELECT 1 /* ' */; DELETE FROM t; /* ' */").problems.join(), /not a single SELECT/);
  assert.deepEqual(checkTrino("SELECT 1 AS a /* it's */ -- and 'this'\n").problems, []);
});

Deno.test("checkTrino() refuses arbitrary(), saying why, and accepts the first-row pick", () => {
  const problems =
    checkTrino("SELECT ipaddress, ARBITRARY(city) AS city FROM signins GROUP BY ipaddress").problems;
  assert.equal(problems.length, 1, problems.join("; "));
  assert.match(problems[0], /^arbitrary\(\) shows any row's value, another on each engine and run/);
  assert.deepEqual(
    checkTrino("SELECT ipaddress, min(city) FILTER (WHERE nth = 1) AS city FROM t GROUP BY ipaddress")
      .problems,
    [],
  );
});

Deno.test("tokenizeSql() tells comments, strings, identifiers and parameters apart", () => {
  const kinds = tokenizeSql(`SELECT 'a''--' AS "x""y", $p /* c' */ -- d"\n;`)
    .filter((t) => t.kind !== "space")
    .map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, [
    "word:SELECT",
    "string:'a''--'",
    "word:AS",
    'quoted:"x""y"',
    "other:,",
    "param:$p",
    "comment:/* c' */",
    `comment:-- d"`,
    "semicolon:;",
  ]);
});
