import { AthenaClient, type AthenaClientConfig } from "@aws-sdk/client-athena";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { AthenaConfig } from "./config.ts";

/** An Athena client by AWS conventions: default credential chain and region, AWS_ENDPOINT_URL_ATHENA. */
export function createAthenaClient(config: AthenaConfig, overrides: AthenaClientConfig = {}): AthenaClient {
  return new AthenaClient({
    ...(config.region ? { region: config.region } : {}),
    ...(config.athenaEndpoint ? { endpoint: config.athenaEndpoint } : {}),
    ...overrides,
  });
}

/** An S3 client by AWS conventions: default credential chain and region, AWS_ENDPOINT_URL_S3. */
export function createS3Client(config: AthenaConfig, overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({
    ...(config.region ? { region: config.region } : {}),
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}),
    forcePathStyle: config.s3ForcePathStyle,
    ...overrides,
  });
}
