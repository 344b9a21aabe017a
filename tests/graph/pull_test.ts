import assert from "node:assert/strict";
import { loadCheckpoint } from "../../lib/graph/checkpoint.ts";
import { GraphError, PullLockedError } from "../../lib/graph/errors.ts";
import { pull, type PullEvent, type PullOptions } from "../../lib/graph/pull.ts";
import {
  type FakeGraph,
  type FakeGraphOptions,
  makeAudits,
  makeSignIns,
  startFakeGraph,
} from "../fakes/graph_server.ts";
import { countIds, fakeConfig, readAllFiles, recordingSleep } from "./helpers.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-28T12:00:00Z");

async function withFake(opts: FakeGraphOptions, fn: (fake: FakeGraph, out: string) => Promise<void>) {
  const fake = await startFakeGraph(opts);
  const out = await Deno.makeTempDir({ prefix: "pull_test_" });
  try {
    await fn(fake, out);
  } finally {
    await fake.close();
    await Deno.remove(out, { recursive: true });
  }
}

function options(fake: FakeGraph, out: string, extra: Partial<PullOptions> = {}): PullOptions {
  return {
    config: fakeConfig(fake),
    outDir: out,
    range: { from: NOW - 3 * DAY, to: NOW },
    pace: null,
    top: 50,
    sleep: recordingSleep().sleep,
    clock: { now: () => NOW },
    ...extra,
  };
}

function idsIn(records: { id: string; time: number }[], from: number, to: number): string[] {
  return records.filter((r) => r.time >= from && r.time < to).map((r) => r.id).sort();
}

function assertOnce(counts: Map<string, number>, expected: string[]) {
  const dupes = [...counts].filter(([, n]) => n !== 1);
  assert.deepEqual(dupes, [], "records on disk more than once");
  assert.deepEqual([...counts.keys()].sort(), expected);
}

Deno.test("pull() writes pages under dt= partitions with every record exactly once despite faults", async () => {
  const signIns = makeSignIns({ count: 900, from: NOW - 4 * DAY, to: NOW });
  await withFake({
    signIns,
    faults: [
      { type: "429", at: 2, retryAfter: "2" },
      { type: "drop", at: 4 },
      { type: "503", at: 7, retryAfter: null },
      { type: "expireToken", at: 9 },
    ],
  }, async (fake, out) => {
    const events: PullEvent[] = [];
    const r = await pull(options(fake, out, { onEvent: (e) => events.push(e) }));
    const expected = idsIn(signIns, NOW - 3 * DAY, NOW);
    assert.equal(r.records, expected.length);
    assertOnce(await countIds(out), expected);
    const files = (await readAllFiles(out)).map((f) => f.path.slice(out.length));
    assert.ok(files.includes("/signins/dt=2026-11-25/page-00001.json"));
    assert.ok(files.includes("/signins/dt=2026-11-28/page-00001.json"));
    assert.ok(
      files.every((f) =>
        /^\/signins\/dt=\d{4}-\d{2}-\d{2}\/page-\d{5}\.json$|^\/\.pull\/checkpoint$/.test(f)
      ),
      files.join(),
    );
    assert.deepEqual(fake.stats.faultsInjected, { "429": 1, drop: 1, "503": 1, expireToken: 1 });
    assert.equal(fake.stats.tokenRequests, 2);
    assert.ok(events.some((e) => e.type === "retry" && e.throttled));
    // Every request used the unquoted ISO window filter and $top, or a verbatim nextLink.
    for (const q of fake.stats.requests.map((x) => x.query)) {
      if (q.$skiptoken) continue;
      assert.match(
        q.$filter,
        /^createdDateTime ge \d{4}-\d\d-\d\dT[\d:]+Z and createdDateTime lt \d{4}-\d\d-\d\dT[\d:]+Z$/,
      );
      assert.equal(q.$top, "50");
    }
  });
});

Deno.test("pull() writes each page byte for byte as Graph sent it", async () => {
  await withFake(
    { signIns: makeSignIns({ count: 120, from: NOW - DAY, to: NOW }), nextLinkFirst: true },
    async (fake, out) => {
      await pull(options(fake, out, { range: { from: NOW - DAY, to: NOW } }));
      const served = fake.stats.bytesServed;
      const pages = (await readAllFiles(out)).filter((f) => f.path.includes("/page-"));
      assert.equal(pages.reduce((n, f) => n + new TextEncoder().encode(f.text).length, 0), served);
      for (const f of pages) {
        assert.match(
          f.text,
          /^\{"@odata\.context":"http:\/\/127\.0\.0\.1:\d+\/v1\.0\/\$metadata#auditLogs\/signIns"/,
        );
      }
    },
  );
});

Deno.test("pull() skips finished windows on a re-run", async () => {
  await withFake(
    { signIns: makeSignIns({ count: 300, from: NOW - 3 * DAY, to: NOW }) },
    async (fake, out) => {
      const first = await pull(options(fake, out));
      const requests = fake.stats.graphRequests;
      const second = await pull(options(fake, out));
      assert.equal(second.windowsFetched, 0);
      assert.equal(second.windowsSkipped, first.windowsFetched);
      assert.equal(fake.stats.graphRequests, requests);
    },
  );
});

Deno.test("pull() redoes a half-done window from its start and replaces its partial pages", async () => {
  const signIns = makeSignIns({ count: 600, from: NOW - 2 * DAY, to: NOW });
  await withFake({ signIns, faults: [{ type: "forbidden", at: 6 }] }, async (fake, out) => {
    const opts = options(fake, out, { range: { from: NOW - 2 * DAY, to: NOW } });
    await assert.rejects(
      pull(opts),
      (e: unknown) => e instanceof GraphError && e.code === "Authorization_RequestDenied",
    );
    const cp = await loadCheckpoint(out);
    const states = Object.values(cp.windows).map((w) => w.status);
    assert.deepEqual(states, ["done", "started"]);
    assert.ok((await countIds(out)).size > 0, "the failed run left partial pages");
    const r = await pull(opts);
    assert.equal(r.windowsRedone, 1);
    assertOnce(await countIds(out), idsIn(signIns, NOW - 2 * DAY, NOW));
  });
});

Deno.test("pull() keeps pages of other windows in the same day when redoing one", async () => {
  const signIns = makeSignIns({
    count: 800,
    from: NOW - DAY,
    to: NOW,
    eventTypes: ["interactiveUser", "nonInteractiveUser"],
  });
  const day = Date.parse("2026-11-28T00:00:00Z");
  await withFake({ signIns, faults: [{ type: "forbidden", at: 3 }] }, async (fake, out) => {
    const base = options(fake, out, { range: { from: day, to: NOW }, api: "beta" });
    // Interactive fails midway, then non-interactive alone fills the same dt directory, then both resume.
    await assert.rejects(pull({ ...base, eventTypes: ["interactive"] }));
    await pull({ ...base, eventTypes: ["nonInteractive"] });
    const r = await pull({ ...base, eventTypes: ["interactive", "nonInteractive"] });
    assert.equal(r.windowsRedone, 1);
    assertOnce(await countIds(out), idsIn(signIns, day, NOW));
  });
});

Deno.test("pull() --since is incremental from the watermark minus the overlap", async () => {
  const signIns = makeSignIns({ count: 500, from: NOW - 3 * DAY, to: NOW + DAY });
  await withFake({ signIns }, async (fake, out) => {
    await pull(options(fake, out, { range: { sinceMs: DAY } }));
    let cp = await loadCheckpoint(out);
    assert.equal(cp.streams["signins@v1.0"].watermark, "2026-11-28T12:00:00Z");
    fake.stats.requests.length = 0;
    const later = NOW + 6 * 3_600_000;
    await pull(
      options(fake, out, { range: { sinceMs: DAY }, clock: { now: () => later }, overlapMs: 3_600_000 }),
    );
    const filters = fake.stats.requests.filter((q) => q.query.$filter).map((q) => q.query.$filter);
    assert.deepEqual(filters, [
      "createdDateTime ge 2026-11-28T11:00:00Z and createdDateTime lt 2026-11-28T18:00:00Z",
    ]);
    cp = await loadCheckpoint(out);
    assert.equal(cp.streams["signins@v1.0"].watermark, "2026-11-28T18:00:00Z");
    // The overlap hour is on disk twice (the loader dedupes by id); everything else once.
    const counts = await countIds(out);
    for (const r of signIns) {
      const n = counts.get(r.id) ?? 0;
      if (r.time >= NOW - DAY && r.time < NOW - 3_600_000) assert.equal(n, 1);
      if (r.time >= NOW - 3_600_000 && r.time < NOW) assert.equal(n, 2);
      if (r.time >= NOW && r.time < later) assert.equal(n, 1);
    }
  });
});

Deno.test("pull() --since resumes the exact range of an interrupted run", async () => {
  const signIns = makeSignIns({ count: 600, from: NOW - 2 * DAY, to: NOW + DAY });
  // 200 records a day, 50 a page: request 4 is the second page of the second window.
  await withFake({ signIns, faults: [{ type: "forbidden", at: 4 }] }, async (fake, out) => {
    await assert.rejects(pull(options(fake, out, { range: { sinceMs: DAY } })));
    assert.ok((await countIds(out)).size > 100, "the failed run left a finished window and a partial one");
    const later = NOW + 3_600_000;
    const r = await pull(options(fake, out, { range: { sinceMs: DAY }, clock: { now: () => later } }));
    assert.equal(r.windowsRedone, 1);
    assertOnce(await countIds(out), idsIn(signIns, NOW - DAY, NOW));
    const cp = await loadCheckpoint(out);
    assert.equal(cp.streams["signins@v1.0"].watermark, "2026-11-28T12:00:00Z");
    assert.equal(cp.streams["signins@v1.0"].pending, undefined);
  });
});

Deno.test("pull() warns beyond the 30-day retention and clamps a stale watermark", async () => {
  await withFake({ signIns: [] }, async (fake, out) => {
    const events: PullEvent[] = [];
    await pull(
      options(fake, out, { range: { sinceMs: 40 * DAY }, windowMs: DAY, onEvent: (e) => events.push(e) }),
    );
    const warnings = events.flatMap((e) => e.type === "warning" ? [e.message] : []);
    assert.ok(
      warnings.some((w) => /40 days ago .*beyond Graph's 30-day retention/.test(w)),
      warnings.join("\n"),
    );
    assert.ok(
      events.some((e) => e.type === "note" && /v1\.0 lists interactive sign-ins only/.test(e.message)),
    );
    const events2: PullEvent[] = [];
    const muchLater = NOW + 45 * DAY;
    fake.stats.requests.length = 0;
    await pull(
      options(fake, out, {
        range: { sinceMs: DAY },
        clock: { now: () => muchLater },
        onEvent: (e) => events2.push(e),
      }),
    );
    assert.ok(
      events2.some((e) => e.type === "warning" && /records between then and .* are lost/.test(e.message)),
    );
    assert.match(fake.stats.requests[0].query.$filter, /^createdDateTime ge 2026-12-13T12:00:00Z /);
  });
});

Deno.test("pull() of audits filters on activityDateTime into audits/dt=", async () => {
  const audits = makeAudits({ count: 200, from: NOW - 2 * DAY, to: NOW });
  await withFake({ audits }, async (fake, out) => {
    const r = await pull(options(fake, out, { kinds: ["audits"], range: { from: NOW - 2 * DAY, to: NOW } }));
    assert.equal(r.records, 200);
    assertOnce(await countIds(out, "audits"), idsIn(audits, NOW - 2 * DAY, NOW));
    assert.ok(
      fake.stats.requests.every((q) =>
        !q.query.$filter || q.query.$filter.startsWith("activityDateTime ge ")
      ),
    );
  });
});

Deno.test("pull() on beta splits sign-ins by event type filter", async () => {
  const signIns = makeSignIns({
    count: 400,
    from: NOW - DAY,
    to: NOW,
    eventTypes: ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"],
  });
  await withFake({ signIns }, async (fake, out) => {
    await pull(options(fake, out, {
      api: "beta",
      eventTypes: ["interactive", "nonInteractive", "servicePrincipal", "managedIdentity"],
      range: { from: NOW - DAY, to: NOW },
    }));
    assertOnce(await countIds(out), idsIn(signIns, NOW - DAY, NOW));
    const types = new Set(
      fake.stats.requests.flatMap((q) => /t eq '(\w+)'/.exec(q.query.$filter ?? "")?.[1] ?? []),
    );
    assert.deepEqual([...types].sort(), [
      "interactiveUser",
      "managedIdentity",
      "nonInteractiveUser",
      "servicePrincipal",
    ]);
  });
});

Deno.test("pull() refuses a nextLink to another host (the token would follow it)", async () => {
  const out = await Deno.makeTempDir({ prefix: "pull_test_" });
  try {
    const base = "http://127.0.0.1:9";
    const fakeFetch: typeof fetch = () =>
      Promise.resolve(
        new Response(
          JSON.stringify({ value: [], "@odata.nextLink": "https://attacker.example/v1.0/auditLogs/signIns" }),
        ),
      );
    await assert.rejects(
      pull({
        config: {
          tenantId: "t.example.com",
          clientId: "c",
          credential: { kind: "secret", clientSecret: "s" },
          authorityHost: base,
          graphBaseUrl: base,
        },
        outDir: out,
        range: { from: NOW - 3_600_000, to: NOW },
        clock: { now: () => NOW },
        pace: null,
        fetch: fakeFetch,
        tokenProvider: { getToken: () => Promise.resolve("tok") },
      }),
      /nextLink to https:\/\/attacker\.example, not http:\/\/127\.0\.0\.1:9; refusing/,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("pull() refuses to run while another live pull holds the lock", async () => {
  await withFake({}, async (fake, out) => {
    await Deno.mkdir(`${out}/.pull`, { recursive: true });
    await Deno.writeTextFile(`${out}/.pull/lock`, `${Deno.ppid}\n`);
    await assert.rejects(pull(options(fake, out)), PullLockedError);
    // A lock left by a dead process is taken over.
    await Deno.writeTextFile(`${out}/.pull/lock`, "999999999\n");
    await pull(options(fake, out));
  });
});
