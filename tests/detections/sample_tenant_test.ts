import assert from "node:assert/strict";
import { sameInstant, sampleStore } from "./_sample_store.ts";

const { facts: P, run } = await sampleStore();

Deno.test("password_spray finds the three planted spray rounds and nothing else on the sample tenant", async () => {
  const rows = await run("password_spray");
  assert.deepEqual(rows.map((r) => r.ip_address), P.passwordSpray.rounds.map((r) => r.ipAddress));
  for (const round of P.passwordSpray.rounds) {
    const row = rows.find((r) => r.ip_address === round.ipAddress)!;
    assert.equal(row.users, round.users, round.ipAddress);
    assert.equal(row.failures, round.attempts, round.ipAddress);
    assert.ok((row.max_failures_per_user as number) <= 3);
    assert.equal(row.country_or_region, round.countryOrRegion);
    assert.equal(row.client_apps, round.clientAppUsed);
    assert.ok(sameInstant(row.first_attempt, round.first), `${row.first_attempt} vs ${round.first}`);
    assert.ok(sameInstant(row.last_attempt, round.last), `${row.last_attempt} vs ${round.last}`);
  }
  const total = rows.reduce((n, r) => n + (r.locked_out as number), 0);
  assert.equal(total, P.passwordSpray.lockouts50053);
  // The sprayed password that was right, stopped only by the legacy-auth block (53003).
  const worked = rows.filter((r) => r.password_worked_for);
  assert.deepEqual(worked.map((r) => [r.ip_address, r.password_worked_for]), [
    [P.passwordSpray.compromised.ipAddress, P.passwordSpray.compromised.userPrincipalName],
  ]);
});

Deno.test("password_spray honors its thresholds and range", async () => {
  assert.equal((await run("password_spray", { min_users: 25 })).length, 0);
  assert.deepEqual(
    (await run("password_spray", { max_attempts_per_user: 1 })).map((r) => r.ip_address),
    ["192.0.2.41"],
  );
  // Smaller bursts show up when asked for: the malicious-IP blocks and the POP3 stuffing.
  const small = (await run("password_spray", { min_users: 3 })).map((r) => r.ip_address);
  assert.ok(small.includes(P.legacyAuth.pop3.ipAddress));
  assert.ok(small.includes(P.maliciousIps[0].ipAddress));
  const day = P.passwordSpray.date;
  // A range that ends mid-round leaves that round's burst below min_users.
  assert.equal((await run("password_spray", { from: day, to: `${day}T04:00:00Z` })).length, 2);
  assert.equal((await run("password_spray", { from: day, to: `${day}T03:00:00Z` })).length, 1);
  // A gap longer than the rounds' pauses merges nothing: each round is its own IP.
  assert.equal((await run("password_spray", { max_gap_minutes: 1 })).length, 0);
});

Deno.test("brute_force finds the planted brute force as its only row", async () => {
  const b = P.bruteForce;
  const rows = await run("brute_force");
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row.user_principal_name, b.userPrincipalName);
  assert.equal(row.ip_address, b.ipAddress);
  assert.equal(row.country_or_region, b.countryOrRegion);
  assert.equal(row.apps, b.appDisplayName);
  assert.equal(row.failures, b.failures50126 + b.lockouts50053);
  assert.equal(row.wrong_password, b.failures50126);
  assert.equal(row.locked_out, b.lockouts50053);
  assert.equal(row.successes, 0);
  assert.ok(sameInstant(row.first_attempt, b.first));
  assert.ok(sameInstant(row.last_attempt, b.last));
});

Deno.test("brute_force keeps slow repeated failures (a device with an old password) out", async () => {
  // With a low bar the MFA-fatigue burst joins (14 failures in 40 minutes), but not the devices that fail
  // every couple of hours for days.
  const rows = await run("brute_force", { min_failures: 10 });
  assert.deepEqual(rows.map((r) => r.ip_address), [P.bruteForce.ipAddress, P.mfaFatigue.ipAddress]);
  assert.equal((await run("brute_force", { min_failures: 51 })).length, 0);
});

Deno.test("new_country_signins finds the planted first sign-in from Brazil, and only explained others", async () => {
  const nc = P.newCountry;
  const rows = await run("new_country_signins");
  const hit = rows.find((r) => r.user_principal_name === nc.userPrincipalName);
  assert.ok(hit, "the planted new-country sign-in is found");
  assert.equal(hit.country_or_region, nc.countryOrRegion);
  assert.equal(hit.ip_address, nc.ipAddress);
  assert.ok(sameInstant(hit.first_signin, nc.createdDateTime));
  assert.equal(hit.baseline_countries, nc.homeCountry);
  // Everything else is another planted story: a business trip after the learning week, the stolen session of
  // the impossible travel, the attacker the MFA-fatigued user let in, the replayed session and the phished
  // device-code tokens. The spray that worked came from the victim's own country, and the VPN user's
  // Stockholm exit is there from the first day: neither is new.
  const C = P.compromises;
  const explained = new Set([
    `${nc.userPrincipalName} ${nc.countryOrRegion}`,
    ...P.travelers.map((t) => `${t.userPrincipalName} ${t.countryOrRegion}`),
    `${P.impossibleTravel.userPrincipalName} ${P.impossibleTravel.second.countryOrRegion}`,
    `${P.mfaFatigue.userPrincipalName} ${P.mfaFatigue.countryOrRegion}`,
    `${C.sessionReplay.userPrincipalName} ${C.sessionReplay.replay.countryOrRegion}`,
    `${C.deviceCode.userPrincipalName} ${C.deviceCode.tokenUse.countryOrRegion}`,
  ]);
  for (const r of rows) {
    assert.ok(explained.has(`${r.user_principal_name} ${r.country_or_region}`), JSON.stringify(r));
  }
  assert.ok(rows.length <= 8, `${rows.length} rows`);
  assert.ok(!rows.some((r) => r.user_principal_name === P.lookAlikes.consumerVpn.userPrincipalName));
  const fatigue = rows.find((r) => r.user_principal_name === P.mfaFatigue.userPrincipalName)!;
  assert.ok(sameInstant(fatigue.first_signin, P.mfaFatigue.approvedAt));
});

Deno.test("new_country_signins learns each user's countries for learning_days first", async () => {
  // A learning period longer than the window leaves nothing to flag; a one-day one adds the London trip
  // that starts in the first week.
  assert.equal((await run("new_country_signins", { learning_days: 31 })).length, 0);
  const london = P.travelers.find((t) => t.countryOrRegion === "GB")!;
  const short = await run("new_country_signins", { learning_days: 1 });
  assert.ok(
    short.some((r) => r.user_principal_name === london.userPrincipalName && r.country_or_region === "GB"),
  );
});

Deno.test("impossible_travel finds the planted Chicago to Bucharest hop as one row", async () => {
  const t = P.impossibleTravel;
  const rows = await run("impossible_travel");
  const hits = rows.filter((r) => r.user_principal_name === t.userPrincipalName);
  assert.equal(hits.length, 1, "the stolen session's back-and-forth is one row");
  const [hit] = hits;
  assert.equal(hit.from_city, t.first.city);
  assert.equal(hit.from_country, t.first.countryOrRegion);
  assert.equal(hit.to_ip, t.second.ipAddress);
  assert.equal(hit.to_city, t.second.city);
  assert.ok(sameInstant(hit.to_time, t.second.createdDateTime));
  // The last Chicago sign-in before Bucharest is at or after the planted one (the user kept working).
  assert.ok(Date.parse(hit.from_time as string) >= Date.parse(t.first.createdDateTime));
  assert.equal(hit.distance_km, t.distanceKm);
  assert.ok((hit.speed_kmh as number) > 900);
  assert.ok((hit.hops as number) >= 1);
  // Others only from planted stories: the attacker the MFA-fatigued user let in, the replayed session, the
  // phished device-code tokens, and the steady consumer-VPN user whose laptop (Stockholm exit) and phone (US
  // carrier) alternate all month: a pure distance/speed rule cannot tell that look-alike apart (the triage
  // must). The business trips are flown at airliner speed and are not flagged.
  const C = P.compromises;
  const explained = new Set([
    t.userPrincipalName,
    P.mfaFatigue.userPrincipalName,
    C.sessionReplay.userPrincipalName,
    C.deviceCode.userPrincipalName,
    P.lookAlikes.consumerVpn.userPrincipalName,
  ]);
  for (const r of rows) assert.ok(explained.has(r.user_principal_name as string), JSON.stringify(r));
  assert.ok(rows.length <= explained.size, `${rows.length} rows`);
  for (const x of P.travelers) assert.ok(!rows.some((r) => r.user_principal_name === x.userPrincipalName));
});

Deno.test("impossible_travel honors max_speed_kmh and min_distance_km", async () => {
  assert.equal((await run("impossible_travel", { max_speed_kmh: 1e9 })).length, 0);
  assert.equal((await run("impossible_travel", { min_distance_km: 9000 })).length, 0);
  const slow = await run("impossible_travel", { max_speed_kmh: 300 });
  assert.ok(slow.length > (await run("impossible_travel")).length, "slower limits flag real flights too");
});

Deno.test("mfa_fatigue finds the planted push bombing and when the user gave in", async () => {
  const f = P.mfaFatigue;
  const rows = await run("mfa_fatigue");
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.equal(row.user_principal_name, f.userPrincipalName);
  assert.equal(row.ip_addresses, f.ipAddress);
  assert.equal(row.country_or_region, f.countryOrRegion);
  assert.equal(row.declined, f.denials);
  assert.equal(row.unanswered, 0);
  assert.ok(sameInstant(row.first_prompt, f.first));
  assert.ok(sameInstant(row.last_prompt, f.last));
  assert.ok(sameInstant(row.approved_at, f.approvedAt));
  assert.equal((await run("mfa_fatigue", { min_declined: f.denials + 1 })).length, 0);
});

Deno.test("mfa_fatigue leaves the tenant's ordinary unanswered prompts alone", async () => {
  // Lots of users miss a prompt now and then; none declines one, so a bar of a single decline still finds
  // only the attack.
  assert.equal((await run("mfa_fatigue", { min_declined: 1 })).length, 1);
});

Deno.test("legacy_auth_attempts shows the planted POP3 stuffing and the legacy habits", async () => {
  const rows = await run("legacy_auth_attempts");
  const pop3 = rows.filter((r) => r.client_app_used === "POP3");
  assert.deepEqual(pop3.map((r) => [r.result, r.attempts, r.users]), [
    ["failure", P.legacyAuth.pop3.failures50126 + 1, P.legacyAuth.pop3.userPrincipalNames.length],
  ]);
  for (const h of P.legacyAuth.habits) {
    assert.ok(rows.some((r) => r.client_app_used === h.clientAppUsed), h.clientAppUsed);
  }
  assert.ok(rows.every((r) => r.client_app_used !== "Browser"));
});
