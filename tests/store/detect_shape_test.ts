import assert from "node:assert/strict";
import { detectShape, UnknownShapeError } from "../../lib/store/mod.ts";

const rec =
  `{"id":"1","createdDateTime":"2026-10-01T00:00:00Z","userPrincipalName":"a@b.c","status":{"errorCode":0}}`;

Deno.test("detectShape() tells Graph pages, one-line or pretty-printed", () => {
  assert.deepEqual(detectShape(`{"@odata.context":"x","value":[${rec}]}\n`), {
    shape: "graph_pages",
    format: "newline_delimited",
    wrapped: false,
  });
  assert.equal(detectShape(`{\n  "@odata.context": "x",\n  "value": [${rec}]\n}`).format, "unstructured");
  assert.equal(detectShape(`{"value":[]}`).shape, "graph_pages");
});

Deno.test("detectShape() reads a one-line page cut off by the head as newline-delimited", () => {
  const head = `{"@odata.context":"x","value":[${rec},${rec},` + `{"id":"2","userAgent":"${"x".repeat(5000)}`;
  assert.equal(detectShape(head).format, "newline_delimited");
});

Deno.test("detectShape() tells NDJSON records, Azure Monitor and Log Analytics apart", () => {
  assert.equal(detectShape(`${rec}\n${rec}\n`).shape, "signin_records");
  assert.equal(detectShape(`[${rec}]`).format, "array");
  assert.deepEqual(detectShape(`{"records":[{"time":"t","category":"SignInLogs","properties":${rec}}]}`), {
    shape: "azure_monitor",
    format: "newline_delimited",
    wrapped: true,
  });
  assert.equal(detectShape(`{"time":"t","category":"SignInLogs","properties":${rec}}\n`).wrapped, false);
  assert.equal(
    detectShape(`[{"TimeGenerated":"t","ResultType":"0","UserPrincipalName":"a@b.c"}]`).shape,
    "log_analytics",
  );
  assert.equal(
    detectShape(`{"value":[{"id":"a","activityDateTime":"t","activityDisplayName":"Add user"}]}`).shape,
    "audit_pages",
  );
});

Deno.test("detectShape() names what it found when the shape is unknown", () => {
  assert.throws(
    () => detectShape(`{"hello":1}`),
    (e) => e instanceof UnknownShapeError && /top-level keys: hello/.test(e.message),
  );
  assert.throws(() => detectShape(`hello`), /does not start with a JSON object or array/);
  // A string value that looks like a key must not count as one.
  assert.throws(() => detectShape(`{"note":"value: [1]"}`), /top-level keys: note/);
});
