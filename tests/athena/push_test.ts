import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "../../lib/athena/client.ts";
import { athenaConfigFromEnv } from "../../lib/athena/config.ts";
import { PushError, pushRaw } from "../../lib/athena/push.ts";
import { startFakeS3 } from "../fakes/s3_server.ts";
import { FIXTURE_FILES } from "./test_store.ts";

const CREDENTIALS = { accessKeyId: "AKIDFAKEFAKEFAKE", secretAccessKey: "fake-secret" };
const fixture = (name: string) => FIXTURE_FILES.find((f) => f.endsWith(`/${name}`))!;
const MiB = 1024 * 1024;

async function rawTree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "lens-push-" });
  const day = join(root, "signins", "dt=2026-10-03");
  await Deno.mkdir(day, { recursive: true });
  await Deno.copyFile(fixture("graph_page_pretty.json"), join(day, "page-00001.json"));
  await Deno.copyFile(fixture("graph_page.json"), join(day, "page-00002.json"));
  await Deno.writeTextFile(join(day, ".page-00003.json.partial"), "{");
  const audits = join(root, "audits", "dt=2026-10-02");
  await Deno.mkdir(audits, { recursive: true });
  await Deno.writeTextFile(
    join(audits, "page-00001.json"),
    JSON.stringify({ value: [{ id: "a1", activityDisplayName: "Add user" }] }, null, 2),
  );
  return root;
}

async function withS3(
  fn: (
    ctx: { fake: Awaited<ReturnType<typeof startFakeS3>>; client: ReturnType<typeof createS3Client> },
  ) => Promise<void>,
  options: { failPart?: number } = {},
) {
  const fake = await startFakeS3({ buckets: ["acme-logs"], ...options });
  const config = athenaConfigFromEnv({ AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL_S3: fake.url });
  assert.equal(config.s3ForcePathStyle, true);
  const client = createS3Client(config, { credentials: CREDENTIALS, maxAttempts: 1 });
  try {
    await fn({ fake, client });
  } finally {
    client.destroy();
    await fake.close();
  }
}

Deno.test("pushRaw() uploads pages in the DDL's layout, each on a single line", async () => {
  const root = await rawTree();
  await withS3(async ({ fake, client }) => {
    const result = await pushRaw({ from: root, to: "s3://acme-logs/entra", client });
    assert.equal(result.files, 3);
    assert.equal(result.uploaded, 3);
    assert.deepEqual([...fake.objects.keys()].sort(), [
      "acme-logs/entra/audits/dt=2026-10-02/page-00001.json",
      "acme-logs/entra/signins/dt=2026-10-03/page-00001.json",
      "acme-logs/entra/signins/dt=2026-10-03/page-00002.json",
    ]);
    const pretty = fake.objects.get("acme-logs/entra/signins/dt=2026-10-03/page-00001.json")!;
    const text = new TextDecoder().decode(pretty.body);
    assert.ok(!/[\r\n]/.test(text), "a page must be one line");
    assert.deepEqual(
      JSON.parse(text),
      JSON.parse(await Deno.readTextFile(fixture("graph_page_pretty.json"))),
    );
    assert.equal(pretty.metadata["content-sha256"], createHash("sha256").update(pretty.body).digest("hex"));
    assert.equal(pretty.contentType, "application/json");
    const compact = fake.objects.get("acme-logs/entra/signins/dt=2026-10-03/page-00002.json")!;
    assert.deepEqual(
      compact.body,
      (await Deno.readFile(fixture("graph_page.json"))).subarray(0, compact.body.length),
    );
    assert.equal(
      new TextDecoder().decode(compact.body),
      (await Deno.readTextFile(fixture("graph_page.json"))).trim(),
    );
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("pushRaw() skips objects already holding the same content and replaces changed ones", async () => {
  const root = await rawTree();
  await withS3(async ({ fake, client }) => {
    await pushRaw({ from: root, to: "s3://acme-logs/entra/", client });
    const puts = () => fake.requests.filter((r) => r.op === "PutObject").length;
    const before = puts();
    const again = await pushRaw({ from: root, to: "s3://acme-logs/entra/", client });
    assert.deepEqual([again.uploaded, again.replaced, again.skipped], [0, 0, 3]);
    assert.equal(puts(), before);

    const changed = join(root, "audits", "dt=2026-10-02", "page-00001.json");
    await Deno.writeTextFile(changed, JSON.stringify({ value: [{ id: "a2" }] }));
    const third = await pushRaw({ from: root, to: "s3://acme-logs/entra/", client });
    assert.deepEqual([third.uploaded, third.replaced, third.skipped], [0, 1, 2]);
    assert.equal(
      new TextDecoder().decode(
        fake.objects.get("acme-logs/entra/audits/dt=2026-10-02/page-00001.json")!.body,
      ),
      '{"value":[{"id":"a2"}]}',
    );
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("pushRaw() recognizes an object another tool uploaded by its MD5 ETag", async () => {
  const root = await rawTree();
  await withS3(async ({ fake, client }) => {
    const body = await Deno.readFile(fixture("graph_page.json"));
    const trimmed = new TextEncoder().encode(new TextDecoder().decode(body).trim());
    await client.send(
      new PutObjectCommand({
        Bucket: "acme-logs",
        Key: "x/signins/dt=2026-10-03/page-00002.json",
        Body: trimmed,
      }),
    );
    const events: string[] = [];
    await pushRaw({
      from: root,
      to: "s3://acme-logs/x/",
      client,
      onFile: (e) => events.push(`${e.action} ${e.file.relativeKey}`),
    });
    assert.ok(events.includes("skipped signins/dt=2026-10-03/page-00002.json"), events.join("\n"));
    assert.equal(fake.objects.size, 3);
  });
  await Deno.remove(root, { recursive: true });
});

function bigPage(bytes: number): string {
  const record = {
    id: "0",
    userPrincipalName: "u@contoso.example",
    status: { errorCode: 0 },
    pad: "x".repeat(900),
  };
  const records: string[] = [];
  let size = 12;
  for (let i = 0; size < bytes; i++) {
    const r = JSON.stringify({ ...record, id: String(i) });
    records.push(r);
    size += r.length + 1;
  }
  return `{\n  "value": [\n${records.join(",\n")}\n]}`;
}

Deno.test("pushRaw() sends a large page in parts with multipart upload", async () => {
  const root = await Deno.makeTempDir({ prefix: "lens-push-" });
  const day = join(root, "signins", "dt=2026-10-04");
  await Deno.mkdir(day, { recursive: true });
  await Deno.writeTextFile(join(day, "page-00001.json"), bigPage(12 * MiB));
  await withS3(async ({ fake, client }) => {
    const events: number[] = [];
    const result = await pushRaw({
      from: root,
      to: "s3://acme-logs/big/",
      client,
      multipartThreshold: 6 * MiB,
      partSize: 5 * MiB,
      onFile: (e) => events.push(e.parts),
    });
    assert.equal(result.multipart, 1);
    assert.deepEqual(events, [3]);
    const o = fake.objects.get("acme-logs/big/signins/dt=2026-10-04/page-00001.json")!;
    assert.match(o.etag, /^"[0-9a-f]{32}-3"$/);
    const text = new TextDecoder().decode(o.body);
    assert.ok(!text.includes("\n"));
    assert.equal(
      JSON.parse(text).value.length,
      JSON.parse(await Deno.readTextFile(join(day, "page-00001.json"))).value.length,
    );
    assert.equal(o.metadata["content-sha256"], createHash("sha256").update(o.body).digest("hex"));
    const again = await pushRaw({
      from: root,
      to: "s3://acme-logs/big/",
      client,
      multipartThreshold: 6 * MiB,
    });
    assert.equal(again.skipped, 1);
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("pushRaw() aborts a multipart upload whose part fails", async () => {
  const root = await Deno.makeTempDir({ prefix: "lens-push-" });
  const day = join(root, "signins", "dt=2026-10-04");
  await Deno.mkdir(day, { recursive: true });
  await Deno.writeTextFile(join(day, "page-00001.json"), bigPage(11 * MiB));
  await withS3(async ({ fake, client }) => {
    await assert.rejects(
      pushRaw({
        from: root,
        to: "s3://acme-logs/big/",
        client,
        multipartThreshold: 6 * MiB,
        partSize: 5 * MiB,
      }),
    );
    assert.ok(fake.requests.some((r) => r.op === "AbortMultipartUpload"));
    assert.equal(fake.openUploads(), 0);
    assert.equal(fake.objects.size, 0);
  }, { failPart: 2 });
  await Deno.remove(root, { recursive: true });
});

Deno.test("pushRaw() refuses a page over Athena's 32 MB row limit, naming the file, before uploading anything", async () => {
  const root = await rawTree();
  const huge = join(root, "signins", "dt=2026-10-03", "page-00009.json");
  await Deno.writeTextFile(huge, bigPage(33 * MiB));
  await withS3(async ({ fake, client }) => {
    const err = await pushRaw({ from: root, to: "s3://acme-logs/entra/", client }).catch((e) => e);
    assert.ok(err instanceof PushError);
    assert.equal(err.file, huge);
    assert.match(err.message, /page-00009\.json: 33\.\d MiB on one line exceeds Athena's 32 MB row limit/);
    assert.equal(fake.objects.size, 0);
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("pushRaw() refuses a file that is not a Graph page, naming it", async () => {
  const root = await rawTree();
  const bad = join(root, "signins", "dt=2026-10-03", "page-00004.json");
  await Deno.writeTextFile(bad, '[{"id": 1}]');
  await withS3(async ({ client }) => {
    const err = await pushRaw({ from: root, to: "s3://acme-logs/entra/", client, concurrency: 1 }).catch((
      e,
    ) => e);
    assert.ok(err instanceof PushError);
    assert.match(err.message, /page-00004\.json: not a Graph page/);
  });
  await Deno.remove(root, { recursive: true });
});

Deno.test("pushRaw() with dryRun lists the plan without calling S3", async () => {
  const root = await rawTree();
  const keys: string[] = [];
  const result = await pushRaw({
    from: root,
    to: "s3://acme-logs/p",
    client: { send: () => Promise.reject(new Error("no S3 in a dry run")) },
    dryRun: true,
    onFile: (e) => keys.push(e.key),
  });
  assert.equal(result.uploaded, 0);
  assert.deepEqual(keys.sort(), [
    "p/audits/dt=2026-10-02/page-00001.json",
    "p/signins/dt=2026-10-03/page-00001.json",
    "p/signins/dt=2026-10-03/page-00002.json",
  ]);
  await Deno.remove(root, { recursive: true });
});
