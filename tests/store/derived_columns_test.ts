// The auth_step_* columns: computed at load from authenticationDetails, and added to a layout-3 store in place.
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadFiles, openStore } from "../../lib/store/mod.ts";
import { rows, withStore } from "./_helpers.ts";

const step = (authenticationMethod: string, authenticationStepResultDetail: string) => ({
  authenticationMethod,
  authenticationStepResultDetail,
  succeeded: true,
});

const RECORDS = [
  {
    id: "claim",
    details: [
      step("Password", "Correct password"),
      step("Previously satisfied", "MFA requirement satisfied by claim in the token"),
    ],
  },
  { id: "password", details: [step("Password", "Correct password")] },
  {
    id: "declined",
    details: [
      step("Password", "Correct password"),
      step("Mobile app notification", "MFA denied; user declined the authentication"),
    ],
  },
  { id: "empty", details: [] },
  { id: "none", details: null },
];

const EXPECTED = [
  { id: "claim", auth_step_method: "Previously satisfied", auth_step_claim: true, auth_step_declined: false },
  { id: "declined", auth_step_method: "Password", auth_step_claim: false, auth_step_declined: true },
  { id: "empty", auth_step_method: null, auth_step_claim: false, auth_step_declined: false },
  { id: "none", auth_step_method: null, auth_step_claim: false, auth_step_declined: false },
  { id: "password", auth_step_method: "Password", auth_step_claim: false, auth_step_declined: false },
];

async function writeRecords(dir: string): Promise<string> {
  const path = join(dir, "signins.ndjson");
  await Deno.writeTextFile(
    path,
    RECORDS.map((r, i) =>
      JSON.stringify({
        id: r.id,
        createdDateTime: `2026-10-05T10:0${i}:00Z`,
        userPrincipalName: "a@contoso.com",
        status: { errorCode: 0 },
        authenticationDetails: r.details,
      })
    ).join("\n") + "\n",
  );
  return path;
}

const derived = `SELECT id, auth_step_method, auth_step_claim, auth_step_declined FROM signins ORDER BY id`;

Deno.test("a load computes auth_step_method, auth_step_claim and auth_step_declined from the steps", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = await writeRecords(dir);
    for (const readOnceBytes of [undefined, 0]) {
      await withStore(async (store) => {
        await loadFiles(store, [file], { readOnceBytes });
        assert.deepEqual(await rows(store, derived), EXPECTED);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a layout-3 store gains the derived columns when opened for writing; read-only it is refused", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "old.duckdb");
  try {
    const file = await writeRecords(dir);
    // A layout-3 store: the same tables without the derived columns.
    let store = await openStore({ path: db });
    await loadFiles(store, [file]);
    await store.connection.run(`DROP VIEW signins`);
    await store.connection.run(`DROP VIEW signin_pages`);
    for (const c of ["result", "auth_step_method", "auth_step_claim", "auth_step_declined"]) {
      await store.connection.run(`ALTER TABLE signin_records DROP COLUMN ${c}`);
    }
    await store.connection.run(`UPDATE lens_meta SET value = '3' WHERE key = 'layout_version'`);
    await store.connection.run(
      `DELETE FROM lens_meta WHERE key IN ('schema_sha256', 'stored_columns_sha256')`,
    );
    store.close();

    await assert.rejects(
      () => openStore({ path: db, readOnly: true }),
      new RegExp(`layout version 3, this signin-lens reads 4: a load upgrades it in place .*--db ${db}`),
    );
    store = await openStore({ path: db });
    assert.deepEqual(await rows(store, derived), EXPECTED);
    assert.deepEqual(await rows(store, `SELECT DISTINCT result FROM signins`), [{ result: "success" }]);
    assert.deepEqual(await rows(store, `SELECT value FROM lens_meta WHERE key = 'layout_version'`), [{
      value: "4",
    }]);
    store.close();
    store = await openStore({ path: db, readOnly: true });
    assert.equal((await rows(store, derived)).length, 5);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stored columns computed by another version are recomputed on a writable open, refused read-only", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "s.duckdb");
  try {
    const file = await writeRecords(dir);
    let store = await openStore({ path: db });
    await loadFiles(store, [file]);
    // As if an older signin-lens had classified with another interrupt list and had no declined column.
    await store.connection.run(`UPDATE signin_records SET result = 'interrupt', auth_step_declined = NULL`);
    await store.connection.run(`UPDATE lens_meta SET value = 'older' WHERE key = 'stored_columns_sha256'`);
    store.close();
    await assert.rejects(
      () => openStore({ path: db, readOnly: true }),
      /derived columns \(result, auth_step_\*\) computed by another signin-lens version: a load updates them/,
    );
    store = await openStore({ path: db });
    assert.deepEqual(await rows(store, derived), EXPECTED);
    assert.deepEqual(await rows(store, `SELECT DISTINCT result FROM signins`), [{ result: "success" }]);
    store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
