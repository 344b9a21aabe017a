import assert from "node:assert/strict";
import { type CliIo, parseArgsMessage, parseCli } from "../lib/cli/parse_cli.ts";

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fakeIo() {
  const seen = { out: "", err: "" };
  const io: CliIo = {
    out: (t) => void (seen.out += t),
    err: (t) => void (seen.err += t),
    exit: (code) => {
      throw new Exit(code);
    },
  };
  return { io, seen };
}

const spec = {
  usage: "Usage: deno task x [--db FILE]\n\nExample:\n  deno task x --db a",
  options: { db: { type: "string" as const } },
};

Deno.test("parseCli() prints the usage for --help and exits 0", () => {
  const { io, seen } = fakeIo();
  assert.throws(() => parseCli(["--help"], spec, io), (e) => e instanceof Exit && e.code === 0);
  assert.match(seen.out, /^Usage: deno task x/);
  assert.equal(seen.err, "");
});

Deno.test("parseCli() answers a wrong option with one line and the usage, exit 2, no stack", () => {
  const { io, seen } = fakeIo();
  assert.throws(() => parseCli(["--dbb", "x"], spec, io), (e) => e instanceof Exit && e.code === 2);
  assert.equal(seen.err.split("\n")[0], "error: Unknown option '--dbb'");
  assert.match(seen.err, /\n\nUsage: deno task x/);
  assert.doesNotMatch(seen.err, /at .*\.ts:\d+/);
});

Deno.test("parseCli() returns values and positionals when the line is right", () => {
  const { io } = fakeIo();
  const r = parseCli(["--db", "s.duckdb"], spec, io);
  assert.equal(r.values.db, "s.duckdb");
  assert.deepEqual(r.positionals, []);
});

Deno.test("parseArgsMessage() keeps node's first sentence only", () => {
  const e = new Error(
    "Unknown option '--x'. To specify a positional argument starting with a '-', place it …",
  );
  assert.equal(parseArgsMessage(e), "Unknown option '--x'");
});
