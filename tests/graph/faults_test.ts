/**
 * The pull against a misbehaving Graph (issue 15 items 1, 5, 6 and issue 10's Prefer header): a 200 that is
 * not a page, redirects, nextLink loops, a trickling body. Each must end as a retried fault or a clear failure,
 * never as a finished window with a hole in it, and never hang.
 */
import assert from "node:assert/strict";
import { loadCheckpoint } from "../../lib/graph/checkpoint.ts";
import { createMsalTokenProvider } from "../../lib/graph/auth.ts";
import { type ClientEvent, GraphClient } from "../../lib/graph/client.ts";
import { OffHostRedirectError, PagingError, TransientError } from "../../lib/graph/errors.ts";
import { maxPagesFor, pull, type PullOptions } from "../../lib/graph/pull.ts";
import { parsePullArgs } from "../../lib/graph/cli.ts";
import {
  type FakeGraph,
  type FakeGraphOptions,
  fromObjects,
  makeSignIns,
  startFakeGraph,
} from "../fakes/graph_server.ts";
import { countIds, fakeConfig, MemorySink, readAllFiles, recordingSleep } from "./helpers.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-28T12:00:00Z");
/** More requests than any of these pulls needs: past it the pull is looping and the test stops it. */
const RUNAWAY = 1_000;

async function withFake(
  opts: FakeGraphOptions,
  fn: (fake: FakeGraph, out: string, guard: AbortSignal) => Promise<void>,
) {
  const guard = new AbortController();
  const fake = await startFakeGraph({
    ...opts,
    onGraphRequest: ({ n }) => {
      if (n > RUNAWAY) guard.abort();
    },
  });
  const out = await Deno.makeTempDir({ prefix: "pull_faults_" });
  try {
    await fn(fake, out, guard.signal);
  } finally {
    await fake.close();
    await Deno.remove(out, { recursive: true });
  }
}

function options(
  fake: FakeGraph,
  out: string,
  signal: AbortSignal,
  extra: Partial<PullOptions> = {},
): PullOptions {
  return {
    config: fakeConfig(fake),
    outDir: out,
    range: { from: NOW - DAY, to: NOW },
    pace: null,
    top: 50,
    retry: { maxAttempts: 3 },
    sleep: recordingSleep().sleep,
    clock: { now: () => NOW },
    signal,
    ...extra,
  };
}

/** Every file under out/signins must be a Graph page: a value array, @odata.context. */
async function assertOnlyPages(out: string) {
  for (const f of await readAllFiles(out)) {
    if (!f.path.includes("/signins/")) continue;
    const page = JSON.parse(f.text);
    assert.ok(Array.isArray(page.value), `${f.path} is not a page: ${f.text.slice(0, 80)}`);
    assert.equal(page.error, undefined, f.path);
  }
}

const NOT_PAGES: [string, string][] = [
  ["Graph's error object", JSON.stringify({ error: { code: "UnknownError", message: "", innerError: {} } })],
  ["an empty object", "{}"],
  ["value null", `{"@odata.context":"x","value":null}`],
  ["value an object", `{"@odata.context":"x","value":{}}`],
  ["a value array without context or nextLink", `{"value":[]}`],
];

Deno.test("pull() retries a 200 that is not a Graph page, then finishes with every record once", async () => {
  const signIns = makeSignIns({ count: 200, from: NOW - DAY, to: NOW });
  for (const [name, body] of NOT_PAGES) {
    await withFake({ signIns, faults: [{ type: "notPage", at: 2, body }] }, async (fake, out, guard) => {
      const r = await pull(options(fake, out, guard));
      assert.equal(r.records, 200, name);
      const counts = await countIds(out);
      assert.equal(counts.size, 200, name);
      assert.ok([...counts.values()].every((n) => n === 1), name);
      await assertOnlyPages(out);
      assert.equal(fake.stats.faultsInjected.notPage, 1, name);
    });
  }
});

Deno.test("pull() never marks a window done on a 200 that keeps not being a page", async () => {
  const signIns = makeSignIns({ count: 200, from: NOW - DAY, to: NOW });
  for (const [name, body] of NOT_PAGES) {
    await withFake(
      { signIns, faults: [{ type: "notPage", at: 2, times: 3, body }] },
      async (fake, out, guard) => {
        await assert.rejects(pull(options(fake, out, guard)), (e: unknown) => {
          assert.ok(e instanceof TransientError, `${name}: ${e}`);
          assert.match(e.message, /after 3 attempts; last fault: a 200 that is not a Graph page \(/, name);
          return true;
        });
        await assertOnlyPages(out);
        const states = Object.values((await loadCheckpoint(out)).windows).map((w) => w.status);
        assert.deepEqual(states, ["started"], name);
        // The next run, with Graph healthy again, redoes the window completely.
        const r = await pull(options(fake, out, guard));
        assert.equal(r.windowsRedone, 1);
        assert.equal((await countIds(out)).size, 200, name);
      },
    );
  }
});

Deno.test("pull() follows a redirect on the Graph host but refuses one to another host and stores nothing of it", async () => {
  // The other host serves a perfect page to anyone: the old client followed the redirect, sent the token and
  // saved what came back as this window's page.
  const seenTokens: string[] = [];
  const other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seenTokens.push(req.headers.get("authorization") ?? "");
    return Response.json({
      "@odata.context": "x",
      value: [{ id: "planted", createdDateTime: "2026-11-28T00:00:00Z" }],
    });
  });
  const otherUrl = `http://127.0.0.1:${other.addr.port}/v1.0/auditLogs/signIns`;
  const signIns = makeSignIns({ count: 120, from: NOW - DAY, to: NOW });
  try {
    await withFake(
      {
        signIns,
        faults: [{ type: "redirectSameHost", at: 1 }, { type: "redirectOffHost", at: 3, location: otherUrl }],
      },
      async (fake, out, guard) => {
        await assert.rejects(pull(options(fake, out, guard)), (e: unknown) => {
          assert.ok(e instanceof OffHostRedirectError, String(e));
          assert.match(
            e.message,
            /redirected to http:\/\/127\.0\.0\.1:\d+, another host; refusing to follow it/,
          );
          return true;
        });
        assert.deepEqual(seenTokens, [], "the token went to the other host");
        const counts = await countIds(out);
        assert.equal(counts.has("planted"), false);
        // The same-host redirect was followed: the first page is on disk.
        assert.equal(counts.size, 50);
        assert.deepEqual(Object.values((await loadCheckpoint(out)).windows).map((w) => w.status), [
          "started",
        ]);
        assert.equal(fake.stats.faultsInjected.redirectSameHost, 1);
      },
    );
  } finally {
    await other.shutdown();
  }
});

Deno.test("pull() stops a two-URL nextLink loop (A → B → A) at the first repeat", async () => {
  const signIns = makeSignIns({ count: 120, from: NOW - DAY, to: NOW });
  await withFake({ signIns, faults: [{ type: "loop", at: 2 }] }, async (fake, out, guard) => {
    await assert.rejects(pull(options(fake, out, guard)), (e: unknown) => {
      assert.ok(e instanceof PagingError, String(e));
      assert.match(e.message, /@odata\.nextLink already followed in window .* stopping a loop/);
      return true;
    });
    // Page 1, page 2 (links to A), A (links to B), B (links back to A): four requests, no more.
    assert.equal(fake.stats.graphRequests, 4);
    assert.deepEqual(Object.values((await loadCheckpoint(out)).windows).map((w) => w.status), ["started"]);
  });
});

Deno.test("pull() caps the pages of one window at a bound derived from $top", async () => {
  assert.equal(maxPagesFor(999), Math.ceil(20_000_000 / 999) + 100);
  assert.ok(maxPagesFor(1) > maxPagesFor(999));
  // A one-minute window at $top=50 may hold 20M/1440 records: 278 pages, plus 100 of slack.
  assert.equal(maxPagesFor(50, 60_000), 378);
  await withFake({ signIns: [], faults: [{ type: "endless", at: 1 }] }, async (fake, out, guard) => {
    await assert.rejects(
      pull(options(fake, out, guard, { range: { from: NOW - 60_000, to: NOW }, windowMs: 60_000 })),
      (e: unknown) => {
        assert.ok(e instanceof PagingError, String(e));
        assert.match(e.message, /passed 378 pages at \$top=50 without an end/);
        return true;
      },
    );
    assert.equal(fake.stats.graphRequests, 378);
  });
});

Deno.test("pull() sends Prefer: include-unknown-enum-members, so newer enum members arrive as themselves", async () => {
  // Like Graph, the fake sends incomingTokenType "refreshToken" as "unknownFutureValue" to a client that
  // does not ask for unknown enum members.
  const signIns = fromObjects(
    makeSignIns({ count: 120, from: NOW - DAY, to: NOW }).map((r) => ({
      ...JSON.parse(r.json),
      incomingTokenType: "refreshToken",
    })),
  );
  await withFake({ signIns, faults: [{ type: "503", at: 2 }] }, async (fake, out, guard) => {
    await pull(options(fake, out, guard));
    assert.ok(fake.stats.requests.length >= 4);
    for (const r of fake.stats.requests) assert.equal(r.prefer, "include-unknown-enum-members");
    const pages = (await readAllFiles(out)).filter((f) => f.path.includes("/page-"));
    assert.ok(pages.every((f) => !f.text.includes("unknownFutureValue")));
    assert.equal(
      pages.reduce((n, f) => n + f.text.split(`"incomingTokenType":"refreshToken"`).length - 1, 0),
      120,
    );
    // Without the header the same listing says unknownFutureValue: the fake does what Graph does.
    const token = await createMsalTokenProvider(fakeConfig(fake)).getToken();
    const plain = await (await fetch(`${fake.url}/v1.0/auditLogs/signIns?$top=5`, {
      headers: { authorization: `Bearer ${token}` },
    })).text();
    assert.match(plain, /"incomingTokenType":"unknownFutureValue"/);
  });
});

/** Runs `fn` but fails instead of hanging when it is not done in `ms` (the old client waited forever). */
async function within<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} still running after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function trickleClient(
  fault: { intervalMs: number },
  client: Record<string, number>,
): Promise<{ records: number; events: ClientEvent[]; waits: number[] }> {
  const fake = await startFakeGraph({
    signIns: makeSignIns({ count: 25, from: NOW - DAY, to: NOW }),
    faults: [{ type: "trickle", at: 1, intervalMs: fault.intervalMs }],
  });
  const events: ClientEvent[] = [];
  const { sleep, waits } = recordingSleep();
  const c = new GraphClient({
    tokenProvider: createMsalTokenProvider(fakeConfig(fake)),
    sleep,
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...client,
  });
  try {
    const page = await within(
      15_000,
      "the trickled request",
      () => c.getPage(`${fake.url}/v1.0/auditLogs/signIns?$top=10`, new MemorySink()),
    );
    return { records: page.summary.records, events, waits };
  } finally {
    await fake.close();
  }
}

Deno.test("GraphClient.getPage() gives up on a trickling body under the minimum throughput and retries", async () => {
  // One byte every 20 ms never trips a 2 s idle timeout; 50 bytes/s is far under 1000 bytes/s.
  const r = await trickleClient({ intervalMs: 20 }, {
    idleTimeoutMs: 2_000,
    minBytesPerSecond: 1_000,
    throughputGraceMs: 300,
  });
  assert.equal(r.records, 10);
  const retries = r.events.flatMap((e) => (e.type === "retry" ? [e.reason] : []));
  assert.equal(retries.length, 1);
  assert.match(retries[0], /^body too slow: \d+ bytes in 0\.\d s, under the minimum 1000 bytes\/s$/);
});

Deno.test("GraphClient.getPage() enforces an overall per-request deadline, retried like other faults", async () => {
  const r = await trickleClient({ intervalMs: 20 }, {
    idleTimeoutMs: 2_000,
    minBytesPerSecond: 0,
    deadlineMs: 500,
  });
  assert.equal(r.records, 10);
  const retries = r.events.flatMap((e) => (e.type === "retry" ? [e.reason] : []));
  assert.deepEqual(retries.length, 1);
  assert.match(
    retries[0],
    /^request not finished after 0\.5 s \(the per-request deadline\) mid-body after \d+ bytes$/,
  );
});

Deno.test("parsePullArgs() reads --deadline and --min-throughput, with defaults", () => {
  const d = parsePullArgs([], NOW);
  assert.equal(d.deadlineMs, 600_000);
  assert.equal(d.minBytesPerSecond, 1024);
  const o = parsePullArgs(["--deadline", "2m", "--min-throughput", "2KB/s"], NOW);
  assert.equal(o.deadlineMs, 120_000);
  assert.equal(o.minBytesPerSecond, 2048);
  assert.equal(parsePullArgs(["--min-throughput", "off"], NOW).minBytesPerSecond, 0);
  assert.equal(parsePullArgs(["--min-throughput", "500B/s"], NOW).minBytesPerSecond, 500);
  assert.throws(
    () => parsePullArgs(["--min-throughput", "fast"], NOW),
    /--min-throughput must look like 1KB\/s/,
  );
  assert.throws(
    () => parsePullArgs(["--deadline", "5s", "--timeout", "30s"], NOW),
    /--deadline 5s must not be shorter/,
  );
  // A long --timeout lifts the default deadline with it.
  assert.equal(parsePullArgs(["--timeout", "20m"], NOW).deadlineMs, 1_200_000);
});
