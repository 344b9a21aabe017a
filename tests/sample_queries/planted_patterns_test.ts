// The report's queries must show what was planted in the sample tenant: if an analyst cannot see the spray, the
// brute force or the legacy-protocol attempts in these tables, neither the report nor the charts can.
import assert from "node:assert/strict";
import { plantedPatterns, writeSampleTenant } from "../../lib/sample/mod.ts";
import { OFFICES } from "../../lib/sample/catalog.ts";
import { loadFiles, openStore, type Store } from "../../lib/store/mod.ts";
import { runQuery } from "../../lib/query/mod.ts";

const OPTS = { users: 30, days: 30, seed: 3 };
const planted = plantedPatterns(OPTS);

let shared: Promise<{ store: Store; dir: string }> | undefined;
function sampleStore() {
  shared ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "signin-lens-planted-" });
    await writeSampleTenant({ out: dir, ...OPTS });
    const store = await openStore();
    await loadFiles(store, [`${dir}/signins`]);
    return { store, dir };
  })();
  return shared;
}

const rowsOf = async (name: string, params = {}) =>
  (await runQuery((await sampleStore()).store, name, params)).rows;

Deno.test("suspicious_ips lists the spray addresses and the brute-force address, and no office egress", async () => {
  const ips = (await rowsOf("suspicious_ips")).map((r) => r.ip_address);
  for (const round of planted.passwordSpray.rounds) assert.ok(ips.includes(round.ipAddress), round.ipAddress);
  assert.ok(ips.includes(planted.bruteForce.ipAddress));
  const spray = (await rowsOf("suspicious_ips")).find((r) =>
    r.ip_address === planted.passwordSpray.rounds[1].ipAddress
  )!;
  assert.equal(spray.users, planted.passwordSpray.rounds[1].users);
  assert.equal(spray.successes, 0);
  assert.ok(ips.length <= 12, `short list, got ${ips.length}: ${ips.join(", ")}`);
  const offices = Object.values(OFFICES).flatMap((o) => o.ips);
  assert.ok(offices.length > 0);
  for (const office of offices) assert.ok(!ips.includes(office), `office address ${office} flagged`);
});

Deno.test("failed_by_country shows the spray's countries with many users from one address each", async () => {
  const rows = await rowsOf("failed_by_country", { from: planted.passwordSpray.date, to: "2026-10-12" });
  for (const round of planted.passwordSpray.rounds) {
    const row = rows.find((r) => r.country_or_region === round.countryOrRegion);
    assert.ok(row, round.countryOrRegion);
    assert.ok((row.users as number) >= round.users - 1, `${round.countryOrRegion}: ${row.users} users`);
    assert.equal(row.ips, 1);
  }
});

Deno.test("failed_by_reason_by_user shows the brute force as one user's 50126 run and 50053 lockouts", async () => {
  const b = planted.bruteForce;
  const rows = (await rowsOf("failed_by_reason_by_user", { from: b.first, to: "2026-10-18" }))
    .filter((r) => r.user_principal_name === b.userPrincipalName);
  assert.equal(rows.find((r) => r.error_code === 50126)?.attempts, b.failures50126);
  assert.equal(rows.find((r) => r.error_code === 50053)?.attempts, b.lockouts50053);
});

Deno.test("legacy_auth_attempts shows every planted legacy client", async () => {
  const clients = new Set((await rowsOf("legacy_auth_attempts")).map((r) => r.client_app_used));
  for (const h of planted.legacyAuth.habits) assert.ok(clients.has(h.clientAppUsed), h.clientAppUsed);
  assert.ok(clients.has("POP3"));
  assert.ok(clients.has("IMAP4"));
});

Deno.test("failed_per_user_daily shows the password-expiry spike day as the worst day", async () => {
  const byDay = new Map<string, number>();
  for (const r of await rowsOf("failed_per_user_daily")) {
    byDay.set(r.day as string, (byDay.get(r.day as string) ?? 0) + (r.failures as number));
  }
  const worst = [...byDay.entries()].sort((a, b) => b[1] - a[1])[0];
  assert.ok(
    [planted.failureSpike.date, planted.passwordSpray.date].includes(worst[0]),
    `worst day ${worst[0]}`,
  );
  const spike = byDay.get(planted.failureSpike.date)!;
  const median = [...byDay.values()].sort((a, b) => a - b)[Math.floor(byDay.size / 2)];
  assert.ok(spike > 3 * median, `spike ${spike} vs median ${median}`);
});

Deno.test("interrupts_by_code counts the MFA-fatigue prompts apart from failures, and 500121 as a failure", async () => {
  const m = planted.mfaFatigue;
  const reasons = await rowsOf("failed_by_reason_by_user", { from: m.first, to: m.approvedAt });
  const denials = reasons.find((r) =>
    r.user_principal_name === m.userPrincipalName && r.error_code === 500121
  );
  assert.equal(denials?.attempts, m.denials);
  assert.equal(denials?.result, "failure");
  const interrupts = await rowsOf("interrupts_by_code");
  assert.ok(interrupts.every((r) => r.error_code !== 500121 && r.error_code !== 50126));
});

Deno.test("signin_locations places the impossible-travel pair's two cities as successes", async () => {
  const t = planted.impossibleTravel;
  const rows = await rowsOf("signin_locations", {
    from: t.first.createdDateTime.slice(0, 10),
    to: "2026-10-15",
  });
  for (const city of [t.first.city, t.second.city]) {
    assert.ok(rows.some((r) => r.city === city && r.result === "success"), city);
  }
});

Deno.test("the sample store closes cleanly", async () => {
  const { store, dir } = await sampleStore();
  store.close();
  await Deno.remove(dir, { recursive: true });
});
