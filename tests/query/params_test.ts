/**
 * Query parameters (issue 15 item 10, issue 11 item 13): integers are decimal digits with an optional sign, an
 * empty value is an error naming the parameter, a name given twice is an error, and declared bounds
 * (`-- @param min_users integer >= 1 = 5`) refuse values that make no sense.
 */
import assert from "node:assert/strict";
import {
  listQueries,
  loadQuery,
  ParamError,
  parseParamArgs,
  parseQueryFile,
  resolveParams,
} from "../../lib/query/mod.ts";
import { runScript } from "../fakes/run_script.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const Q = parseQueryFile(
  "q",
  "-- @param n integer = 5  a count\n-- @param share double = 0.5  a share\n-- @param from timestamp = 2026-01-01  start\n" +
    "SELECT $n AS n, $share AS s, $from AS f",
);

function refused(given: Record<string, string>, expected: RegExp) {
  assert.throws(() => resolveParams(Q, given), (e: unknown) => {
    assert.ok(e instanceof ParamError, String(e));
    assert.match(e.message, expected);
    return true;
  }, JSON.stringify(given));
}

Deno.test("resolveParams() takes integers as decimal digits with an optional sign only", () => {
  assert.equal(resolveParams(Q, { n: "42" }).n, 42);
  assert.equal(resolveParams(Q, { n: " -7 " }).n, -7);
  assert.equal(resolveParams(Q, { n: "+3" }).n, 3);
  assert.equal(resolveParams(Q, { n: "007" }).n, 7);
  for (const bad of ["0x10", "1e3", "1.0", "1.5", "0b1", "0o7", "+-1", "1_000", "Infinity", "NaN", "١٢"]) {
    refused(
      { n: bad },
      new RegExp(`parameter n of query q: "${bad.replace(/[.+]/g, "\\$&")}" is not an integer`),
    );
  }
  refused({ n: "99999999999999999999" }, /is not an integer/);
});

Deno.test("resolveParams() refuses an empty number or timestamp, naming the parameter", () => {
  refused(
    { n: "" },
    /^parameter n of query q is empty: give a whole number or leave it out for the default 5$/,
  );
  refused({ n: "  " }, /^parameter n of query q is empty/);
  refused({ share: "" }, /^parameter share of query q is empty: give a number/);
  refused({ from: "" }, /^parameter from of query q is empty: give a date or instant/);
});

Deno.test("resolveParams() takes doubles in decimal notation only", () => {
  assert.equal(resolveParams(Q, { share: "0.25" }).share, 0.25);
  assert.equal(resolveParams(Q, { share: ".5" }).share, 0.5);
  assert.equal(resolveParams(Q, { share: "1e-3" }).share, 0.001);
  for (const bad of ["0x10", "Infinity", "1,5", "0b1", "1e", "."]) refused({ share: bad }, /is not a number/);
});

Deno.test("parseQueryFile() reads bounds in @param lines and resolveParams() enforces them", () => {
  const q = parseQueryFile(
    "b",
    "-- @param n integer >= 1 = 10  at least one\n-- @param s double > 0 <= 1 = 0.5  a share\n" +
      "-- @param k integer = -3  unbounded, as before\nSELECT $n, $s, $k",
  );
  assert.deepEqual(q.params.map((p) => [p.name, p.default, p.min, p.max, p.description]), [
    ["n", "10", { value: 1, inclusive: true }, undefined, "at least one"],
    ["s", "0.5", { value: 0, inclusive: false }, { value: 1, inclusive: true }, "a share"],
    ["k", "-3", undefined, undefined, "unbounded, as before"],
  ]);
  assert.equal(resolveParams(q, { n: "1", s: "1" }).n, 1);
  assert.throws(
    () => resolveParams(q, { n: "0" }),
    /parameter n of query b: 0 is out of range \(must be >= 1\)/,
  );
  assert.throws(
    () => resolveParams(q, { s: "0" }),
    /parameter s of query b: 0 is out of range \(must be > 0\)/,
  );
  assert.throws(() => resolveParams(q, { s: "1.5" }), /1\.5 is out of range \(must be <= 1\)/);
  assert.throws(() => resolveParams(q, { n: 0 }), /out of range/);
  assert.equal(resolveParams(q, { k: "-100" }).k, -100);
  assert.throws(
    () => parseQueryFile("x", "-- @param t string >= 1 = a  x\nSELECT $t"),
    /integer and double parameters only/,
  );
  assert.throws(
    () => parseQueryFile("x", "-- @param n integer >= 1 = 0  x\nSELECT $n"),
    /default 0 is outside its bounds/,
  );
  assert.throws(
    () => parseQueryFile("x", "-- @param n integer >= 1 > 2 = 5  x\nSELECT $n"),
    /two lower bounds/,
  );
  assert.throws(
    () => parseQueryFile("x", "-- @param n integer = 1  x\n-- @param n integer = 2  y\nSELECT $n"),
    /declared twice/,
  );
});

Deno.test("thresholds of the shipped queries refuse negative or zero values where they mean nothing", async () => {
  const suspicious = await loadQuery("suspicious_ips");
  assert.throws(
    () => resolveParams(suspicious, { min_users: "-5" }),
    /parameter min_users of query suspicious_ips: -5 is out of range \(must be >= 1\)/,
  );
  assert.throws(() => resolveParams(suspicious, { min_failure_share: "1.2" }), /must be <= 1/);
  // Every count, gap or window threshold in queries/ is bounded; none of the defaults is out of bounds.
  const THRESHOLD = /^(min_|max_|window_|learning_days)/;
  for (const name of await listQueries()) {
    for (const p of (await loadQuery(name)).params) {
      if (p.type !== "integer" && p.type !== "double") continue;
      if (THRESHOLD.test(p.name)) {
        assert.ok(p.min, `queries/${name}.sql: @param ${p.name} has no lower bound`);
      }
    }
  }
});

Deno.test("parseParamArgs() refuses a parameter given twice and one without =", () => {
  assert.deepEqual(parseParamArgs(["from=2026-10-01", "min_users=3", "note=a=b"]), {
    from: "2026-10-01",
    min_users: "3",
    note: "a=b",
  });
  assert.throws(
    () => parseParamArgs(["min_users=3", "min_users="]),
    (e: unknown) =>
      e instanceof ParamError &&
      /^--param min_users is given twice \("3" and ""\); give it once$/.test(e.message),
  );
  assert.throws(() => parseParamArgs(["min_users"]), /--param min_users: expected name=value/);
  assert.throws(() => parseParamArgs(["=3"]), /expected name=value/);
});

Deno.test("deno task query refuses an empty, duplicate or out-of-range --param with exit 2 before opening a store", async () => {
  const cases: [string[], RegExp][] = [
    [["--param", "min_users="], /^error: parameter min_users of query suspicious_ips is empty/],
    [["--param", "min_users=3", "--param", "min_users=4"], /^error: --param min_users is given twice/],
    [["--param", "min_users=-5"], /^error: parameter min_users of query suspicious_ips: -5 is out of range/],
    [
      ["--param", "min_users=0x10"],
      /^error: parameter min_users of query suspicious_ips: "0x10" is not an integer/,
    ],
  ];
  for (const [args, expected] of cases) {
    const r = await runScript(`${ROOT}tasks/query.ts`, [
      "suspicious_ips",
      ...args,
      "--db",
      "/nonexistent/x.duckdb",
    ]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, expected, args.join(" "));
    assert.equal(r.stdout, "");
  }
});
