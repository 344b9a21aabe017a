import assert from "node:assert/strict";
import {
  distanceKm,
  generateDirectoryAudits,
  generateSignIns,
  INTERRUPT_CODES,
  plantedPatterns,
  type SignIn,
} from "../../lib/sample/mod.ts";

const ALL = generateSignIns();
const P = plantedPatterns();
const time = (s: SignIn) => Date.parse(s.createdDateTime);
const byIp = (ip: string) => ALL.filter((s) => s.ipAddress === ip).sort((a, b) => time(a) - time(b));
const isFailure = (c: number) => c !== 0 && !INTERRUPT_CODES.has(c);

Deno.test("plantedPatterns() does not depend on the seed except for user names", () => {
  const other = plantedPatterns({ seed: 2 });
  assert.equal(other.bruteForce.first, P.bruteForce.first);
  assert.deepEqual(
    other.passwordSpray.rounds.map((r) => r.ipAddress),
    P.passwordSpray.rounds.map((r) => r.ipAddress),
  );
  assert.equal(other.impossibleTravel.second.createdDateTime, P.impossibleTravel.second.createdDateTime);
  assert.notEqual(other.bruteForce.userPrincipalName, P.bruteForce.userPrincipalName);
});

Deno.test("sample has the documented password spray: 3 foreign IPs, 24 users each, few attempts per user", () => {
  assert.equal(P.passwordSpray.date, "2026-10-11");
  assert.deepEqual(P.passwordSpray.rounds.map((r) => r.ipAddress), [
    "192.0.2.41",
    "192.0.2.87",
    "192.0.2.133",
  ]);
  let lockouts = 0, failures = 0;
  for (const round of P.passwordSpray.rounds) {
    const recs = byIp(round.ipAddress);
    assert.equal(recs.length, round.attempts);
    assert.ok(recs.every((s) => s.location.countryOrRegion === round.countryOrRegion));
    assert.ok(recs.every((s) => s.location.countryOrRegion !== "US"));
    assert.ok(recs.every((s) => s.clientAppUsed === round.clientAppUsed));
    assert.equal(recs[0].createdDateTime, round.first);
    assert.equal(recs[recs.length - 1].createdDateTime, round.last);
    const perUser = new Map<string, number>();
    for (const s of recs) perUser.set(s.userPrincipalName, (perUser.get(s.userPrincipalName) ?? 0) + 1);
    assert.ok(perUser.size >= 20, `${round.ipAddress} tried ${perUser.size} users`);
    assert.equal(perUser.size, round.users);
    assert.ok(Math.max(...perUser.values()) <= 3, "few attempts per user");
    assert.ok(recs.every((s) => [50126, 50053, 53003].includes(s.status.errorCode)));
    assert.ok(recs.every((s) => s.createdDateTime.startsWith(P.passwordSpray.date)));
    lockouts += recs.filter((s) => s.status.errorCode === 50053).length;
    failures += recs.filter((s) => s.status.errorCode === 50126).length;
  }
  assert.equal(lockouts, P.passwordSpray.lockouts50053);
  assert.equal(lockouts, 8);
  assert.equal(failures, P.passwordSpray.failures50126);
  const locked = ALL.filter((s) => s.ipAddress === "192.0.2.133" && s.status.errorCode === 50053);
  assert.ok(locked.every((s) => s.status.failureReason!.startsWith("Account is locked")));
  // Legacy protocols in part: IMAP4 and ROPC ("Other clients", BAV2ROPC).
  assert.ok(byIp("192.0.2.133").every((s) => s.userAgent === "BAV2ROPC"));
  const hit = ALL.find((s) =>
    s.userPrincipalName === P.passwordSpray.compromised.userPrincipalName &&
    s.createdDateTime === P.passwordSpray.compromised.createdDateTime
  )!;
  assert.equal(hit.status.errorCode, 53003);
  assert.equal(hit.ipAddress, "192.0.2.87");
  const block = hit.appliedConditionalAccessPolicies.find((p) =>
    p.displayName === "CA002: Block legacy authentication"
  )!;
  assert.equal(block.result, "failure");
  assert.ok(hit.authenticationDetails.some((d) => d.authenticationStepResultDetail === "Correct password"));
});

Deno.test("sample has the documented brute force: 36 × 50126 then 14 × 50053 from one IP", () => {
  const b = P.bruteForce;
  assert.equal(b.ipAddress, "198.51.100.23");
  const recs = byIp(b.ipAddress);
  assert.equal(recs.length, 50);
  assert.ok(recs.every((s) => s.userPrincipalName === b.userPrincipalName));
  assert.deepEqual(
    recs.map((s) => s.status.errorCode),
    [...Array(36).fill(50126), ...Array(14).fill(50053)],
  );
  assert.equal(recs[0].createdDateTime, b.first);
  assert.equal(recs[49].createdDateTime, b.last);
  assert.equal(b.first, "2026-10-17T21:14:00Z");
  assert.ok(time(recs[49]) - time(recs[0]) < 30 * 60_000);
  assert.ok(recs.every((s) => s.appDisplayName === "Azure Active Directory PowerShell"));
  // Nobody else fails 30+ times from one address in the sample.
  const perIpUser = new Map<string, number>();
  for (const s of ALL) {
    if (s.status.errorCode !== 50126) continue;
    const k = `${s.ipAddress}|${s.userPrincipalName}`;
    perIpUser.set(k, (perIpUser.get(k) ?? 0) + 1);
  }
  const heavy = [...perIpUser].filter(([, n]) => n >= 10).map(([k]) => k);
  assert.deepEqual(heavy, [`${b.ipAddress}|${b.userPrincipalName}`]);
});

Deno.test("sample has the documented malicious-IP blocks (50053)", () => {
  const text = "Sign-in was blocked because it came from an IP address with malicious activity";
  const recs = ALL.filter((s) => s.status.failureReason === text);
  assert.equal(recs.length, P.maliciousIps.reduce((n, m) => n + m.attempts, 0));
  assert.equal(recs.length, 15);
  assert.ok(recs.every((s) => s.status.errorCode === 50053));
  assert.deepEqual(new Set(recs.map((s) => s.ipAddress)), new Set(["192.0.2.201", "192.0.2.202"]));
  for (const m of P.maliciousIps) {
    const users = new Set(recs.filter((s) => s.ipAddress === m.ipAddress).map((s) => s.userPrincipalName));
    assert.deepEqual(users, new Set(m.userPrincipalNames));
  }
});

Deno.test("sample has legacy-auth attempts with every documented client, blocked by Conditional Access", () => {
  const legacy = ALL.filter((s) =>
    ["IMAP4", "POP3", "Authenticated SMTP", "Exchange ActiveSync", "Other clients"].includes(s.clientAppUsed)
  );
  for (const c of ["IMAP4", "POP3", "Authenticated SMTP", "Exchange ActiveSync", "Other clients"]) {
    assert.ok(legacy.some((s) => s.clientAppUsed === c), c);
  }
  // A legacy client never gets a token: the password is wrong (50126/50053) or CA002 blocks it (53003).
  assert.ok(legacy.every((s) => [50126, 50053, 53003].includes(s.status.errorCode)));
  for (const s of legacy.filter((x) => x.status.errorCode === 53003)) {
    assert.equal(s.conditionalAccessStatus, "failure");
  }
  for (const h of P.legacyAuth.habits) {
    const n = legacy.filter((s) =>
      s.userPrincipalName === h.userPrincipalName && s.clientAppUsed === h.clientAppUsed
    )
      .length;
    assert.ok(n >= 10, `${h.userPrincipalName} ${h.clientAppUsed}: ${n}`);
  }
  const pop = byIp(P.legacyAuth.pop3.ipAddress);
  assert.equal(pop.filter((s) => s.status.errorCode === 50126).length, P.legacyAuth.pop3.failures50126);
  assert.deepEqual(
    pop.filter((s) => s.status.errorCode === 53003).map((s) => s.userPrincipalName),
    [P.legacyAuth.pop3.blocked53003],
  );
});

Deno.test("sample has the documented impossible-travel pair", () => {
  const t = P.impossibleTravel;
  const find = (at: string, ip: string) =>
    ALL.find((s) =>
      s.userPrincipalName === t.userPrincipalName && s.createdDateTime === at && s.ipAddress === ip
    )!;
  const a = find(t.first.createdDateTime, t.first.ipAddress);
  const b = find(t.second.createdDateTime, t.second.ipAddress);
  assert.equal(a.status.errorCode, 0);
  assert.equal(b.status.errorCode, 0);
  assert.equal(a.location.countryOrRegion, "US");
  assert.equal(b.location.countryOrRegion, "RO");
  const km = distanceKm(
    a.location.geoCoordinates as { latitude: number; longitude: number },
    b.location.geoCoordinates as { latitude: number; longitude: number },
  );
  assert.ok(km > 5000, `${km} km`);
  assert.equal(Math.round(km), t.distanceKm);
  const minutes = (time(b) - time(a)) / 60_000;
  assert.ok(minutes > 0 && minutes <= 120, `${minutes} minutes`);
  assert.deepEqual(b.riskEventTypes_v2, ["unlikelyTravel"]);
});

Deno.test("sample has the documented MFA fatigue: 14 declined pushes, then an approval", () => {
  const f = P.mfaFatigue;
  const recs = byIp(f.ipAddress);
  assert.equal(recs.length, 15);
  assert.ok(recs.every((s) => s.userPrincipalName === f.userPrincipalName));
  const denials = recs.slice(0, 14);
  for (const s of denials) {
    assert.equal(s.status.errorCode, 500121);
    assert.ok(
      s.authenticationDetails.some((d) =>
        d.authenticationStepResultDetail === "MFA denied; user declined the authentication" && !d.succeeded
      ),
    );
    assert.ok(s.authenticationDetails.some((d) => d.authenticationMethod === "Password" && d.succeeded));
  }
  assert.ok(time(denials[13]) - time(denials[0]) <= 60 * 60_000);
  assert.equal(denials[0].createdDateTime, f.first);
  assert.equal(recs[14].createdDateTime, f.approvedAt);
  assert.equal(recs[14].status.errorCode, 0);
  assert.equal(recs[14].mfaDetail.authMethod, "Mobile app notification");
  // Nobody else collects more than three MFA denials in a day.
  const perUserDay = new Map<string, number>();
  for (const s of ALL) {
    if (s.status.errorCode !== 500121) continue;
    const k = `${s.userPrincipalName}|${s.createdDateTime.slice(0, 10)}`;
    perUserDay.set(k, (perUserDay.get(k) ?? 0) + 1);
  }
  const many = [...perUserDay].filter(([, n]) => n > 3).map(([k]) => k);
  assert.deepEqual(many, [`${f.userPrincipalName}|${f.first.slice(0, 10)}`]);
});

Deno.test("sample has the documented risky sign-ins", () => {
  const risky = ALL.filter((s) => s.riskLevelDuringSignIn !== "none");
  assert.equal(risky.length, P.riskySignIns.length);
  for (const r of P.riskySignIns) {
    const s = risky.find((x) =>
      x.userPrincipalName === r.userPrincipalName && x.createdDateTime === r.createdDateTime
    )!;
    assert.ok(s, r.userPrincipalName);
    assert.equal(s.riskLevelDuringSignIn, r.riskLevelDuringSignIn);
    assert.deepEqual(s.riskEventTypes_v2, r.riskEventTypes_v2);
    assert.equal(s.status.errorCode, r.errorCode);
    assert.equal(s.ipAddress, r.ipAddress);
  }
  const levels = new Set(risky.map((s) => s.riskLevelDuringSignIn));
  assert.ok(levels.has("medium") && levels.has("high"));
  const events = new Set(risky.flatMap((s) => s.riskEventTypes_v2));
  assert.ok(events.has("unfamiliarFeatures") && events.has("anonymizedIPAddress"));
  const high = risky.find((s) => s.riskLevelDuringSignIn === "high")!;
  assert.equal(high.status.errorCode, 53003);
  assert.deepEqual(high.location.geoCoordinates, {}, "anonymizer addresses have no coordinates");
});

Deno.test("sample has the documented first sign-in from a new country", () => {
  const n = P.newCountry;
  const mine = ALL.filter((s) => s.userPrincipalName === n.userPrincipalName).sort((a, b) =>
    time(a) - time(b)
  );
  const foreign = mine.filter((s) => s.location.countryOrRegion === n.countryOrRegion);
  assert.ok(foreign.length >= 1);
  assert.ok(time(foreign[0]) >= Date.parse(n.createdDateTime) - 60_000);
  assert.ok(foreign.some((s) => s.createdDateTime === n.createdDateTime && s.status.errorCode === 0));
  // Every earlier successful sign-in was at home (failed attempts include the password spray from abroad).
  const before = mine.filter((s) =>
    time(s) < Date.parse(n.createdDateTime) - 60_000 && s.status.errorCode === 0
  );
  assert.ok(before.length > 50);
  assert.ok(before.every((s) => s.location.countryOrRegion === n.homeCountry));
  // Nobody else in the tenant signs in from that country.
  assert.ok(
    ALL.filter((s) => s.location.countryOrRegion === n.countryOrRegion).every((s) =>
      s.userPrincipalName === n.userPrincipalName
    ),
  );
});

Deno.test("sample has one day with a spike of failures across many users", () => {
  const perDay = new Map<string, { failures: number; users: Set<string> }>();
  for (const s of ALL) {
    if (!isFailure(s.status.errorCode)) continue;
    const d = s.createdDateTime.slice(0, 10);
    const e = perDay.get(d) ?? { failures: 0, users: new Set() };
    e.failures++;
    e.users.add(s.userPrincipalName);
    perDay.set(d, e);
  }
  const ranked = [...perDay].sort((a, b) => b[1].failures - a[1].failures);
  assert.equal(ranked[0][0], P.failureSpike.date);
  assert.equal(P.failureSpike.date, "2026-10-19");
  const spike = ranked[0][1];
  const median = ranked[Math.floor(ranked.length / 2)][1].failures;
  assert.ok(spike.failures > 4 * median, `${spike.failures} vs median ${median}`);
  assert.ok(spike.users.size >= P.failureSpike.userPrincipalNames.length);
  for (const u of P.failureSpike.userPrincipalNames) assert.ok(spike.users.has(u), u);
});

Deno.test("sample's benign travelers sign in from their destination during the trip", () => {
  for (const t of P.travelers) {
    const recs = ALL.filter((s) =>
      s.userPrincipalName === t.userPrincipalName && s.ipAddress === t.ipAddress
    );
    assert.ok(recs.length > 10, t.userPrincipalName);
    assert.ok(
      recs.every((s) => s.location.city === t.city && s.location.countryOrRegion === t.countryOrRegion),
    );
    // Local trip days, so a New York evening may fall on the next UTC day.
    const from = Date.parse(t.from + "T00:00:00Z") - 86400_000;
    const to = Date.parse(t.to + "T00:00:00Z") + 2 * 86400_000;
    assert.ok(recs.every((s) => time(s) >= from && time(s) < to), `${t.userPrincipalName} outside the trip`);
  }
});

Deno.test("sample's departed user gets 50057 after being disabled, and the new hire enrolls in MFA", () => {
  const d = P.departedUser;
  const after = ALL.filter((s) =>
    s.userPrincipalName === d.userPrincipalName && s.createdDateTime > d.disabledAt
  );
  assert.ok(after.length > 20);
  assert.ok(after.every((s) => s.status.errorCode === 50057));
  const h = P.newHire;
  const hire = ALL.filter((s) => s.userPrincipalName === h.userPrincipalName).sort((a, b) =>
    time(a) - time(b)
  );
  assert.ok(hire[0].createdDateTime.startsWith(h.firstDay));
  assert.ok(hire.some((s) => s.status.errorCode === 50072));
});

Deno.test("generateDirectoryAudits() returns Graph directoryAudit records telling the planted stories", () => {
  const audits = generateDirectoryAudits();
  assert.ok(audits.length > 50);
  for (let i = 1; i < audits.length; i++) {
    assert.ok(audits[i - 1].activityDateTime >= audits[i].activityDateTime);
  }
  for (const a of audits) {
    assert.match(a.activityDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    assert.ok((a.initiatedBy.user === null) !== (a.initiatedBy.app === null));
    assert.ok(a.targetResources.length >= 1);
  }
  const find = (activity: string, upn: string) =>
    audits.filter((a) =>
      a.activityDisplayName === activity && a.targetResources.some((t) => t.userPrincipalName === upn)
    );
  assert.equal(find("Disable account", P.departedUser.userPrincipalName).length, 1);
  const persistence = find("User registered security info", P.mfaFatigue.userPrincipalName);
  assert.equal(persistence.length, 1);
  assert.equal(persistence[0].initiatedBy.user!.ipAddress, P.mfaFatigue.ipAddress);
  const consent = audits.filter((a) => a.activityDisplayName === "Consent to application");
  assert.deepEqual(
    consent.map((a) => a.initiatedBy.user!.ipAddress).sort(),
    [
      P.compromises.sprayWorked.ipAddress,
      P.impossibleTravel.second.ipAddress,
    ].sort(),
  );
  const changes = audits.filter((a) => a.activityDisplayName === "Change password (self-service)");
  // The spike's users, and the look-alike who mistypes a new password later.
  assert.equal(changes.length, P.failureSpike.userPrincipalNames.length + 1);
  assert.equal(find("Reset user password", P.bruteForce.userPrincipalName).length, 1);
  assert.ok(audits.some((a) => a.initiatedBy.app?.displayName === "Device Registration Service"));
});

Deno.test("every pattern is present in a short 7-day window with the minimum 25 users", () => {
  const opts = { users: 25, days: 7, seed: 3 };
  const all = generateSignIns(opts);
  const p = plantedPatterns(opts);
  for (const round of p.passwordSpray.rounds) {
    assert.ok(
      new Set(all.filter((s) => s.ipAddress === round.ipAddress).map((s) => s.userPrincipalName)).size >= 20,
    );
  }
  assert.equal(all.filter((s) => s.ipAddress === p.bruteForce.ipAddress).length, 50);
  assert.equal(all.filter((s) => s.ipAddress === p.mfaFatigue.ipAddress).length, 15);
  assert.ok(all.some((s) => s.createdDateTime === p.impossibleTravel.second.createdDateTime));
  assert.ok(all.some((s) => s.createdDateTime === p.newCountry.createdDateTime));
  assert.equal(all.filter((s) => s.riskLevelDuringSignIn !== "none").length, 4);
  const c = p.compromises;
  assert.ok(all.some((s) => s.createdDateTime === c.sprayWorked.signedInAt && s.status.errorCode === 0));
  assert.equal(all.filter((s) => s.ipAddress === c.sessionReplay.replay.ipAddress).length, 6);
  assert.ok(
    all.some((s) =>
      s.createdDateTime === c.deviceCode.phishedAt && s.authenticationProtocol === "deviceCode"
    ),
  );
  assert.ok(all.some((s) => s.createdDateTime === p.lookAlikes.newPasswordTypos.signedInAt));
});

Deno.test("README.md states the planted patterns' parameters as plantedPatterns() reports them", async () => {
  const readme = await Deno.readTextFile(new URL("../../lib/sample/README.md", import.meta.url));
  const hhmmss = (iso: string) => iso.slice(11, 19);
  const stated = [
    ...P.passwordSpray.rounds.flatMap((
      r,
    ) => [r.ipAddress, hhmmss(r.first), hhmmss(r.last), `| ${r.attempts} (`]),
    P.passwordSpray.compromised.createdDateTime,
    `${P.passwordSpray.failures50126} × 50126`,
    `**${P.passwordSpray.lockouts50053} × 50053**`,
    P.bruteForce.userPrincipalName,
    P.bruteForce.ipAddress,
    P.bruteForce.first,
    hhmmss(P.bruteForce.last),
    ...P.maliciousIps.map((m) => m.ipAddress),
    P.legacyAuth.pop3.ipAddress,
    P.legacyAuth.pop3.blocked53003,
    P.impossibleTravel.userPrincipalName,
    P.impossibleTravel.first.createdDateTime,
    P.impossibleTravel.second.createdDateTime,
    `${P.impossibleTravel.distanceKm.toLocaleString("en-US")} km in ${P.impossibleTravel.minutes} minutes`,
    P.mfaFatigue.userPrincipalName,
    P.mfaFatigue.ipAddress,
    hhmmss(P.mfaFatigue.first),
    hhmmss(P.mfaFatigue.last),
    hhmmss(P.mfaFatigue.approvedAt),
    ...P.riskySignIns.flatMap((r) => [r.createdDateTime, r.ipAddress]),
    P.newCountry.userPrincipalName,
    P.newCountry.ipAddress,
    hhmmss(P.newCountry.createdDateTime),
    P.failureSpike.date,
    `${P.failureSpike.userPrincipalNames.length} users`,
    ...P.travelers.flatMap((t) => [t.userPrincipalName.split("@")[0], t.ipAddress]),
    P.departedUser.disabledAt,
    P.newHire.userPrincipalName.split("@")[0],
    P.window.start,
    P.window.end,
    ...P.compromisedAccounts.map((upn) => upn.split("@")[0]),
    ...P.lookAlikeAccounts.map((upn) => upn.split("@")[0]),
    P.compromises.sprayWorked.ipAddress,
    hhmmss(P.compromises.sprayWorked.spray.first),
    hhmmss(P.compromises.sprayWorked.spray.last),
    hhmmss(P.compromises.sprayWorked.spray.passwordAcceptedAt),
    hhmmss(P.compromises.sprayWorked.signedInAt),
    ...P.compromises.sprayWorked.audits.map((a) => hhmmss(a.activityDateTime)),
    P.compromises.sessionReplay.replay.ipAddress,
    hhmmss(P.compromises.sessionReplay.genuine.createdDateTime),
    hhmmss(P.compromises.sessionReplay.replay.first),
    hhmmss(P.compromises.sessionReplay.replay.last),
    `${P.compromises.sessionReplay.replay.signIns} sign-ins`,
    P.compromises.deviceCode.tokenUse.ipAddress,
    hhmmss(P.compromises.deviceCode.phishedAt),
    hhmmss(P.compromises.deviceCode.tokenUse.first),
    hhmmss(P.compromises.deviceCode.tokenUse.last),
    hhmmss(P.compromises.deviceCode.device.registeredAt),
    P.compromises.deviceCode.device.displayName,
    P.lookAlikes.consumerVpn.ipAddress,
    P.lookAlikes.newPasswordTypos.passwordChangedAt,
    hhmmss(P.lookAlikes.newPasswordTypos.first),
    hhmmss(P.lookAlikes.newPasswordTypos.signedInAt),
    `${P.lookAlikes.newPasswordTypos.failures50126} × 50126`,
  ];
  for (const s of stated) assert.ok(readme.includes(s), `README.md does not state ${s}`);
  assert.ok(readme.includes(`**${ALL.length.toLocaleString("en-US")} sign-ins**`), "README.md record count");
});
