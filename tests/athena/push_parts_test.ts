import assert from "node:assert/strict";
import { athenaConfigFromEnv, athenaSetupStatus } from "../../lib/athena/config.ts";
import { parseS3Url } from "../../lib/athena/s3_url.ts";
import { toSingleLine } from "../../lib/athena/single_line.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("toSingleLine() drops whitespace between tokens and keeps strings byte for byte", () => {
  const pretty = '{\r\n  "a" : "x  y\\n\\"q\\" \\\\",\n\t"b": [ 1.50 , 2e3 ],\n  "c": {}\n}\n';
  const line = dec(toSingleLine(enc(pretty)));
  assert.equal(line, '{"a":"x  y\\n\\"q\\" \\\\","b":[1.50,2e3],"c":{}}');
  assert.deepEqual(JSON.parse(line), JSON.parse(pretty));
});

Deno.test("toSingleLine() returns a page already on one line unchanged", () => {
  const bytes = enc('{"value": [ {"id": "1"} ]}');
  assert.equal(toSingleLine(bytes), bytes);
  assert.equal(dec(toSingleLine(enc('{"value":[]}\n'))), '{"value":[]}');
});

Deno.test("parseS3Url() splits bucket and prefix and names the flag when wrong", () => {
  assert.deepEqual(parseS3Url("s3://acme-logs/entra"), { bucket: "acme-logs", prefix: "entra/" });
  assert.deepEqual(parseS3Url("s3://acme-logs/entra/raw/"), { bucket: "acme-logs", prefix: "entra/raw/" });
  assert.deepEqual(parseS3Url("s3://acme-logs"), { bucket: "acme-logs", prefix: "" });
  assert.throws(
    () => parseS3Url("https://acme-logs/x"),
    /--to "https:\/\/acme-logs\/x": expected s3:\/\/bucket/,
  );
  assert.throws(() => parseS3Url("s3://Acme_Logs/x"), /not an S3 bucket name/);
});

Deno.test("athenaConfigFromEnv() follows AWS conventions and names a bad variable", () => {
  const c = athenaConfigFromEnv({
    AWS_DEFAULT_REGION: "eu-central-1",
    ATHENA_OUTPUT_LOCATION: "s3://results/athena",
    AWS_ENDPOINT_URL: "https://vpce-1.athena.eu-central-1.vpce.amazonaws.com",
    AWS_ENDPOINT_URL_S3: "https://bucket.vpce-2.s3.eu-central-1.vpce.amazonaws.com",
  });
  assert.equal(c.region, "eu-central-1");
  assert.equal(c.workgroup, "primary");
  assert.equal(c.database, "signin_lens");
  assert.equal(c.outputLocation, "s3://results/athena/");
  assert.equal(c.athenaEndpoint, "https://vpce-1.athena.eu-central-1.vpce.amazonaws.com");
  assert.equal(c.s3Endpoint, "https://bucket.vpce-2.s3.eu-central-1.vpce.amazonaws.com");
  assert.equal(c.s3ForcePathStyle, false);
  assert.throws(
    () => athenaConfigFromEnv({ AWS_ENDPOINT_URL_ATHENA: "http://athena.example.com" }),
    /must use https/,
  );
  assert.throws(() => athenaConfigFromEnv({ ATHENA_DATABASE: "Bad-Name" }), /ATHENA_DATABASE/);
  assert.throws(() => athenaConfigFromEnv({ ATHENA_OUTPUT_LOCATION: "results" }), /ATHENA_OUTPUT_LOCATION/);
});

Deno.test("athenaSetupStatus() says what to set when AWS is not configured", () => {
  assert.equal(athenaSetupStatus({}).ready, false);
  assert.equal(athenaSetupStatus({}).missing.length, 2);
  assert.deepEqual(athenaSetupStatus({ AWS_REGION: "us-east-1", ATHENA_OUTPUT_LOCATION: "s3://r/" }), {
    ready: true,
    missing: [],
  });
});
