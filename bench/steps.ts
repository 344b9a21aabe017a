/**
 * One measured step of the benchmark, run by bench.ts in its own process so its peak RSS is its own:
 * `deno run -A bench/steps.ts <step> '<json args>'`. Prints one JSON line on stdout: the step's own timing
 * (seconds of the measured work, without process start) and its answer.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { INTERRUPT_CODES, loadFiles, openStore } from "../lib/store/mod.ts";
import { runQuery } from "../lib/query/mod.ts";
import { REPORT_QUERIES } from "../lib/report/mod.ts";
import { bareLoadSql, type BareVariant, type RawFormat, rawReportSql } from "./sql.ts";
import { countryMap } from "./answers.ts";

type Args = Record<string, unknown>;

const now = () => performance.now();
const secs = (t0: number) => (performance.now() - t0) / 1000;

async function fileSize(path: string): Promise<number> {
  let total = 0;
  for (const p of [path, `${path}.wal`]) total += (await Deno.stat(p).catch(() => ({ size: 0 }))).size;
  return total;
}

/** signin-lens first load: loadFiles into a fresh database file, committed and checkpointed. */
async function load(a: Args) {
  const store = await openStore({ path: String(a.db) });
  try {
    const t0 = now();
    const r = await loadFiles(store, [String(a.pages)]);
    await store.connection.run(`CHECKPOINT`);
    const seconds = secs(t0);
    return {
      seconds,
      records: r.totalRecords,
      read: r.read,
      added: r.added,
      files: r.files,
      dbBytes: await fileSize(String(a.db)),
    };
  } finally {
    store.close();
  }
}

/** Bare DuckDB: read_json with the store's types, unnest, CREATE TABLE, in a fresh database file. */
async function bare(a: Args) {
  const instance = await DuckDBInstance.create(String(a.db));
  const c = await instance.connect();
  try {
    const t0 = now();
    await c.run(bareLoadSql(String(a.glob), a.variant as BareVariant));
    await c.run(`CHECKPOINT`);
    const seconds = secs(t0);
    const n = (await c.runAndReadAll(`SELECT count(*) AS n FROM t`)).getRowObjectsJS()[0].n;
    return { seconds, records: Number(n), dbBytes: await fileSize(String(a.db)) };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Incremental load: the same loadFiles call a user makes after a pull added a day (known files skipped). */
async function incremental(a: Args) {
  const store = await openStore({ path: String(a.db) });
  try {
    const t0 = now();
    const r = await loadFiles(store, a.pages as string[]);
    await store.connection.run(`CHECKPOINT`);
    const seconds = secs(t0);
    return {
      seconds,
      read: r.read,
      added: r.added,
      files: r.files,
      skippedFiles: r.skippedFiles,
      records: r.totalRecords,
      dbBytes: await fileSize(String(a.db)),
    };
  } finally {
    store.close();
  }
}

/** The report's queries on a loaded store, each `reps` times and all together `reps` times. */
async function queries(a: Args) {
  const store = await openStore({ path: String(a.db), readOnly: true });
  const reps = Number(a.reps);
  const params = { from: String(a.from), to: String(a.to) };
  try {
    const each: Record<string, number[]> = {};
    const rows: Record<string, number> = {};
    // One warm-up pass: the first query pays for reading the file's blocks into DuckDB's buffer pool.
    const t0 = now();
    for (const q of REPORT_QUERIES) rows[q] = (await runQuery(store, q, params)).rows.length;
    const coldSeconds = secs(t0);
    for (const q of REPORT_QUERIES) {
      each[q] = [];
      for (let i = 0; i < reps; i++) {
        const t = now();
        await runQuery(store, q, params);
        each[q].push(secs(t));
      }
    }
    const together: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = now();
      for (const q of REPORT_QUERIES) await runQuery(store, q, params);
      together.push(secs(t));
    }
    const fbc = (await runQuery(store, "failed_by_country", params)).rows;
    const answer = countryMap(fbc.map((r) => [r.country_or_region as string | null, Number(r.failures)]));
    const summarySignins = Number((await runQuery(store, "summary", params)).rows[0]?.signins ?? 0);
    return { seconds: median(together), together, coldSeconds, each, rows, answer, summarySignins };
  } finally {
    store.close();
  }
}

/**
 * The grow bench's interactive cost: every report query and the triage, warm, each and all together, on the
 * store as it stands (opened read-write: the triage builds its IP tables on first use). Also returns what
 * proves the answers are real: the summary's sign-ins, each query's row count and the triage's row count.
 */
async function growQueries(a: Args) {
  const { triageStore } = await import("../lib/detections/mod.ts").catch(() => ({ triageStore: undefined }));
  const store = await openStore({ path: String(a.db) });
  const reps = Number(a.reps);
  const params = { from: String(a.from), to: String(a.to) };
  try {
    const rows: Record<string, number> = {};
    const t0 = now();
    for (const q of REPORT_QUERIES) rows[q] = (await runQuery(store, q, params)).rows.length;
    let triageRows: number | null = null;
    if (triageStore) triageRows = (await triageStore(store, params)).rows.length;
    const coldSeconds = secs(t0);
    const each: Record<string, number[]> = {};
    for (const q of REPORT_QUERIES) {
      each[q] = [];
      for (let i = 0; i < reps; i++) {
        const t = now();
        await runQuery(store, q, params);
        each[q].push(secs(t));
      }
    }
    const triage: number[] = [];
    const together: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = now();
      for (const q of REPORT_QUERIES) await runQuery(store, q, params);
      const tq = now();
      if (triageStore) await triageStore(store, params);
      triage.push(secs(tq));
      together.push(secs(t));
    }
    // Each rule alone, once, warm: where the triage's time goes.
    const rules: Record<string, number> = {};
    const { RULES } = await import("../lib/detections/mod.ts").catch(() => ({ RULES: [] }));
    for (const spec of RULES) {
      const t = now();
      await runQuery(store, spec.query, params);
      rules[spec.rule] = secs(t);
    }
    const summary = (await runQuery(store, "summary", params)).rows[0] ?? {};
    const stored = Number(
      (await store.connection.runAndReadAll(`SELECT count(*) AS n FROM signin_records`)).getRowObjectsJS()[0]
        .n,
    );
    return {
      seconds: median(together),
      together,
      coldSeconds,
      each: Object.fromEntries(Object.entries(each).map(([k, v]) => [k, median(v)])),
      triageSeconds: triageStore ? median(triage) : null,
      triageRows,
      rules,
      rows,
      summarySignins: Number(summary.signins ?? 0),
      stored,
    };
  } finally {
    store.close();
  }
}

/** The report's main aggregates straight from the raw pages, no load (select-list unnest, few fields typed). */
async function rawReport(a: Args) {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  try {
    const t0 = now();
    const result = (await c.runAndReadAll(
      rawReportSql(String(a.glob), a.format as RawFormat, String(a.from), String(a.to)),
    )).getRowObjectsJS();
    const seconds = secs(t0);
    const total = result.find((r) => r.is_total === true)!;
    const answer = countryMap(
      result.filter((r) => r.is_total !== true && Number(r.failures) > 0).map((
        r,
      ) => [r.country as string | null, Number(r.failures)]),
    );
    return {
      seconds,
      answer,
      summary: {
        signins: Number(total.signins),
        users: Number(total.users),
        failures: Number(total.failures),
        interrupts: Number(total.interrupts),
        ips: Number(total.ips),
      },
    };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** nodejs-polars: read every page, explode `value`, take the fields, filter failures, group by country. */
async function polars(a: Args) {
  const pl = (await import("nodejs-polars")).default;
  const files = a.files as string[];
  const interrupts = INTERRUPT_CODES as number[];
  const t0 = now();
  const frames = files.map((f) =>
    pl.readJSON(f, { format: "json" })
      .select("value").explode("value").unnest("value")
      .select(
        pl.col("status").struct.field("errorCode").alias("code"),
        pl.col("location").struct.field("countryOrRegion").alias("country"),
      )
  );
  const df = pl.concat(frames);
  const g = df
    .filter(pl.col("code").neq(0).and(pl.col("code").isIn(interrupts).not()))
    .groupBy("country").agg(pl.len().alias("failures"));
  const seconds = secs(t0);
  const countries = g.getColumn("country").toArray() as (string | null)[];
  const failures = g.getColumn("failures").toArray() as number[];
  return {
    seconds,
    records: df.height,
    answer: countryMap(countries.map((c, i) => [c, Number(failures[i])])),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const STEPS: Record<string, (a: Args) => Promise<unknown>> = {
  load,
  bare,
  incremental,
  queries,
  raw_report: rawReport,
  grow_queries: growQueries,
  polars,
};

if (import.meta.main) {
  const [name, json] = Deno.args;
  const step = STEPS[name];
  if (!step) {
    console.error(`error: unknown step ${name}; steps: ${Object.keys(STEPS).join(", ")}`);
    Deno.exit(2);
  }
  try {
    console.log(JSON.stringify(await step(JSON.parse(json ?? "{}"))));
  } catch (e) {
    console.error(`error: step ${name} failed: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
