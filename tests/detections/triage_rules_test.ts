// Each triage rule (queries/detect_*.sql) finds its planted case on the sample tenant, with the planted
// addresses and times, and leaves the look-alikes alone.
import assert from "node:assert/strict";
import { triageSampleStore } from "../triage/_triage_store.ts";

const { facts: P, run } = await triageSampleStore();
const C = P.compromises;
/** Same second: the planted facts give whole seconds, audits carry Graph's seven fractional digits. */
const same = (a: unknown, b: string) =>
  typeof a === "string" && Math.floor(Date.parse(a) / 1000) === Math.floor(Date.parse(b) / 1000);
const lookAlikes = new Set(P.lookAlikeAccounts);
const who = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r.user_principal_name as string);

function noLookAlikes(rows: readonly Record<string, unknown>[], except: string[] = []): void {
  for (const r of rows) {
    const upn = r.user_principal_name as string;
    assert.ok(
      !lookAlikes.has(upn) || except.includes(r.signal as string),
      `look-alike ${upn}: ${r.evidence}`,
    );
  }
}

Deno.test("detect_password_success finds the spray whose password worked, from the droplet, and not the typist", async () => {
  const rows = await run("detect_password_success", {});
  const hit = rows.find((r) => r.user_principal_name === C.sprayWorked.userPrincipalName);
  assert.ok(hit, JSON.stringify(who(rows)));
  assert.deepEqual([hit.ip, hit.asn, hit.network_class, hit.signal, hit.technique], [
    C.sprayWorked.ipAddress,
    C.sprayWorked.autonomousSystemNumber,
    "hosting",
    "success",
    "T1110.003",
  ]);
  assert.ok(same(hit.at, C.sprayWorked.signedInAt), String(hit.at));
  assert.ok(!who(rows).includes(P.lookAlikes.newPasswordTypos.userPrincipalName));
  noLookAlikes(rows);
  // The older planted password hits, stopped by Conditional Access after the password checked out.
  assert.ok(who(rows).includes(P.passwordSpray.compromised.userPrincipalName));
  // The brute force never got the password: no row.
  assert.ok(!who(rows).includes(P.bruteForce.userPrincipalName));
});

Deno.test("detect_token_replay finds the OVH replay minutes after the genuine MFA, satisfied by claim", async () => {
  const rows = await run("detect_token_replay", {});
  const hit = rows.find((r) => r.user_principal_name === C.sessionReplay.userPrincipalName);
  assert.ok(hit);
  assert.deepEqual([hit.ip, hit.asn, hit.session_id, hit.signal], [
    C.sessionReplay.replay.ipAddress,
    C.sessionReplay.replay.autonomousSystemNumber,
    C.sessionReplay.sessionId,
    "mfa_by_claim",
  ]);
  assert.ok(same(hit.at, C.sessionReplay.replay.first));
  noLookAlikes(rows);
  // Only the planted chains reuse a session across networks.
  assert.deepEqual(
    new Set(who(rows)),
    new Set([C.sessionReplay.userPrincipalName, C.deviceCode.userPrincipalName]),
  );
  assert.equal((await run("detect_token_replay", { max_minutes: 1 })).length, 0);
});

Deno.test("detect_device_code finds the phished code and its tokens redeemed on Vultr", async () => {
  const rows = await run("detect_device_code", {});
  assert.deepEqual(who(rows), [C.deviceCode.userPrincipalName]);
  const [hit] = rows;
  assert.ok(same(hit.at, C.deviceCode.phishedAt));
  assert.deepEqual([hit.ip, hit.asn, hit.signal], [
    C.deviceCode.tokenUse.ipAddress,
    C.deviceCode.tokenUse.autonomousSystemNumber,
    "other_network",
  ]);
  assert.match(hit.evidence as string, new RegExp(C.deviceCode.victim.ipAddress.replaceAll(".", "\\.")));
});

Deno.test("detect_mfa_fatigue finds the approval after the push bombing", async () => {
  const rows = await run("detect_mfa_fatigue", {});
  assert.deepEqual(who(rows), [P.mfaFatigue.userPrincipalName]);
  assert.ok(same(rows[0].at, P.mfaFatigue.approvedAt));
  assert.equal(rows[0].ip, P.mfaFatigue.ipAddress);
  assert.equal((await run("detect_mfa_fatigue", { min_declined: P.mfaFatigue.denials + 1 })).length, 0);
});

Deno.test("detect_risky_success finds the one risky success, remediated by MFA", async () => {
  const rows = await run("detect_risky_success", {});
  assert.deepEqual(rows.map((r) => [r.user_principal_name, r.signal, r.network_class]), [
    [
      P.riskySignIns.find((r) => r.riskLevelDuringSignIn === "medium" && r.errorCode === 0)!
        .userPrincipalName,
      "remediated",
      "tor",
    ],
  ]);
});

Deno.test("detect_legacy_oracle finds passwords confirmed over IMAP4 / POP3, not the daily legacy habits", async () => {
  const rows = await run("detect_legacy_oracle", {});
  const confirmed = rows.filter((r) => r.signal === "password_confirmed").map((r) => r.user_principal_name);
  assert.deepEqual(confirmed, [
    P.passwordSpray.compromised.userPrincipalName,
    P.legacyAuth.pop3.blocked53003,
  ]);
  const habits = new Set(P.legacyAuth.habits.map((h) => h.userPrincipalName));
  for (const r of rows) assert.ok(!habits.has(r.user_principal_name as string), r.evidence as string);
  const tested = rows.filter((r) => r.signal === "password_tested");
  assert.deepEqual(tested.map((r) => [r.user_principal_name, r.ip]), [[
    P.bruteForce.userPrincipalName,
    P.bruteForce.ipAddress,
  ]]);
  noLookAlikes(rows);
});

Deno.test("detect_risky_network flags the attackers' new hosting networks, never the steady VPN user", async () => {
  const rows = await run("detect_risky_network", {});
  const upns = who(rows);
  for (const c of [C.sprayWorked, C.deviceCode]) {
    assert.ok(upns.includes(c.userPrincipalName), c.userPrincipalName);
  }
  assert.ok(upns.includes(C.sessionReplay.userPrincipalName));
  assert.ok(!upns.includes(P.lookAlikes.consumerVpn.userPrincipalName));
  // Learning or steadiness is what keeps the VPN user out: with neither, the VPN is "new" at its first use.
  const raw = await run("detect_risky_network", { learning_days: 0, steady_days: 1000 });
  assert.ok(who(raw).includes(P.lookAlikes.consumerVpn.userPrincipalName));
});

Deno.test("detect_first_seen scores the business trips as explained and the attackers as impossible", async () => {
  const rows = await run("detect_first_seen", {});
  for (const t of P.travelers) {
    for (const r of rows.filter((x) => x.user_principal_name === t.userPrincipalName)) {
      assert.equal(r.signal, "explained", `${t.userPrincipalName}: ${r.evidence}`);
    }
  }
  for (
    const upn of [
      C.sessionReplay.userPrincipalName,
      C.deviceCode.userPrincipalName,
      P.impossibleTravel.userPrincipalName,
    ]
  ) {
    assert.ok(rows.some((r) => r.user_principal_name === upn && r.signal === "impossible_travel"), upn);
  }
  assert.ok(!who(rows).includes(P.lookAlikes.consumerVpn.userPrincipalName));
  assert.ok(!who(rows).includes(P.lookAlikes.newPasswordTypos.userPrincipalName));
});

Deno.test("detect_persistence ties each chain's audits to its suspicious sign-in, and not the new hire's", async () => {
  const rows = await run("detect_persistence", {});
  const planted = [C.sprayWorked, C.sessionReplay, C.deviceCode].flatMap((c) => c.audits);
  for (const a of planted) {
    assert.ok(
      rows.some((r) =>
        r.user_principal_name === a.userPrincipalName && same(r.at, a.activityDateTime) &&
        (r.evidence as string).includes(a.activityDisplayName)
      ),
      `${a.activityDisplayName} ${a.activityDateTime}`,
    );
  }
  assert.ok(!who(rows).includes(P.newHire.userPrincipalName));
  noLookAlikes(rows);
  const fatigue = rows.find((r) => r.user_principal_name === P.mfaFatigue.userPrincipalName);
  assert.equal(fatigue?.signal, "mfa_method");
  // Audits beyond the window do not pair.
  assert.ok((await run("detect_persistence", { window_hours: 1 })).length >= planted.length);
});
