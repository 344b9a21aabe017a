// detect_persistence starts from the audits and learns only the accounts their sign-ins are of; detect_token_replay
// keeps only the sessions that can hold a change of network before its window functions run. These cases pin
// the details such shortcuts can get wrong: an audit exactly window_hours from the sign-in (whole seconds, as
// Trino's date_diff counts them, so a fraction more still pairs), the suspicious sign-in before the audit over a
// nearer one after it, ties on created_at broken by id, history from before the range, sign-ins without an
// address, and a session that changes network and back.
import assert from "node:assert/strict";
import {
  ALEX,
  at,
  BROADBAND,
  directoryAudit,
  history,
  HOSTING,
  ownDevice,
  queryRows,
  recordId,
  signIn,
} from "./_records.ts";

interface Attempt {
  /** Minutes from 2026-10-20T00:00:00Z (fractions for seconds). */
  min: number;
  /** The record id's last digits; the order of writing otherwise. */
  id?: number;
  user?: string;
  ip?: string | null;
  asn?: number | null;
  country?: string | null;
  device?: string;
  session?: string;
  risk?: string;
  riskState?: string;
}

let serial = 1000;

function record(a: Attempt): Record<string, unknown> {
  return {
    ...signIn({
      id: recordId(a.id ?? ++serial),
      at: at(a.min),
      user: a.user,
      ip: a.ip,
      asn: a.asn,
      place: [a.country === undefined ? "US" : a.country, 41.88, -87.63],
    }),
    sessionId: a.session ?? "",
    riskLevelDuringSignIn: a.risk ?? "none",
    riskState: a.riskState ?? "none",
    ...ownDevice(a.device),
  };
}

/** A directory audit of `activity` initiated by `user` (from `ip`, if given). */
function audit(min: number, activity: string, user: string | null = ALEX, ip: string | null = null) {
  return directoryAudit({
    id: `audit-${++serial}`,
    at: at(min),
    activity,
    category: "UserManagement",
    initiatedBy: { user: { userPrincipalName: user, ipAddress: ip } },
  });
}

const rows = (
  attempts: Attempt[],
  audits: unknown[],
  query: string,
  params: Record<string, string | number> = {},
) => queryRows(attempts.map(record), query, params, { audits, ipIntel: true, threads: 1 });

/** A sign-in from a new network on a new device: suspicious. */
const attack: Attempt = { min: 0.5 / 60, ...HOSTING, device: "dev-attacker" };

Deno.test("persistence: an audit exactly window_hours from the sign-in pairs, in whole seconds", async () => {
  const audits = [
    audit(1440 + 0.9 / 60, "User registered security info"), // 86400.4 s after: 86400 whole seconds
    audit(1440 + 1.5 / 60, "Register device"), // 86401 s after
    audit(-1440 + 0.5 / 60, "Consent to application"), // exactly 86400 s before
    audit(-1440 - 0.6 / 60, "Add member to role"), // 86401.1 s before
  ];
  const found = await rows([...history(), attack], audits, "detect_persistence");
  assert.deepEqual(found.map((r) => [r.signal, r.at]), [
    ["app_consent", at(-1440 + 0.5 / 60)],
    ["mfa_method", at(1440 + 0.9 / 60)],
  ]);
  assert.match(
    found[0].evidence as string,
    /, 1440 min before a suspicious sign-in of alex@contoso.example from/,
  );
  assert.match(found[1].evidence as string, /, 1440 min after a suspicious sign-in/);
  assert.deepEqual(
    await rows([...history(), attack], audits, "detect_persistence", { window_hours: 23 }),
    [],
  );
});

Deno.test("persistence: the suspicious sign-in before the audit wins over a nearer one after; ties by id", async () => {
  const signins: Attempt[] = [
    ...history(),
    // Two at the same instant from the same new network: the lower id (written second) is the one.
    { min: 0, id: 102, ...HOSTING, device: "dev-attacker" },
    { min: 0, id: 101, ip: "198.51.100.8", asn: HOSTING.asn, device: "dev-attacker" },
    { min: 50, ...BROADBAND, device: "dev-other" },
  ];
  const found = await rows(signins, [audit(40, "User registered security info")], "detect_persistence");
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(
    found[0].evidence as string,
    /, 40 min after a suspicious sign-in of \S+ from 198\.51\.100\.8$/,
  );
  assert.equal(found[0].ip, "198.51.100.8");
  // A narrower window keeps the same pick; one that leaves only the later sign-in pairs that one.
  const after = await rows(signins, [audit(40, "User registered security info")], "detect_persistence", {
    from: at(-60),
    window_hours: 1,
  });
  assert.match(after[0].evidence as string, /, 40 min after .* from 198\.51\.100\.8$/);
  const late = await rows(signins, [audit(100, "Register device")], "detect_persistence", {
    window_hours: 1,
  });
  assert.match(late[0].evidence as string, /, 50 min after .* from 192\.0\.2\.50$/);
});

Deno.test("persistence: the learning days and first uses come from the whole history, not the range", async () => {
  const audits = [audit(10, "User registered security info")];
  assert.equal(
    (await rows([...history(), attack], audits, "detect_persistence", { from: at(-60) })).length,
    1,
  );
  // The network was first used five days before the range: not new that day.
  const seen = [...history(), { min: -5 * 1440, ...HOSTING }, attack];
  assert.deepEqual(await rows(seen, audits, "detect_persistence", { from: at(-60) }), []);
  // A device the account had signed in with before (before the range too) is not new.
  const device = [...history(), { min: -5 * 1440, device: "dev-attacker" }, attack];
  assert.deepEqual(await rows(device, audits, "detect_persistence", { from: at(-60) }), []);
  // The audit outside the range is no row, whatever the sign-in's place in it.
  assert.deepEqual(await rows([...history(), attack], audits, "detect_persistence", { to: at(10) }), []);
  assert.equal(
    (await rows([...history(), attack], audits, "detect_persistence", { to: at(10.01) })).length,
    1,
  );
});

Deno.test("persistence: sign-ins without an address never start the learning days nor are suspicious", async () => {
  const user = "carol@contoso.example";
  const audits = [audit(10, "User registered security info", user)];
  const carol = (ip: string | null): Attempt[] => [
    { min: -4 * 1440, user, ip, asn: ip === null ? null : 7018 },
    { min: -2 * 1440, user },
    { min: -1.5 * 1440, user },
    { ...attack, user },
  ];
  assert.deepEqual(await rows(carol(null), audits, "detect_persistence"), []);
  assert.equal((await rows(carol("203.0.113.10"), audits, "detect_persistence")).length, 1);
  // A high-risk sign-in without an address is never paired; with one (from home) it is, unless remediated.
  const risky = (ip: string | null, riskState: string): Attempt[] => [
    ...history(),
    { min: 0, ip, asn: ip === null ? null : 7018, risk: "high", riskState },
  ];
  assert.deepEqual(
    await rows(risky(null, "atRisk"), audits.map(() => audit(10, "Register device")), "detect_persistence"),
    [],
  );
  const atRisk = await rows(
    risky("203.0.113.10", "atRisk"),
    [audit(10, "Register device")],
    "detect_persistence",
  );
  assert.deepEqual(atRisk.map((r) => r.signal), ["device"]);
  assert.deepEqual(
    await rows(risky("203.0.113.10", "remediated"), [audit(10, "Register device")], "detect_persistence"),
    [],
  );
});

Deno.test("persistence: an audit from an address pairs another account's suspicious sign-in from it", async () => {
  const signins = [...history(), ...history("dana@contoso.example"), attack];
  const byIp = await rows(signins, [audit(30, "Add member to role", null, HOSTING.ip)], "detect_persistence");
  assert.deepEqual(byIp.map((r) => [r.user_principal_name, r.signal, r.ip]), [[ALEX, "role", HOSTING.ip]]);
  const byOther = await rows(
    signins,
    [audit(30, "Add member to role", "dana@contoso.example", HOSTING.ip)],
    "detect_persistence",
  );
  assert.deepEqual(byOther.map((r) => r.user_principal_name), ["dana@contoso.example"]);
  assert.match(
    byOther[0].evidence as string,
    /a suspicious sign-in of alex@contoso\.example from 198\.51\.100\.7$/,
  );
});

const session = (s: Partial<Attempt>[]): Attempt[] => s.map((a) => ({ min: 0, session: "s-1", ...a }));

Deno.test("token_replay: a tie on created_at in a session is ordered by id", async () => {
  const home = { ip: "203.0.113.10", asn: 7018 };
  const first = await rows(
    session([{ id: 201, ...home }, { id: 202, ...HOSTING }]),
    [],
    "detect_token_replay",
  );
  assert.deepEqual(first.map((r) => r.ip), [HOSTING.ip]);
  const second = await rows(
    session([{ id: 202, ...home }, { id: 201, ...HOSTING }]),
    [],
    "detect_token_replay",
  );
  assert.deepEqual(second.map((r) => r.ip), [home.ip]);
});

Deno.test("token_replay: max_minutes in whole seconds; the previous use may lie before the range", async () => {
  const pair = (gapMin: number) => session([{ min: 0.5 / 60 }, { min: 0.5 / 60 + gapMin, ...HOSTING }]);
  assert.equal((await rows(pair(30 + 0.4 / 60), [], "detect_token_replay")).length, 1);
  assert.deepEqual(await rows(pair(30 + 1 / 60), [], "detect_token_replay"), []);
  const across = session([{ min: -10 }, { min: 5, ...HOSTING }]);
  assert.equal((await rows(across, [], "detect_token_replay", { from: at(0) })).length, 1);
  assert.deepEqual(await rows(across, [], "detect_token_replay", { from: at(5.01) }), []);
  assert.deepEqual(await rows(across, [], "detect_token_replay", { to: at(5) }), []);
});

Deno.test("token_replay: countries decide where an ASN is unknown; one row per session and network", async () => {
  // An address in no dataset (shared address space, RFC 6598) and no Entra ASN: its network is unknown.
  const unknown = { ip: "100.64.0.9", asn: null };
  assert.equal(
    (await rows(session([{}, { min: 1, ...unknown, country: "GB" }]), [], "detect_token_replay")).length,
    1,
  );
  assert.deepEqual(await rows(session([{}, { min: 1, ...unknown }]), [], "detect_token_replay"), []);
  assert.deepEqual(await rows(session([{}, { min: 1, country: "GB" }]), [], "detect_token_replay"), []);
  // No address: no ASN either, so the country decides.
  assert.equal(
    (await rows(session([{}, { min: 1, ip: null, country: null }]), [], "detect_token_replay")).length,
    1,
  );
  assert.deepEqual(await rows(session([{}, { min: 1, ip: null }]), [], "detect_token_replay"), []);
  const backAndForth = session([{}, { min: 1, ...HOSTING }, { min: 2 }, { min: 3, ...HOSTING }, { min: 4 }]);
  const found = await rows(backAndForth, [], "detect_token_replay");
  assert.deepEqual(found.map((r) => [r.at, r.ip]), [[at(1), HOSTING.ip], [at(2), "203.0.113.10"]]);
});
