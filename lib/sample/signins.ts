/** Streams the sample tenant's sign-ins newest first, one UTC day at a time, in bounded memory. */

import { type Ctx, materialize, tenantDay, type Timed, userDay } from "./background.ts";
import { resolveOptions } from "./options.ts";
import { planted } from "./patterns.ts";
import { makePlan } from "./plan.ts";
import { buildTenant } from "./tenant.ts";
import { DAY } from "./time.ts";
import type { SampleOptions, SignIn } from "./types.ts";

function newestFirst(a: Timed, b: Timed): number {
  if (a.sec !== b.sec) return b.sec - a.sec;
  if (a.ticks !== b.ticks) return b.ticks - a.ticks;
  // Same instant: any fixed order will do; keys are unique.
  for (let i = 0; i < a.key.length && i < b.key.length; i++) {
    if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
  }
  return a.key.length - b.key.length;
}

/**
 * Yields the sample tenant's signIn records, newest first as Graph lists them. Memory stays bounded by about
 * three days of records, so a million-record sample can be streamed to disk.
 *
 * @example
 * ```ts
 * let failures = 0;
 * for (const s of iterateSignIns({ users: 60, days: 30, seed: 1 })) if (s.status.errorCode === 50126) failures++;
 * ```
 */
export function* iterateSignIns(opts: SampleOptions = {}): Generator<SignIn, void, undefined> {
  const o = resolveOptions(opts);
  const ctx: Ctx = { tenant: buildTenant(o), plan: makePlan(o) };
  const buckets = new Map<number, Timed[]>();
  const put = (items: Timed[]) => {
    for (const t of items) {
      const d = Math.floor(t.sec / DAY);
      if (d < o.startDay || d >= o.endDay) continue;
      let bucket = buckets.get(d);
      if (!bucket) buckets.set(d, bucket = []);
      bucket.push(t);
    }
  };
  put(planted(ctx, o.seed).records);
  // A local day spans UTC offsets -12…+14, so once local day L is generated UTC day L+1 is complete.
  for (let local = o.endDay; local >= o.startDay - 1; local--) {
    for (const u of ctx.tenant.users) put(userDay(ctx, u, local, o.seed));
    put(tenantDay(ctx, local, o.seed));
    const done = local + 1;
    if (done >= o.endDay) continue;
    const bucket = buckets.get(done);
    buckets.delete(done);
    if (!bucket) continue;
    bucket.sort(newestFirst);
    for (const t of bucket) yield materialize(ctx.tenant, t);
  }
}

/** All sign-ins of the sample tenant as an array, newest first. Use `iterateSignIns` for large samples. */
export function generateSignIns(opts: SampleOptions = {}): SignIn[] {
  return Array.from(iterateSignIns(opts));
}
