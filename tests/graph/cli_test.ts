import assert from "node:assert/strict";
import { parsePullArgs, UsageError } from "../../lib/graph/cli.ts";

const NOW = Date.parse("2026-11-28T12:00:00Z");

Deno.test("parsePullArgs() defaults to the last 24 h of interactive sign-ins on v1.0", () => {
  const c = parsePullArgs([], NOW);
  assert.deepEqual(c.range, { sinceMs: 86_400_000 });
  assert.deepEqual([c.kinds, c.eventTypes, c.api, c.outDir, c.top], [
    ["signins"],
    ["interactive"],
    "v1.0",
    "data/raw",
    999,
  ]);
  assert.deepEqual(c.pace, { requests: 5, perMs: 10_000 });
  assert.equal(c.idleTimeoutMs, 60_000);
});

Deno.test("parsePullArgs() implies beta for non-interactive event types and refuses them on v1.0", () => {
  const c = parsePullArgs(["--event-types", "interactive,nonInteractive,servicePrincipal"], NOW);
  assert.equal(c.api, "beta");
  assert.deepEqual(c.eventTypes, ["interactive", "nonInteractive", "servicePrincipal"]);
  assert.throws(
    () => parsePullArgs(["--api", "v1.0", "--event-types", "managedIdentity"], NOW),
    /v1\.0 lists only interactive sign-ins/,
  );
});

Deno.test("parsePullArgs() reads a fixed range, kinds, window and pace", () => {
  const c = parsePullArgs(
    [
      "--from",
      "2026-11-01",
      "--to",
      "2026-11-02T06:00:00Z",
      "--kind",
      "all",
      "--window",
      "6h",
      "--pace",
      "off",
    ],
    NOW,
  );
  assert.deepEqual(c.range, {
    from: Date.parse("2026-11-01T00:00:00Z"),
    to: Date.parse("2026-11-02T06:00:00Z"),
  });
  assert.deepEqual(c.kinds, ["signins", "audits"]);
  assert.equal(c.windowMs, 6 * 3_600_000);
  assert.equal(c.pace, null);
  assert.deepEqual(parsePullArgs(["--from", "2026-11-27"], NOW).range, {
    from: Date.parse("2026-11-27"),
    to: NOW,
  });
});

Deno.test("parsePullArgs() rejects wrong options with a UsageError naming the option", () => {
  const bad: [string[], RegExp][] = [
    [["--since", "24h", "--from", "2026-11-01"], /either --since or --from/],
    [["--to", "2026-11-01"], /--to needs --from/],
    [["--kind", "users"], /--kind must be/],
    [["--event-types", "robots"], /unknown type "robots"/],
    [["--api", "v2"], /--api must be v1\.0 or beta/],
    [["--top", "5000"], /--top must be a whole number from 1 to 999/],
    // Number() takes all of these; a page size is decimal digits.
    [["--top", "0x10"], /--top must be a whole number from 1 to 999, not "0x10"/],
    [["--top", "1e2"], /--top must be a whole number/],
    [["--top", ""], /--top must be a whole number/],
    [["--top", "50.0"], /--top must be a whole number/],
    [["--window", "2d"], /--window must be at most 1d/],
    [["--since", "forever"], /--since must look like/],
    [["--frobnicate"], /frobnicate/],
    [["extra"], /Unexpected argument/],
  ];
  for (const [args, re] of bad) {
    assert.throws(
      () => parsePullArgs(args, NOW),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
      args.join(" "),
    );
  }
});
