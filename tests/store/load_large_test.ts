// REGRESSION TEST AT CRASH SIZE (issue 15 item 3) — deliberately large, ~1 minute.
// The loader used to insert every record and then delete duplicate ids in the same transaction; DuckDB 1.5.6
// segfaults at COMMIT on that pattern from about this size (148k sample sign-ins with 1,001 repeated ids crashed
// with exit 139; bench/repro/duckdb_commit_segfault.ts reproduces it without project code). The pages are the
// bench's cached sample pages (bench/cache/n150000, gitignored, generated once).
import assert from "node:assert/strict";
import { join } from "node:path";
import { ensurePages } from "../../bench/sample_pages.ts";
import { runScript } from "../fakes/run_script.ts";
import { openStore } from "../../lib/store/mod.ts";
import { rows } from "./_helpers.ts";

const CACHE = new URL("../../bench/cache/", import.meta.url).pathname;
const LOAD = new URL("../../tasks/load.ts", import.meta.url).pathname;
const RECORDS = 150_000;

Deno.test(`deno task load of ${RECORDS} sign-ins with 999 repeated ids into a new store commits, latest state wins`, async () => {
  const pages = await ensurePages(CACHE, RECORDS);
  const raw = join(pages.root, pages.main.dir, "signins");
  // Beside the pages, so the later file's path sorts after theirs: on equal times the later file wins.
  const tmp = await Deno.makeTempDir({ dir: CACHE, prefix: "zz-load-large-" });
  try {
    // A later file brings a second state of every sign-in of one page: same ids, another error code.
    const firstDay = [...Deno.readDirSync(raw)].map((e) => e.name).sort()[0];
    const firstPage = [...Deno.readDirSync(join(raw, firstDay))].map((e) => e.name).sort()[0];
    const page = JSON.parse(await Deno.readTextFile(join(raw, firstDay, firstPage)));
    for (const r of page.value) r.status = { ...r.status, errorCode: 50126, failureReason: "later state" };
    const later = join(tmp, "zz-later", "page.json");
    await Deno.mkdir(join(tmp, "zz-later"));
    await Deno.writeTextFile(later, JSON.stringify(page));
    const db = join(tmp, "lens.duckdb");

    const r = await runScript(LOAD, [raw, later, "--db", db]);
    assert.equal(r.code, 0, `load exited ${r.code}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`${pages.main.records + page.value.length} records read`));

    const store = await openStore({ path: db, readOnly: true });
    try {
      const [t] = await rows(
        store,
        `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(*) FILTER (WHERE _source = '${later}') AS later ` +
          `FROM signin_records`,
      );
      assert.equal(Number(t.n), Number(t.ids), "one row per sign-in id");
      assert.equal(
        Number(t.later),
        page.value.length,
        "the later file's state replaced every one of its ids",
      );
      const [s] = await rows(
        store,
        `SELECT count(*) AS n FROM signins WHERE status."errorCode" = 50126 AND ` +
          `status."failureReason" = 'later state'`,
      );
      assert.equal(Number(s.n), page.value.length);
      const [f] = await rows(store, `SELECT sum(records) AS n FROM loaded_files`);
      assert.equal(
        Number(f.n),
        pages.main.records + page.value.length,
        "loaded_files counts what each file brought",
      );
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
