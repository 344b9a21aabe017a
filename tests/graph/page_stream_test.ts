/**
 * The body of a page goes from the socket to its file through one reused buffer: byte for byte whatever the
 * read sizes, a cut or dropped body still fails loudly and leaves nothing behind, and a body that is not a
 * byte stream (a test's own Response) is read the ordinary way.
 */
import assert from "node:assert/strict";
import { GraphClient } from "../../lib/graph/client.ts";
import type { PageSink } from "../../lib/graph/client.ts";
import { TransientError } from "../../lib/graph/errors.ts";
import type { PageSummary } from "../../lib/graph/page_scanner.ts";
import { PageFileSink } from "../../lib/graph/page_store.ts";
import { recordingSleep } from "./helpers.ts";

const enc = new TextEncoder();

/** A page of `n` records over 1 MB, with multi-byte characters and escapes that reads split anywhere. */
function bigPage(n: number): { bytes: Uint8Array; last: string; next: string } {
  const records = [];
  for (let i = 0; i < n; i++) {
    records.push({
      id: `id-${i}`,
      createdDateTime: `2026-11-02T${String(23 - (i % 24)).padStart(2, "0")}:00:${
        String(i % 60).padStart(2, "0")
      }Z`,
      userDisplayName: `Zoë 😀 "quoted" \\ ${i}`,
      status: { errorCode: i % 7 === 0 ? 50126 : 0, additionalDetails: "x".repeat(900) },
      location: { city: "São Paulo", geoCoordinates: { latitude: -23.5, longitude: -46.6 } },
    });
  }
  const next = `http://127.0.0.1/v1.0/auditLogs/signIns?$top=${n}&$skiptoken=${"t".repeat(3000)}`;
  const text = JSON.stringify({
    "@odata.context": "http://127.0.0.1/v1.0/$metadata#auditLogs/signIns",
    value: records,
    "@odata.nextLink": next,
  });
  return { bytes: enc.encode(text), last: records[n - 1].createdDateTime, next };
}

/** Serves `bytes` in pieces of the given sizes (cycled), then `end`: close the body or drop the connection. */
function serve(
  bytes: Uint8Array,
  sizes: number[],
  end: "close" | "drop" = "close",
): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let at = 0, k = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) {
          if (end === "drop") c.error(new Error("page_stream_test drops the connection mid-body (expected)"));
          else c.close();
          return;
        }
        const n = sizes[k++ % sizes.length];
        c.enqueue(bytes.slice(at, at + n));
        at += n;
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1.0/auditLogs/signIns`,
    close: () => server.shutdown(),
  };
}

function client(extra: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}): GraphClient {
  return new GraphClient({
    tokenProvider: { getToken: () => Promise.resolve("tok") },
    pace: null,
    sleep: recordingSleep().sleep,
    random: () => 0.5,
    ...extra,
  });
}

/** Passes chunks on to a PageFileSink and notes whether each earlier chunk's buffer was taken back. */
class WatchingSink implements PageSink<PageSummary> {
  chunks = 0;
  reclaimed = 0;
  #previous: Uint8Array | undefined;
  constructor(readonly inner: PageFileSink) {}
  begin() {
    this.#previous = undefined;
    return this.inner.begin();
  }
  chunk(bytes: Uint8Array) {
    this.chunks++;
    // A reused buffer is transferred into the next read, which detaches the view handed out before.
    if (this.#previous && this.#previous.byteLength === 0) this.reclaimed++;
    this.#previous = bytes;
    return this.inner.chunk(bytes);
  }
  end() {
    return this.inner.end();
  }
  abort() {
    return this.inner.abort();
  }
}

async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("a page read in many pieces lands byte for byte, through one reused read buffer", async () => {
  const page = bigPage(1200);
  assert.ok(page.bytes.length > 1_000_000);
  const srv = serve(page.bytes, [1, 7, 65_536, 100_003, 13, 4096, 250_000]);
  const dir = await Deno.makeTempDir({ prefix: "page_stream_" });
  try {
    const sink = new WatchingSink(new PageFileSink(dir, 1));
    const summary = await client().getPage(srv.url, sink);
    assert.deepEqual(await Deno.readFile(`${dir}/page-00001.json`), page.bytes);
    assert.deepEqual(await filesIn(dir), ["page-00001.json"]);
    assert.equal(summary.records, 1200);
    assert.equal(summary.bytes, page.bytes.length);
    assert.equal(summary.lastTimestamp, page.last);
    assert.equal(summary.nextLink, page.next);
    assert.ok(sink.chunks > 16, `${sink.chunks} reads`);
    // Every read after the first went into the buffer the one before had used.
    assert.equal(sink.reclaimed, sink.chunks - 1);
  } finally {
    await srv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a page body cut short or dropped mid-way fails loudly after its retries and leaves no file", async () => {
  const page = bigPage(300);
  const cut = serve(page.bytes.subarray(0, page.bytes.length - 40), [65_536]);
  const drop = serve(page.bytes.subarray(0, 200_000), [30_000], "drop");
  const dir = await Deno.makeTempDir({ prefix: "page_stream_" });
  try {
    const events: string[] = [];
    const c = client({
      retry: { maxAttempts: 3 },
      onEvent: (e) => e.type === "retry" && events.push(e.reason),
    });
    await assert.rejects(c.getPage(cut.url, new PageFileSink(dir, 1)), (e: unknown) => {
      assert.ok(e instanceof TransientError);
      assert.match(e.message, /Gave up on \/v1\.0\/auditLogs\/signIns after 3 attempts/);
      assert.match(e.message, /incomplete page body \(page ends before its JSON object closes, \d+ bytes\)/);
      return true;
    });
    assert.equal(events.length, 2);
    await assert.rejects(c.getPage(drop.url, new PageFileSink(dir, 2)), (e: unknown) => {
      assert.ok(e instanceof TransientError);
      assert.match(e.message, /after 3 attempts; last fault: connection failed mid-body after \d+ bytes/);
      return true;
    });
    assert.deepEqual(await filesIn(dir), []);
  } finally {
    await cut.close();
    await drop.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a body that is not a byte stream (an injected fetch's own Response) is read the ordinary way", async () => {
  const page = bigPage(200);
  const fakeFetch: typeof fetch = () => {
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= page.bytes.length) return c.close();
        c.enqueue(page.bytes.slice(at, at + 10_000));
        at += 10_000;
      },
    });
    return Promise.resolve(new Response(body));
  };
  const dir = await Deno.makeTempDir({ prefix: "page_stream_" });
  try {
    const sink = new WatchingSink(new PageFileSink(dir, 1));
    const summary = await client({ fetch: fakeFetch }).getPage("http://127.0.0.1:9/v1.0/x", sink);
    assert.deepEqual(await Deno.readFile(`${dir}/page-00001.json`), page.bytes);
    assert.equal(summary.records, 200);
    assert.equal(sink.reclaimed, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
