// The triage rules on small hand-made tenants: IPv6 attackers, records without sessionId, v1.0 records without
// the beta fields, unknown places, service-initiated audits, and every input format the store loads (Log
// Analytics and Azure Monitor exports included). Sensible answers, never errors.
import assert from "node:assert/strict";
import { ensureIpIntel, loadFiles, openStore, runQuery, type Store, triage } from "../../lib/mod.ts";
import { FIXTURE_FILES } from "../athena/test_store.ts";
import { at, directoryAudit, history, ownDevice, recordId, recordStore, signIn } from "./_records.ts";

interface Attempt {
  min: number;
  user?: string;
  ip?: string;
  asn?: number | null;
  code?: number;
  session?: string | null;
  place?: [string, number, number] | null;
  device?: string;
  claim?: boolean;
  protocol?: string;
  /** Leave out every beta-only field, as v1.0 returns the record. */
  v1?: boolean;
}

let serial = 0;

function record(a: Attempt): Record<string, unknown> {
  const r: Record<string, unknown> = {
    ...signIn({
      id: recordId(++serial),
      at: at(a.min),
      user: a.user,
      ip: a.ip,
      asn: a.asn,
      code: a.code,
      place: a.place,
    }),
    ...ownDevice(a.device),
    authenticationDetails: a.claim
      ? [{
        authenticationMethod: "Previously satisfied",
        succeeded: true,
        authenticationStepResultDetail: "MFA requirement satisfied by claim in the token",
      }]
      : [],
    authenticationProtocol: a.protocol ?? "none",
  };
  if (!a.v1) r.sessionId = a.session === undefined ? "" : a.session;
  else {for (
      const k of [
        "sessionId",
        "userAgent",
        "mfaDetail",
        "authenticationProtocol",
        "authenticationDetails",
        "autonomousSystemNumber",
      ]
    ) delete r[k];}
  return r;
}

const storeOf = (attempts: Attempt[], audits: unknown[] = []): Promise<Store> =>
  recordStore(attempts.map(record), { audits, ipIntel: true, threads: 1 });

const run = (store: Store) => async (name: string, params: Record<string, string | number>) =>
  (await runQuery(store, name, params)).rows;

Deno.test("password_success catches a spray from an IPv6 address that got one password", async () => {
  const spray = Array.from({ length: 6 }, (_, i) => ({
    min: i,
    user: `u${i}@contoso.example`,
    ip: "2001:db8:bad::1",
    asn: 14061,
    code: 50126,
  }));
  const store = await storeOf([...history("u3@contoso.example"), ...spray, {
    min: 8,
    user: "u3@contoso.example",
    ip: "2001:db8:bad::1",
    asn: 14061,
  }]);
  try {
    const rows = await runQuery(store, "detect_password_success");
    assert.deepEqual(rows.rows.map((r) => [r.user_principal_name, r.ip, r.asn, r.network_class, r.signal]), [
      ["u3@contoso.example", "2001:db8:bad::1", 14061, "hosting", "success"],
    ]);
  } finally {
    store.close();
  }
});

Deno.test("token_replay needs a sessionId: empty ones are skipped, a shared one across networks is found", async () => {
  const trip = (session: string | null): Attempt[] => [
    ...history(),
    { min: 0, session, asn: 7018 },
    { min: 5, session, ip: "2001:db8:ff::7", asn: 16276, place: ["FR", 50.69, 3.18], claim: true },
  ];
  for (const session of [null, ""]) {
    const store = await storeOf(trip(session));
    try {
      assert.deepEqual(
        (await runQuery(store, "detect_token_replay")).rows,
        [],
        `sessionId ${JSON.stringify(session)}`,
      );
    } finally {
      store.close();
    }
  }
  const store = await storeOf(trip("s-1"));
  try {
    const rows = (await runQuery(store, "detect_token_replay")).rows;
    assert.deepEqual(rows.map((r) => [r.ip, r.signal, r.session_id]), [[
      "2001:db8:ff::7",
      "mfa_by_claim",
      "s-1",
    ]]);
  } finally {
    store.close();
  }
});

Deno.test("v1.0 records without beta fields run every rule without errors and fall back to the dataset's ASN", async () => {
  const store = await storeOf([
    ...history().map((a) => ({ ...a, v1: true })),
    { min: 0, v1: true, ip: "198.51.100.7", place: ["NL", 52.37, 4.9], device: "dev-new" }, // DigitalOcean in the fixture dataset
    { min: 3, v1: true, ip: "198.51.100.7", code: 50126, user: "bob@contoso.example" },
  ]);
  try {
    const rows = await triage(run(store), { minScore: 0 });
    const alex = rows.find((r) => r.user_principal_name === "alex@contoso.example");
    assert.ok(alex, JSON.stringify(rows));
    const net = alex.findings.find((f) => f.rule === "risky_network")!;
    assert.deepEqual([net.asn, net.as_org, net.network_class, net.session_id], [
      14061,
      "DigitalOcean LLC",
      "hosting",
      null,
    ]);
    // Nothing from the rules that need beta fields, and no error either.
    assert.ok(alex.findings.every((f) => !["token_replay", "device_code"].includes(f.rule)));
  } finally {
    store.close();
  }
});

Deno.test("first_seen calls travel from or to an unknown place neither impossible nor proof of a trip", async () => {
  const store = await storeOf([...history(), { min: 0, ip: "192.0.2.66", asn: 60729, place: null }]);
  try {
    const rows = (await runQuery(store, "detect_first_seen")).rows;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].signal, "explained", rows[0].evidence as string);
    assert.match(rows[0].evidence as string, /travel unknown/);
    const net = (await runQuery(store, "detect_risky_network")).rows;
    assert.deepEqual(net.map((r) => r.signal), ["tor"]);
  } finally {
    store.close();
  }
});

Deno.test("persistence pairs a service-initiated device registration by its target user, and an IP-only match", async () => {
  const audit = (min: number, activity: string, initiatedBy: unknown, targets: unknown[]) =>
    directoryAudit({
      id: `a-${min}-${activity}`,
      at: at(min),
      activity,
      category: "Device",
      initiatedBy,
      targets,
    });
  const store = await storeOf(
    [...history(), { min: 0, ip: "198.51.100.7", asn: 14061, device: "dev-attacker" }],
    [
      audit(3, "Add registered owner to device", {
        app: { displayName: "Device Registration Service" },
        user: null,
      }, [
        { id: "d", displayName: "DESKTOP-X", type: "Device", userPrincipalName: null },
        { id: "u", displayName: null, type: "User", userPrincipalName: "alex@contoso.example" },
      ]),
      audit(10, "Add member to role", {
        user: { userPrincipalName: "mallory@contoso.example", ipAddress: "198.51.100.7" },
      }, [
        { id: "r", displayName: "Global Administrator", type: "Role", userPrincipalName: null },
      ]),
      audit(3 * 1440, "User registered security info", {
        user: { userPrincipalName: "alex@contoso.example", ipAddress: "203.0.113.10" },
      }, []),
    ],
  );
  try {
    const rows = (await runQuery(store, "detect_persistence")).rows;
    assert.deepEqual(rows.map((r) => [r.user_principal_name, r.signal, r.technique]), [
      ["alex@contoso.example", "device", "T1098.005"],
      ["mallory@contoso.example", "role", "T1098.003"],
    ]);
  } finally {
    store.close();
  }
});

Deno.test("the triage runs on every input format the store loads (Graph, NDJSON, Azure Monitor, Log Analytics)", async () => {
  const store = await openStore({ path: ":memory:", threads: 1 });
  try {
    await loadFiles(store, FIXTURE_FILES);
    await ensureIpIntel(store);
    const rows = await triage(run(store), { minScore: 0 });
    for (const r of rows) {
      assert.ok(r.user_principal_name.includes("@"), r.user_principal_name);
      for (const f of r.findings) {
        assert.ok(!Number.isNaN(Date.parse(f.at)) && f.weight > 0, JSON.stringify(f));
      }
    }
  } finally {
    store.close();
  }
});
