/** The AWS SDK's configuration errors, reworded to say what to set; other errors pass through unchanged. */
export function explainAwsError(e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (/region is missing/i.test(message)) {
    return new Error("no AWS region: set AWS_REGION (or AWS_PROFILE with a region in ~/.aws/config)");
  }
  if (/could not load credentials/i.test(message)) {
    return new Error(
      "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, " +
        "or run where an instance / container role applies",
    );
  }
  return e;
}
