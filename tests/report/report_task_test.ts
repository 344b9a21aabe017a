// `deno task report` on an empty store: an error that says so (exit 1, nothing written), or with --allow-empty a
// report whose banner says the store is empty, never a page of zeros that reads like a quiet tenant.
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/store/mod.ts";
import { runScript } from "../fakes/run_script.ts";

const TASK = new URL("../../tasks/report.ts", import.meta.url).pathname;

Deno.test("report on an empty store exits 1 naming the problem, and writes nothing unless --allow-empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const db = join(dir, "empty.duckdb");
    (await openStore({ path: db })).close();
    const refused = await runScript(TASK, ["--db", db, "--out", join(dir, "out")]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /Nothing to report: The store holds no sign-ins at all/);
    assert.match(refused.stderr, /--allow-empty/);
    assert.ok(!refused.stdout.includes("0 sign-ins"), "no summary of zeros on stdout");
    await assert.rejects(Deno.stat(join(dir, "out")), "nothing written");

    const allowed = await runScript(TASK, ["--db", db, "--out", join(dir, "out"), "--allow-empty"]);
    assert.equal(allowed.code, 0, allowed.stderr);
    const html = await Deno.readTextFile(join(dir, "out", "signins-report.html"));
    assert.match(
      html,
      /<div class="empty-banner" role="alert"><strong>This report has no sign-ins\.<\/strong> The store/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
