import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  decodeMessage,
  DELIMITER,
  encodeMessage,
  makeHeader,
  sign,
  WireError,
} from "../../lib/notebook/wire.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const session = { session: "s-1", username: "tester" };

Deno.test("sign() is the hex HMAC-SHA256 of the four JSON parts in order", async () => {
  const parts = ['{"a":1}', "{}", "{}", '{"code":"1+1"}'];
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode("secret"),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "sign",
    ],
  );
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(parts.join(""))));
  const hex = Array.from(expected, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(sign("secret", parts), hex);
  assert.equal(sign("", parts), "");
});

Deno.test("encodeMessage() lays out identities, delimiter, signature, four JSON frames and buffers", () => {
  const header = makeHeader("execute_request", session, {
    msgId: "m-1",
    date: new Date("2026-01-02T03:04:05Z"),
  });
  const frames = encodeMessage({
    identities: [enc.encode("topic")],
    header,
    parent_header: {},
    metadata: {},
    content: { code: "1" },
    buffers: [new Uint8Array([1, 2])],
  }, "k");
  assert.equal(frames.length, 8);
  assert.equal(dec.decode(frames[0]), "topic");
  assert.equal(dec.decode(frames[1]), DELIMITER);
  const parts = frames.slice(3, 7).map((f) => dec.decode(f));
  assert.equal(dec.decode(frames[2]), createHmac("sha256", "k").update(parts.join("")).digest("hex"));
  assert.deepEqual(JSON.parse(parts[0]), {
    msg_id: "m-1",
    msg_type: "execute_request",
    session: "s-1",
    username: "tester",
    date: "2026-01-02T03:04:05.000Z",
    version: "5.3",
  });
  assert.deepEqual(frames[7], new Uint8Array([1, 2]));
});

Deno.test("decodeMessage() round-trips a signed message", () => {
  const header = makeHeader("stream", session);
  const frames = encodeMessage(
    { header, parent_header: { msg_id: "p" }, metadata: { m: 1 }, content: { text: "hi" } },
    "key",
  );
  const message = decodeMessage([enc.encode("iopub"), ...frames], "key");
  assert.deepEqual(message.identities.map((f) => dec.decode(f)), ["iopub"]);
  assert.equal(message.header.msg_id, header.msg_id);
  assert.equal(message.parent_header.msg_id, "p");
  assert.deepEqual(message.metadata, { m: 1 });
  assert.deepEqual(message.content, { text: "hi" });
  assert.deepEqual(message.buffers, []);
});

Deno.test("decodeMessage() rejects a tampered content frame or a wrong key", () => {
  const frames = encodeMessage(
    { header: makeHeader("stream", session), parent_header: {}, metadata: {}, content: { text: "a" } },
    "key",
  );
  const tampered = [...frames];
  tampered[5] = enc.encode('{"text":"b"}');
  assert.throws(() => decodeMessage(tampered, "key"), WireError);
  assert.throws(() => decodeMessage(frames, "other"), /signature does not match/);
  // Signing disabled (empty key) accepts any signature.
  assert.equal(decodeMessage(tampered, "").content.text, "b");
});

Deno.test("decodeMessage() names what is malformed", () => {
  assert.throws(() => decodeMessage([enc.encode("x")], ""), /no <IDS\|MSG> delimiter/);
  assert.throws(() => decodeMessage([enc.encode(DELIMITER), enc.encode("")], ""), /expected at least 5/);
  const bad = [
    enc.encode(DELIMITER),
    enc.encode(""),
    enc.encode("{"),
    enc.encode("{}"),
    enc.encode("{}"),
    enc.encode("{}"),
  ];
  assert.throws(() => decodeMessage(bad, ""), /header is not valid JSON/);
  const noType = [
    enc.encode(DELIMITER),
    enc.encode(""),
    enc.encode("{}"),
    enc.encode("{}"),
    enc.encode("{}"),
    enc.encode("{}"),
  ];
  assert.throws(() => decodeMessage(noType, ""), /lacks msg_id or msg_type/);
});
