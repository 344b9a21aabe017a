// Issue 15 item 11 / issue 11 item 17: line numbers of bad JSON were one too high (a one-line file said "line 2");
// and a load failing on one file named only that file, not that the others were not loaded either.
import assert from "node:assert/strict";
import { join } from "node:path";
import { LoadError, loadFiles } from "../../lib/store/mod.ts";
import { count, input, withStore } from "./_helpers.ts";

const good = (i: number) =>
  JSON.stringify({
    id: `id-${i}`,
    createdDateTime: "2026-10-01T00:00:00Z",
    userPrincipalName: "a@contoso.com",
  });
const BAD = `{"id": "x", bad}`;

async function failure(
  files: Record<string, string>,
): Promise<{ error: LoadError; dir: string; rows: number }> {
  const dir = await Deno.makeTempDir({ prefix: "load-errors-" });
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), text);
  return await withStore(async (store) => {
    const error = await loadFiles(store, [dir]).then(() => assert.fail("the load succeeded"), (e) => e);
    assert.ok(error instanceof LoadError, String(error));
    return { error, dir, rows: await count(store) };
  });
}

Deno.test("loadFiles() counts the lines of a bad JSON file from 1: line 3 of 5, line 500 of 500", async () => {
  const mid = await failure({ "x.ndjson": [good(1), good(2), BAD, good(4), good(5)].join("\n") + "\n" });
  assert.match(mid.error.message, /x\.ndjson", at byte \d+ in line 3: unexpected character;/);
  const last = await failure({
    "y.ndjson": Array.from({ length: 499 }, (_, i) => good(i)).join("\n") + "\n" + BAD + "\n",
  });
  assert.match(last.error.message, /y\.ndjson", at byte \d+ in line 500: /);
  for (const r of [mid, last]) await Deno.remove(r.dir, { recursive: true });
});

Deno.test("loadFiles() calls the only line of a one-line file line 1", async () => {
  const one = await failure({
    "page.json": Deno.readTextFileSync(input("bad/truncated_page.json")).trimEnd(),
  });
  assert.match(one.error.message, /page\.json", at byte \d+ in line 1: unexpected end of data;/);
  await Deno.remove(one.dir, { recursive: true });
});

Deno.test("loadFiles() failing on one file says the other files of the load were not loaded either", async () => {
  const r = await failure({
    "a.ndjson": good(1) + "\n",
    "b.json": Deno.readTextFileSync(input("graph_page.json")),
    "c.ndjson": [good(2), BAD].join("\n") + "\n",
  });
  assert.equal(r.error.file, join(r.dir, "c.ndjson"));
  assert.match(
    r.error.message,
    /c\.ndjson", at byte \d+ in line 2: .*; nothing was loaded: the other 2 file\(s\) of this load were not loaded either/,
  );
  assert.equal(r.rows, 0);
  await Deno.remove(r.dir, { recursive: true });
});
