/**
 * `deno task trino up|down`: a local single-node Trino over the raw pages and the Parquet lake.
 * Exit codes: 0 done, 1 failed (one-line reason), 2 wrong option.
 */
import { join } from "node:path";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { PROJECT_ROOT, SAMPLE_DIR } from "../lib/paths.ts";
import { ensureSampleTenant } from "../lib/sample/mod.ts";
import { startTrino, stopTrino, TRINO_VERSION, trinoCacheDir } from "../lib/trino/mod.ts";
import { decimalOption } from "../lib/cli/numbers.ts";
import { pathExists } from "../lib/path_exists.ts";

const USAGE = `Usage: deno task trino up [--raw DIR] [--lake DIR] [--port N] [--state DIR]
       deno task trino down [--state DIR]

up: downloads Trino ${TRINO_VERSION} (trino-server-core and the trino-hive plugin from Maven Central, checked
against their SHA-1, once, into ${trinoCacheDir()}), starts it on 127.0.0.1 with a Hive catalog on local files,
and makes two schemas, each with a signins view the queries read:
  hive.signin_lens       the raw Graph pages (OpenX JSON, the Trino form of the Athena DDL): signins, and
                         directory_audits over DIR/audits/ when it exists
  hive.signin_lens_lake  the Parquet lake written by deno task lake
It prints one line, TRINO_URL=http://127.0.0.1:PORT, when the server answers. Needs Java 24+ (TRINO_JAVA_HOME,
JAVA_HOME, or the newest JDK in /usr/lib/jvm).
down: stops it.

Options:
  --raw DIR    folder holding signins/dt=YYYY-MM-DD/ and audits/dt=YYYY-MM-DD/ (default data/raw, else the
               bundled sample's pages)
  --lake DIR   Parquet lake folder (default data/lake when it exists)
  --port N     HTTP port (default 8080)
  --state DIR  config, metastore and logs of the server (default data/trino)
  -h, --help   show this help

Example:
  deno task trino up --lake data/lake && deno task query failed_by_country --engine trino`;

await runTask(async () => {
  const { values, positionals } = parseCli(Deno.args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      raw: { type: "string" },
      lake: { type: "string" },
      port: { type: "string" },
      state: { type: "string" },
    },
  });
  const verb = positionals[0];
  if (positionals.length !== 1 || (verb !== "up" && verb !== "down")) usageExit("say up or down", USAGE);
  const state = (values.state as string | undefined) ?? join(PROJECT_ROOT, "data", "trino");
  const log = (line: string) => console.error(line);
  if (verb === "down") {
    if (values.raw || values.lake || values.port) usageExit("down takes only --state", USAGE);
    log((await stopTrino(state)) ? `stopped Trino (${state})` : `no Trino running from ${state}`);
    return;
  }
  const port = values.port === undefined ? 8080 : decimalOption(String(values.port), { integer: true });
  if (port === null || port < 1 || port > 65535) {
    usageExit(`--port ${values.port}: not a port`, USAGE);
  }
  let raw = values.raw as string | undefined;
  if (!raw) {
    const mine = join(PROJECT_ROOT, "data", "raw");
    if (await pathExists(join(mine, "signins"))) raw = mine;
    else {
      raw = join(PROJECT_ROOT, SAMPLE_DIR);
      log(`no data/raw/signins: serving the bundled sample tenant's pages (${SAMPLE_DIR})`);
      await ensureSampleTenant(raw);
    }
  }
  let lake = values.lake as string | undefined;
  if (!lake && await pathExists(join(PROJECT_ROOT, "data", "lake"))) {
    lake = join(PROJECT_ROOT, "data", "lake");
  }
  if (!lake) {
    log("no lake: hive.signin_lens_lake is not made (write one with deno task lake --out data/lake)");
  }
  const t = await startTrino({ stateDir: state, port, raw, lake, log });
  const mb = t.rssBytes ? `, ${(t.rssBytes / 2 ** 20).toFixed(0)} MiB resident` : "";
  log(
    `Trino ${t.version} answered after ${t.startSeconds.toFixed(1)} s${mb}; tables over ${raw}` +
      (lake ? ` and ${lake}` : ""),
  );
  console.log(`TRINO_URL=${t.url}`);
});
