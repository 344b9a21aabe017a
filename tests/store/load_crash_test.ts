// A load whose process dies by a signal (as DuckDB 1.5.6 did at COMMIT, issue 15 item 3) says so in one line,
// and the store is as it was. The crash is a real invalid read at the last moment before COMMIT
// (SIGNIN_LENS_FAULT=crash-before-commit in lib/store/load_files.ts).
import assert from "node:assert/strict";
import { join } from "node:path";
import { runScript } from "../fakes/run_script.ts";
import { openStore } from "../../lib/store/mod.ts";
import { crashLine } from "../../lib/cli/supervise.ts";
import { input, rows } from "./_helpers.ts";

const LOAD = new URL("../../tasks/load.ts", import.meta.url).pathname;
const FAULT = { SIGNIN_LENS_FAULT: "crash-before-commit" };

async function state(db: string) {
  const store = await openStore({ path: db, readOnly: true });
  try {
    return await rows(
      store,
      `SELECT (SELECT count(*) FROM signin_records) AS n, (SELECT string_agg(path, ',' ORDER BY path) ` +
        `FROM loaded_files) AS files`,
    );
  } finally {
    store.close();
  }
}

Deno.test("deno task load that crashes says what it was doing in one line, and the store is unchanged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "load-crash-" });
  try {
    const db = join(dir, "lens.duckdb");
    const first = await runScript(LOAD, [input("graph_page.json"), "--db", db]);
    assert.equal(first.code, 0, first.stderr);
    const before = await state(db);

    const r = await runScript(LOAD, [input("signins.ndjson"), "--db", db], { env: FAULT });
    assert.equal(r.code, 1);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(
      errors[0],
      /^error: loading .*signins\.ndjson into .*lens\.duckdb crashed \(SIGSEGV.*\) at "reading 1 signin_records file\(s\)"; the store .* was left unchanged/,
    );
    assert.deepEqual(await state(db), before);

    // The same load without the fault then succeeds on that store.
    const again = await runScript(LOAD, [input("signins.ndjson"), "--db", db]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(Number((await state(db))[0].n), Number(before[0].n) + 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task load that crashes on a first load leaves no store behind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "load-crash-" });
  try {
    const db = join(dir, "new.duckdb");
    const r = await runScript(LOAD, [input("signins.ndjson"), "--db", db], { env: FAULT });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /crashed \(SIGSEGV.*; nothing was loaded and no store was created at .*new\.duckdb\n/,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crashLine() names the task, the signal, the last step and the outcome", () => {
  assert.equal(
    crashLine(
      "loading a into b",
      "SIGKILL",
      "reading 3 graph_pages file(s)\n",
      "the store b was left unchanged",
    ),
    `error: loading a into b was killed (SIGKILL: out of memory, or killed from outside) at ` +
      `"reading 3 graph_pages file(s)"; the store b was left unchanged`,
  );
  assert.equal(
    crashLine("x", "SIGBUS", undefined, "nothing was saved"),
    "error: x was killed by SIGBUS; nothing was saved",
  );
});
