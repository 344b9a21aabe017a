// The triage on the sample tenant: the planted compromised accounts first, the look-alikes below them.
import assert from "node:assert/strict";
import { triage, type TriageRow } from "../../lib/detections/mod.ts";
import { triageSampleStore } from "./_triage_store.ts";

function assertRanking(rows: TriageRow[], compromised: string[], lookAlikes: string[]): void {
  const names = rows.map((r) => r.user_principal_name);
  assert.deepEqual(
    new Set(names.slice(0, compromised.length)),
    new Set(compromised),
    `top ${compromised.length}: ${
      rows.slice(0, compromised.length + 2).map((r) => `${r.user_principal_name} ${r.score}`)
    }`,
  );
  const lowest = Math.min(...rows.slice(0, compromised.length).map((r) => r.score));
  for (const upn of lookAlikes) {
    const row = rows.find((r) => r.user_principal_name === upn);
    assert.ok(!row || row.score < lowest, `${upn} scores ${row?.score}, a compromised account ${lowest}`);
  }
  // Every compromised account has at least two independent signals and a persistence finding.
  for (const r of rows.slice(0, compromised.length)) {
    assert.ok(new Set(r.findings.map((f) => f.rule)).size >= 2, r.user_principal_name);
    assert.ok(r.findings.some((f) => f.rule === "persistence"), `${r.user_principal_name} persistence`);
  }
}

const def = await triageSampleStore();

Deno.test("triage ranks exactly the planted compromised accounts first on the default sample tenant", async () => {
  const { facts: P, run } = def;
  const all = await triage(run, { minScore: 0 });
  assertRanking(all, P.compromisedAccounts, P.lookAlikeAccounts);
  // With the default minimum the look-alikes that explain themselves are not listed at all.
  const listed = (await triage(run)).map((r) => r.user_principal_name);
  for (
    const upn of [P.lookAlikes.consumerVpn.userPrincipalName, P.lookAlikes.newPasswordTypos.userPrincipalName]
  ) {
    assert.ok(!listed.includes(upn), `${upn} is listed`);
  }
  for (const t of P.travelers) assert.ok(!listed.includes(t.userPrincipalName), t.userPrincipalName);
  const top = all[0];
  assert.equal(top.first_suspicious_at, top.findings[0].at);
  assert.ok(top.findings.every((f) => f.weight > 0 && f.evidence.length > 10 && /^T\d{4}/.test(f.technique)));
});

Deno.test("triage with a range reports only findings inside it but keeps learning from the whole history", async () => {
  const { facts: P, run } = def;
  const from = `${P.compromises.deviceCode.date}T00:00:00Z`;
  const rows = await triage(run, { from, minScore: 0 });
  assert.ok(rows.every((r) => r.findings.every((f) => Date.parse(f.at) >= Date.parse(from))));
  const names = rows.map((r) => r.user_principal_name);
  assert.equal(names[0], P.compromises.deviceCode.userPrincipalName);
  assert.ok(
    !names.includes(P.compromises.sprayWorked.userPrincipalName),
    "the spray happened before the range",
  );
  // The consumer-VPN user's network was learned before the range: still not new inside it.
  assert.ok(!names.includes(P.lookAlikes.consumerVpn.userPrincipalName));
});

Deno.test("triage ranks the planted compromised accounts first on a 14-day, 100-user tenant of seed 7", async () => {
  const other = await triageSampleStore({ seed: 7, users: 100, days: 14 });
  const rows = await triage(other.run, { minScore: 0 });
  assertRanking(rows, other.facts.compromisedAccounts, other.facts.lookAlikeAccounts);
});
