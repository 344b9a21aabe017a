import assert from "node:assert/strict";
import { Rng } from "../../lib/sample/prng.ts";

Deno.test("Rng streams of 600,000 distinct keys give 600,000 distinct GUIDs", () => {
  // Seeded from one 32-bit hash, as before generator 5, about 40 of these would repeat (n² / 2³³).
  const seen = new Set<string>();
  for (let user = 0; user < 1_000; user++) {
    for (let day = 20_000; day < 20_200; day++) {
      for (let attempt = 0; attempt < 3; attempt++) seen.add(new Rng(1, 0x5eed, user, day, attempt).guid());
    }
  }
  assert.equal(seen.size, 600_000);
});

Deno.test("Rng keys that differ only past 32 bits, or only in length, give different streams", () => {
  const a = new Rng(2 ** 40 + 7).u32();
  assert.notEqual(a, new Rng(7).u32());
  assert.notEqual(new Rng(1, 0).u32(), new Rng(1).u32());
  assert.equal(new Rng(3, 4).guid(), new Rng(3, 4).guid());
});

Deno.test("Rng.next() is uniform enough for synthetic logs: mean and deciles of 200,000 draws", () => {
  const r = new Rng(9);
  const deciles = new Array<number>(10).fill(0);
  let sum = 0;
  for (let i = 0; i < 200_000; i++) {
    const x = r.next();
    sum += x;
    deciles[Math.floor(x * 10)]++;
  }
  assert.ok(Math.abs(sum / 200_000 - 0.5) < 0.005);
  for (const d of deciles) assert.ok(Math.abs(d - 20_000) < 700, `decile count ${d}`);
});
