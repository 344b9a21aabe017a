import assert from "node:assert/strict";
import { PageScanner, scanPage } from "../../lib/graph/page_scanner.ts";

const enc = new TextEncoder();

function scanInChunks(text: string, size: number) {
  const bytes = enc.encode(text);
  const s = new PageScanner();
  for (let i = 0; i < bytes.length; i += size) s.feed(bytes.subarray(i, i + size));
  return s.summary();
}

const PAGE = JSON.stringify({
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
  value: [
    {
      id: "a",
      createdDateTime: "2026-11-02T10:00:00Z",
      status: { errorCode: 0 },
      note: 'brace } in "string" [',
    },
    { id: "b", createdDateTime: "2026-11-02T09:00:00Z", nested: { createdDateTime: "1999-01-01T00:00:00Z" } },
    { id: "c", createdDateTime: "2026-11-02T08:00:00Z", userDisplayName: "Zoë 😀 \\" },
  ],
  "@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=3&$skiptoken=abc\u0026x",
});

Deno.test("PageScanner finds nextLink, record count and the oldest timestamp whatever the chunking", () => {
  for (const size of [1, 2, 3, 7, 64, 100_000]) {
    const s = scanInChunks(PAGE, size);
    assert.equal(s.complete, true, `chunk ${size}`);
    assert.equal(s.records, 3);
    assert.equal(s.nextLink, "https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=3&$skiptoken=abc&x");
    assert.equal(s.context, "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns");
    assert.equal(s.lastTimestamp, "2026-11-02T08:00:00Z");
    assert.equal(s.bytes, enc.encode(PAGE).length);
  }
});

Deno.test("PageScanner reads a nextLink placed before value and escaped slashes", () => {
  const text =
    '{"@odata.nextLink":"https:\\/\\/g\\/next","value":[{"activityDateTime":"2026-11-01T00:00:01Z"}]}';
  const s = scanPage(enc.encode(text));
  assert.equal(s.complete, true);
  assert.equal(s.nextLink, "https://g/next");
  assert.equal(s.records, 1);
  assert.equal(s.lastTimestamp, "2026-11-01T00:00:01Z");
});

Deno.test("PageScanner reports a last page without nextLink and an empty value", () => {
  const s = scanPage(enc.encode('{"@odata.context":"x","value":[]}'));
  assert.deepEqual([s.complete, s.records, s.nextLink], [true, 0, undefined]);
});

Deno.test("PageScanner flags truncated, trailing and non-object bodies", () => {
  const bytes = enc.encode(PAGE);
  for (const cut of [0, 1, 10, Math.floor(bytes.length / 2), bytes.length - 1]) {
    assert.equal(scanPage(bytes.subarray(0, cut)).complete, false, `cut at ${cut}`);
  }
  assert.match(scanPage(enc.encode(PAGE + "{}")).problem ?? "", /data after/);
  assert.match(scanPage(enc.encode("[1,2]")).problem ?? "", /does not start with a JSON object/);
  assert.match(scanPage(enc.encode('{"value":[}')).problem ?? "", /mismatched/);
});

Deno.test("PageScanner keeps a long nextLink whole and refuses one past its limit", () => {
  const long = `https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=${"a1/".repeat(3000)}`;
  const page = (link: string) =>
    JSON.stringify({ "@odata.context": "c", value: [{ id: "a" }], "@odata.nextLink": link });
  for (const size of [1, 5, 300, 100_000]) {
    const s = scanInChunks(page(long), size);
    assert.equal(s.complete, true, `chunk ${size}`);
    assert.equal(s.nextLink, long, `chunk ${size}`);
  }
  const tooLong = scanPage(enc.encode(page(`https://g/${"x".repeat(70_000)}`)));
  assert.equal(tooLong.complete, false);
  assert.match(tooLong.problem ?? "", /@odata\.nextLink is too long/);
});

Deno.test("PageScanner gives the last record's timestamp, escaped or not, and still rejects a malformed one", () => {
  const rec = (t: string) => `{"id":"x","createdDateTime":"${t}"}`;
  const page = (...ts: string[]) => `{"@odata.context":"c","value":[${ts.map(rec).join(",")}]}`;
  // Escaped (decoded through JSON.parse) after a plain one, and a plain one after an escaped one.
  assert.equal(
    scanPage(enc.encode(page("2026-11-02T10:00:00Z", "2026-11-02T09:00:00\\u005A"))).lastTimestamp,
    "2026-11-02T09:00:00Z",
  );
  assert.equal(
    scanPage(enc.encode(page("2026-11-02T10:00:00\\u005A", "2026-11-02T08:00:00Z"))).lastTimestamp,
    "2026-11-02T08:00:00Z",
  );
  assert.equal(
    scanPage(enc.encode(page("2026-11-02T10:00:00Z", "2026-11-02T0𝟘:00:00Z"))).lastTimestamp,
    "2026-11-02T0𝟘:00:00Z",
  );
  // A raw control byte or a bad escape in any record's timestamp, not only the last one, is not JSON.
  for (const bad of ["2026-11-02T10:00:00\u0001Z", "2026-11-02T10:00:00\\xZ"]) {
    const s = scanPage(enc.encode(page(bad, "2026-11-02T08:00:00Z")));
    assert.equal(s.complete, false, JSON.stringify(bad));
    assert.match(s.problem ?? "", /malformed string/);
  }
  // summary() part-way, then more records: it follows the stream.
  const bytes = enc.encode(page("2026-11-02T10:00:00Z", "2026-11-02T09:00:00Z", "2026-11-02T08:00:00Z"));
  const s = new PageScanner();
  const mid = new TextDecoder().decode(bytes).indexOf("09:00:00Z") + 12;
  s.feed(bytes.subarray(0, mid));
  assert.equal(s.summary().lastTimestamp, "2026-11-02T09:00:00Z");
  s.feed(bytes.subarray(mid));
  assert.deepEqual([s.summary().lastTimestamp, s.summary().records, s.summary().complete], [
    "2026-11-02T08:00:00Z",
    3,
    true,
  ]);
});
