import assert from "node:assert/strict";
import { layoutLabels, overlaps } from "../../lib/charts/label_layout.ts";

const bounds = { x0: 0, y0: 0, x1: 400, y1: 300 };

Deno.test("layoutLabels() never overlaps two labels or a label and a dot, and keeps them in bounds", () => {
  // A tight cluster: ten dots within 30 px, each wanting a long label.
  const dots = Array.from(
    { length: 10 },
    (_, i) => ({ x: 200 + (i % 4) * 8, y: 150 + Math.floor(i / 4) * 9, r: 4 }),
  );
  const items = dots.map((d, i) => ({ ...d, text: `203.0.113.${i} (NL) · ${i + 1} failed` }));
  const placed = layoutLabels(items, { fontSize: 11, bounds, obstacles: dots, max: 10 });
  assert.ok(placed.length >= 4, `only ${placed.length} placed`);
  for (const [i, a] of placed.entries()) {
    assert.ok(a.box.x0 >= 0 && a.box.y0 >= 0 && a.box.x1 <= 400 && a.box.y1 <= 300);
    for (const b of placed.slice(i + 1)) assert.ok(!overlaps(a.box, b.box), `${a.text} × ${b.text}`);
    for (const d of dots) {
      const nx = Math.min(Math.max(d.x, a.box.x0), a.box.x1);
      const ny = Math.min(Math.max(d.y, a.box.y0), a.box.y1);
      assert.ok(Math.hypot(nx - d.x, ny - d.y) >= d.r, `${a.text} covers a dot`);
    }
  }
  // A label away from its dot has a leader line that starts on its own dot's edge.
  for (const p of placed.filter((l) => l.leader)) {
    const own = items[p.index];
    assert.ok(Math.abs(Math.hypot(p.leader!.x1 - own.x, p.leader!.y1 - own.y) - own.r) < 0.01);
  }
});

Deno.test("layoutLabels() puts a label right next to its own dot when there is room, without a leader", () => {
  const dot = { x: 100, y: 100, r: 5 };
  const [p] = layoutLabels([{ ...dot, text: "Moscow · 47 failed" }], {
    fontSize: 11,
    bounds,
    obstacles: [dot],
    max: 1,
  });
  assert.equal(p.leader, undefined);
  assert.equal(p.anchor, "start");
  assert.ok(p.box.x0 - (dot.x + dot.r) <= 4);
});

Deno.test("layoutLabels() gives the first items the room: order is priority", () => {
  const a = { x: 100, y: 100, r: 5 };
  const b = { x: 104, y: 100, r: 5 };
  const placed = layoutLabels([{ ...a, text: "important" }, { ...b, text: "minor" }], {
    fontSize: 11,
    bounds: { x0: 0, y0: 90, x1: 200, y1: 112 },
    obstacles: [a, b],
    max: 2,
    reach: 10,
  });
  assert.equal(placed[0].text, "important");
});
