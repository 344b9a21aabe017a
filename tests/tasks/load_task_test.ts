// issue 11 item 1: a failed load creates no store and leaves an existing one byte for byte as it was.
import assert from "node:assert/strict";
import { exists, INPUTS, inTempDir, sha256, task } from "./_helpers.ts";

Deno.test("load of a path that does not exist creates no store, exit 2", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    const r = await task("load", [`${dir}/nonexistent.json`, "--db", db]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: .*nonexistent\.json: no such file or directory \(nothing was loaded, no store created\)/,
    );
    assert.equal(await exists(db), false, "a store file was created");
    assert.equal(await exists(`${db}.wal`), false);
  });
});

Deno.test("load of a folder with nothing to load (before any pull) creates no store, exit 1", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    await Deno.mkdir(`${dir}/raw/signins`, { recursive: true });
    const r = await task("load", [`${dir}/raw`, "--db", db]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^error: nothing to load: no \.json, \.ndjson.* files .* no store created/,
    );
    assert.equal(await exists(db), false);
  });
});

Deno.test("a first load that fails on a bad file removes the store it created", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    const r = await task("load", [`${INPUTS}bad/unknown_shape.json`, "--db", db]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /unknown_shape\.json/);
    assert.equal(await exists(db), false);
    assert.equal(await exists(`${db}.wal`), false);
  });
});

Deno.test("failed loads leave an existing store byte for byte unchanged", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    const ok = await task("load", [`${INPUTS}signins.ndjson`, "--db", db]);
    assert.equal(ok.code, 0, ok.stderr);
    const before = await sha256(db);
    for (
      const args of [
        [`${dir}/nonexistent.json`],
        [`${dir}`], // holds only the store: nothing loadable
        [`${INPUTS}bad/unknown_shape.json`],
        [`${INPUTS}bad/truncated_page.json`],
      ]
    ) {
      const r = await task("load", [...args, "--db", db]);
      assert.notEqual(r.code, 0, `${args}: ${r.stdout}`);
      assert.equal(await sha256(db), before, `load ${args.join(" ")} changed the store file`);
      assert.equal(await exists(`${db}.wal`), false);
    }
  });
});
