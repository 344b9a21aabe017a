import assert from "node:assert/strict";
import {
  assembleInvestigation,
  auditWindow,
  findingDay,
  investigateAccount,
  suspiciousAddresses,
} from "../../lib/investigate/mod.ts";
import type { Finding } from "../../lib/detections/types.ts";
import { investigationStore } from "./_sample_store.ts";

const { facts: P, run } = await investigationStore();
const C = P.compromises;

/** A finding as the triage would give it (the investigation only reads rule, at, ip and session_id). */
function finding(rule: string, at: string, ip: string | null, extra: Partial<Finding> = {}): Finding {
  return {
    rule,
    technique: "T0000",
    at,
    ip,
    asn: null,
    as_org: null,
    network_class: null,
    country: null,
    app: null,
    session_id: null,
    evidence: `${rule} fired`,
    weight: 1,
    ...extra,
  };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

Deno.test("investigateAccount() tells the device-code phish: victim's own address, attacker's tokens, device", async () => {
  const c = C.deviceCode;
  const findings = [
    finding("device_code", c.phishedAt, c.victim.ipAddress),
    finding("device_code", c.tokenUse.first, c.tokenUse.ipAddress, { session_id: c.sessionId }),
  ];
  const story = await investigateAccount(run, c.userPrincipalName, { findings });
  // The victim's home had earlier successes: not the attacker's address; the phished sign-in is still marked.
  assert.deepEqual(story.suspicious_ips, [c.tokenUse.ipAddress]);
  const phished = story.signins.find((s) =>
    seconds(s.at) === seconds(c.phishedAt) && s.result === "success"
  )!;
  assert.equal(phished.authentication_protocol, "deviceCode");
  assert.equal(phished.original_transfer_method, "deviceCodeFlow");
  assert.ok(phished.suspicious);
  assert.deepEqual(phished.rules, ["device_code"]);
  const fromVultr = story.signins.filter((s) => s.ip === c.tokenUse.ipAddress);
  assert.equal(fromVultr.length, c.tokenUse.refreshTokenUses + c.tokenUse.primaryRefreshTokenUses);
  assert.ok(fromVultr.every((s) => s.suspicious && s.asn === 20473 && s.network_class === "hosting"));
  assert.equal(fromVultr[0].as_org, "The Constant Company, LLC");
  assert.equal(story.totals.suspicious, fromVultr.length + 1);
  const home = story.networks.find((n) => n.ip === c.victim.ipAddress)!;
  assert.equal(home.suspicious, false);
  assert.equal(story.networks[0].ip, c.tokenUse.ipAddress, "suspicious networks first");
  // The phished session was used from two networks.
  const session = story.sessions.find((s) => s.session_id === c.sessionId)!;
  assert.ok(session.suspicious);
  assert.deepEqual(
    session.asns,
    [c.tokenUse.autonomousSystemNumber, c.victim.autonomousSystemNumber].sort((a, b) => a - b),
  );
  assert.ok(story.session_count > story.sessions.length, "ordinary sessions are counted, not listed");
  // Device registration: initiated by the service, the account among the targets.
  const activities = story.audits.map((a) => [a.activity, a.matched_by, a.initiated_by]);
  assert.deepEqual(activities, [
    ["Register device", "target", "Device Registration Service"],
    ["Add registered owner to device", "target", "Device Registration Service"],
  ]);
  assert.ok(story.audits[0].targets.includes(c.device.displayName));
  assert.ok(story.audits[0].details.includes("Device Trust Type: Workplace"));
  assert.equal(Date.parse(story.audit_window.from), Date.parse(c.phishedAt) - 24 * 3_600_000);
});

Deno.test("investigateAccount() finds the persistence after the spray that worked, by account and by address", async () => {
  const a = C.sprayWorked;
  const findings = [finding("spray_success", a.spray.passwordAcceptedAt, a.ipAddress)];
  const story = await investigateAccount(run, a.userPrincipalName, { findings });
  assert.deepEqual(story.suspicious_ips, [a.ipAddress]);
  assert.deepEqual(story.audits.map((e) => e.activity), a.audits.map((e) => e.activityDisplayName));
  assert.ok(story.audits.every((e) => e.matched_by === "account" && e.ip === a.ipAddress));
  assert.ok(story.audits[1].details.includes("Mail.ReadWrite"), story.audits[1].details);
  assert.ok(story.audits[0].details.includes("Method: Authenticator App"));
  const droplet = story.networks[0];
  assert.equal(droplet.ip, a.ipAddress);
  assert.equal(droplet.asn, 14061);
  assert.equal(droplet.network_class, "hosting");
  assert.equal(droplet.successes, 1 + a.tokenUses);
  // The same address, seen from another account's investigation, brings the victim's events in as "ip".
  const other = P.passwordSpray.targets[0];
  const seen = await investigateAccount(run, other, {
    findings: [finding("spray", a.spray.first, a.ipAddress)],
  });
  const viaIp = seen.audits.filter((e) => e.matched_by === "ip");
  assert.deepEqual(viaIp.map((e) => e.activity), a.audits.map((e) => e.activityDisplayName));
});

Deno.test("investigateAccount() shows the replayed session from two networks, MFA by claim", async () => {
  const b = C.sessionReplay;
  const story = await investigateAccount(run, b.userPrincipalName, {
    findings: [finding("token_replay", b.replay.first, b.replay.ipAddress, { session_id: b.sessionId })],
  });
  const session = story.sessions.find((s) => s.session_id === b.sessionId)!;
  assert.equal(session.signins, 1 + b.replay.signIns);
  assert.deepEqual(session.countries, ["FR", "US"]);
  const replayed = story.signins.filter((s) => s.ip === b.replay.ipAddress);
  assert.ok(replayed.every((s) => s.mfa_by_claim && s.suspicious));
  assert.deepEqual(story.audits.map((e) => [e.activity, e.ip]), [[
    "User registered security info",
    b.replay.ipAddress,
  ]]);
});

Deno.test("investigateAccount() on an account without findings or sign-ins answers empty, not an error", async () => {
  const quiet = await investigateAccount(run, "nobody@contoso.example");
  assert.equal(quiet.totals.signins, 0);
  assert.deepEqual([quiet.networks, quiet.sessions, quiet.suspicious_ips], [[], [], []]);
  const v = P.lookAlikes.consumerVpn;
  const vpn = await investigateAccount(run, v.userPrincipalName.toUpperCase(), {
    from: "2026-10-13",
    to: "2026-10-15",
  });
  assert.ok(vpn.totals.signins > 0, "UPNs compare case-insensitively");
  assert.equal(vpn.totals.suspicious, 0);
  assert.ok(vpn.networks.some((n) => n.ip === v.ipAddress && n.network_class === "vpn"));
  await assert.rejects(investigateAccount(run, "  "), /empty/);
});

Deno.test("assembleInvestigation() copes with IPv6, missing session ids and v1.0-shaped rows", () => {
  const rows = [
    {
      id: "b",
      at: "2026-10-02T10:00:00.000Z",
      ip: "2001:db8::1",
      result: "success",
      session_id: null,
      asn: "7922",
    },
    { id: "a", at: "2026-10-01T10:00:00Z", ip: "2001:db8::1", result: "success" },
    { id: "c", at: "2026-10-03T10:00:05.1234567Z", ip: "198.51.100.9", result: "failure", error_code: 50126 },
  ];
  const f = [finding("x", "2026-10-03T10:00:05Z", "198.51.100.9")];
  const ips = suspiciousAddresses(f, rows);
  assert.deepEqual(ips, ["198.51.100.9"]);
  // A light finding (context, e.g. a first sign-in from home) does not make its address the attacker's.
  assert.deepEqual(suspiciousAddresses([{ ...f[0], weight: 0.5 }], rows), []);
  // An address used successfully more than a day before the finding is the account's own.
  assert.deepEqual(suspiciousAddresses([finding("x", "2026-10-03T12:00:00Z", "2001:db8::1")], rows), []);
  const story = assembleInvestigation({
    upn: "u@x",
    range: { from: "2026-10-01T00:00:00Z", to: "2026-10-04T00:00:00Z" },
    findings: f,
    signinRows: rows,
    auditRows: [],
    suspiciousIps: ips,
    auditWindow: auditWindow(f, { from: "", to: "" }),
  });
  assert.deepEqual(story.signins.map((s) => s.id), ["a", "b", "c"]);
  assert.equal(story.signins[1].asn, 7922);
  assert.deepEqual(story.signins[2].rules, ["x"]);
  const light = assembleInvestigation({
    upn: "u@x",
    range: story.range,
    findings: [{ ...f[0], weight: 0.5 }],
    signinRows: rows,
    auditRows: [],
    suspiciousIps: [],
    auditWindow: story.audit_window,
  });
  assert.deepEqual(
    [light.signins[2].rules, light.signins[2].suspicious],
    [["x"], false],
    "named, not marked",
  );
  assert.equal(story.session_count, 0);
  assert.deepEqual(story.networks.map((n) => [n.ip, n.signins, n.suspicious]), [
    ["198.51.100.9", 1, true],
    ["2001:db8::1", 2, false],
  ]);
  const bad = {
    ...story,
    upn: "u",
    signinRows: [{ id: "z", at: "yesterday" }],
    auditRows: [],
    suspiciousIps: [],
  };
  assert.throws(
    () => assembleInvestigation({ ...bad, auditWindow: story.audit_window }),
    /sign-in z: "yesterday" is not a time/,
  );
});

Deno.test("findingDay() is the day of the rule's finding in the most suspicious account that has one", () => {
  const rows = [
    { findings: [finding("token_replay", "2026-10-20T14:17:56Z", null)] },
    {
      findings: [
        finding("password_success", "2026-10-12T01:57:14Z", null),
        finding("password_success", "2026-10-13T01:00:00Z", null),
      ],
    },
    { findings: [finding("password_success", "2026-10-11T03:03:48Z", null)] },
  ];
  assert.deepEqual(findingDay(rows, "password_success"), {
    from: "2026-10-12T00:00:00.000Z",
    to: "2026-10-13T00:00:00.000Z",
  });
  assert.equal(findingDay(rows, "device_code"), null);
});
