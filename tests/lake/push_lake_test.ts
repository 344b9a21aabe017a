/**
 * `pushLake()` and `deno task push --lake` against moto's S3 server (a real S3 implementation, pinned; see
 * tests/trino/moto.ts), through the production S3 client built from AWS_* settings.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { athenaConfigFromEnv, createS3Client, pushLake } from "../../lib/athena/mod.ts";
import { writeLake } from "../../lib/lake/mod.ts";
import { writeSampleTenant } from "../../lib/sample/mod.ts";
import { loadFiles, openStore } from "../../lib/store/mod.ts";
import { startMoto } from "../trino/moto.ts";

const ENV = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };

Deno.test({
  name: "pushLake() uploads the lake's layout unchanged to S3 (moto) and re-sends only what changed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const moto = await startMoto();
    const dir = await Deno.makeTempDir({ prefix: "lens-push-lake-" });
    try {
      await writeSampleTenant({ out: join(dir, "sample"), users: 25, days: 7, seed: 5 });
      const store = await openStore({ threads: 1 });
      try {
        await loadFiles(store, [join(dir, "sample", "signins"), join(dir, "sample", "audits")]);
        await writeLake(store.connection, join(dir, "lake"));
      } finally {
        store.close();
      }
      const client = createS3Client(athenaConfigFromEnv({ ...ENV, AWS_ENDPOINT_URL_S3: moto.endpoint }), {
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      await client.send(new CreateBucketCommand({ Bucket: "acme-lake" }));
      const first = await pushLake({ lake: join(dir, "lake"), to: "s3://acme-lake/entra/", client });
      assert.equal(first.uploaded, first.files);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: "acme-lake", Prefix: "entra/" }));
      const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
      assert.equal(keys.length, first.files);
      assert.ok(
        keys.includes("entra/lake.json") && keys.includes("entra/directory_audits/directory_audits.parquet"),
      );
      const days = keys.filter((k) => /^entra\/signins\/dt=\d{4}-\d{2}-\d{2}\/signins\.parquet$/.test(k));
      assert.ok(days.length >= 7, keys.join("\n"));
      const object = await client.send(new GetObjectCommand({ Bucket: "acme-lake", Key: days[0] }));
      const local = await Deno.readFile(join(dir, "lake", days[0].slice("entra/".length)));
      assert.deepEqual(new Uint8Array(await object.Body!.transformToByteArray()), local);

      const again = await pushLake({ lake: join(dir, "lake"), to: "s3://acme-lake/entra/", client });
      assert.deepEqual([again.uploaded, again.replaced, again.skipped], [0, 0, first.files]);
      // A rewritten day (here: other bytes under the same name) goes up again, alone.
      await Deno.writeFile(join(dir, "lake", days[0].slice("entra/".length)), new Uint8Array([1, 2, 3]));
      const changed = await pushLake({ lake: join(dir, "lake"), to: "s3://acme-lake/entra/", client });
      assert.deepEqual([changed.uploaded, changed.replaced, changed.skipped], [0, 1, first.files - 1]);
      client.destroy();

      await assert.rejects(
        pushLake({ lake: join(dir, "sample"), to: "s3://acme-lake/x/", client }),
        /no signins\/dt=…\/\*\.parquet in it/,
      );
    } finally {
      await moto.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
