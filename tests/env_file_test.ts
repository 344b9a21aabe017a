import assert from "node:assert/strict";
import { loadEnvFile, parseEnvFile } from "../lib/env_file.ts";

Deno.test("parseEnvFile() reads comments, export, quotes and inline comments", () => {
  const text =
    `# tenant\nexport AZURE_TENANT_ID=contoso.onmicrosoft.com\nAZURE_CLIENT_SECRET="a#b \\"c\\""\n` +
    `X='lit\\n' \nY = plain # note\n\n`;
  assert.deepEqual(parseEnvFile(text), {
    AZURE_TENANT_ID: "contoso.onmicrosoft.com",
    AZURE_CLIENT_SECRET: 'a#b "c"',
    X: "lit\\n",
    Y: "plain",
  });
});

Deno.test("parseEnvFile() names the file and line of a malformed entry", () => {
  assert.throws(() => parseEnvFile("A=1\nnot a pair\n", "prod.env"), /prod\.env:2: expected KEY=VALUE/);
  assert.throws(() => parseEnvFile('A="open\n'), /\.env:1: unterminated " quote in A/);
});

Deno.test("loadEnvFile() never overrides the real environment and can be turned off", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/x.env`, "A=from-file\nB=from-file\n");
    const vars = new Map<string, string>([["SIGNIN_LENS_ENV_FILE", `${dir}/x.env`], ["A", "real"]]);
    const env = { get: (k: string) => vars.get(k), set: (k: string, v: string) => void vars.set(k, v) };
    assert.deepEqual(await loadEnvFile(env), ["B"]);
    assert.equal(vars.get("A"), "real");
    assert.equal(vars.get("B"), "from-file");
    vars.set("SIGNIN_LENS_ENV_FILE", "");
    vars.delete("B");
    assert.deepEqual(await loadEnvFile(env), []);
    vars.set("SIGNIN_LENS_ENV_FILE", `${dir}/missing.env`);
    await assert.rejects(() => loadEnvFile(env), /cannot read the env file .*missing\.env/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
