/**
 * Trino over JSON vs Parquet: bytes scanned (Trino's physicalInputBytes, what Athena bills as data scanned) and
 * wall time of every report query on the raw Graph pages and on the Parquet lake, and Athena's price for one
 * full report run, measured at N sign-ins and scaled linearly to 1M and 100M (labelled as scaled when N is
 * not that size). Run by `deno task bench --trino [--records N]`.
 */
import { join } from "node:path";
import { ensureIpIntel } from "../lib/ipintel/mod.ts";
import { writeLake } from "../lib/lake/mod.ts";
import { loadQuery, resolveParams } from "../lib/query/mod.ts";
import { REPORT_QUERIES } from "../lib/report/mod.ts";
import { loadFiles, openStore } from "../lib/store/mod.ts";
import { LAKE_SCHEMA, RAW_SCHEMA, runOnTrino, startTrino, stopTrino } from "../lib/trino/mod.ts";
import { ensurePages } from "./sample_pages.ts";
import { reportCostAt } from "./trino_cost.ts";

export interface TrinoQueryMeasure {
  query: string;
  json: { bytes: number; seconds: number };
  parquet: { bytes: number; seconds: number };
}

export interface TrinoBenchResult {
  records: number;
  rawBytes: number;
  lakeBytes: number;
  trinoStartSeconds: number;
  trinoRssBytes?: number;
  queries: TrinoQueryMeasure[];
  /** Report-run cost in USD by target size; `scaled` when not measured at that size. */
  cost: { signins: number; json: number; parquet: number; scaled: boolean }[];
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) n += await dirBytes(p);
    else if (e.isFile) n += (await Deno.stat(p)).size;
  }
  return n;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

export async function runTrinoBench(
  records: number,
  options: { cacheDir: string; log?: (line: string) => void },
): Promise<TrinoBenchResult> {
  const log = options.log ?? (() => {});
  const pages = await ensurePages(options.cacheDir, records, log);
  const raw = join(pages.root, "raw");
  const work = await Deno.makeTempDir({ prefix: "lens-trino-bench-" });
  const state = join(work, "trino");
  try {
    const store = await openStore({ path: join(work, "store.duckdb") });
    try {
      await loadFiles(store, [join(raw, "signins")]);
      await ensureIpIntel(store);
      await writeLake(store.connection, join(work, "lake"));
    } finally {
      store.close();
    }
    const trino = await startTrino({ stateDir: state, port: freePort(), raw, lake: join(work, "lake"), log });
    const queries: TrinoQueryMeasure[] = [];
    for (const name of REPORT_QUERIES) {
      const query = await loadQuery(name);
      const params = resolveParams(query, {});
      const one = async (schema: string) => {
        const r = await runOnTrino(query, params, { url: trino.url, catalog: "hive", schema });
        return { bytes: r.stats.bytesScanned ?? 0, seconds: r.stats.seconds };
      };
      const m = { query: name, json: await one(RAW_SCHEMA), parquet: await one(LAKE_SCHEMA) };
      log(
        `${name}: JSON ${(m.json.bytes / 1e6).toFixed(1)} MB ${m.json.seconds.toFixed(1)} s, ` +
          `Parquet ${(m.parquet.bytes / 1e6).toFixed(2)} MB ${m.parquet.seconds.toFixed(1)} s`,
      );
      queries.push(m);
    }
    const cost = [1e6, 1e8].map((signins) => ({
      signins,
      json: reportCostAt(queries.map((q) => q.json.bytes), records, signins),
      parquet: reportCostAt(queries.map((q) => q.parquet.bytes), records, signins),
      scaled: signins !== records,
    }));
    return {
      records,
      rawBytes: await dirBytes(join(raw, "signins")),
      lakeBytes: await dirBytes(join(work, "lake", "signins")),
      trinoStartSeconds: trino.startSeconds,
      trinoRssBytes: trino.rssBytes,
      queries,
      cost,
    };
  } finally {
    await stopTrino(state).catch(() => {});
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

export function renderTrinoMarkdown(r: TrinoBenchResult): string {
  const mb = (b: number) => (b / 1e6).toFixed(b < 1e7 ? 2 : 1);
  const total = (k: "json" | "parquet") => r.queries.reduce((s, q) => s + q[k].bytes, 0);
  const lines = [
    `Trino over JSON vs Parquet, ${r.records.toLocaleString("en-US")} sign-ins (raw pages ${
      mb(r.rawBytes)
    } MB, ` +
    `lake ${mb(r.lakeBytes)} MB)`,
    "",
    "| query | JSON MB scanned | JSON s | Parquet MB scanned | Parquet s | ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...r.queries.map((q) =>
      `| ${q.query} | ${mb(q.json.bytes)} | ${q.json.seconds.toFixed(1)} | ${mb(q.parquet.bytes)} | ` +
      `${q.parquet.seconds.toFixed(1)} | ${(q.json.bytes / Math.max(1, q.parquet.bytes)).toFixed(0)}× |`
    ),
    `| **report (${r.queries.length} queries)** | ${mb(total("json"))} | ` +
    `${r.queries.reduce((s, q) => s + q.json.seconds, 0).toFixed(1)} | ${mb(total("parquet"))} | ` +
    `${r.queries.reduce((s, q) => s + q.parquet.seconds, 0).toFixed(1)} | ` +
    `${(total("json") / Math.max(1, total("parquet"))).toFixed(0)}× |`,
    "",
    "Athena cost of one report run ($5/TB scanned, 10 MB minimum per query):",
    "",
    "| sign-ins | JSON pages | Parquet lake |",
    "| --- | ---: | ---: |",
    ...r.cost.map((c) =>
      `| ${c.signins.toLocaleString("en-US")}${
        c.scaled ? ` (scaled from ${r.records.toLocaleString("en-US")})` : ""
      } | ` +
      `$${c.json.toFixed(4)} | $${c.parquet.toFixed(4)} |`
    ),
  ];
  return lines.join("\n") + "\n";
}
