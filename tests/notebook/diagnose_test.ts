import assert from "node:assert/strict";
import { isOpaqueFailure, parseCheckOutput } from "../../lib/notebook/diagnose.ts";

const URL_ = "file:///nb/.signin-lens-cell-x.ts";

Deno.test("isOpaqueFailure() matches only the kernel's detail-free reply", () => {
  assert.equal(isOpaqueFailure("Error", "Execution failed", []), true);
  assert.equal(isOpaqueFailure("Error", "Execution failed", ["Error: x"]), false);
  assert.equal(isOpaqueFailure("TypeError", "Execution failed", []), false);
});

Deno.test("parseCheckOutput() extracts a syntax error and relabels the temp file", () => {
  const output = [
    "error: SyntaxError: Expression expected",
    "  |",
    "1 | let x = ;",
    "  |         ~",
    `    at ${URL_}:1:9`,
    "",
    "Stack backtrace:",
    "   0: <unknown>",
  ].join("\n");
  assert.deepEqual(parseCheckOutput(output, URL_, "cell 3"), {
    ename: "SyntaxError",
    evalue: "Expression expected\n  |\n1 | let x = ;\n  |         ~\n    at cell 3:1:9",
  });
});

Deno.test("parseCheckOutput() extracts a module resolution error", () => {
  const output =
    `Download https://registry.npmjs.org/nope\nerror: npm package 'nope' does not exist.\n    at ${URL_}:1:17\n`;
  assert.deepEqual(parseCheckOutput(output, URL_, "cell 2"), {
    ename: "ModuleError",
    evalue: "npm package 'nope' does not exist.\n    at cell 2:1:17",
  });
});

Deno.test("parseCheckOutput() ignores type errors, which the kernel never raises", () => {
  const output =
    `TS2304 [ERROR]: Cannot find name 'y'.\n    at ${URL_}:2:3\n\nerror: Type checking failed.\n`;
  assert.equal(parseCheckOutput(output, URL_, "cell 2"), undefined);
  assert.equal(parseCheckOutput("", URL_, "cell 2"), undefined);
});
