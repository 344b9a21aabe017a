/** Shared helper of the planted stories: records whose times do not depend on the seed. */

import { type Ctx, DayBuilder, type Timed } from "./background.ts";
import { hashString, Rng } from "./prng.ts";
import type { Attempt } from "./record.ts";
import { graphTimestamp } from "./time.ts";

/** Collects pattern records: times from a seed-independent stream, ids from the seeded one. */
export class Planter {
  readonly out: Timed[] = [];
  readonly time: Rng;
  readonly b: DayBuilder;
  constructor(readonly ctx: Ctx, seed: number, name: string) {
    this.time = new Rng(hashString("pattern:" + name));
    // Whole-second timestamps, so the README's times match the records exactly.
    const stream = hashString("pattern-ids:" + name);
    this.b = new DayBuilder(ctx.tenant, new Rng(seed, stream), [seed, stream + 1], 0);
  }
  add(a: Omit<Attempt, "ticks">): void {
    this.b.add({ ...a, ticks: null });
  }
}

/** Graph's timestamp of a whole UTC second. */
export function iso(sec: number): string {
  return graphTimestamp(sec, null);
}
