import assert from "node:assert/strict";
import {
  checkTrino,
  listQueries,
  loadQuery,
  ParamError,
  parseQueryFile,
  resolveParams,
  runQuery,
  toCsv,
  toDuckdbSql,
} from "../../lib/query/mod.ts";
import { loadFiles } from "../../lib/store/mod.ts";
import { input, rows, withStore } from "../store/_helpers.ts";

const SEED = await Deno.readTextFile(new URL("../fixtures/seed_query.sql", import.meta.url));
const REQUIRED = [
  "signins_flat",
  "failed_by_country",
  "failed_by_reason_by_user",
  "failed_per_user_daily",
  "success_by_user_by_os",
  "interrupts_by_code",
  "signins_by_app",
];

/** The output column names of the seed's SELECT: the alias, else the last path segment, lower-cased. */
function seedColumns(sql: string): string[] {
  const list = sql.slice(sql.indexOf("SELECT") + 6, sql.indexOf(" FROM "));
  const items: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of list) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      items.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  items.push(cur.trim());
  return items.map((i) => (/ AS (\w+)$/i.exec(i)?.[1] ?? i.split(".").pop()!).toLowerCase());
}

Deno.test("signins_flat returns the seed's columns, in order, with the seed's aliases", async () => {
  const expected = seedColumns(SEED);
  assert.equal(expected.length, 45);
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    const r = await runQuery(store, "signins_flat");
    assert.deepEqual(r.columns.map((c) => c.name), expected);
    assert.equal(r.rows.length, 3);
  });
});

Deno.test("signins_flat maps cap_* from the policies that acted, joined in array order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rec = JSON.parse((await Deno.readTextFile(input("signins.ndjson"))).split("\n")[0]);
    rec.appliedConditionalAccessPolicies = [
      {
        id: "p1",
        displayName: "Require MFA",
        enforcedGrantControls: ["Mfa"],
        enforcedSessionControls: [],
        result: "success",
      },
      {
        id: "p2",
        displayName: "Block legacy",
        enforcedGrantControls: ["Block"],
        enforcedSessionControls: [],
        result: "notApplied",
      },
      {
        id: "p3",
        displayName: "Compliant device",
        enforcedGrantControls: ["Mfa", "RequireCompliantDevice"],
        enforcedSessionControls: ["SignInFrequency"],
        result: "failure",
      },
    ];
    await Deno.writeTextFile(`${dir}/c.ndjson`, JSON.stringify(rec) + "\n");
    await withStore(async (store) => {
      await loadFiles(store, [dir]);
      const [row] = (await runQuery(store, "signins_flat")).rows;
      assert.equal(row.cap_displayname, "Require MFA; Compliant device");
      assert.equal(row.cap_id, "p1; p3");
      assert.equal(row.cap_result, "success; failure");
      assert.equal(row.cap_enforcedgrantcontrols, "Mfa RequireCompliantDevice");
      assert.equal(row.cap_enforcedsessioncontrols, "SignInFrequency");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the seed's own query runs on signin_pages once its parenthesized UNNEST is written as Trino allows", async () => {
  // DuckDB rejects the seed's `CROSS JOIN (UNNEST(value) as t(records))`; Trino accepts both spellings.
  const seed = SEED.replace(
    `"azuread"."tbl_signin_demo" CROSS JOIN (UNNEST(value) as t(records))`,
    `signin_pages CROSS JOIN UNNEST(value) AS t(records)`,
  )
    // 2019's single policy struct is today's array: take its first element, as the seed saw one policy.
    .replaceAll(
      "records.appliedconditionalaccesspolicy.",
      "element_at(records.appliedconditionalaccesspolicies, 1).",
    );
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json"), input("seed_merged.json")]);
    const got = await rows(store, seed);
    assert.equal(got.length, 8);
    assert.equal(got.filter((r) => r.errorcode === 50126).length, 2);
  });
});

Deno.test("every query in queries/ passes the Trino grammar and function check", async () => {
  const names = await listQueries();
  for (const n of REQUIRED) assert.ok(names.includes(n), `queries/${n}.sql is missing`);
  for (const name of names) {
    const check = checkTrino((await loadQuery(name)).sql);
    assert.deepEqual(check.problems, [], `queries/${name}.sql`);
  }
});

Deno.test("checkTrino() rejects DuckDB-only syntax and functions", () => {
  assert.equal(checkTrino("SELECT strftime(created_at, '%Y') FROM signins").ok, false);
  assert.equal(checkTrino("SELECT list_aggr([1], 'sum') FROM t").ok, false);
  assert.equal(checkTrino("SELECT struct_pack(a := 1) FROM t").ok, false);
  assert.equal(checkTrino("SELECT count(*) FILTER (WHERE x = $code) FROM t AS u").ok, true);
});

Deno.test("every query in queries/ runs on DuckDB with its defaults and takes from/to", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [
      input("graph_page.json"),
      input("seed_merged.json"),
      input("log_analytics.json"),
    ]);
    for (const name of await listQueries()) {
      const q = await loadQuery(name);
      if (name !== "signins_flat") {
        assert.deepEqual(
          q.params.slice(0, 2).map((p) => p.name),
          ["from", "to"],
          `${name} takes from and to`,
        );
      }
      const all = await runQuery(store, name);
      const none = await runQuery(store, name, { from: "2030-01-01", to: "2030-02-01" });
      assert.ok(all.columns.length > 0, name);
      if (name !== "summary") assert.equal(none.rows.length, 0, `${name} honors from/to`);
    }
  });
});

Deno.test("failed_by_country counts failures only, interrupts apart", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    assert.deepEqual((await runQuery(store, "failed_by_country")).rows, [
      { country_or_region: "RU", failures: 1, users: 1, ips: 1 },
    ]);
    assert.deepEqual((await runQuery(store, "interrupts_by_code")).rows, [
      { error_code: 50074, failure_reason: "Strong Authentication is required.", interrupts: 1, users: 1 },
    ]);
    const [day] = (await runQuery(store, "failed_per_user_daily")).rows;
    assert.deepEqual(day, { day: "2026-10-03", user_principal_name: "meganb@contoso.com", failures: 1 });
  });
});

Deno.test("parseQueryFile() reads @param lines and refuses undeclared or unused parameters", () => {
  const q = parseQueryFile("x", "-- Counts.\n-- @param n integer = 5  how many\nSELECT $n AS n");
  assert.deepEqual(q.params, [{ name: "n", type: "integer", default: "5", description: "how many" }]);
  assert.equal(q.description, "Counts.");
  assert.throws(() => parseQueryFile("x", "SELECT $n"), /queries\/x\.sql: \$n is used but not declared/);
  assert.throws(() => parseQueryFile("x", "-- @param n integer = 5\nSELECT 1"), /declared but never used/);
  assert.throws(() => parseQueryFile("x", "SELECT 1; SELECT 2"), /one statement per file/);
  assert.equal(parseQueryFile("x", "SELECT '$notaparam;'").params.length, 0);
});

Deno.test("resolveParams() fills defaults, normalizes dates and names bad parameters", async () => {
  const q = await loadQuery("suspicious_ips");
  const p = resolveParams(q, { from: "2026-10-01", min_users: "3" });
  assert.equal(p.from, "2026-10-01T00:00:00.000Z");
  assert.equal(p.to, "9999-12-31T00:00:00Z");
  assert.equal(p.min_users, 3);
  assert.equal(p.min_failures, 20);
  assert.equal(resolveParams(q, { from: "2026-10-01T10:00:00+02:00" }).from, "2026-10-01T08:00:00.000Z");
  assert.throws(
    () => resolveParams(q, { form: "2026-10-01" }),
    (e) => e instanceof ParamError && /no parameter "form"/.test(e.message),
  );
  assert.throws(() => resolveParams(q, { from: "2026-13-45" }), /parameter from of query suspicious_ips/);
  assert.throws(() => resolveParams(q, { from: "2026-10-01T10:00:00" }), /with a zone/);
  assert.throws(() => resolveParams(q, { min_users: "many" }), /"many" is not an integer/);
});

Deno.test("a parameter value is bound, never spliced: a quote in it is just data", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    await assert.rejects(
      () => runQuery(store, "summary", { from: "2026-01-01'; DROP TABLE signin_records; --" }),
      ParamError,
    );
    assert.equal((await rows(store, "SELECT count(*) AS n FROM signin_records"))[0].n, "3");
  });
});

Deno.test("toDuckdbSql() renames transform( only where it is a call outside literals", () => {
  assert.equal(toDuckdbSql("SELECT transform(a, x -> x) FROM t"), "SELECT list_transform(a, x -> x) FROM t");
  assert.equal(
    toDuckdbSql("SELECT 'transform(a)' AS s, t.transform FROM t"),
    "SELECT 'transform(a)' AS s, t.transform FROM t",
  );
  assert.equal(toDuckdbSql("-- transform(x)\nSELECT 1"), "-- transform(x)\nSELECT 1");
});

Deno.test("toCsv() quotes commas, quotes and line breaks", () => {
  const csv = toCsv({
    columns: [{ name: "a", type: "" }, { name: "b", type: "" }],
    rows: [{ a: 'x,"y"', b: null }, { a: "l1\nl2", b: 2 }],
  });
  assert.equal(csv, 'a,b\n"x,""y""",\n"l1\nl2",2\n');
});

Deno.test("checkTrino() does not mistake SQL keywords before a parenthesis for function calls", () => {
  const sql = "SELECT a, count(*) AS n FROM t WHERE x IN (1, 2) AND (y = 1) GROUP BY a " +
    "HAVING (count(*) > 1 OR sum(b) > 2) AND count(*) < 9";
  assert.deepEqual(checkTrino(sql).problems, []);
});
