import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { writeSampleTenant } from "../../lib/sample/mod.ts";
import { startFakeS3 } from "../fakes/s3_server.ts";
import { runScript } from "../fakes/run_script.ts";

const TASK = fileURLToPath(new URL("../../tasks/push.ts", import.meta.url));

function runPush(args: string[], env: Record<string, string> = {}) {
  return runScript(TASK, args, { env: { NO_COLOR: "1", AWS_EC2_METADATA_DISABLED: "true", ...env } });
}

Deno.test("deno task push uploads the sample tenant's raw pages and skips them on a re-run", async () => {
  const raw = await Deno.makeTempDir({ prefix: "lens-push-task-" });
  await writeSampleTenant({ out: raw, users: 25, days: 7, seed: 3 });
  const fake = await startFakeS3({ buckets: ["acme-logs"] });
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDFAKEFAKEFAKE",
    AWS_SECRET_ACCESS_KEY: "fake-secret",
    AWS_ENDPOINT_URL_S3: fake.url,
  };
  try {
    const first = await runPush(["--to", "s3://acme-logs/entra/", "--from", raw], env);
    assert.equal(first.code, 0, first.stderr);
    const keys = [...fake.objects.keys()];
    assert.ok(keys.some((k) => /^acme-logs\/entra\/signins\/dt=\d{4}-\d{2}-\d{2}\/[^/]+\.json$/.test(k)));
    assert.ok(keys.some((k) => /^acme-logs\/entra\/audits\/dt=\d{4}-\d{2}-\d{2}\/[^/]+\.json$/.test(k)));
    assert.ok(keys.every((k) => !k.endsWith("manifest.json")));
    assert.match(
      first.stdout,
      new RegExp(`${keys.length} file\\(s\\): ${keys.length} uploaded, 0 replaced, 0 unchanged`),
    );
    for (const o of fake.objects.values()) assert.ok(!new TextDecoder().decode(o.body).includes("\n"));

    const second = await runPush(["--to", "s3://acme-logs/entra/", "--from", raw], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`0 uploaded, 0 replaced, ${keys.length} unchanged`));
  } finally {
    await fake.close();
    await Deno.remove(raw, { recursive: true });
  }
});

Deno.test("deno task push answers a wrong option with one line and usage, exit code 2", async () => {
  for (
    const args of [["--to", "https://x/"], ["--from", "data/raw"], [
      "--to",
      "s3://b-1/",
      "--concurrency",
      "0",
    ], ["--bogus"]]
  ) {
    const r = await runPush(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^error: .+\n\nUsage: deno task push/);
    assert.ok(!r.stderr.includes("    at "), "no stack trace");
  }
});

Deno.test("deno task push --dry-run prints its plan on stdout (one line per file), contacting no S3", async () => {
  const raw = await Deno.makeTempDir({ prefix: "lens-push-dry-" });
  try {
    await writeSampleTenant({ out: raw, users: 25, days: 7, seed: 3 });
    // No endpoint, no credentials: a dry run must not need either.
    const r = await runPush(["--to", "s3://acme-logs/entra/", "--from", raw, "--dry-run"], {
      AWS_REGION: "eu-west-1",
    });
    assert.equal(r.code, 0, r.stderr);
    const plan = r.stdout.trim().split("\n");
    const files = Number(/(\d+) file\(s\) would be uploaded/.exec(plan.at(-1)!)?.[1]);
    assert.ok(files > 0, r.stdout);
    assert.equal(plan.length, files + 1, r.stdout);
    assert.ok(
      plan.slice(0, -1).every((l) => /s3:\/\/acme-logs\/entra\/(signins|audits)\/dt=/.test(l)),
      r.stdout,
    );
    assert.doesNotMatch(r.stderr, /s3:\/\//);
  } finally {
    await Deno.remove(raw, { recursive: true });
  }
});
