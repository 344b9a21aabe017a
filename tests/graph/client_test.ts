import assert from "node:assert/strict";
import { createMsalTokenProvider } from "../../lib/graph/auth.ts";
import { type ClientEvent, GraphClient, type GraphClientOptions } from "../../lib/graph/client.ts";
import { GraphError, TransientError } from "../../lib/graph/errors.ts";
import { type FakeGraphOptions, type Fault, makeSignIns, startFakeGraph } from "../fakes/graph_server.ts";
import { fakeConfig, MemorySink, recordingSleep } from "./helpers.ts";

const NOW = Date.parse("2026-11-28T12:00:00Z");

async function withClient(
  faults: Fault[],
  fn: (ctx: {
    client: GraphClient;
    url: string;
    waits: number[];
    events: ClientEvent[];
    fake: Awaited<ReturnType<typeof startFakeGraph>>;
  }) => Promise<void>,
  extra: { fake?: FakeGraphOptions; client?: Partial<GraphClientOptions> } = {},
) {
  const fake = await startFakeGraph({
    signIns: makeSignIns({ count: 25, from: NOW - 86_400_000, to: NOW }),
    faults,
    ...extra.fake,
  });
  try {
    const { sleep, waits } = recordingSleep();
    const events: ClientEvent[] = [];
    const client = new GraphClient({
      tokenProvider: createMsalTokenProvider(fakeConfig(fake)),
      sleep,
      random: () => 0.5,
      clock: { now: () => NOW },
      onEvent: (e) => events.push(e),
      ...extra.client,
    });
    await fn({ client, url: `${fake.url}/v1.0/auditLogs/signIns?$top=10`, waits, events, fake });
  } finally {
    await fake.close();
  }
}

Deno.test("GraphClient.getPage() streams a page and follows nothing by itself", async () => {
  await withClient([], async ({ client, url, waits, fake }) => {
    const page = await client.getPage(url, new MemorySink());
    assert.equal(page.summary.records, 10);
    assert.match(page.summary.nextLink ?? "", /\$skiptoken=/);
    assert.match(
      page.text,
      /^\{"@odata\.context":"http:\/\/127\.0\.0\.1:\d+\/v1\.0\/\$metadata#auditLogs\/signIns"/,
    );
    assert.deepEqual(waits, []);
    assert.equal(fake.stats.tokenRequests, 1);
  });
});

Deno.test("GraphClient.getPage() waits the Retry-After seconds of a 429, then succeeds", async () => {
  await withClient(
    [{ type: "429", at: 1, retryAfter: "7" }],
    async ({ client, url, waits, events, fake }) => {
      const page = await client.getPage(url, new MemorySink());
      assert.equal(page.summary.records, 10);
      assert.deepEqual(waits, [7000]);
      assert.equal(fake.stats.throttled, 1);
      assert.ok(events.some((e) => e.type === "retry" && e.throttled && e.status === 429));
    },
  );
});

Deno.test("GraphClient.getPage() honors a Retry-After HTTP date on 503", async () => {
  const at = new Date(NOW + 5000).toUTCString();
  await withClient([{ type: "503", at: 1, retryAfter: at }], async ({ client, url, waits }) => {
    await client.getPage(url, new MemorySink());
    assert.deepEqual(waits, [5000]);
  });
});

Deno.test("GraphClient.getPage() backs off exponentially on 504 without Retry-After", async () => {
  await withClient([{ type: "504", at: 1, times: 3, retryAfter: null }], async ({ client, url, waits }) => {
    await client.getPage(url, new MemorySink());
    // random() = 0.5 → 3/4 of each doubling step (1 s, 2 s, 4 s).
    assert.deepEqual(waits, [750, 1500, 3000]);
  });
});

Deno.test("GraphClient.getPage() refetches a page whose connection dropped mid-body", async () => {
  await withClient([{ type: "drop", at: 1 }], async ({ client, url, waits, fake }) => {
    const sink = new MemorySink();
    const page = await client.getPage(url, sink);
    assert.equal(page.summary.complete, true);
    assert.equal(page.summary.records, 10);
    assert.equal(sink.aborts, 1);
    assert.equal(waits.length, 1);
    assert.equal(fake.stats.faultsInjected.drop, 1);
  });
});

Deno.test("GraphClient.getPage() times out a stalled body and retries", async () => {
  await withClient([{ type: "stall", at: 1 }], async ({ client, url, waits }) => {
    const page = await client.getPage(url, new MemorySink());
    assert.equal(page.summary.records, 10);
    assert.equal(waits.length, 1);
  }, { client: { idleTimeoutMs: 300 } });
});

Deno.test("GraphClient.getPage() refreshes an expired token once on 401", async () => {
  await withClient([{ type: "expireToken", at: 2 }], async ({ client, url, waits, events, fake }) => {
    await client.getPage(url, new MemorySink());
    await client.getPage(url, new MemorySink());
    assert.equal(fake.stats.tokenRequests, 2);
    assert.equal(fake.stats.byStatus["401"], 1);
    assert.deepEqual(waits, []);
    assert.equal(events.filter((e) => e.type === "token-refresh").length, 1);
  });
});

Deno.test("GraphClient.getPage() fails when the refreshed token is rejected too", async () => {
  await withClient([{ type: "expireToken", at: 1, times: 2 }], async ({ client, url, fake }) => {
    await assert.rejects(client.getPage(url, new MemorySink()), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.status, 401);
      assert.equal(e.code, "InvalidAuthenticationToken");
      return true;
    });
    assert.equal(fake.stats.tokenRequests, 2);
  });
});

Deno.test("GraphClient.getPage() fails at once on Authorization_RequestDenied with a permission hint", async () => {
  await withClient([{ type: "forbidden", at: 1 }], async ({ client, url, waits, fake }) => {
    await assert.rejects(client.getPage(url, new MemorySink()), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, "Authorization_RequestDenied");
      assert.match(
        e.message,
        /403 Authorization_RequestDenied: Insufficient privileges.*AuditLog\.Read\.All/,
      );
      assert.match(e.message, /request-id [0-9a-f-]{36}/);
      return true;
    });
    assert.equal(fake.stats.graphRequests, 1);
    assert.deepEqual(waits, []);
  });
});

Deno.test("GraphClient.getPage() reports a missing premium licence", async () => {
  await withClient([{ type: "premium", at: 1 }], async ({ client, url }) => {
    await assert.rejects(
      client.getPage(url, new MemorySink()),
      /Authentication_RequestFromNonPremiumTenantOrB2CTenant.*P1 or P2/,
    );
  });
});

Deno.test("GraphClient.getPage() passes Graph's message for a bad filter through", async () => {
  await withClient([], async ({ client, fake }) => {
    const url = `${fake.url}/v1.0/auditLogs/signIns?$filter=${
      encodeURIComponent("createdDateTime ge '2026-11-01T00:00:00Z'")
    }`;
    await assert.rejects(client.getPage(url, new MemorySink()), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.status, 400);
      assert.equal(e.code, "BadRequest");
      assert.match(e.message, /incompatible types/);
      return true;
    });
    assert.equal(fake.stats.graphRequests, 1);
  });
});

Deno.test("GraphClient.getPage() gives up after the configured attempts", async () => {
  await withClient([{ type: "503", at: 1, times: 10 }], async ({ client, url, waits, fake }) => {
    await assert.rejects(client.getPage(url, new MemorySink()), (e: unknown) => {
      assert.ok(e instanceof TransientError);
      assert.match(e.message, /Gave up on \/v1\.0\/auditLogs\/signIns after 3 attempts; last fault: 503/);
      return true;
    });
    assert.equal(waits.length, 2);
    assert.equal(fake.stats.graphRequests, 3);
  }, { client: { retry: { maxAttempts: 3 } } });
});

Deno.test("GraphClient.getPage() retries a refused connection", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const { sleep, waits } = recordingSleep();
  const client = new GraphClient({
    tokenProvider: { getToken: () => Promise.resolve("t0ken-for-test") },
    sleep,
    random: () => 0,
    retry: { maxAttempts: 3 },
  });
  await assert.rejects(
    client.getPage(`http://127.0.0.1:${port}/v1.0/auditLogs/signIns`, new MemorySink()),
    /after 3 attempts; last fault: connection failed before the response/,
  );
  assert.equal(waits.length, 2);
});

Deno.test("GraphClient paces requests when a pace is set", async () => {
  let now = NOW;
  const waits: number[] = [];
  await withClient([], async ({ client, url, fake }) => {
    for (let i = 0; i < 5; i++) await client.getPage(url, new MemorySink());
    // Two requests per 10 s (plus the 250 ms safety margin): at 0, 0, 10.25 s, 10.25 s, 20.5 s.
    assert.deepEqual(waits, [10_250, 10_250]);
    assert.equal(fake.stats.graphRequests, 5);
  }, {
    client: {
      pace: { requests: 2, perMs: 10_000 },
      clock: { now: () => now },
      sleep: (ms) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
    },
  });
});
