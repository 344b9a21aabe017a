import assert from "node:assert/strict";
import { sqlLiteral } from "../../lib/athena/sql_literal.ts";

Deno.test("sqlLiteral() single-quotes strings and doubles embedded quotes", () => {
  assert.equal(sqlLiteral("alice@contoso.example", "string"), "'alice@contoso.example'");
  assert.equal(sqlLiteral("O'Brien", "string"), "'O''Brien'");
  assert.equal(sqlLiteral("x' OR '1'='1", "string"), "'x'' OR ''1''=''1'");
  assert.equal(sqlLiteral("back\\slash -- not a comment; ?", "string"), "'back\\slash -- not a comment; ?'");
  assert.equal(sqlLiteral("", "string"), "''");
  assert.equal(sqlLiteral("Zürich 東京", "string"), "'Zürich 東京'");
});

Deno.test("sqlLiteral() passes timestamps as the ISO string from_iso8601_timestamp reads", () => {
  assert.equal(sqlLiteral("2026-11-01T00:00:00.000Z", "timestamp"), "'2026-11-01T00:00:00.000Z'");
  assert.equal(sqlLiteral("9999-12-31T00:00:00Z", "timestamp"), "'9999-12-31T00:00:00Z'");
  assert.throws(() => sqlLiteral("2026-11-01'); DROP TABLE x; --", "timestamp"), TypeError);
  assert.throws(() => sqlLiteral("yesterday", "timestamp"), TypeError);
});

Deno.test("sqlLiteral() writes integers bare and doubles as typed literals", () => {
  assert.equal(sqlLiteral(5, "integer"), "5");
  assert.equal(sqlLiteral(-12, "integer"), "-12");
  assert.equal(sqlLiteral(0.25, "double"), "DOUBLE '0.25'");
  assert.throws(() => sqlLiteral(1.5, "integer"), TypeError);
  assert.throws(() => sqlLiteral(2 ** 60, "integer"), TypeError);
  assert.throws(() => sqlLiteral("5", "integer"), TypeError);
  assert.throws(() => sqlLiteral(Infinity, "double"), TypeError);
  assert.throws(() => sqlLiteral(NaN, "double"), TypeError);
});

Deno.test("sqlLiteral() refuses a NUL character", () => {
  assert.throws(() => sqlLiteral("a\u0000b", "string"), /NUL/);
});
