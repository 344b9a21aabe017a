/** An S3 location split into bucket and key prefix ("" or ending in "/"). */
export interface S3Location {
  bucket: string;
  prefix: string;
}

/** Parses `s3://bucket/prefix/`; the message names the flag so a typo is easy to find. */
export function parseS3Url(url: string, flag = "--to"): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw new Error(`${flag} ${JSON.stringify(url)}: expected s3://bucket/prefix/`);
  const bucket = m[1];
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes("..")) {
    throw new Error(`${flag} ${JSON.stringify(url)}: ${JSON.stringify(bucket)} is not an S3 bucket name`);
  }
  const prefix = (m[2] ?? "").replace(/^\/+/, "");
  if (/\/\//.test(prefix)) {
    throw new Error(`${flag} ${JSON.stringify(url)}: the prefix has an empty path segment`);
  }
  return { bucket, prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/` };
}
