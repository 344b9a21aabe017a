import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { HASH_METADATA_KEY, head, multipart, sameContent } from "./push.ts";
import { parseS3Url } from "./s3_url.ts";

export interface PushLakeOptions {
  /** The lake folder written by `deno task lake`. */
  lake: string;
  /** s3://bucket/prefix/ — the --location of `deno task ddl --format parquet`. */
  to: string;
  client: Pick<S3Client, "send">;
  concurrency?: number;
  multipartThreshold?: number;
  partSize?: number;
  dryRun?: boolean;
  onFile?: (
    event: { path: string; key: string; action: "uploaded" | "replaced" | "skipped" | "planned" },
  ) => void;
  signal?: AbortSignal;
}

export interface PushLakeResult {
  files: number;
  uploaded: number;
  replaced: number;
  skipped: number;
  bytes: number;
  seconds: number;
}

/** The lake's files to upload: Parquet files and lake.json; hidden and temp files are never sent. */
export async function listLakeFiles(lake: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".") || e.name.startsWith("_")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory) await walk(path);
      else if (e.isFile && (e.name.endsWith(".parquet") || path === join(lake, "lake.json"))) out.push(path);
    }
  };
  await walk(lake);
  if (!out.some((p) => relative(lake, p).startsWith("signins/"))) {
    throw new Error(`${lake}: no signins/dt=…/*.parquet in it (write the lake with deno task lake)`);
  }
  return out.sort();
}

/**
 * Uploads a Parquet lake to S3 with its layout unchanged (`<prefix>signins/dt=YYYY-MM-DD/signins.parquet`,
 * `<prefix><table>/<table>.parquet`), where the Athena lake DDL reads it. An object already holding the same
 * bytes (SHA-256 in its metadata, or the MD5 ETag) is skipped: re-pushing after a nightly `deno task lake`
 * sends only the days that changed.
 */
export async function pushLake(options: PushLakeOptions): Promise<PushLakeResult> {
  const started = performance.now();
  const { bucket, prefix } = parseS3Url(options.to);
  const files = await listLakeFiles(options.lake);
  const result: PushLakeResult = {
    files: files.length,
    uploaded: 0,
    replaced: 0,
    skipped: 0,
    bytes: 0,
    seconds: 0,
  };
  const send = <T>(command: unknown) => options.client.send(command as never) as Promise<T>;
  const threshold = options.multipartThreshold ?? 16 * 1024 * 1024;
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  const one = async (path: string) => {
    options.signal?.throwIfAborted();
    const key = `${prefix}${relative(options.lake, path).split("\\").join("/")}`;
    if (options.dryRun) return options.onFile?.({ path, key, action: "planned" });
    const body = await Deno.readFile(path);
    const sha256 = createHash("sha256").update(body).digest("hex");
    const existing = await head(send, bucket, key);
    if (existing && sameContent(existing, body, sha256)) {
      result.skipped++;
      return options.onFile?.({ path, key, action: "skipped" });
    }
    const common = {
      Bucket: bucket,
      Key: key,
      ContentType: path.endsWith(".json") ? "application/json" : "application/vnd.apache.parquet",
      Metadata: { [HASH_METADATA_KEY]: sha256 },
    };
    if (body.length > threshold) await multipart(send, common, body, partSize, options.signal);
    else await send(new PutObjectCommand({ ...common, Body: body }));
    result.bytes += body.length;
    if (existing) result.replaced++;
    else result.uploaded++;
    options.onFile?.({ path, key, action: existing ? "replaced" : "uploaded" });
  };
  const queue = [...files];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) await one(f);
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
