import assert from "node:assert/strict";
import { LoadError, loadFiles, openExistingStore, openStore, StoreLayoutError } from "../../lib/store/mod.ts";
import { count, input, rows, withStore } from "./_helpers.ts";

const SHAPES: [string, number][] = [
  ["graph_page.json", 3],
  ["graph_page_pretty.json", 2],
  ["seed_merged.json", 5],
  ["signins.ndjson", 5],
  ["signins_gz.ndjson.gz", 5],
  ["azure_monitor.json", 3],
  ["azure_monitor_lines.json", 3],
  ["log_analytics.json", 3],
  ["log_analytics.ndjson", 3],
];

for (const [file, expected] of SHAPES) {
  Deno.test(`loadFiles() reads ${file} into the signins view`, async () => {
    await withStore(async (store) => {
      const r = await loadFiles(store, [input(file)]);
      assert.equal(r.added, expected);
      assert.equal(await count(store), expected);
      const [bad] = await rows(
        store,
        `SELECT count(*) AS n FROM signins WHERE created_at IS NULL OR "userPrincipalName" IS NULL ` +
          `OR status."errorCode" IS NULL OR location."countryOrRegion" IS NULL`,
      );
      assert.equal(Number(bad.n), 0, "every record keeps its time, user, status and location");
    });
  });
}

Deno.test("loadFiles() gives every shape the same record: the failed Moscow sign-in is identical", async () => {
  await withStore(async (store) => {
    await loadFiles(store, SHAPES.map(([f]) => input(f)));
    const found = await rows(
      store,
      `SELECT DISTINCT "userPrincipalName" AS u, "ipAddress" AS ip, status, location, "deviceDetail" AS d, ` +
        `"appliedConditionalAccessPolicies" AS cap, result FROM signins WHERE location.city = 'Moscow'`,
    );
    assert.equal(found.length, 1, JSON.stringify(found, null, 1));
    assert.equal(found[0].result, "failure");
    assert.deepEqual(found[0].status, {
      errorCode: 50126,
      failureReason: "Error validating credentials due to invalid username or password.",
      additionalDetails: null,
    });
    assert.equal(
      (found[0].location as { geoCoordinates: { latitude: number } }).geoCoordinates.latitude,
      55.75,
    );
  });
});

Deno.test("loadFiles() of the same files twice adds nothing, even with --force", async () => {
  await withStore(async (store) => {
    const first = await loadFiles(store, [input("graph_page.json"), input("signins.ndjson")]);
    assert.equal(first.added, 8);
    const again = await loadFiles(store, [input("graph_page.json"), input("signins.ndjson")]);
    assert.equal(again.files, 0);
    assert.equal(again.skippedFiles, 2);
    const forced = await loadFiles(store, [input("graph_page.json"), input("signins.ndjson")], {
      force: true,
    });
    assert.equal(forced.read, 8);
    assert.equal(forced.added, 0);
    assert.equal(forced.updated, 0);
    assert.equal(await count(store), 8);
  });
});

Deno.test("loadFiles() keeps the latest state of a multi-step sign-in (Log Analytics MFA then success)", async () => {
  await withStore(async (store) => {
    const r = await loadFiles(store, [input("log_analytics.json")]);
    assert.equal(r.read, 4);
    assert.equal(r.added, 3);
    const [row] = await rows(
      store,
      `SELECT result, status."additionalDetails" AS d FROM signins WHERE id LIKE '55ea%1007'`,
    );
    assert.equal(row.result, "success");
    assert.equal(row.d, "MFA completed in Azure AD");
  });
});

for (const [how, readOnceBytes] of [["parsed once", undefined], ["read twice", 0]] as const) {
  Deno.test(`loadFiles() replaces a stored sign-in when a later file brings a newer state of it (${how})`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const base = JSON.parse(await Deno.readTextFile(input("signins.ndjson")).then((t) => t.split("\n")[2]));
      await Deno.writeTextFile(`${dir}/a.ndjson`, JSON.stringify(base) + "\n");
      const later = {
        ...base,
        createdDateTime: base.createdDateTime.replace(/:3(\d)Z/, ":5$1Z"),
        status: { errorCode: 0 },
      };
      await Deno.writeTextFile(`${dir}/b.ndjson`, JSON.stringify(later) + "\n");
      await withStore(async (store) => {
        await loadFiles(store, [`${dir}/a.ndjson`], { readOnceBytes });
        const r = await loadFiles(store, [`${dir}/b.ndjson`], { readOnceBytes });
        assert.equal(r.updated, 1);
        assert.equal(r.added, 0);
        const all = await rows(store, `SELECT result FROM signins`);
        assert.deepEqual(all, [{ result: "success" }]);
        // An older state arriving later does not win.
        const stale = await loadFiles(store, [`${dir}/a.ndjson`], { force: true, readOnceBytes });
        assert.equal(stale.updated, 0);
        assert.deepEqual(await rows(store, `SELECT result FROM signins`), [{ result: "success" }]);
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("loadFiles() classifies success, interrupt and failure by Microsoft's interrupt list", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    const got = await rows(store, `SELECT status."errorCode" AS code, result FROM signins ORDER BY code`);
    assert.deepEqual(got, [
      { code: 0, result: "success" },
      { code: 50074, result: "interrupt" },
      { code: 50126, result: "failure" },
    ]);
  });
});

Deno.test("loadFiles() parses 7-digit fractions and the seed's T/Z-stripped timestamps as UTC", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page_pretty.json"), input("seed_merged.json")]);
    const got = await rows(
      store,
      `SELECT "createdDateTime" AS raw, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%f') AS parsed FROM signin_records ` +
        `WHERE "createdDateTime" IN ('2026-10-03T11:22:33.1234567Z', '2019-01-20T08:00:00') ORDER BY raw`,
    );
    assert.deepEqual(got, [
      { raw: "2019-01-20T08:00:00", parsed: "2019-01-20T08:00:00.000000" },
      { raw: "2026-10-03T11:22:33.1234567Z", parsed: "2026-10-03T11:22:33.123000" },
    ]);
  });
});

const BAD: [string, RegExp][] = [
  ["truncated_page.json", /truncated_page\.json.*byte 901/s],
  ["wrong_type.json", /wrong_type\.json.*"fifty"/s],
  [
    "unknown_shape.json",
    /unknown_shape\.json: is not a known sign-in log shape \(top-level keys: hello, items\)/,
  ],
  ["bad_time.ndjson", /bad_time\.ndjson: 1 record\(s\) .*createdDateTime "last tuesday"/],
];

for (const [file, message] of BAD) {
  Deno.test(`loadFiles() rejects bad/${file} with a message naming it, and the store is unchanged`, async () => {
    await withStore(async (store) => {
      await loadFiles(store, [input("graph_page.json")]);
      const before = await rows(store, `SELECT id, result FROM signins ORDER BY id`);
      const files = await rows(store, `SELECT count(*) AS n FROM loaded_files`);
      // The good file comes first in the same call: its records must not stay behind either.
      await assert.rejects(
        () => loadFiles(store, [input("signins.ndjson"), input(`bad/${file}`)]),
        (e: unknown) => e instanceof LoadError && message.test(e.message),
      );
      assert.deepEqual(await rows(store, `SELECT id, result FROM signins ORDER BY id`), before);
      assert.deepEqual(await rows(store, `SELECT count(*) AS n FROM loaded_files`), files);
    });
  });
}

Deno.test("loadFiles() names a missing path and an empty directory", async () => {
  await withStore(async (store) => {
    await assert.rejects(
      () => loadFiles(store, ["/nonexistent/x.json"]),
      /\/nonexistent\/x\.json: no such file/,
    );
    const dir = await Deno.makeTempDir();
    await assert.rejects(() => loadFiles(store, [dir]), /no \.json, \.ndjson, \.jsonl or \.csv files found/);
    await Deno.remove(dir);
  });
});

Deno.test("loadFiles() keeps unknown extra fields out of the view without failing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rec = JSON.parse((await Deno.readTextFile(input("signins.ndjson"))).split("\n")[0]);
    await Deno.writeTextFile(
      `${dir}/x.ndjson`,
      JSON.stringify({ ...rec, brandNewGraphField: { a: [1, 2] } }) + "\n",
    );
    await withStore(async (store) => {
      assert.equal((await loadFiles(store, [dir])).added, 1);
      const cols = await rows(
        store,
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'signins'`,
      );
      assert.ok(!cols.some((c) => String(c.column_name).toLowerCase() === "brandnewgraphfield"));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFiles() reads a merged Graph file larger than DuckDB's 16 MiB object limit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rec = JSON.parse((await Deno.readTextFile(input("signins.ndjson"))).split("\n")[0]);
    const value = Array.from(
      { length: 9000 },
      (_, i) => ({ ...rec, id: `big-${i}`, userAgent: "x".repeat(1800) }),
    );
    const text = JSON.stringify({
      "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
      value,
    });
    assert.ok(text.length > 17 * (1 << 20), `fixture is ${text.length} bytes`);
    await Deno.writeTextFile(`${dir}/merged.json`, text);
    await withStore(async (store) => {
      assert.equal((await loadFiles(store, [dir])).added, 9000);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFiles() into a database file survives closing and reopening", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await withStore(
      async (store) => void await loadFiles(store, [input("graph_page.json")]),
      `${dir}/s.duckdb`,
    );
    await withStore(async (store) => {
      assert.equal(await count(store), 3);
      assert.equal((await loadFiles(store, [input("graph_page.json")])).skippedFiles, 1);
    }, `${dir}/s.duckdb`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadFiles() stores created_at as the UTC instant, whatever offset the export wrote", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rec = JSON.parse((await Deno.readTextFile(input("signins.ndjson"))).split("\n")[0]);
    const lines = [
      { ...rec, id: "z", createdDateTime: "2026-10-03T08:22:33Z" },
      { ...rec, id: "plus2", createdDateTime: "2026-10-03T10:22:33+02:00" },
      { ...rec, id: "minus5", createdDateTime: "2026-10-03T03:22:33-05:00" },
    ];
    await Deno.writeTextFile(`${dir}/o.ndjson`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    await withStore(async (store) => {
      await loadFiles(store, [dir]);
      const got = await rows(
        store,
        `SELECT DISTINCT strftime(created_at, '%Y-%m-%dT%H:%M:%S') AS t FROM signins`,
      );
      assert.deepEqual(got, [{ t: "2026-10-03T08:22:33" }]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openStore() refuses a database written with another layout, naming it, and leaves it alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/old.duckdb`;
    await withStore(async (store) => {
      await store.connection.run(`UPDATE lens_meta SET value = '1' WHERE key = 'layout_version'`);
    }, path);
    await assert.rejects(
      () => openStore({ path }),
      (e) => e instanceof StoreLayoutError && /old\.duckdb has layout version 1/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openExistingStore() names a missing store and how to make it, and creates nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/none.duckdb`;
    await assert.rejects(
      () => openExistingStore(path),
      new RegExp(`no store at ${path}: load files first \\(deno task load <dir> --db ${path}\\)`),
    );
    await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
