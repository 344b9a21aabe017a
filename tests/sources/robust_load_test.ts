import assert from "node:assert/strict";
import { LoadError, loadFiles } from "../../lib/store/mod.ts";
import { count, input, rows, withStore } from "../store/_helpers.ts";

// Written from Microsoft Learn's documented `GET auditLogs/signIns` responses (List signIns, v1.0 and beta,
// example 1). The beta example repeats homeTenantId (with two different values), uniqueTokenIdentifier and
// isTenantRestricted; the v1.0 example as published ends its policy list with a trailing comma, which no JSON
// parser accepts, so the fixture drops that comma and nothing else.
Deno.test("loadFiles() loads Microsoft's documented v1.0 List signIns response", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("docs/graph_v1_signins_list.json")]);
    assert.equal(r.added, 1);
    const [row] = await rows(
      store,
      `SELECT id, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f') AS t, result, sign_in_kind, source_format, ` +
        `len("appliedConditionalAccessPolicies") AS policies, location.geoCoordinates.latitude AS lat FROM signins`,
    );
    assert.deepEqual(row, {
      id: "66ea54eb-6301-4ee5-be62-ff5a759b0100",
      t: "2020-03-13T19:15:41.619000", // milliseconds, as Trino's from_iso8601_timestamp keeps them
      result: "success",
      sign_in_kind: "interactive",
      source_format: "graph",
      policies: "2",
      lat: 47.68050003051758,
    });
  });
});

Deno.test("loadFiles() loads the documented beta response with duplicate keys: the last one wins, as in JSON.parse", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("docs/graph_beta_signins_list.json")]);
    assert.equal(r.added, 1);
    const [row] = await rows(
      store,
      `SELECT "homeTenantId" AS home, "uniqueTokenIdentifier" AS uti, "isTenantRestricted" AS restricted, ` +
        `status."errorCode" AS code, sign_in_kind, source_format, _source FROM signin_records`,
    );
    assert.deepEqual(row, {
      home: "99081087-73c4-48d1-a112-f60ff75114f7",
      uti: "ZTE0OTk3YTQtZjg5Mi00YjBiLWIwNTEtZmViZTA1YzJhNDli",
      restricted: false,
      code: 50126,
      sign_in_kind: "interactive",
      source_format: "graph",
      // The raw file is the source of record, not the temporary NDJSON that stood in for it.
      _source: input("docs/graph_beta_signins_list.json"),
    });
    const [files] = await rows(store, `SELECT path, records FROM loaded_files`);
    assert.deepEqual(files, { path: input("docs/graph_beta_signins_list.json"), records: "1" });
  });
});

Deno.test("loadFiles() reads a file with a BOM, CRLF line ends and trailing whitespace, and leaves it untouched", async () => {
  const path = input("docs/graph_beta_bom_crlf.json");
  const before = await Deno.readFile(path);
  assert.deepEqual([...before.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  await withStore(async (store) => {
    assert.equal((await loadFiles(store, [path])).added, 1);
    const [row] = await rows(store, `SELECT "homeTenantId" AS home, location.city AS city FROM signins`);
    assert.deepEqual(row, { home: "99081087-73c4-48d1-a112-f60ff75114f7", city: "Redmond" });
  });
  assert.deepEqual(await Deno.readFile(path), before);
});

const QUIRK_TIMES = [
  // id suffix, kind, UTC instant
  ["1", "interactive", "2026-10-05T10:00:00"],
  ["2", "nonInteractive", "2026-10-05T20:22:33"], // no createdDateTime; time "10/5/2026 8:22:33 PM"
  ["3", "managedIdentity", "2026-10-05T11:30:00"], // "2026-10-05T06:30:00-05:00"
  ["4", "adfs", "2026-10-05T09:15:00"], // no createdDateTime; zone-less "10/05/2026 09:15:00" is UTC
  ["5", "servicePrincipal", "2026-10-05T10:00:00"], // MicrosoftServicePrincipalSignInLogs, "+02:00"
  ["6", "servicePrincipal", "2026-10-05T13:00:00"],
];

for (
  const [file, format] of [["azure_monitor_quirks.json", "azure_monitor"], [
    "azure_monitor_quirks_lines.json",
    "storage",
  ]]
) {
  Deno.test(`loadFiles() reads every *SignInLogs category of ${file} at the right UTC instant and counts the rest`, async () => {
    await withStore(async (store) => {
      const r = await loadFiles(store, [input(file)]);
      assert.equal(r.added, 6);
      assert.deepEqual(r.otherCategories, { AuditLogs: 2, RiskyUsers: 1 });
      const got = await rows(
        store,
        `SELECT right(id, 1) AS n, sign_in_kind AS kind, strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS t, ` +
          `source_format FROM signins ORDER BY id`,
      );
      assert.deepEqual(got.map((g) => [g.n, g.kind, g.t]), QUIRK_TIMES);
      assert.ok(got.every((g) => g.source_format === format));
      const [noTime] = await rows(store, `SELECT "createdDateTime" AS c FROM signins WHERE id LIKE '%2'`);
      assert.equal(noTime.c, "10/5/2026 8:22:33 PM", "the record keeps the time it was given");
    });
  });
}

Deno.test("loadFiles() gives every existing fixture a kind and a source format", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [
      input("graph_page.json"),
      input("signins.ndjson"),
      input("azure_monitor.json"),
      input("log_analytics.json"),
    ]);
    const got = await rows(
      store,
      `SELECT source_format, sign_in_kind, count(*) AS n FROM signins GROUP BY ALL ORDER BY ALL`,
    );
    assert.ok(got.length > 0);
    assert.deepEqual(
      [...new Set(got.map((g) => g.source_format))].sort(),
      ["azure_monitor", "graph", "log_analytics"],
    );
    assert.equal(await count(store, `SELECT count(*) AS n FROM signins WHERE sign_in_kind IS NULL`), 0);
  });
});

Deno.test("loadFiles() refuses a file read through JavaScript (duplicate keys) with a bad record as a whole, naming line and flag", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rec = JSON.parse((await Deno.readTextFile(input("signins.ndjson"))).split("\n")[0]);
    // Pages, one per line: DuckDB refuses the duplicate key inside page 1's record (it reads a bad time as
    // NULL), which sends the file through JavaScript, which then finds page 2's record bad.
    const dup = JSON.stringify({ value: [rec] }).replace(
      `"id":`,
      `"homeTenantId":"a","homeTenantId":"b","id":`,
    );
    const bad = JSON.stringify({ value: [{ ...rec, id: "bad-1", createdDateTime: "last tuesday" }] });
    await Deno.writeTextFile(`${dir}/bom_bad.ndjson`, `\ufeff${dup}\r\n${bad}\r\n`);
    await withStore(async (store) => {
      await loadFiles(store, [input("graph_page.json")]);
      const before = await rows(store, `SELECT id FROM signins ORDER BY id`);
      await assert.rejects(
        () => loadFiles(store, [input("signins.ndjson"), `${dir}/bom_bad.ndjson`]),
        (e: unknown) =>
          e instanceof LoadError &&
          /bom_bad\.ndjson:2: createdDateTime "last tuesday" is not a time/.test(e.message) &&
          /--skip-bad-records/.test(e.message),
      );
      assert.deepEqual(await rows(store, `SELECT id FROM signins ORDER BY id`), before);
      assert.equal(await count(store, `SELECT count(*) AS n FROM loaded_files`), 1);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
