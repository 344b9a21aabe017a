/**
 * A local S3-compatible endpoint for tests, path-style (`/bucket/key`), SigV4-signed requests only:
 * PutObject, HeadObject, GetObject, CreateMultipartUpload / UploadPart / CompleteMultipartUpload /
 * AbortMultipartUpload, ListObjectsV2 and GetBucketLocation, with S3's ETags (MD5 of a single upload,
 * MD5 of the part MD5s plus "-N" for a multipart one), x-amz-meta-* metadata and XML errors.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";

export interface StoredObject {
  body: Uint8Array;
  etag: string;
  contentType?: string;
  metadata: Record<string, string>;
  lastModified: Date;
}

export interface FakeS3 {
  readonly url: string;
  /** "bucket/key" → object. */
  readonly objects: Map<string, StoredObject>;
  /** Every request: S3 operation name, bucket, key. */
  readonly requests: { op: string; bucket: string; key: string }[];
  /** Uploads begun and neither completed nor aborted. */
  readonly openUploads: () => number;
  close(): Promise<void>;
}

export interface FakeS3Options {
  buckets: string[];
  /** Smallest part but the last that CompleteMultipartUpload accepts (S3: 5 MiB). */
  minPartSize?: number;
  /** Makes UploadPart fail for this part number (to test the abort path). */
  failPart?: number;
}

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function startFakeS3(options: FakeS3Options): Promise<FakeS3> {
  const buckets = new Set(options.buckets);
  const minPart = options.minPartSize ?? 5 * 1024 * 1024;
  const objects = new Map<string, StoredObject>();
  const uploads = new Map<
    string,
    {
      bucket: string;
      key: string;
      parts: Map<number, Uint8Array>;
      meta: StoredObject["metadata"];
      contentType?: string;
    }
  >();
  const requests: FakeS3["requests"] = [];

  const error = (status: number, code: string, message: string) =>
    new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${
        xml(message)
      }</Message></Error>`,
      { status, headers: { "content-type": "application/xml" } },
    );
  const ok = (body: string, headers: Record<string, string> = {}) =>
    new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, {
      headers: { "content-type": "application/xml", ...headers },
    });

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const auth = req.headers.get("authorization") ?? "";
    if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/s3\/aws4_request/.test(auth)) {
      return error(403, "AccessDenied", "request not signed with SigV4 for s3");
    }
    const [, rawBucket = "", ...rest] = url.pathname.split("/");
    const bucket = decodeURIComponent(rawBucket);
    const key = rest.map(decodeURIComponent).join("/");
    const q = url.searchParams;
    if (!buckets.has(bucket)) {
      return error(404, "NoSuchBucket", `The specified bucket does not exist: ${bucket}`);
    }
    const id = `${bucket}/${key}`;
    const log = (op: string) => requests.push({ op, bucket, key });

    if (key === "") {
      if (req.method === "GET" && q.has("location")) {
        log("GetBucketLocation");
        return ok(
          `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`,
        );
      }
      if (req.method === "GET" && q.get("list-type") === "2") {
        log("ListObjectsV2");
        const prefix = q.get("prefix") ?? "";
        const max = Number(q.get("max-keys") ?? 1000);
        const after = q.get("continuation-token") ? atob(q.get("continuation-token")!) : "";
        const keys = [...objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`))
          .map((k) => k.slice(bucket.length + 1)).sort().filter((k) => k > after);
        const page = keys.slice(0, max);
        const truncated = keys.length > page.length;
        const contents = page.map((k) => {
          const o = objects.get(`${bucket}/${k}`)!;
          return `<Contents><Key>${
            xml(k)
          }</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
            `<ETag>${
              xml(o.etag)
            }</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        }).join("");
        return ok(
          `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name>` +
            `<Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys>` +
            `<IsTruncated>${truncated}</IsTruncated>${contents}` +
            (truncated ? `<NextContinuationToken>${btoa(page.at(-1)!)}</NextContinuationToken>` : "") +
            `</ListBucketResult>`,
        );
      }
      return error(400, "NotImplemented", `${req.method} on a bucket`);
    }

    if (req.method === "POST" && q.has("uploads")) {
      log("CreateMultipartUpload");
      const uploadId = crypto.randomUUID();
      uploads.set(uploadId, {
        bucket,
        key,
        parts: new Map(),
        meta: metadataOf(req.headers),
        contentType: req.headers.get("content-type") ?? undefined,
      });
      return ok(
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xml(key)}</Key>` +
          `<UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (q.has("uploadId")) {
      const upload = uploads.get(q.get("uploadId")!);
      if (!upload || upload.bucket !== bucket || upload.key !== key) {
        return error(404, "NoSuchUpload", "The specified upload does not exist");
      }
      if (req.method === "PUT" && q.has("partNumber")) {
        log("UploadPart");
        const n = Number(q.get("partNumber"));
        if (n === options.failPart) return error(500, "InternalError", `simulated failure of part ${n}`);
        const body = await readBody(req);
        if (body instanceof Response) return body;
        upload.parts.set(n, body);
        return new Response(null, { headers: { etag: `"${md5(body)}"` } });
      }
      if (req.method === "POST") {
        log("CompleteMultipartUpload");
        const text = await req.text();
        const listed = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
          n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
          etag: (/<ETag>(.*?)<\/ETag>/.exec(m[1])?.[1] ?? "").replaceAll("&quot;", '"').replaceAll(
            "&#34;",
            '"',
          ),
        }));
        if (listed.length === 0) return error(400, "MalformedXML", "no parts listed");
        const bodies: Uint8Array[] = [];
        for (const [i, p] of listed.entries()) {
          const part = upload.parts.get(p.n);
          if (!part || `"${md5(part)}"` !== p.etag) {
            return error(400, "InvalidPart", `part ${p.n} does not match`);
          }
          if (i > 0 && p.n <= listed[i - 1].n) return error(400, "InvalidPartOrder", "parts out of order");
          if (i < listed.length - 1 && part.length < minPart) {
            return error(400, "EntityTooSmall", `part ${p.n} is ${part.length} bytes, below the minimum`);
          }
          bodies.push(part);
        }
        const body = concat(bodies);
        const etag = `"${
          createHash("md5").update(concat(bodies.map((b) => Uint8Array.from(Buffer.from(md5(b), "hex")))))
            .digest("hex")
        }-${bodies.length}"`;
        objects.set(id, {
          body,
          etag,
          metadata: upload.meta,
          contentType: upload.contentType,
          lastModified: new Date(),
        });
        uploads.delete(q.get("uploadId")!);
        return ok(
          `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${xml(key)}</Key>` +
            `<ETag>${xml(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      if (req.method === "DELETE") {
        log("AbortMultipartUpload");
        uploads.delete(q.get("uploadId")!);
        return new Response(null, { status: 204 });
      }
    }
    if (req.method === "PUT") {
      log("PutObject");
      const body = await readBody(req);
      if (body instanceof Response) return body;
      const etag = `"${md5(body)}"`;
      objects.set(id, {
        body,
        etag,
        metadata: metadataOf(req.headers),
        contentType: req.headers.get("content-type") ?? undefined,
        lastModified: new Date(),
      });
      return new Response(null, { headers: { etag } });
    }
    if (req.method === "HEAD" || req.method === "GET") {
      log(req.method === "HEAD" ? "HeadObject" : "GetObject");
      const o = objects.get(id);
      if (!o) {
        return req.method === "HEAD"
          ? new Response(null, { status: 404 })
          : error(404, "NoSuchKey", "The specified key does not exist.");
      }
      const headers: Record<string, string> = {
        etag: o.etag,
        "content-length": String(o.body.length),
        "last-modified": o.lastModified.toUTCString(),
        ...(o.contentType ? { "content-type": o.contentType } : {}),
      };
      for (const [k, v] of Object.entries(o.metadata)) headers[`x-amz-meta-${k}`] = v;
      return new Response(req.method === "HEAD" ? null : o.body.slice(), { headers });
    }
    return error(400, "NotImplemented", `${req.method} ${url.pathname}${url.search}`);
  });

  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}`,
    objects,
    requests,
    openUploads: () => uploads.size,
    async close() {
      await server.shutdown();
    },
  });
}

function metadataOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((v, k) => {
    if (k.startsWith("x-amz-meta-")) out[k.slice("x-amz-meta-".length)] = v;
  });
  return out;
}

/** The request body, aws-chunked framing removed, checked against x-amz-content-sha256 when that is a hash. */
async function readBody(req: Request): Promise<Uint8Array | Response> {
  let body: Uint8Array = new Uint8Array(await req.arrayBuffer());
  if ((req.headers.get("content-encoding") ?? "").includes("aws-chunked")) body = unchunk(body);
  const declared = req.headers.get("x-amz-content-sha256") ?? "";
  if (/^[0-9a-f]{64}$/.test(declared) && createHash("sha256").update(body).digest("hex") !== declared) {
    return new Response("<Error><Code>XAmzContentSHA256Mismatch</Code></Error>", { status: 400 });
  }
  const decoded = req.headers.get("x-amz-decoded-content-length");
  if (decoded && Number(decoded) !== body.length) {
    return new Response("<Error><Code>IncompleteBody</Code></Error>", { status: 400 });
  }
  return body;
}

function unchunk(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let i = 0;
  for (;;) {
    const lineEnd = data.indexOf(0x0d, i);
    const size = parseInt(new TextDecoder().decode(data.subarray(i, lineEnd)).split(";")[0], 16);
    i = lineEnd + 2;
    if (!size) break;
    parts.push(data.subarray(i, i + size));
    i += size + 2;
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
