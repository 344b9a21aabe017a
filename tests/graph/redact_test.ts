import assert from "node:assert/strict";
import { Redactor } from "../../lib/graph/redact.ts";
import { b64, secretForms } from "./helpers.ts";

/** A secret shaped like Azure's (`~`, `.`), with the characters encoders disagree on. */
const SECRET = 'S3cr3t~Probe/ZXQ+v8=.x_y-z q"é';

Deno.test("Redactor.redact() removes a secret in every encoding a server may echo", () => {
  const r = new Redactor([SECRET]);
  for (const [name, form] of Object.entries(secretForms(SECRET))) {
    const out = r.redact(`error: client_secret echo <${form}> done`);
    assert.ok(!out.includes(form), `${name}: ${out}`);
    assert.match(out, /\[redacted\]/, name);
    assert.match(out, /^error: .* done$/, name);
  }
});

Deno.test("Redactor.redact() removes a secret's base64 inside a longer base64 text at any alignment", () => {
  const r = new Redactor([SECRET]);
  for (const prefix of ["", "a", "ab", "client-id:"]) {
    const blob = b64(`${prefix}${SECRET}`);
    const out = r.redact(`Authorization: Basic ${blob}`);
    const m = /^Authorization: Basic (\S*)\[redacted\](\S*)$/.exec(out);
    assert.ok(m, `${prefix}: ${out}`);
    // At most the 4-character group straddling each end of the secret survives: 2 bytes, nothing to decode.
    assert.ok(m[1].length <= Math.ceil(prefix.length / 3) * 4 + 4, `${prefix}: ${out}`);
    assert.ok(m[2].length <= 4, `${prefix}: ${out}`);
  }
});

Deno.test("Redactor.redact() leaves ordinary text alone and ignores short values", () => {
  const r = new Redactor([SECRET, "short"]);
  assert.equal(r.redact("a short note about S3cr3t"), "a short note about S3cr3t");
});
