import assert from "node:assert/strict";
import { formatDuration, ProgressState } from "../../lib/graph/progress.ts";

const T0 = Date.parse("2026-11-28T12:00:00Z");
const H = 3_600_000;

Deno.test("ProgressState.format() shows window, pages, records, current window and ETA", () => {
  const p = new ProgressState(T0);
  p.apply({ type: "plan", windows: 4, skipped: 1, spanMs: 24 * H, from: "", to: "" }, T0);
  const start = Date.parse("2026-11-27T00:00:00Z");
  p.apply({
    type: "window-start",
    stream: "signins@v1.0",
    start,
    end: start + 12 * H,
    index: 2,
    total: 4,
    redo: false,
  }, T0);
  p.apply({
    type: "page",
    stream: "signins@v1.0",
    start,
    end: start + 12 * H,
    records: 999,
    bytes: 1,
    lastTimestamp: "2026-11-27T06:00:00Z",
  }, T0 + 10_000);
  // 6 of 24 hours covered in 10 s → 30 s left.
  assert.equal(
    p.format(T0 + 10_000),
    "window 2/4 · 1 pages · 999 records · signins@v1.0 2026-11-27 00:00–12:00 · ETA 30s",
  );
});

Deno.test("ProgressState.format() counts down a throttling wait, then remembers it happened", () => {
  const p = new ProgressState(T0);
  p.apply({ type: "plan", windows: 1, skipped: 0, spanMs: H, from: "", to: "" }, T0);
  p.apply({
    type: "retry",
    attempt: 1,
    waitMs: 12_000,
    reason: "429 TooManyRequests",
    status: 429,
    throttled: true,
  }, T0);
  assert.match(p.format(T0 + 2000), /throttled, waiting 10 s$/);
  assert.match(p.format(T0 + 13_000), /throttled 1×$/);
  assert.equal(formatDuration(3_725_000), "1h02m");
  assert.equal(formatDuration(95_000), "1m35s");
});
