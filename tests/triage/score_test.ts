import assert from "node:assert/strict";
import {
  CORROBORATION_BONUS,
  type Finding,
  findingWeight,
  rankAccounts,
  RULES,
  scoreAccount,
  toFinding,
  triage,
  triageCsv,
  triageTable,
} from "../../lib/detections/mod.ts";
import { loadQuery } from "../../lib/query/mod.ts";

function finding(rule: string, weight: number, at = "2026-10-05T10:00:00.000Z"): Finding {
  return {
    rule,
    technique: "T1078.004",
    at,
    ip: "192.0.2.1",
    asn: 14061,
    as_org: "DigitalOcean, LLC",
    network_class: "hosting",
    country: "US",
    app: "OfficeHome",
    session_id: null,
    evidence: "x",
    weight,
  };
}

Deno.test("scoreAccount() counts each rule once, at its strongest, and rewards independent signals", () => {
  assert.equal(scoreAccount([]), 0);
  assert.equal(scoreAccount([finding("token_replay", 5)]), 5);
  // Fifty rows of one rule are still one signal.
  assert.equal(scoreAccount(Array.from({ length: 50 }, () => finding("password_success", 3))), 3);
  assert.equal(scoreAccount([finding("first_seen", 1.5), finding("first_seen", 3)]), 3);
  // Two medium signals outrank one strong one.
  const two = scoreAccount([finding("risky_network", 2), finding("legacy_oracle", 2)]);
  assert.equal(two, 2 + 2 + CORROBORATION_BONUS);
  assert.ok(two > scoreAccount([finding("token_replay", 5)]));
  // An explained trip is context, not corroboration.
  assert.equal(scoreAccount([finding("token_replay", 5), finding("first_seen", 0.5)]), 5.5);
});

Deno.test("every rule's query declares from/to and every signal has a weight", async () => {
  for (const spec of RULES) {
    const q = await loadQuery(spec.query);
    const names = q.params.map((p) => p.name);
    assert.ok(names.includes("from") && names.includes("to"), spec.query);
    assert.match(q.description, /Default/i, `${spec.query} says where its defaults come from`);
    assert.match(q.description, /T\d{4}/, `${spec.query} names its MITRE technique`);
    for (const [signal, w] of Object.entries(spec.weights)) assert.equal(findingWeight(spec.rule, signal), w);
  }
  assert.throws(() => findingWeight("token_replay", "nonsense"), /no weight/);
  assert.throws(() => findingWeight("nope", "x"), /unknown triage rule/);
});

Deno.test("toFinding() normalises engine values and names the query and row at fault", () => {
  const spec = RULES.find((r) => r.rule === "token_replay")!;
  const row = {
    user_principal_name: "a@x",
    rule: "token_replay",
    technique: "T1550.004",
    at: new Date("2026-10-05T10:00:00Z"),
    ip: "2001:db8::1",
    asn: "16276",
    as_org: "OVH SAS",
    network_class: "hosting",
    country: "FR",
    app: "",
    session_id: null,
    evidence: "e",
    signal: "mfa_by_claim",
  };
  const f = toFinding(row, spec);
  assert.deepEqual([f.at, f.asn, f.app, f.weight], ["2026-10-05T10:00:00.000Z", 16276, null, 5]);
  const { evidence: _dropped, ...partial } = row;
  assert.throws(() => toFinding(partial, spec, 2), /row 3: no column evidence/);
  assert.throws(() => toFinding({ ...row, rule: "first_seen" }, spec), /expected token_replay/);
  assert.throws(() => toFinding({ ...row, at: "yesterday" }, spec), /"at" is not a time/);
});

Deno.test("rankAccounts() orders by score, then first suspicious time, and applies the minimum", () => {
  const rows = rankAccounts([
    { user_principal_name: "b@x", finding: finding("token_replay", 5, "2026-10-06T00:00:00.000Z") },
    { user_principal_name: "a@x", finding: finding("token_replay", 5, "2026-10-07T00:00:00.000Z") },
    { user_principal_name: "c@x", finding: finding("first_seen", 0.5) },
    { user_principal_name: "d@x", finding: finding("risky_network", 2, "2026-10-09T00:00:00.000Z") },
    { user_principal_name: "d@x", finding: finding("persistence", 4, "2026-10-08T00:00:00.000Z") },
  ]);
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.score]), [["d@x", 8], ["b@x", 5], ["a@x", 5]]);
  assert.equal(rows[0].first_suspicious_at, "2026-10-08T00:00:00.000Z");
  assert.deepEqual(rows[0].findings.map((f) => f.rule), ["persistence", "risky_network"]);
  assert.equal(
    rankAccounts([{ user_principal_name: "c@x", finding: finding("first_seen", 0.5) }], 0).length,
    1,
  );
});

Deno.test("triage() runs every rule through the runner with the range and overrides, and refuses unknown ones", async () => {
  const calls: [string, Record<string, string | number>][] = [];
  const rows = await triage((name, params) => {
    calls.push([name, params]);
    return Promise.resolve([]);
  }, { from: "2026-10-01T00:00:00.000Z", params: { password_success: { min_users: 3 } } });
  assert.deepEqual(rows, []);
  assert.deepEqual(calls.map((c) => c[0]), RULES.map((r) => r.query));
  assert.deepEqual(calls[0][1], { from: "2026-10-01T00:00:00.000Z", min_users: 3 });
  await assert.rejects(
    triage(() => Promise.resolve([]), { params: { nope: {} } }),
    /unknown triage rule "nope"/,
  );
  await assert.rejects(
    triage(() => Promise.resolve([]), { params: { token_replay: { min_users: 3 } } }),
    /token_replay has no threshold "min_users"/,
  );
  await assert.rejects(
    triage(() => Promise.reject(new Error("Table ip_intel does not exist"))),
    /rule password_success \(queries\/detect_password_success.sql\) failed: Table ip_intel/,
  );
});

Deno.test("the triage table says plainly when nothing was found; CSV keeps its header", () => {
  const ctx = { from: "2026-10-01T00:00:00.000Z", to: "2026-11-01T00:00:00.000Z", minScore: 1 };
  assert.match(triageTable([], ctx), /^No account shows signs of compromise \(2026-10-01 to 2026-11-01/);
  assert.equal(triageCsv([]).split("\n").length, 1);
  const rows = rankAccounts([{
    user_principal_name: "a@x",
    finding: { ...finding("token_replay", 5), evidence: 'a, "b"' },
  }]);
  assert.match(triageTable(rows, ctx), /1\. a@x {2}score 5/);
  assert.ok(triageCsv(rows).split("\n")[1].endsWith(`,5,"a, ""b"""`));
});
