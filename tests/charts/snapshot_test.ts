// SVG snapshots of every chart on the fixed fixture tenant. Update after an intended change with
//   UPDATE_SNAPSHOTS=1 deno test -A tests/charts/snapshot_test.ts
// and look at the PNGs (tests/charts/png_test.ts writes none; use the report task) before committing.
import assert from "node:assert/strict";
import { renderAll } from "./_render_all.ts";

const DIR = new URL("../fixtures/charts/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_SNAPSHOTS") === "1";

for (const chart of renderAll()) {
  Deno.test(`${chart.id} chart matches its SVG snapshot`, async () => {
    const file = new URL(`${chart.id}.svg`, DIR);
    if (UPDATE) {
      await Deno.writeTextFile(file, chart.svg + "\n");
      return;
    }
    let expected: string;
    try {
      expected = await Deno.readTextFile(file);
    } catch {
      throw new Error(`Snapshot ${file.pathname} is missing; run with UPDATE_SNAPSHOTS=1 to create it`);
    }
    assert.equal(
      chart.svg + "\n",
      expected,
      `${chart.id}.svg differs; run with UPDATE_SNAPSHOTS=1 if intended`,
    );
  });
}

Deno.test("renderAll() gives identical SVG twice in one process (no counters or clock leak in)", () => {
  const a = renderAll().map((c) => c.svg);
  const b = renderAll().map((c) => c.svg);
  assert.deepEqual(a, b);
});
