import assert from "node:assert/strict";
import { athenaStatement, toPositional } from "../../lib/athena/positional.ts";
import { parseQueryFile } from "../../lib/query/query_file.ts";

Deno.test("toPositional() replaces $names in order, repeats included, and leaves literals and comments alone", () => {
  const sql = `-- uses $from and $to\nSELECT '$from' AS x, "$to" AS y FROM t\n` +
    `WHERE a >= $from AND b < $to AND c > $min_users OR d = $from`;
  const { sql: out, order } = toPositional({ name: "q", sql });
  assert.deepEqual(order, ["from", "to", "min_users", "from"]);
  assert.equal(
    out,
    `-- uses $from and $to\nSELECT '$from' AS x, "$to" AS y FROM t\nWHERE a >= ? AND b < ? AND c > ? OR d = ?`,
  );
});

Deno.test("athenaStatement() binds each ? to a typed SQL literal", () => {
  const query = parseQueryFile(
    "t",
    [
      "-- @param from timestamp = 2026-01-01  start",
      "-- @param who string = x  user",
      "-- @param n integer = 3  threshold",
      "SELECT 1 FROM signins WHERE created_at >= from_iso8601_timestamp($from) AND upn = $who",
      "GROUP BY 1 HAVING count(*) >= $n AND max(upn) <> $who",
    ].join("\n"),
  );
  const { sql, executionParameters } = athenaStatement(query, {
    from: "2026-01-01T00:00:00.000Z",
    who: "o'neil",
    n: 3,
  });
  assert.ok(!sql.includes("$"));
  assert.equal(sql.split("?").length - 1, 4);
  assert.deepEqual(executionParameters, ["'2026-01-01T00:00:00.000Z'", "'o''neil'", "3", "'o''neil'"]);
});

Deno.test("athenaStatement() names the parameter whose value does not fit", () => {
  const query = parseQueryFile("t", "-- @param n integer = 3  x\nSELECT $n");
  assert.throws(() => athenaStatement(query, { n: "3; DROP TABLE t" }), /parameter n of query t/);
});
