/**
 * `deno task push`: raw Graph pages → S3, in the layout the Athena DDL expects.
 * Exit codes: 0 done, 1 failed (one-line reason), 2 wrong option, 130 interrupted (re-run to resume).
 */
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import {
  athenaConfigFromEnv,
  createS3Client,
  explainAwsError,
  parseS3Url,
  type PushEvent,
  pushRaw,
} from "../lib/athena/mod.ts";
import { pushLake } from "../lib/athena/push_lake.ts";
import { decimalOption } from "../lib/cli/numbers.ts";

const USAGE =
  `Usage: deno task push --to s3://bucket/prefix/ [--from data/raw | --lake DIR] [--concurrency N] [--dry-run]

Uploads raw page files to S3 where the Athena table reads them: <prefix>signins/dt=YYYY-MM-DD/<file>.json
and <prefix>audits/dt=YYYY-MM-DD/<file>.json. Each page goes up as a single line (the JSON SerDe reads one
document per line; a page over Athena's 32 MB row limit is refused, naming the file). Objects that already
hold the same bytes are skipped, so re-running only sends what changed; big pages go up in parts.

AWS settings come from the usual places: credentials from the default chain (AWS_ACCESS_KEY_ID…,
AWS_PROFILE, SSO, instance or container role), AWS_REGION, and AWS_ENDPOINT_URL_S3 for a VPC endpoint.
Needs s3:PutObject and s3:GetObject (HeadObject) on the prefix.

Options:
  --to URI          s3://bucket/prefix/ — the --location you gave deno task ddl (required)
  --from DIR        raw folder holding signins/ and audits/ (default data/raw)
  --lake DIR        instead: the Parquet lake of deno task lake, layout unchanged (the --location of
                    deno task ddl --format parquet)
  --concurrency N   files uploaded at once (default 4)
  --dry-run         list what would be uploaded, without contacting S3
  -h, --help        show this help

Example:
  deno task push --to s3://acme-logs/entra/ --from data/raw`;

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: {
      to: { type: "string" },
      from: { type: "string" },
      lake: { type: "string" },
      concurrency: { type: "string" },
      "dry-run": { type: "boolean" },
    },
  });
  const to = values.to as string | undefined;
  if (!to) usageExit("--to s3://bucket/prefix/ is required", USAGE);
  try {
    parseS3Url(to);
  } catch (e) {
    usageExit((e as Error).message, USAGE);
  }
  const concurrency = values.concurrency === undefined
    ? 4
    : decimalOption(String(values.concurrency), { integer: true });
  if (concurrency === null || concurrency < 1 || concurrency > 64) {
    usageExit(`--concurrency ${values.concurrency}: expected a whole number from 1 to 64`, USAGE);
  }
  const from = (values.from as string | undefined) ?? "data/raw";
  const dryRun = values["dry-run"] === true;
  const config = athenaConfigFromEnv(Deno.env.toObject());
  const client = createS3Client(config);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error("interrupted"));
  Deno.addSignalListener("SIGINT", onSigint);
  const log = (e: PushEvent) => {
    const size = e.bytes > 0
      ? ` (${(e.bytes / 1024).toFixed(0)} KiB${e.parts > 1 ? `, ${e.parts} parts` : ""})`
      : "";
    const line = `${e.action.padEnd(8)} s3://${parseS3Url(to).bucket}/${e.key}${size}`;
    // With --dry-run the plan is the answer (stdout, for a pipe or a review); otherwise it is progress.
    if (dryRun) console.log(line);
    else console.error(line);
  };
  if (values.lake !== undefined && values.from !== undefined) {
    usageExit("give --from or --lake, not both", USAGE);
  }
  if (values.lake !== undefined) {
    try {
      const r = await pushLake({
        lake: values.lake as string,
        to,
        client,
        concurrency,
        dryRun,
        signal: controller.signal,
        onFile: (e) =>
          (dryRun ? console.log : console.error)(
            `${e.action.padEnd(8)} s3://${parseS3Url(to).bucket}/${e.key}`,
          ),
      });
      console.log(
        `${r.files} lake file(s): ${r.uploaded} uploaded, ${r.replaced} replaced, ${r.skipped} unchanged ` +
          `(${(r.bytes / 1024 / 1024).toFixed(1)} MiB sent) in ${r.seconds.toFixed(1)} s`,
      );
    } catch (e) {
      if (controller.signal.aborted) {
        console.error("interrupted: files already uploaded stay; run the same command again to finish");
        Deno.exit(130);
      }
      throw explainAwsError(e);
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
    }
    return;
  }
  try {
    const r = await pushRaw({
      from,
      to,
      client,
      concurrency,
      dryRun,
      onFile: log,
      signal: controller.signal,
    });
    console.log(
      dryRun
        ? `${r.files} file(s) would be uploaded to ${to}`
        : `${r.files} file(s): ${r.uploaded} uploaded, ${r.replaced} replaced, ${r.skipped} unchanged ` +
          `(${(r.bytes / 1024 / 1024).toFixed(1)} MiB sent, ${r.multipart} multipart) in ${
            r.seconds.toFixed(1)
          } s`,
    );
  } catch (e) {
    if (controller.signal.aborted) {
      console.error("interrupted: files already uploaded stay; run the same command again to finish");
      Deno.exit(130);
    }
    throw explainAwsError(e);
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    client.destroy();
  }
});
