// issue 11 item 2 / issue 15: a --db that is not a DuckDB store is refused by every reader and writer, in
// one place (openStore), before DuckDB sees it: DuckDB opens `victim.json` as an in-memory database.
import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { checkStorePath, openExistingStore, openStore, StorePathError } from "../../lib/store/mod.ts";
import { openSignins } from "../../lib/mod.ts";
import { INPUTS, inTempDir, sha256, task } from "./_helpers.ts";

Deno.test("checkStorePath() refuses data-format names whether or not the file exists", async () => {
  await inTempDir(async (dir) => {
    for (const ext of [".json", ".ndjson", ".jsonl", ".csv", ".gz", ".parquet", ".JSON"]) {
      await assert.rejects(
        () => checkStorePath(`${dir}/victim${ext}`),
        (e) => e instanceof StorePathError && /named like a data file/.test(e.message),
        ext,
      );
    }
    assert.equal(await checkStorePath(`${dir}/new.duckdb`), "missing");
    assert.equal(await checkStorePath(`${dir}/new.db`), "missing");
  });
});

Deno.test("checkStorePath() refuses an existing file that is not a DuckDB database, and a directory", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/notes.duckdb`, "hello, not a database\n");
    await assert.rejects(
      () => checkStorePath(`${dir}/notes.duckdb`),
      (e) => e instanceof StorePathError && /exists and is not a DuckDB database/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/short`, "DUCK");
    await assert.rejects(() => checkStorePath(`${dir}/short`), StorePathError);
    await Deno.mkdir(`${dir}/folder`);
    await assert.rejects(() => checkStorePath(`${dir}/folder`), /is not a file/);
    const store = await openStore({ path: `${dir}/real.duckdb` });
    store.close();
    assert.equal(await checkStorePath(`${dir}/real.duckdb`), "duckdb");
  });
});

Deno.test("openStore(), openExistingStore() and openSignins() refuse a non-store and leave it untouched", async () => {
  await inTempDir(async (dir) => {
    const victim = `${dir}/victim.json`;
    await Deno.writeTextFile(victim, '{"value": []}\n');
    const other = `${dir}/other.duckdb`;
    await Deno.writeTextFile(other, "x".repeat(5000));
    const before = [await sha256(victim), await sha256(other)];
    for (const path of [victim, other]) {
      await assert.rejects(() => openStore({ path }), StorePathError);
      await assert.rejects(() => openStore({ path, readOnly: true }), StorePathError);
      await assert.rejects(() => openExistingStore(path), StorePathError);
      await assert.rejects(() => openSignins(path), StorePathError);
    }
    assert.deepEqual([await sha256(victim), await sha256(other)], before);
  });
});

Deno.test("a DuckDB database that signin-lens did not write is refused, not extended with our tables", async () => {
  await inTempDir(async (dir) => {
    const path = `${dir}/theirs.duckdb`;
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`CREATE TABLE invoices (id INTEGER)`);
    c.closeSync();
    instance.closeSync();
    const before = await sha256(path);
    await assert.rejects(() => openStore({ path }), /not a signin-lens store \(tables: invoices\)/);
    await assert.rejects(() => openExistingStore(path), /not a signin-lens store/);
    assert.equal(await sha256(path), before);
  });
});

Deno.test("load, query, report, triage, coverage and lake refuse --db on a data file or a non-DuckDB file, exit 2", async () => {
  await inTempDir(async (dir) => {
    const victim = `${dir}/victim.json`;
    await Deno.writeTextFile(victim, '{"value": []}\n');
    const other = `${dir}/notes.duckdb`;
    await Deno.writeTextFile(other, "my notes\n");
    const before = [await sha256(victim), await sha256(other)];
    for (const db of [victim, other]) {
      for (
        const [name, args] of [
          ["load", [`${INPUTS}signins.ndjson`, "--db", db]],
          ["query", ["summary", "--db", db]],
          ["report", ["--db", db, "--out", `${dir}/out`]],
          ["triage", ["--db", db]],
          ["coverage", ["--db", db]],
          ["lake", ["--db", db, "--out", `${dir}/lake`]],
        ] as const
      ) {
        const r = await task(name, [...args]);
        assert.equal(r.code, 2, `${name} --db ${db}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /^error: .*(named like a data file|is not a DuckDB database)/m, r.stderr);
        assert.doesNotMatch(r.stdout, /sign-ins in|signins/, `${name} pretended to work`);
      }
    }
    assert.deepEqual([await sha256(victim), await sha256(other)], before);
  });
});
