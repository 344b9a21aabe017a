/**
 * `deno task bench`: how fast signin-lens loads, updates and reports on sign-in pages, against bare DuckDB on
 * the same files, pandas, nodejs-polars, jq and simdjson, with every tool's answer checked against ours.
 * Each measured step runs in its own process (bench/steps.ts) so its peak RSS is its own.
 */
import { join, resolve } from "node:path";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import { INTERRUPT_CODES } from "../lib/store/mod.ts";
import { REPORT_QUERIES } from "../lib/report/mod.ts";
import { makeSignIns, startFakeGraph } from "../tests/fakes/graph_server.ts";
import { ensurePages } from "./sample_pages.ts";
import { measure, type Measured } from "./measure.ts";
import { BARE_LABELS, BARE_VARIANTS } from "./sql.ts";
import { compareAnswers, type CountryMap } from "./answers.ts";
import { type BenchResults, evaluateTargets, median, renderMarkdown, type StepResult } from "./report.ts";
import { runGrow } from "./grow.ts";
import { pullCommand, pullTaskV8Flags } from "./pull_rss.ts";
import { renderTrinoMarkdown, runTrinoBench } from "./trino_bench.ts";
import { renderGrowMarkdown } from "./grow_report.ts";

const BENCH_DIR = new URL(".", import.meta.url).pathname;
const STEPS_TS = join(BENCH_DIR, "steps.ts");

const USAGE = `Usage: deno task bench [--records N] [--reps R] [--keep] [options]

Generates N sample sign-ins as Graph page files (cached under bench/cache/) and measures, each step in its own
process with its peak RSS: signin-lens's first load into a fresh store, bare DuckDB loads of the same files,
an incremental load of one more day, the report's queries, the report straight from the raw pages, peers
(pandas, nodejs-polars, jq, simdjson; each skipped with a reason when absent) and a Graph pull from the local
fake Graph server. Prints a markdown table and writes bench/results/<date>-n<N>.json.

Options:
  --records N         sign-ins to load (default 100000; 1000000 works, ~5.6 GB of pages)
  --reps R            repetitions of each step; the table shows medians (default 3)
  --peer-reps R       repetitions of pandas, polars and jq (default: --reps up to 200,000 records, else 1)
  --pull-records LIST record counts for the Graph pull (default 10000,100000)
  --skip LIST         steps to leave out: bare, incremental, queries, raw, peers, pull
  --rss-cap GB        kill a step whose RSS passes this (default: 80 % of available memory, at most 12)
  --cache DIR         where generated pages are kept between runs (default bench/cache)
  --results DIR       where the JSON results go (default bench/results)
  --keep              keep the work folder (stores, pulled pages) and print where it is
  --grow N            instead: grow one store by N loads of --chunk sign-ins (generate, load, delete), measuring
                      after each the load, its RSS, bytes per sign-in, the report queries and triage (warm) and a
                      one-day nightly increment; then the whole report from a cold process. Writes
                      <date>-grow<N>x<chunk>.json/.md/.png (results so far after every chunk)
  --chunk C           sign-ins per --grow chunk (default 1000000; ~5.8 GB of pages on disk at a time)
  --overlap           with --grow: generate the next chunk while the current one is measured (~70 s less per
                      chunk of 1M, but every measured step then shares the cores with the generator)
  --trino             instead: the report's queries on a local Trino over the --records pages (JSON) and their
                      Parquet lake: bytes scanned, wall time, Athena's cost of a report run at 1M and 100M
                      (bench/trino_bench.ts); writes <date>-trino-n<N>.json/.md
  -h, --help          show this help

Examples:
  deno task bench --records 1000000 --reps 3
  deno task bench --grow 10 --chunk 1000000`;

const SKIPPABLE = ["bare", "incremental", "queries", "raw", "peers", "pull"];

function positiveInt(name: string, text: string): number {
  const n = Number(text.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) usageExit(`--${name} must be a positive integer, got ${text}`, USAGE);
  return n;
}

async function commandOutput(cmd: string, args: string[]): Promise<string | null> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

// Deno's own APIs: under Deno 2.9 reading /proc needs --allow-all, and a failed read here once recorded a
// load average of 0 and no available memory for a run on a machine that had both.
function memAvailableBytes(): Promise<number> {
  return Promise.resolve(Deno.systemMemoryInfo().available);
}

function loadAverage(): Promise<number[]> {
  return Promise.resolve(Deno.loadavg().map((x) => Math.round(x * 100) / 100));
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".json")) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: {
      records: { type: "string" },
      reps: { type: "string" },
      "peer-reps": { type: "string" },
      "pull-records": { type: "string" },
      skip: { type: "string" },
      "rss-cap": { type: "string" },
      cache: { type: "string" },
      results: { type: "string" },
      keep: { type: "boolean" },
      grow: { type: "string" },
      chunk: { type: "string" },
      overlap: { type: "boolean" },
      trino: { type: "boolean" },
    },
  });
  const records = positiveInt("records", (values.records as string | undefined) ?? "100000");
  const reps = positiveInt("reps", (values.reps as string | undefined) ?? "3");
  const peerReps = values["peer-reps"]
    ? positiveInt("peer-reps", values["peer-reps"] as string)
    : records <= 200_000
    ? reps
    : 1;
  const pullSizes = ((values["pull-records"] as string | undefined) ?? "10000,100000").split(",")
    .map((s) => positiveInt("pull-records", s.trim()));
  const skip = new Set(
    ((values.skip as string | undefined) ?? "").split(",").map((s) => s.trim()).filter(Boolean),
  );
  for (const s of skip) {
    if (!SKIPPABLE.includes(s)) usageExit(`--skip takes ${SKIPPABLE.join(", ")}; got ${s}`, USAGE);
  }
  const memAvailable = await memAvailableBytes();
  const rssCap = values["rss-cap"]
    ? Number(values["rss-cap"]) * 2 ** 30
    : Math.min(12 * 2 ** 30, Math.max(2 ** 30, memAvailable * 0.8));
  if (!(rssCap > 0)) usageExit(`--rss-cap must be a number of GB, got ${values["rss-cap"]}`, USAGE);
  const cacheDir = resolve((values.cache as string | undefined) ?? join(BENCH_DIR, "cache"));
  const resultsDir = resolve((values.results as string | undefined) ?? join(BENCH_DIR, "results"));
  const log = (line: string) => console.error(line);

  if (values.trino) {
    const r = await runTrinoBench(records, { cacheDir, log });
    const md = renderTrinoMarkdown(r);
    console.log(md);
    const out = join(resultsDir, `${new Date().toISOString().slice(0, 10)}-trino-n${records}`);
    await Deno.mkdir(resultsDir, { recursive: true });
    await Deno.writeTextFile(`${out}.json`, JSON.stringify(r, null, 2) + "\n");
    await Deno.writeTextFile(`${out}.md`, md);
    log(`wrote ${out}.json and .md`);
    return;
  }
  if (values.grow !== undefined || values.chunk !== undefined || values.overlap) {
    if (values.grow === undefined) {
      usageExit(`${values.chunk !== undefined ? "--chunk" : "--overlap"} goes with --grow N`, USAGE);
    }
    const chunks = positiveInt("grow", values.grow as string);
    const chunk = positiveInt("chunk", (values.chunk as string | undefined) ?? "1000000");
    await Deno.mkdir(cacheDir, { recursive: true });
    const need = chunk * 5800 * 1.2 + chunks * chunk * 1500;
    const free = Number(
      (await commandOutput("df", ["-B1", "--output=avail", cacheDir]))?.split("\n")[1] ?? NaN,
    );
    if (Number.isFinite(free) && free < need) {
      throw new Error(
        `${cacheDir} has ${(free / 1e9).toFixed(1)} GB free; growing to ${
          chunks * chunk
        } sign-ins needs about ` +
          `${(need / 1e9).toFixed(1)} GB (one chunk of pages and the store)`,
      );
    }
    const loadBefore = await loadAverage();
    log(`load average ${loadBefore.join(" ")} on ${navigator.hardwareConcurrency} cores`);
    const r = await runGrow({
      chunks,
      chunk,
      reps,
      cacheDir,
      resultsDir,
      rssCapBytes: rssCap,
      keep: values.keep === true,
      overlap: values.overlap === true,
      log,
      machine: {
        cores: navigator.hardwareConcurrency,
        memAvailableBytes: memAvailable,
        loadAverageBefore: loadBefore,
        deno: Deno.version.deno,
        duckdb: await duckdbVersion(),
      },
    });
    console.log(renderGrowMarkdown(r));
    if (!r.complete) throw new Error("the grow run did not complete: see the notes column above");
    return;
  }

  // Pages take ~5.6 KB a sign-in and a store about a fifth of that; refuse to start what cannot finish.
  await Deno.mkdir(cacheDir, { recursive: true });
  const need = records * 5800 * 1.6;
  const free = await commandOutput("df", ["-B1", "--output=avail", cacheDir]);
  const freeBytes = Number(free?.split("\n")[1] ?? NaN);
  if (Number.isFinite(freeBytes) && freeBytes < need) {
    throw new Error(
      `${cacheDir} has ${(freeBytes / 1e9).toFixed(1)} GB free; ${records} records need about ` +
        `${(need / 1e9).toFixed(1)} GB (pages and stores)`,
    );
  }

  const loadBefore = await loadAverage();
  log(`load average ${loadBefore.join(" ")} on ${navigator.hardwareConcurrency} cores`);
  const pages = await ensurePages(cacheDir, records, log);
  const raw = join(pages.root, pages.main.dir, "signins");
  const extra = join(pages.root, pages.extra.dir, "signins");
  const files = await listFiles(raw);
  const glob = join(raw, "*", "*.json");
  const range = { from: `${pages.main.from}T00:00:00Z`, to: nextDay(pages.extra.day) };
  log(
    `${pages.main.records} sign-ins in ${pages.main.pages} pages (${
      (pages.main.bytes / 1e9).toFixed(2)
    } GB), ` +
      `${pages.main.from} to ${pages.main.to}; extra day ${pages.extra.day}: ${pages.extra.records} sign-ins`,
  );

  const work = join(cacheDir, `work-${Deno.pid}`);
  await Deno.mkdir(work, { recursive: true });
  const steps: StepResult[] = [];
  const deno = Deno.execPath();
  const stepRun = (name: string, args: Record<string, unknown>) =>
    measure(deno, ["run", "-A", STEPS_TS, name, JSON.stringify(args)], { rssCapBytes: rssCap });
  const record = (id: string, label: string, runs: Measured[], extraFields: Partial<StepResult> = {}) => {
    const step = summarize(id, label, runs, records);
    Object.assign(step, extraFields);
    steps.push(step);
    const s = step.ok ? `${step.seconds?.toFixed(3)} s, ${mib(step.peakRssBytes)}` : `failed: ${step.error}`;
    log(`  ${label}: ${s}`);
    return step;
  };

  try {
    // 1–2, and the raw report: in rounds, so a burst of load from elsewhere hits every contender alike.
    const runs: Record<string, Measured[]> = { load: [] };
    const bare = skip.has("bare") ? [] : BARE_VARIANTS;
    const rawFormats = skip.has("raw") ? [] : (["newline_delimited", "auto"] as const);
    for (const v of bare) runs[`bare_${v}`] = [];
    for (const f of rawFormats) runs[`raw_${f}`] = [];
    const base = join(work, "base.duckdb");
    for (let i = 0; i < reps; i++) {
      log(`round ${i + 1} of ${reps}`);
      const db = join(work, `load-${i}.duckdb`);
      runs.load.push(
        checkAnswer(
          await stepRun("load", { db, pages: raw }),
          (out) =>
            out.read !== pages.main.records
              ? `read ${out.read} of the ${pages.main.records} sign-ins in the pages`
              : !(Number(out.records) >= pages.main.records * 0.999)
              ? `the store holds ${out.records} sign-ins of the ${pages.main.records} read`
              : null,
        ),
      );
      if (i === reps - 1) {
        await Deno.rename(db, base);
        await Deno.rename(`${db}.wal`, `${base}.wal`).catch(() => {});
      } else await removeDb(db);
      for (const v of bare) {
        const bdb = join(work, `bare-${v}.duckdb`);
        runs[`bare_${v}`].push(
          checkAnswer(
            await stepRun("bare", { db: bdb, glob, variant: v }),
            (out) =>
              out.records !== pages.main.records
                ? `loaded ${out.records} of ${pages.main.records} records`
                : null,
          ),
        );
        await removeDb(bdb);
      }
      for (const f of rawFormats) {
        runs[`raw_${f}`].push(await stepRun("raw_report", { glob, format: f, ...range }));
      }
    }
    const loadStep = record("load", "signin-lens first load (loadFiles into a fresh store file)", runs.load);
    for (const v of bare) record(`bare_${v}`, BARE_LABELS[v], runs[`bare_${v}`]);
    // The incremental load and the queries run on the first load's store: without it they measure nothing.
    const noStore = loadStep.ok && runs.load[runs.load.length - 1].ok
      ? undefined
      : `not run: the first load failed (${loadStep.error ?? runs.load[runs.load.length - 1].error})`;
    const stored = noStore ? 0 : Number(runs.load[runs.load.length - 1].output!.records);

    if (!skip.has("incremental") && noStore) {
      steps.push({
        id: "incremental",
        label: "incremental load of one more day",
        ok: false,
        error: noStore,
        runs: [],
      });
    } else if (!skip.has("incremental")) {
      const inc: Measured[] = [];
      for (let i = 0; i < reps; i++) {
        const db = join(work, "incremental.duckdb");
        await Deno.copyFile(base, db);
        await Deno.copyFile(`${base}.wal`, `${db}.wal`).catch(() => {});
        inc.push(
          checkAnswer(
            await stepRun("incremental", { db, pages: [raw, extra] }),
            (out) =>
              out.read !== pages.extra.records || out.records !== stored + Number(out.added)
                ? `read ${out.read} of ${pages.extra.records} new sign-ins; the store holds ${out.records}`
                : null,
          ),
        );
        await removeDb(db);
      }
      record("incremental", `incremental load of one more day (${pages.extra.records} sign-ins)`, inc, {
        records: pages.extra.records,
      });
    }

    let ours: CountryMap | undefined;
    if (!skip.has("queries") && noStore) {
      steps.push({ id: "queries", label: "report queries together", ok: false, error: noStore, runs: [] });
    } else if (!skip.has("queries")) {
      log(`report queries`);
      // A query timed on an empty or wrong store is no measurement: the summary must count what was loaded.
      const q = checkAnswer(
        await stepRun("queries", { db: base, reps, ...range }),
        (out) =>
          out.summarySignins !== stored
            ? `the summary query counts ${out.summarySignins} sign-ins, the store holds ${stored}`
            : Object.values(out.rows as Record<string, number>).every((n) => n === 0)
            ? "every report query returned no rows"
            : null,
      );
      const step = record("queries", `report queries together (${REPORT_QUERIES.length}, warm)`, [q]);
      if (q.ok && q.output) {
        ours = q.output.answer as CountryMap;
        const each = q.output.each as Record<string, number[]>;
        step.detail = {
          coldSeconds: q.output.coldSeconds,
          together: q.output.together,
          each: Object.fromEntries(Object.entries(each).map(([k, v]) => [k, median(v)])),
          rows: q.output.rows,
        };
      }
    }
    for (const f of rawFormats) {
      const label = `report straight from raw pages (select-list unnest, ${
        f === "auto" ? "format auto" : f
      })`;
      record(`raw_${f}`, label, runs[`raw_${f}`]);
    }

    if (!skip.has("peers")) await runPeers();
    if (!skip.has("pull")) await runPulls();

    // Every answer against ours (the store's failed_by_country); without ours, against the raw report's.
    const reference = ours ?? steps.find((s) => s.id.startsWith("raw_") && s.answer)?.answer;
    for (const s of steps) {
      if (!s.answer || !reference) continue;
      const diffs = compareAnswers(reference, s.answer);
      s.answerCheck = diffs.length === 0 ? "equal" : `DIFFERS: ${diffs.join("; ")}`;
    }
    if (ours) {
      const q = steps.find((s) => s.id === "queries");
      if (q) q.answerCheck = "reference";
    }

    const results: BenchResults = {
      date: new Date().toISOString(),
      records,
      reps,
      peerReps,
      machine: {
        cores: navigator.hardwareConcurrency,
        memAvailableBytes: memAvailable,
        loadAverageBefore: loadBefore,
        loadAverageAfter: await loadAverage(),
        deno: Deno.version.deno,
        duckdb: await duckdbVersion(),
      },
      pages: {
        records: pages.main.records,
        pages: pages.main.pages,
        bytes: pages.main.bytes,
        days: pages.main.days,
        extraRecords: pages.extra.records,
        generatedSeconds: pages.generatedSeconds,
      },
      steps,
      targets: [],
    };
    results.targets = evaluateTargets(results);
    console.log(renderMarkdown(results));
    await Deno.mkdir(resultsDir, { recursive: true });
    const out = join(resultsDir, `${results.date.slice(0, 10)}-n${records}.json`);
    const tmp = `${out}.tmp-${Deno.pid}`;
    await Deno.writeTextFile(tmp, JSON.stringify(results, null, 2) + "\n");
    await Deno.rename(tmp, out);
    log(`results: ${out}`);
  } finally {
    if (values.keep) log(`work folder kept: ${work}`);
    else await Deno.remove(work, { recursive: true }).catch(() => {});
  }

  async function runPeers() {
    const interrupts = INTERRUPT_CODES as number[];
    // pandas
    const python = await findPython();
    if (!python.path) {
      steps.push(skipped("pandas", "pandas json_normalize + groupby", python.reason));
    } else {
      const r: Measured[] = [];
      for (let i = 0; i < peerReps; i++) {
        r.push(
          await measure(
            python.path,
            [join(BENCH_DIR, "peers", "pandas_failed_by_country.py"), JSON.stringify(interrupts), ...files],
            { rssCapBytes: rssCap },
          ),
        );
      }
      record("pandas", `pandas ${python.version} json_normalize + groupby`, r);
    }
    // nodejs-polars
    {
      const r: Measured[] = [];
      for (let i = 0; i < peerReps; i++) r.push(await stepRun("polars", { files }));
      const missing = r.find((m) => !m.ok && /Cannot find|not found|ERR_MODULE/i.test(m.error ?? ""));
      if (missing) {
        steps.push(skipped("polars", "nodejs-polars", `nodejs-polars unavailable: ${missing.error}`));
      } else record("polars", "nodejs-polars read pages + explode + groupBy", r);
    }
    // jq
    const jqVersion = await commandOutput("jq", ["--version"]);
    if (!jqVersion) {
      steps.push(skipped("jq", "jq failed-by-country", "jq is not installed (apt-get install jq)"));
    } else {
      const r: Measured[] = [];
      for (let i = 0; i < peerReps; i++) {
        const m = await measure("jq", [
          "-n",
          "-c",
          "--argjson",
          "interrupts",
          JSON.stringify(interrupts),
          "-f",
          join(BENCH_DIR, "peers", "failed_by_country.jq"),
          ...files,
        ], { rssCapBytes: rssCap });
        // jq prints the bare answer: its time is the process's.
        if (m.ok && m.output) m.output = { seconds: m.wallSeconds, answer: m.output };
        r.push(m);
      }
      record("jq", `${jqVersion} failed-by-country`, r);
    }
    // simdjson: the parsing ceiling
    const binary = await buildSimdjson();
    if (typeof binary === "object") {
      steps.push(skipped("simdjson", "simdjson DOM parse (the parsing ceiling)", binary.reason));
    } else {
      const r: Measured[] = [];
      for (let i = 0; i < reps; i++) {
        r.push(await measure(binary, [interrupts.join(","), ...files], { rssCapBytes: rssCap }));
      }
      record("simdjson", `simdjson DOM parse + count, ${navigator.hardwareConcurrency} threads (ceiling)`, r);
    }
  }

  async function runPulls() {
    const to = Date.parse("2026-11-01T00:00:00Z");
    const from = to - 7 * 86_400_000;
    for (const n of pullSizes) {
      log(`graph pull of ${n} records`);
      const fake = await startFakeGraph({ signIns: makeSignIns({ count: n, from, to, seed: 7 }) });
      const r: Measured[] = [];
      // The V8 flags `deno task pull` runs with (its young generation capped: tasks/pull.ts says why).
      const v8 = await pullTaskV8Flags();
      try {
        for (let i = 0; i < reps; i++) {
          const out = join(work, `pull-${n}-${i}`);
          const { cmd, args } = pullCommand({ fromMs: from, toMs: to, out, v8Flags: v8 });
          const m = await measure(cmd, args, { env: { ...fake.env }, rssCapBytes: rssCap });
          const pulled = await countPulled(join(out, "signins"));
          if (m.ok && pulled !== n) {
            m.ok = false;
            m.error = `pulled ${pulled} records, the fake served ${n}`;
          }
          m.output = { seconds: m.wallSeconds, pulled };
          r.push(m);
          await Deno.remove(out, { recursive: true }).catch(() => {});
        }
      } finally {
        await fake.close();
      }
      record(`pull_${n}`, `Graph pull from the fake Graph, ${n} records (pacing off)`, r, { records: n });
    }
  }

  async function buildSimdjson(): Promise<string | { reason: string }> {
    const source = join(BENCH_DIR, "peers", "simdjson_failed_by_country.cpp");
    const binary = join(work, "simdjson_failed_by_country");
    const out = await new Deno.Command("g++", {
      args: ["-O3", "-std=c++17", "-o", binary, source, "-lsimdjson", "-pthread"],
      stdout: "null",
      stderr: "piped",
    }).output().catch(() => null);
    if (!out) return { reason: "no C++ compiler (apt-get install g++ libsimdjson-dev)" };
    if (!out.success) {
      const msg = new TextDecoder().decode(out.stderr);
      return {
        reason: /simdjson\.h|lsimdjson/.test(msg)
          ? "simdjson is not installed (apt-get install libsimdjson-dev)"
          : `simdjson peer does not compile: ${msg.split("\n")[0]}`,
      };
    }
    return binary;
  }
});

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().replace(".000Z", "Z");
}

async function removeDb(path: string) {
  await Deno.remove(path).catch(() => {});
  await Deno.remove(`${path}.wal`).catch(() => {});
}

function mib(bytes: number | null | undefined): string {
  return bytes ? `${Math.round(bytes / 2 ** 20)} MiB` : "RSS n/a";
}

async function findPython(): Promise<{ path?: string; version?: string; reason: string }> {
  for (const p of ["python3", "/usr/bin/python3"]) {
    const v = await commandOutput(p, ["-c", "import pandas; print(pandas.__version__)"]);
    if (v) return { path: p, version: v, reason: "" };
  }
  return { reason: "pandas is not installed for python3 (apt-get install python3-pandas)" };
}

async function duckdbVersion(): Promise<string> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const i = await DuckDBInstance.create(":memory:");
  const c = await i.connect();
  const v = (await c.runAndReadAll(`SELECT version() AS v`)).getRowObjectsJS()[0].v;
  c.closeSync();
  i.closeSync();
  return String(v);
}

async function countPulled(dir: string): Promise<number> {
  let n = 0;
  try {
    for (const f of await listFiles(dir)) {
      n += (JSON.parse(await Deno.readTextFile(f)).value as unknown[]).length;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return n;
}

/** Marks a run failed when it succeeded with a wrong answer; `check` says why, or returns null. */
function checkAnswer(m: Measured, check: (out: Record<string, unknown>) => string | null): Measured {
  if (!m.ok) return m;
  const why = m.output ? check(m.output) : "the step printed no result";
  return why ? { ...m, ok: false, error: `wrong answer: ${why}` } : m;
}

function skipped(id: string, label: string, reason: string): StepResult {
  console.error(`  ${label}: skipped (${reason})`);
  return { id, label, ok: false, skipped: reason, runs: [] };
}

function summarize(id: string, label: string, runs: Measured[], records: number): StepResult {
  const good = runs.filter((r) => r.ok && typeof r.output?.seconds === "number");
  const failed = runs.find((r) => !r.ok);
  const seconds = good.map((r) => r.output!.seconds as number);
  const rss = runs.map((r) => r.peakRssBytes).filter((x): x is number => x !== null);
  const last = good[good.length - 1]?.output;
  return {
    id,
    label,
    ok: good.length > 0 && !failed,
    error: failed?.error,
    runs: runs.map((r) => ({
      ok: r.ok,
      seconds: (r.output?.seconds as number | undefined) ?? null,
      wallSeconds: r.wallSeconds,
      peakRssBytes: r.peakRssBytes,
    })),
    seconds: seconds.length ? median(seconds) : undefined,
    minSeconds: seconds.length ? Math.min(...seconds) : undefined,
    maxSeconds: seconds.length ? Math.max(...seconds) : undefined,
    peakRssBytes: rss.length ? Math.max(...rss) : undefined,
    records,
    answer: last?.answer as CountryMap | undefined,
    dbBytes: last?.dbBytes as number | undefined,
  };
}
