import assert from "node:assert/strict";
import { queryFrame } from "../lib/frames.ts";
import { cellText, frameToHtml } from "../lib/frame_display.ts";
import { loadFiles } from "../lib/store/mod.ts";
import { input, withStore } from "./store/_helpers.ts";

Deno.test("queryFrame() returns typed columns (counts as Int64, never mangled BigInt) with the runner's names", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json"), input("seed_merged.json")]);
    const df = await queryFrame(store, "signins_by_app");
    assert.deepEqual(df.columns, [
      "app_display_name",
      "signins",
      "successes",
      "failures",
      "interrupts",
      "users",
    ]);
    assert.equal(String(df.getColumn("signins").dtype), "DataType(Int64)");
    assert.deepEqual(df.toRecords(), [
      { app_display_name: "Graph explorer", signins: 8, successes: 4, failures: 2, interrupts: 2, users: 2 },
    ]);
    const flat = await queryFrame(store, "signins_flat", { from: "2026-10-01" });
    assert.equal(flat.height, 3);
    assert.equal(flat.width, 45);
  });
});

Deno.test("a query frame displays in Jupyter as an HTML table with ISO times", async () => {
  await withStore(async (store) => {
    await loadFiles(store, [input("graph_page.json")]);
    const df = await queryFrame(store, "failed_per_user_daily");
    const display =
      (df as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")];
    const html = display()["text/html"];
    assert.match(html, /1 rows × 3 columns/);
    assert.match(html, /<td>2026-10-03<\/td>/);
    assert.doesNotMatch(html, /GMT/);
    assert.match(frameToHtml(df), /<th>user_principal_name<\/th>/);
    const bundle = display()["application/vnd.dataresource+json"] as unknown as {
      schema: { fields: { name: string; type: string }[] };
      data: Record<string, unknown>[];
    };
    assert.deepEqual(bundle.data, [{
      day: "2026-10-03",
      user_principal_name: "meganb@contoso.com",
      failures: 1,
    }]);
    assert.deepEqual(bundle.schema.fields.map((f) => f.type), ["date", "string", "number"]);
  });
});

Deno.test("cellText() writes times as ISO in UTC and escapes nothing itself", () => {
  assert.equal(cellText(new Date("2026-10-03T00:00:00Z")), "2026-10-03");
  assert.equal(cellText(new Date("2026-10-03T08:15:30Z")), "2026-10-03T08:15:30Z");
  assert.equal(cellText({ a: [1n] }), '{"a":["1"]}');
  assert.equal(cellText(null), "");
});
