import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { listRawFiles, type RawFile } from "./raw_files.ts";
import { parseS3Url } from "./s3_url.ts";
import { toSingleLine } from "./single_line.ts";

/** Athena's limit on one row, i.e. one line of a JsonSerDe table. */
export const MAX_ROW_BYTES = 32 * 1024 * 1024;
/** The metadata key holding the SHA-256 of the uploaded bytes, compared on the next push. */
export const HASH_METADATA_KEY = "content-sha256";

/** A page that cannot go to Athena as is; `file` names it. */
export class PushError extends Error {
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = "PushError";
  }
}

export interface PushOptions {
  /** Raw folder holding signins/dt=…/ and audits/dt=…/ (e.g. data/raw). */
  from: string;
  /** s3://bucket/prefix/ — the DDL's --location. */
  to: string;
  client: Pick<S3Client, "send">;
  /** Files uploaded at once (default 4). */
  concurrency?: number;
  /** Files larger than this go up in parts (default 16 MiB). */
  multipartThreshold?: number;
  /** Part size of a multipart upload (default 8 MiB; S3 wants at least 5 MiB but for the last). */
  partSize?: number;
  /** List what would be uploaded without touching S3. */
  dryRun?: boolean;
  onFile?: (event: PushEvent) => void;
  signal?: AbortSignal;
}

export interface PushEvent {
  file: RawFile;
  key: string;
  action: "uploaded" | "replaced" | "skipped" | "planned";
  bytes: number;
  parts: number;
}

export interface PushResult {
  files: number;
  uploaded: number;
  /** Objects that existed with other content and were overwritten. */
  replaced: number;
  skipped: number;
  /** Bytes sent (after single-lining). */
  bytes: number;
  multipart: number;
  seconds: number;
}

/**
 * Uploads raw pages to S3 in the layout the Athena DDL expects (`<prefix><kind>/dt=YYYY-MM-DD/<file>.json`),
 * each page on a single line; an object already holding the same bytes (by the SHA-256 kept in its metadata,
 * or an ETag equal to the MD5) is skipped, so a re-run only sends what changed.
 *
 * @throws {PushError} for a file that is not a Graph page or whose line would exceed Athena's 32 MB row limit
 */
export async function pushRaw(options: PushOptions): Promise<PushResult> {
  const started = performance.now();
  const { bucket, prefix } = parseS3Url(options.to);
  const files = await listRawFiles(options.from);
  if (files.length === 0) throw new Error(`${options.from}: no page files under signins/ or audits/`);
  // Files whose bytes could exceed the limit even after single-lining are checked before anything is sent.
  for (const f of files) {
    if (f.size > MAX_ROW_BYTES) await prepare(f);
  }
  const threshold = options.multipartThreshold ?? 16 * 1024 * 1024;
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  if (!(partSize >= 1)) throw new Error(`part size ${partSize}: expected a positive number of bytes`);
  const result: PushResult = {
    files: files.length,
    uploaded: 0,
    replaced: 0,
    skipped: 0,
    bytes: 0,
    multipart: 0,
    seconds: 0,
  };
  const send = <T>(command: unknown) => options.client.send(command as never) as Promise<T>;

  const one = async (file: RawFile) => {
    options.signal?.throwIfAborted();
    const key = `${prefix}${file.relativeKey}`;
    const body = await prepare(file);
    if (options.dryRun) {
      options.onFile?.({ file, key, action: "planned", bytes: body.length, parts: 1 });
      return;
    }
    const sha256 = createHash("sha256").update(body).digest("hex");
    const existing = await head(send, bucket, key);
    if (existing && sameContent(existing, body, sha256)) {
      result.skipped++;
      options.onFile?.({ file, key, action: "skipped", bytes: 0, parts: 0 });
      return;
    }
    const common = {
      Bucket: bucket,
      Key: key,
      ContentType: "application/json",
      Metadata: { [HASH_METADATA_KEY]: sha256 },
    };
    let parts = 1;
    if (body.length > threshold) {
      parts = await multipart(send, common, body, partSize, options.signal);
      result.multipart++;
    } else {
      await send(new PutObjectCommand({ ...common, Body: body }));
    }
    result.bytes += body.length;
    if (existing) result.replaced++;
    else result.uploaded++;
    options.onFile?.({ file, key, action: existing ? "replaced" : "uploaded", bytes: body.length, parts });
  };

  const queue = [...files];
  const workers = Array.from(
    { length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) },
    async () => {
      for (let f = queue.shift(); f; f = queue.shift()) await one(f);
    },
  );
  await Promise.all(workers);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function prepare(file: RawFile): Promise<Uint8Array> {
  const raw = await Deno.readFile(file.path);
  const line = toSingleLine(raw);
  if (line.length > MAX_ROW_BYTES) {
    throw new PushError(
      `${file.path}: ${(line.length / 1024 / 1024).toFixed(1)} MiB on one line exceeds Athena's 32 MB row ` +
        `limit; split it into smaller pages (Graph pages of up to 999 records are about 3 MB)`,
      file.path,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(line));
  } catch (e) {
    throw new PushError(`${file.path}: not valid UTF-8 JSON (${(e as Error).message})`, file.path);
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { value?: unknown }).value)) {
    throw new PushError(`${file.path}: not a Graph page (an object with a "value" array)`, file.path);
  }
  return line;
}

export async function head(
  send: <T>(c: unknown) => Promise<T>,
  bucket: string,
  key: string,
): Promise<HeadObjectCommandOutput | null> {
  try {
    return await send<HeadObjectCommandOutput>(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === "NotFound" || err.name === "NoSuchKey" || err.$metadata?.httpStatusCode === 404) {
      return null;
    }
    throw e;
  }
}

export function sameContent(existing: HeadObjectCommandOutput, body: Uint8Array, sha256: string): boolean {
  if (existing.ContentLength !== undefined && existing.ContentLength !== body.length) return false;
  const stored = existing.Metadata?.[HASH_METADATA_KEY];
  if (stored) return stored === sha256;
  // Uploaded by another tool: a single-part ETag without KMS is the MD5 of the bytes.
  const etag = existing.ETag?.replaceAll('"', "");
  return etag !== undefined && etag === createHash("md5").update(body).digest("hex");
}

export async function multipart(
  send: <T>(c: unknown) => Promise<T>,
  common: { Bucket: string; Key: string; ContentType: string; Metadata: Record<string, string> },
  body: Uint8Array,
  partSize: number,
  signal?: AbortSignal,
): Promise<number> {
  const { UploadId } = await send<{ UploadId?: string }>(new CreateMultipartUploadCommand(common));
  if (!UploadId) {
    throw new Error(`s3://${common.Bucket}/${common.Key}: CreateMultipartUpload gave no UploadId`);
  }
  const parts: { ETag: string; PartNumber: number }[] = [];
  try {
    for (let offset = 0, n = 1; offset < body.length; offset += partSize, n++) {
      signal?.throwIfAborted();
      const out = await send<{ ETag?: string }>(
        new UploadPartCommand({
          Bucket: common.Bucket,
          Key: common.Key,
          UploadId,
          PartNumber: n,
          Body: body.subarray(offset, offset + partSize),
        }),
      );
      if (!out.ETag) {
        throw new Error(`s3://${common.Bucket}/${common.Key}: part ${n} came back without an ETag`);
      }
      parts.push({ ETag: out.ETag, PartNumber: n });
    }
    await send(
      new CompleteMultipartUploadCommand({
        Bucket: common.Bucket,
        Key: common.Key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (e) {
    // Parts of an unfinished upload are billed until aborted.
    await send(new AbortMultipartUploadCommand({ Bucket: common.Bucket, Key: common.Key, UploadId }))
      .catch(() => {});
    throw e;
  }
  return parts.length;
}
