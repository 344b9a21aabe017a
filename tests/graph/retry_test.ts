import assert from "node:assert/strict";
import { Pacer, parsePace } from "../../lib/graph/pacer.ts";
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs } from "../../lib/graph/retry.ts";

Deno.test("parseRetryAfter() reads seconds and HTTP dates", () => {
  const now = Date.parse("2026-11-01T00:00:00Z");
  assert.equal(parseRetryAfter("7", now), 7000);
  assert.equal(parseRetryAfter("Sun, 01 Nov 2026 00:00:30 GMT", now), 30_000);
  assert.equal(parseRetryAfter("Sat, 31 Oct 2026 23:00:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});

Deno.test("retryDelayMs() honors Retry-After up to its cap, else backs off exponentially with jitter", () => {
  const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
  assert.equal(retryDelayMs(1, p, "12", 0, () => 0.5), 12_000);
  assert.equal(retryDelayMs(1, p, "3600", 0, () => 0.5), 60_000);
  assert.deepEqual([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, p, null, 0, () => 0)), [
    500,
    1000,
    2000,
    4000,
    4000,
  ]);
  assert.deepEqual([1, 2, 3, 4, 5].map((a) => retryDelayMs(a, p, null, 0, () => 1)), [
    1000,
    2000,
    4000,
    8000,
    8000,
  ]);
});

Deno.test("Pacer keeps at most N requests in any sliding period", async () => {
  let now = 0;
  const slept: number[] = [];
  const pacer = new Pacer({ requests: 5, perMs: 10_000 }, { now: () => now }, (ms) => {
    slept.push(ms);
    now += ms;
    return Promise.resolve();
  });
  const at: number[] = [];
  for (let i = 0; i < 12; i++) {
    await pacer.acquire();
    at.push(now);
    now += 100;
  }
  assert.deepEqual(at, [0, 100, 200, 300, 400, 10_000, 10_100, 10_200, 10_300, 10_400, 20_000, 20_100]);
  for (let i = 5; i < at.length; i++) assert.ok(at[i] - at[i - 5] >= 10_000);
});

Deno.test("Pacer adds its safety margin to every wait", async () => {
  let now = 0;
  const pacer = new Pacer({ requests: 1, perMs: 1000 }, { now: () => now }, (ms) => {
    now += ms;
    return Promise.resolve();
  }, 250);
  const at: number[] = [];
  for (let i = 0; i < 3; i++) {
    await pacer.acquire();
    at.push(now);
  }
  assert.deepEqual(at, [0, 1250, 2500]);
});

Deno.test("Pacer off never waits, and parsePace() reads N/period", async () => {
  const pacer = new Pacer(null, { now: () => 0 }, () => Promise.reject(new Error("slept")));
  for (let i = 0; i < 100; i++) assert.equal(await pacer.acquire(), 0);
  assert.deepEqual(parsePace("5/10s"), { requests: 5, perMs: 10_000 });
  assert.deepEqual(parsePace("20/1m"), { requests: 20, perMs: 60_000 });
  assert.equal(parsePace("off"), null);
  assert.throws(() => parsePace("fast"), /Pace must look like 5\/10s/);
});
