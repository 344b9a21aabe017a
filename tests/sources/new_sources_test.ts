import assert from "node:assert/strict";
import { LoadError, loadFiles } from "../../lib/store/mod.ts";
import { count, input, rows, withStore } from "../store/_helpers.ts";

const PORTAL = [
  "InteractiveSignIns_2026-10-01_2026-10-02.csv",
  "InteractiveSignIns_AuthDetails_2026-10-01_2026-10-02.csv",
  "NonInteractiveSignIns_2026-10-01_2026-10-02.csv",
  "NonInteractiveSignIns_2026-10-01_2026-10-02.json",
  "ApplicationSignIns_2026-10-01_2026-10-02.csv",
  "MSISignIns_2026-10-01_2026-10-02.csv",
].map((f) => input(`portal/${f}`));

Deno.test("loadFiles() reads the admin center's Download, one file per tab, with its authentication details", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("portal")]);
    assert.equal(r.added, 6);
    assert.equal(r.notes.length, 1, "the auth detail row whose request id has no sign-in is reported");
    assert.match(r.notes[0], /AuthDetails.*1 request id\(s\) matched no sign-in/);
    const got = await rows(
      store,
      `SELECT right(id, 1) AS n, sign_in_kind AS kind, source_format AS fmt, result, ` +
        `strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS t, location."countryOrRegion" AS cc FROM signins ORDER BY id`,
    );
    assert.deepEqual(got, [
      {
        n: "1",
        kind: "interactive",
        fmt: "portal_csv",
        result: "success",
        t: "2026-10-01T08:22:33",
        cc: "US",
      },
      {
        n: "2",
        kind: "interactive",
        fmt: "portal_csv",
        result: "failure",
        t: "2026-10-01T21:05:00",
        cc: "RU",
      },
      {
        n: "3",
        kind: "nonInteractive",
        fmt: "portal_csv",
        result: "interrupt",
        t: "2026-10-01T10:00:00",
        cc: "US",
      },
      {
        n: "4",
        kind: "servicePrincipal",
        fmt: "portal_csv",
        result: "success",
        t: "2026-10-01T11:00:00",
        cc: "NL",
      },
      {
        n: "5",
        kind: "managedIdentity",
        fmt: "portal_csv",
        result: "success",
        t: "2026-10-01T12:00:00",
        cc: null,
      },
      {
        n: "6",
        kind: "nonInteractive",
        fmt: "portal_json",
        result: "success",
        t: "2026-10-01T13:00:00",
        cc: "US",
      },
    ]);
    const [one] = await rows(
      store,
      `SELECT "userPrincipalName" AS upn, location, "autonomousSystemNumber" AS asn, "incomingTokenType" AS itt, ` +
        `"authenticationRequirement" AS req, "conditionalAccessStatus" AS ca, "userType" AS ut, ` +
        `[d."authenticationMethod" FOR d IN "authenticationDetails"] AS steps, _source FROM signin_records ` +
        `WHERE id LIKE '%1'`,
    );
    assert.deepEqual(one, {
      upn: "testaccount1@contoso.com",
      location: { city: "Redmond", state: "Washington", countryOrRegion: "US", geoCoordinates: null },
      asn: 3598, // from "Autonomous system  number" (two spaces)
      itt: "Primary Refresh Token", // the second of two "Incoming token type" columns
      req: "multifactorAuthentication",
      ca: "notApplied",
      ut: "member",
      steps: ["Password", "Mobile app notification"],
      _source: PORTAL[0],
    });
    const [two] = await rows(store, `SELECT status."failureReason" AS why FROM signins WHERE id LIKE '%2'`);
    assert.match(
      String(two.why),
      /invalid username or password\.\nThe user didn't enter the right credentials, or/,
    );
    const [sp] = await rows(
      store,
      `SELECT "servicePrincipalName" AS n, "servicePrincipalCredentialKeyId" AS k FROM signins WHERE id LIKE '%4'`,
    );
    assert.deepEqual(sp, { n: "deploy-bot", k: "9e9e0000-0000-4000-8000-000000000004" });
    const [mi] = await rows(
      store,
      `SELECT "managedServiceIdentity"."msiType" AS t FROM signins WHERE id LIKE '%5'`,
    );
    assert.equal(mi.t, "systemAssigned");
  });
});

Deno.test("loadFiles() reads Purview's audit log exports: CSV (new and classic columns), Search-UnifiedAuditLog, Management Activity API", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("purview")]);
    // Three sign-ins across four files (the same events appear in several exports: one state each).
    assert.equal(r.added, 3);
    assert.deepEqual(r.otherCategories, { "Purview FileAccessed (SharePoint)": 2 });
    const got = await rows(
      store,
      `SELECT id, "userPrincipalName" AS upn, "ipAddress" AS ip, status."errorCode" AS code, ` +
        `status."failureReason" AS why, location."countryOrRegion" AS cc, derived_fields AS derived, ` +
        `sign_in_kind AS kind, source_format AS fmt, strftime(created_at, '%H:%M:%S') AS t, ` +
        `"deviceDetail"."operatingSystem" AS os, "sessionId" AS sid, "userId" AS uid FROM signin_records ORDER BY id`,
    );
    assert.equal(got.length, 3);
    assert.deepEqual(got.map((g) => [g.id, g.ip, g.code, g.why, g.cc, g.t]), [
      ["7e9d0001-0000-4000-8000-000000000000", "131.107.159.37", 0, null, "US", "07:30:00"],
      [
        "7e9d0002-0000-4000-8000-000000000000",
        "81.2.69.160",
        50126,
        "InvalidUserNameOrPassword",
        "GB",
        "07:31:00",
      ],
      ["7e9d0003-0000-4000-8000-000000000000", "2001:4860:4860::8888", 0, null, "US", "07:32:00"],
    ]);
    for (const g of got) {
      assert.deepEqual(g.derived, ["location.countryOrRegion"]);
      assert.equal(g.kind, "unknown");
      assert.equal(g.fmt, "purview");
      assert.equal(g.os, "Windows10");
      assert.equal(g.uid, "26be570a-ae82-4189-b4e2-a37c6808512d");
      assert.equal(g.upn, "testaccount1@contoso.com");
    }
  });
});

Deno.test("loadFiles() reads Defender advanced hunting exports (portal CSV, API JSON)", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("defender")]);
    assert.equal(r.added, 3);
    const got = await rows(
      store,
      `SELECT right(id, 14) AS n, sign_in_kind AS kind, result, location.city AS city, ` +
        `location."geoCoordinates".latitude AS lat, "conditionalAccessStatus" AS ca, ` +
        `"riskLevelAggregated" AS risk, "signInEventTypes" AS types, len("appliedConditionalAccessPolicies") AS p, ` +
        `strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f') AS t, source_format AS fmt FROM signins ORDER BY id`,
    );
    assert.deepEqual(got.map((g) => [g.kind, g.result, g.city, g.lat, g.ca, g.risk, g.t]), [
      ["interactive", "success", "Redmond", 47.68, "notApplied", "none", "2026-10-03T06:00:00.123000"],
      ["interactive", "failure", "Moscow", 55.75, "failure", "medium", "2026-10-03T06:05:00.000000"],
      ["nonInteractive", "success", "Redmond", 47.68, "notApplied", "none", "2026-10-03T06:10:00.000000"],
    ]);
    assert.ok(got.every((g) => g.fmt === "defender" && g.p === "1"));
  });
});

Deno.test("loadFiles() refuses a bad CSV row as a whole unless told to skip it, naming file and line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = await Deno.readTextFile(input("portal/NonInteractiveSignIns_2026-10-01_2026-10-02.csv"));
    const bad = text.trimEnd() + "\nnot a date,7b0d0000-0000-4000-8000-0000000000aa,x,x,x,x,x,x,0,x,x\n";
    await Deno.writeTextFile(`${dir}/NonInteractiveSignIns_bad.csv`, bad);
    await withStore(async (store) => {
      await assert.rejects(
        () => loadFiles(store, [dir]),
        (e: unknown) =>
          e instanceof LoadError &&
          /NonInteractiveSignIns_bad\.csv:3: "Date \(UTC\)" "not a date" is not a time/
            .test(e.message) &&
          /--skip-bad-records/.test(e.message),
      );
      assert.equal(await count(store), 0);
      const r = await loadFiles(store, [dir], { skipBadRecords: true });
      assert.equal(r.added, 1);
      assert.equal(r.rejected, 1);
      const [rej] = await rows(store, `SELECT line, raw FROM rejected_records`);
      assert.deepEqual(rej, {
        line: "3",
        raw: "not a date,7b0d0000-0000-4000-8000-0000000000aa,x,x,x,x,x,x,0,x,x",
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFiles() names a CSV file that is no known export", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x.csv`, "a,b,c\n1,2,3\n");
    await withStore(async (store) => {
      await assert.rejects(
        () => loadFiles(store, [dir]),
        /x\.csv: is a CSV file but not a known sign-in export \(columns: a, b, c\)/,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFiles() reads a Download JSON keyed by the portal's column names, kind from the file name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/ApplicationSignIns_2026-10-01_2026-10-02.json`,
      JSON.stringify([{
        "Date (UTC)": "2026-10-01T11:30:00Z",
        "Request ID": "7b0d0000-0000-4000-8000-0000000000b1",
        "Service principal name": "deploy-bot",
        "Sign-in error code": 7000215,
        "Failure reason": "Invalid client secret provided.",
        "IP address": "20.190.0.4",
        "Location": "Amsterdam, Noord-Holland, NL",
      }]),
    );
    await withStore(async (store) => {
      assert.equal((await loadFiles(store, [dir])).added, 1);
      const [row] = await rows(
        store,
        `SELECT sign_in_kind AS kind, source_format AS fmt, result, status."errorCode" AS code, ` +
          `"servicePrincipalName" AS sp, location.city AS city FROM signins`,
      );
      assert.deepEqual(row, {
        kind: "servicePrincipal",
        fmt: "portal_json",
        result: "failure",
        code: 7000215,
        sp: "deploy-bot",
        city: "Amsterdam",
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFiles() with skipBadRecords leaves out a Log Analytics row whose ResultType is no error code", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows0 = JSON.parse(await Deno.readTextFile(input("log_analytics.json")));
    const bad = { ...rows0[0], Id: "la-bad-1", ResultType: "not-a-code" };
    await Deno.writeTextFile(`${dir}/la.json`, JSON.stringify([...rows0, bad]));
    await withStore(async (store) => {
      await assert.rejects(() => loadFiles(store, [dir]), /not-a-code.*--skip-bad-records/s);
      const r = await loadFiles(store, [dir], { skipBadRecords: true });
      assert.equal(r.added, 3);
      assert.equal(r.rejected, 1);
      const [rej] = await rows(store, `SELECT reason FROM rejected_records`);
      assert.match(String(rej.reason), /ResultType "not-a-code" is not an error code/);
      assert.equal(
        await count(store, `SELECT count(*) AS n FROM signins WHERE source_format = 'log_analytics'`),
        3,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
