// issue 11 item 14: a reader left open (a notebook kernel) does not block the nightly load, and a load blocked
// by a real writer says which process holds the store and what to do.
import assert from "node:assert/strict";
import { openSignins, runQuery } from "../../lib/mod.ts";
import { INPUTS, inTempDir, ROOT, task } from "./_helpers.ts";

interface Holder {
  pid: number;
  count: number;
  finish(): Promise<string>;
}

/** Starts _hold_store.ts and waits for its "ready" line. */
async function hold(mode: "reader" | "writer", db: string, seconds: number): Promise<Holder> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${ROOT}tests/tasks/_hold_store.ts`, mode, db, String(seconds)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const m = /^ready (\d+) (\d+)$/m.exec(text);
  assert.ok(m, `holder said ${text}`);
  return {
    pid: Number(m[1]),
    count: Number(m[2]),
    async finish() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      await child.status;
      return text;
    },
  };
}

Deno.test("a reader holding the store open does not block load; its next query sees the new rows", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    assert.equal((await task("load", [`${INPUTS}signins.ndjson`, "--db", db])).code, 0);
    const reader = await hold("reader", db, 4);
    // Past the reader's idle release; the load must not have to wait for it at all.
    await new Promise((r) => setTimeout(r, 600));
    const load = await task("load", [`${INPUTS}graph_page.json`, "--db", db, "--wait", "0"]);
    assert.equal(load.code, 0, load.stderr);
    const after = await reader.finish();
    const n = Number(/after (\d+)/.exec(after)?.[1]);
    assert.ok(n > reader.count, `reader saw ${reader.count} then ${after}`);
  });
});

Deno.test("a load blocked by another writer names its PID and what to do, exit 1", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    assert.equal((await task("load", [`${INPUTS}signins.ndjson`, "--db", db])).code, 0);
    const writer = await hold("writer", db, 10);
    const started = performance.now();
    const load = await task("load", [`${INPUTS}graph_page.json`, "--db", db, "--wait", "1"]);
    const waited = performance.now() - started;
    assert.equal(load.code, 1, load.stderr);
    assert.match(load.stderr, new RegExp(`error: the store ${db} is in use by process ${writer.pid} \\(`));
    assert.match(load.stderr, /shut it down or restart it|wait for it to finish/);
    assert.ok(waited >= 1000, `gave up after ${waited} ms, before --wait 1`);
    await writer.finish();
    // Once the holder is gone the same command goes through.
    const again = await task("load", [`${INPUTS}graph_page.json`, "--db", db, "--wait", "0"]);
    assert.equal(again.code, 0, again.stderr);
  });
});

Deno.test("a load waits (--wait) for a writer that finishes, instead of failing", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    assert.equal((await task("load", [`${INPUTS}signins.ndjson`, "--db", db])).code, 0);
    const writer = await hold("writer", db, 6);
    const load = await task("load", [`${INPUTS}graph_page.json`, "--db", db, "--wait", "20"]);
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stderr, new RegExp(`in use by process ${writer.pid}: waiting for it`));
    await writer.finish();
  });
});

Deno.test("openSignins() (what notebooks hold across cells) is read-only and lets load run between cells", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    assert.equal((await task("load", [`${INPUTS}signins.ndjson`, "--db", db])).code, 0);
    const { store } = await openSignins(db);
    try {
      assert.equal(store.readOnly, true);
      const before = (await runQuery(store, "summary")).rows[0].signins as number;
      await assert.rejects(() => store.connection.run(`DELETE FROM signin_records`), /read-only/i);
      await new Promise((r) => setTimeout(r, 600));
      const load = await task("load", [`${INPUTS}graph_page.json`, "--db", db, "--wait", "0"]);
      assert.equal(load.code, 0, load.stderr);
      const after = (await runQuery(store, "summary")).rows[0].signins as number;
      assert.ok(after > before, `${before} → ${after}`);
    } finally {
      store.close();
    }
  });
});

Deno.test("closing a reader while its idle release is running does not crash the process", async () => {
  await inTempDir(async (dir) => {
    const db = `${dir}/signins.duckdb`;
    assert.equal((await task("load", [`${INPUTS}signins.ndjson`, "--db", db])).code, 0);
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", `${ROOT}tests/tasks/_close_race.ts`, db, "40"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(r.code, 0, `exit ${r.code} (139 is a segfault): ${new TextDecoder().decode(r.stderr)}`);
    assert.match(new TextDecoder().decode(r.stdout), /no crash/);
  });
});
