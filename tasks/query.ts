import { DEFAULT_DB } from "../lib/paths.ts";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { describeQuery, listQueryFiles, queryHelp } from "../lib/cli/query_help.ts";
import {
  formatResult,
  loadQuery,
  type OutputFormat,
  parseParamArgs,
  type QueryResult,
  resolveParams,
  runQuery,
  toTable,
} from "../lib/query/mod.ts";
import { openReportSource } from "../lib/report_data.ts";
import { runQueryOnAthena } from "../lib/athena/mod.ts";
import { runQueryLimited } from "../lib/query/run_limited.ts";
import { runQueryOnTrino } from "../lib/trino/mod.ts";

const USAGE = `Usage: deno task query <name> [--param key=value]... [--db FILE] [--format table|json|csv]
                        [--limit N] [--engine duckdb|athena|trino] [--trino-url URL]
       deno task query --list
       deno task query <name> --help

Runs queries/<name>.sql on the store. Parameters are declared in each file's header (-- @param) and bound by
the engine, never pasted into the SQL; every aggregate takes from and to (a date or an ISO 8601 instant).
Without --db it reads ${DEFAULT_DB} if you loaded one, else the bundled sample tenant (said on stderr).

Options:
  --param k=v      a query parameter; repeat for several (see deno task query <name> --help)
  --db FILE        the store (default ${DEFAULT_DB}, else the sample tenant)
  --format F       table (default), json or csv
  --limit N        print at most N rows (0: all); a table on a terminal shows 50 unless told, fitted to its
                   width, and says how many rows and columns were left out
  --engine E       duckdb (default, the local store) or athena (AWS_REGION, ATHENA_WORKGROUP,
                   ATHENA_DATABASE, ATHENA_OUTPUT_LOCATION; see README "At scale on Athena") or trino
                   (TRINO_URL, printed by deno task trino up; schema TRINO_SCHEMA, default signin_lens)
  --trino-url URL  the Trino coordinator for --engine trino (default TRINO_URL)
  --list           list the queries with their parameters
  -h, --help       show this help, or with a query name that query's description and parameters

Example:
  deno task query failed_by_country --param from=2026-10-01 --param to=2026-11-01 --format csv`;

/** Rows a table on a terminal shows unless --limit says otherwise: a screenful or two, not 22,000 lines. */
const TERMINAL_ROWS = 50;

const args = Deno.args;
const helpIndex = args.findIndex((a) => a === "--help" || a === "-h");
const named = args.find((a) => !a.startsWith("-"));
if (helpIndex >= 0 && named !== undefined && args.indexOf(named) < helpIndex) {
  // `query <name> --help`: that query's own description and parameters.
  await runTask(async () => {
    console.log(queryHelp(await loadQuery(named)));
  });
  Deno.exit(0);
}

await runTask(async () => {
  const { values, positionals } = parseCli(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      param: { type: "string", multiple: true },
      db: { type: "string" },
      format: { type: "string" },
      limit: { type: "string" },
      list: { type: "boolean" },
      engine: { type: "string" },
      "trino-url": { type: "string" },
    },
  });
  if (values.list) {
    const { queries, broken } = await listQueryFiles();
    const width = Deno.stdout.isTerminal() ? Deno.consoleSize().columns : 110;
    for (const q of queries) console.log(describeQuery(q, width));
    for (const b of broken) console.error(`error: ${b.message}`);
    if (broken.length > 0) {
      throw new Error(
        `${broken.length} query file(s) could not be read: ${broken.map((b) => b.file).join(", ")} ` +
          `(the ${queries.length} others are listed above)`,
      );
    }
    return;
  }
  if (positionals.length !== 1) usageExit("name exactly one query (see --list)", USAGE);
  const format = (values.format as string | undefined) ?? "table";
  if (!["table", "json", "csv"].includes(format)) {
    usageExit(`--format ${format}: use table, json or csv`, USAGE);
  }
  let limit: number | undefined;
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit as string)) {
      usageExit(`--limit ${values.limit}: expected a whole number`, USAGE);
    }
    limit = Number(values.limit) || undefined;
  } else if (format === "table" && Deno.stdout.isTerminal()) {
    limit = TERMINAL_ROWS;
  }
  // A missing "=" or a name given twice is a ParamError: exit 2, naming the parameter.
  const params = parseParamArgs((values.param as string[] | undefined) ?? []);
  const engine = (values.engine as string | undefined) ?? "duckdb";
  if (engine !== "duckdb" && engine !== "athena" && engine !== "trino") {
    usageExit(`--engine ${engine}: use duckdb, athena or trino`, USAGE);
  }
  if (values["trino-url"] !== undefined && engine !== "trino") {
    usageExit("--trino-url needs --engine trino", USAGE);
  }
  // `total` is the full row count when only the first `limit` rows were fetched (the local engine).
  const print = async (result: QueryResult, total = result.rows.length) => {
    const text = format === "table"
      ? toTable(result, {
        limit,
        total,
        width: Deno.stdout.isTerminal() ? Deno.consoleSize().columns : undefined,
      })
      : formatResult(
        limit === undefined ? result : { ...result, rows: result.rows.slice(0, limit) },
        format as OutputFormat,
      );
    await Deno.stdout.write(new TextEncoder().encode(text));
    if (format !== "table" && limit !== undefined && total > limit) {
      console.error(`--limit ${limit}: ${total - limit} of ${total} rows left out`);
    }
  };
  if (engine === "trino") {
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error("Ctrl-C"));
    Deno.addSignalListener("SIGINT", onSigint);
    try {
      const url = values["trino-url"] as string | undefined;
      const result = await runQueryOnTrino(positionals[0], params, { url, signal: controller.signal });
      await print(result);
      const mb = ((result.stats.bytesScanned ?? 0) / 1e6).toFixed(1);
      console.error(`trino ${result.stats.queryId}: ${mb} MB read, ${result.stats.seconds.toFixed(1)} s`);
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
      const result = await runQueryOnAthena(positionals[0], params, { signal: controller.signal });
      await print(result);
      const mb = ((result.stats.bytesScanned ?? 0) / 1e6).toFixed(1);
      console.error(`athena ${result.stats.queryId}: ${mb} MB scanned, ${result.stats.seconds.toFixed(1)} s`);
    } finally {
      Deno.removeSignalListener("SIGINT", onSigint);
    }
    return;
  }
  // A wrong name or parameter is answered before any store is opened or the sample tenant is built.
  const query = await loadQuery(positionals[0]);
  resolveParams(query, params);
  const source = await openReportSource(values.db as string | undefined, (l) => console.error(l));
  try {
    if (limit !== undefined) {
      const { result, total } = await runQueryLimited(source.store, positionals[0], params, limit);
      await print(result, total);
    } else await print(await runQuery(source.store, positionals[0], params));
    if (source.sample) {
      console.error(
        `(the bundled sample tenant, not yours: load your own logs with deno task load, see README)`,
      );
    }
  } finally {
    source.store.close();
  }
});
