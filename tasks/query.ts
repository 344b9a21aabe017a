import { DEFAULT_DB } from "../lib/paths.ts";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import {
  formatResult,
  listQueries,
  loadQuery,
  type OutputFormat,
  runQuery,
} from "../lib/query/mod.ts";
import { openExistingStore } from "../lib/store/mod.ts";
import { runQueryOnAthena } from "../lib/athena/mod.ts";
import { runQueryOnTrino } from "../lib/trino/mod.ts";

const USAGE =
  `Usage: deno task query <name> [--param key=value]... [--db FILE] [--format table|json|csv]
                        [--engine duckdb|athena|trino] [--trino-url URL]
       deno task query --list

Runs queries/<name>.sql on the store. Parameters are declared in each file's header (-- @param) and bound by
the engine, never pasted into the SQL; every aggregate takes from and to (a date or an ISO 8601 instant).

Options:
  --param k=v      a query parameter; repeat for several
  --db FILE        the store (default ${DEFAULT_DB})
  --format F       table (default), json or csv
  --engine E       duckdb (default, the local store) or athena (AWS_REGION, ATHENA_WORKGROUP,
                   ATHENA_DATABASE, ATHENA_OUTPUT_LOCATION; see README "At scale on Athena") or trino
                   (TRINO_URL, printed by deno task trino up; schema TRINO_SCHEMA, default signin_lens)
  --trino-url URL  the Trino coordinator for --engine trino (default TRINO_URL)
  --list           list the queries with their parameters
  -h, --help       show this help

Example:
  deno task query failed_by_country --param from=2026-10-01 --param to=2026-11-01 --format csv`;

await runTask(async () => {
  const { values, positionals } = parseCli(Deno.args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      param: { type: "string", multiple: true },
      db: { type: "string" },
      format: { type: "string" },
      list: { type: "boolean" },
      engine: { type: "string" },
      "trino-url": { type: "string" },
    },
  });
  if (values.list) {
    for (const name of await listQueries()) {
      const q = await loadQuery(name);
      const params = q.params.map((p) => `${p.name}=${p.default}`).join(" ");
      console.log(
        `${name.padEnd(26)} ${q.description.split("\n")[0]}${
          params ? `\n${" ".repeat(27)}[${params}]` : ""
        }`,
      );
    }
    return;
  }
  if (positionals.length !== 1) {
    usageExit("name exactly one query (see --list)", USAGE);
  }
  const format = (values.format as string | undefined) ?? "table";
  if (!["table", "json", "csv"].includes(format)) {
    usageExit(`--format ${format}: use table, json or csv`, USAGE);
  }
  const params: Record<string, string> = {};
  for (const p of (values.param as string[] | undefined) ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) usageExit(`--param ${p}: expected key=value`, USAGE);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const engine = (values.engine as string | undefined) ?? "duckdb";
  if (engine !== "duckdb" && engine !== "athena" && engine !== "trino") {
    usageExit(`--engine ${engine}: use duckdb, athena or trino`, USAGE);
  }
  if (values["trino-url"] !== undefined && engine !== "trino") {
    usageExit("--trino-url needs --engine trino", USAGE);
  }
  if (engine === "trino") {
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error("Ctrl-C"));
    Deno.addSignalListener("SIGINT", onSigint);
    try {
      const url = values["trino-url"] as string | undefined;
      const result = await runQueryOnTrino(positionals[0], params, {
        url,
        signal: controller.signal,
      });
      await Deno.stdout.write(
        new TextEncoder().encode(formatResult(result, format as OutputFormat)),
      );
      const mb = ((result.stats.bytesScanned ?? 0) / 1e6).toFixed(1);
      console.error(
        `trino ${result.stats.queryId}: ${mb} MB read, ${
          result.stats.seconds.toFixed(1)
        } s`,
      );
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
    }
    return;
  }
  if (engine === "athena") {
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error("Ctrl-C"));
    Deno.addSignalListener("SIGINT", onSigint);
    try {
      const result = await runQueryOnAthena(positionals[0], params, {
        signal: controller.signal,
      });
      await Deno.stdout.write(
        new TextEncoder().encode(formatResult(result, format as OutputFormat)),
      );
      const mb = ((result.stats.bytesScanned ?? 0) / 1e6).toFixed(1);
      console.error(
        `athena ${result.stats.queryId}: ${mb} MB scanned, ${
          result.stats.seconds.toFixed(1)
        } s`,
      );
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
    }
    return;
  }
  const db = (values.db as string | undefined) ?? DEFAULT_DB;
  const store = await openExistingStore(db);
  try {
    const result = await runQuery(store, positionals[0], params);
    await Deno.stdout.write(
      new TextEncoder().encode(formatResult(result, format as OutputFormat)),
    );
  } finally {
    store.close();
  }
});
