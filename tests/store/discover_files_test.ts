// Issue 15 item 7: symbolic links to files and directories were skipped silently ("loaded 1 file(s)", rc 0).
import assert from "node:assert/strict";
import { join } from "node:path";
import { discoverFiles } from "../../lib/store/discover_files.ts";
import { loadFiles } from "../../lib/store/mod.ts";
import { count, input, withStore } from "./_helpers.ts";

async function tree() {
  const root = await Deno.makeTempDir({ prefix: "discover-" });
  const outside = join(root, "outside");
  const data = join(root, "data");
  await Deno.mkdir(join(outside, "more"), { recursive: true });
  await Deno.mkdir(data);
  await Deno.copyFile(input("graph_page.json"), join(data, "a.json"));
  await Deno.copyFile(input("signins.ndjson"), join(outside, "b.ndjson"));
  await Deno.copyFile(input("azure_monitor.json"), join(outside, "more", "c.json"));
  await Deno.symlink(join(outside, "b.ndjson"), join(data, "b.ndjson"));
  await Deno.symlink(join(outside, "more"), join(data, "more"));
  // A loop (data/up/up/… is data itself) and a second link to the same folder.
  await Deno.symlink(data, join(data, "up"));
  await Deno.symlink(join(outside, "more"), join(data, "more-again"));
  return { root, data };
}

Deno.test("discoverFiles() follows links to files and directories, once each, and survives link loops", async () => {
  const { root, data } = await tree();
  try {
    assert.deepEqual(await discoverFiles([data]), [
      join(data, "a.json"),
      join(data, "b.ndjson"),
      join(data, "more", "c.json"),
    ]);
    // A file named twice (directly and through its folder) is one file.
    assert.deepEqual(await discoverFiles([join(data, "b.ndjson"), data]), [
      join(data, "a.json"),
      join(data, "b.ndjson"),
      join(data, "more", "c.json"),
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("discoverFiles() names a dangling link instead of skipping it", async () => {
  const { root, data } = await tree();
  try {
    await Deno.symlink(join(root, "gone.json"), join(data, "gone.json"));
    await assert.rejects(
      discoverFiles([data]),
      new Error(`${join(data, "gone.json")}: the symbolic link points nowhere`),
    );
    await assert.rejects(
      discoverFiles([join(data, "gone.json")]),
      new Error(`${join(data, "gone.json")}: the symbolic link points nowhere`),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadFiles() loads the sign-ins of linked files and folders too", async () => {
  const { root, data } = await tree();
  try {
    await withStore(async (store) => {
      const r = await loadFiles(store, [data]);
      assert.equal(r.files, 3);
      assert.equal(
        await count(store),
        3 + 5 + (await withStore(async (s) => {
          await loadFiles(s, [input("azure_monitor.json")]);
          return await count(s);
        })),
      );
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
