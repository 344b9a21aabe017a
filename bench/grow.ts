/**
 * `deno task bench --grow N [--chunk C]`: grows one store to N×C sign-ins by successive loads of C-sign-in
 * chunks of sample pages (generate a chunk, load it, delete its files: the disk holds one chunk at a time) and
 * after each chunk records the chunk's load time and peak RSS, the store's bytes per sign-in, the warm time of
 * every report query and of the triage, and a one-day nightly increment into the store as it stands. At the
 * end a new process produces the whole report from the grown store (cold start). Every number is kept only
 * with the proof that its answer is real: the store's count after each load, the summary query's sign-ins.
 */
import { join } from "node:path";
import { measure, type Measured } from "./measure.ts";
import type { PagesManifest } from "./sample_pages.ts";
import { evaluateGrowTargets, type GrowPoint, type GrowResults, renderGrowMarkdown } from "./grow_report.ts";
import { growChartPng } from "./grow_chart.ts";

const BENCH_DIR = new URL(".", import.meta.url).pathname;
const STEPS_TS = join(BENCH_DIR, "steps.ts");
const REPORT_TS = join(BENCH_DIR, "..", "tasks", "report.ts");
/** The newest chunk ends here, like the plain bench's pages; older chunks are 31 days apart. */
const END = Date.parse("2026-10-31T00:00:00Z");
const DAY = 86_400_000;

export interface GrowOptions {
  chunks: number;
  chunk: number;
  reps: number;
  cacheDir: string;
  resultsDir: string;
  rssCapBytes: number;
  keep: boolean;
  /** Generate chunk i+1 while chunk i is measured (faster; the measured steps share the cores). */
  overlap?: boolean;
  log: (line: string) => void;
  machine: GrowResults["machine"];
}

async function dirBytes(path: string): Promise<number> {
  let total = 0;
  for (const p of [path, `${path}.wal`]) total += (await Deno.stat(p).catch(() => ({ size: 0 }))).size;
  return total;
}

export async function runGrow(o: GrowOptions): Promise<GrowResults> {
  const work = join(o.cacheDir, `grow-${Deno.pid}`);
  await Deno.mkdir(work, { recursive: true });
  const db = join(work, "grow.duckdb");
  const deno = Deno.execPath();
  const stepRun = (name: string, args: Record<string, unknown>) =>
    measure(deno, ["run", "-A", STEPS_TS, name, JSON.stringify(args)], { rssCapBytes: o.rssCapBytes });
  const results: GrowResults = {
    date: new Date().toISOString(),
    chunks: o.chunks,
    chunk: o.chunk,
    reps: o.reps,
    machine: o.machine,
    points: [],
    cold: null,
    bare: null,
    targets: [],
    complete: false,
  };
  const save = async () => {
    results.targets = evaluateGrowTargets(results);
    await Deno.mkdir(o.resultsDir, { recursive: true });
    const base = join(o.resultsDir, `${results.date.slice(0, 10)}-grow${o.chunks}x${o.chunk}`);
    await writeAtomic(`${base}.json`, JSON.stringify(results, null, 2) + "\n");
    await writeAtomic(`${base}.md`, renderGrowMarkdown(results));
    if (results.points.length > 0) await Deno.writeFile(`${base}.png`, growChartPng(results));
    return base;
  };
  let stored = 0;
  let firstDay = "";
  let lastDay = "";
  // With `overlap`, chunk i+1's pages are written while chunk i is measured (one more busy process beside the
  // measured one; generating a million sign-ins takes ~70 s). Without it they are written after, so every
  // measured step has the machine to itself.
  const generate = (i: number) => {
    const end = new Date(END - (o.chunks - i) * 31 * DAY).toISOString().replace(".000Z", "Z");
    o.log(`chunk ${i} of ${o.chunks}: generating ${o.chunk} sign-ins before ${end}`);
    return generatePages({ dir: join(work, `chunk-${i}`), records: o.chunk, seed: 1000 + i, end });
  };
  let next = generate(1);
  try {
    for (let i = 1; i <= o.chunks; i++) {
      const dir = join(work, `chunk-${i}`);
      const pages = await next;
      if (i < o.chunks && o.overlap) next = generate(i + 1);
      firstDay ||= pages.main.from;
      lastDay = pages.extra.day;
      const point: GrowPoint = {
        chunk: i,
        storedBefore: stored,
        chunkRecords: pages.main.records,
        generatedSeconds: pages.generatedSeconds,
        load: null,
        nightly: null,
        queries: null,
        storeBytes: null,
        storedAfter: null,
        errors: [],
      };
      results.points.push(point);

      const raw = join(dir, "raw", "signins");
      if (i === 1) {
        // The floor: bare DuckDB on the same files, in a fresh file, once.
        const bdb = join(work, "bare.duckdb");
        const m = await stepRun("bare", {
          db: bdb,
          glob: join(raw, "*", "*.json"),
          variant: "lateral_ndjson",
        });
        results.bare = stepOf(
          m,
          (out) => out.records === pages.main.records ? null : `bare loaded ${out.records}`,
        );
        await Deno.remove(bdb).catch(() => {});
        await Deno.remove(`${bdb}.wal`).catch(() => {});
      }
      o.log(`chunk ${i}: loading into the store (${stored} sign-ins)`);
      const load = await stepRun("load", { db, pages: raw });
      point.load = stepOf(load, (out) => {
        if (out.read !== pages.main.records) {
          return `read ${out.read} of the chunk's ${pages.main.records} records`;
        }
        const added = Number(out.added);
        // The sample repeats a few ids on purpose (later states); a chunk adds all but those.
        if (!(added >= pages.main.records * 0.999)) return `added only ${added} of ${pages.main.records}`;
        if (out.records !== stored + added) return `store holds ${out.records}, expected ${stored + added}`;
        return null;
      });
      await Deno.remove(raw, { recursive: true });
      if (!point.load.ok) {
        point.errors.push(`load: ${point.load.error}`);
        // Every later number depends on this load: stop rather than measure a store that is not what it says.
        o.log(`chunk ${i}: load failed (${point.load.error}); the run stops here`);
        break;
      }
      stored = Number(load.output!.records);

      o.log(`chunk ${i}: nightly increment (${pages.extra.records} sign-ins of ${pages.extra.day})`);
      const nightly = await stepRun("incremental", { db, pages: [join(dir, "extra", "signins")] });
      point.nightly = stepOf(nightly, (out) => {
        if (out.read !== pages.extra.records) return `read ${out.read} of ${pages.extra.records}`;
        if (out.records !== stored + Number(out.added)) return `store holds ${out.records}`;
        return null;
      });
      // The nightly day is the chunk's newest: a weekend day holds a fifth of a working day's sign-ins.
      if (nightly.output) point.nightly.detail = { read: nightly.output.read, day: pages.extra.day };
      await Deno.remove(dir, { recursive: true });
      if (!point.nightly.ok) {
        point.errors.push(`nightly: ${point.nightly.error}`);
        break;
      }
      stored = Number(nightly.output!.records);
      point.storedAfter = stored;
      point.storeBytes = await dirBytes(db);

      o.log(`chunk ${i}: report queries and triage on ${stored} sign-ins`);
      const to = new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY).toISOString().replace(".000Z", "Z");
      const q = await stepRun("grow_queries", { db, reps: o.reps, from: `${firstDay}T00:00:00Z`, to });
      point.queries = stepOf(
        q,
        (out) =>
          out.summarySignins !== stored
            ? `the summary counts ${out.summarySignins} sign-ins, the store holds ${stored}`
            : Object.values(out.rows as Record<string, number>).every((n) => n === 0)
            ? "every report query returned no rows"
            : null,
      );
      if (q.output) point.queries.detail = q.output;
      if (!point.queries.ok) point.errors.push(`queries: ${point.queries.error}`);
      o.log(
        `chunk ${i}: load ${fmt(point.load.seconds)} (${gib(point.load.peakRssBytes)}), nightly ${
          fmt(point.nightly.seconds)
        }, queries+triage ${fmt(point.queries.seconds)}, ${(point.storeBytes / stored).toFixed(0)} B/sign-in`,
      );
      const base = await save();
      o.log(`results so far: ${base}.md`);
      if (i < o.chunks && !o.overlap) next = generate(i + 1);
    }

    const last = results.points[results.points.length - 1];
    if (last?.queries?.ok) {
      o.log(`cold start: the whole report from a new process on ${stored} sign-ins`);
      const out = join(work, "report");
      const m = await measure(deno, ["run", "-A", REPORT_TS, "--db", db, "--out", out], {
        rssCapBytes: o.rssCapBytes,
      });
      const html = await Deno.stat(join(out, "index.html")).then(() => true, () => false) ||
        [...await Array.fromAsync(Deno.readDir(out)).catch(() => [])].some((e) => e.name.endsWith(".html"));
      results.cold = {
        ok: m.ok && html,
        seconds: m.wallSeconds,
        wallSeconds: m.wallSeconds,
        peakRssBytes: m.peakRssBytes,
        error: m.ok ? (html ? undefined : "the report task wrote no HTML") : m.error,
        storedRecords: stored,
      };
    }
    results.complete = results.points.length === o.chunks &&
      results.points.every((p) => p.errors.length === 0);
    const base = await save();
    o.log(`results: ${base}.json, ${base}.md, ${base}.png`);
    return results;
  } finally {
    // A run that stopped early leaves the next chunk's generator running: end it before its folder goes.
    try {
      generator?.kill("SIGKILL");
    } catch { /* already ended */ }
    await next.catch(() => {});
    if (o.keep) o.log(`work folder kept: ${work}`);
    else await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

let generator: Deno.ChildProcess | undefined;

async function generatePages(
  a: { dir: string; records: number; seed: number; end: string },
): Promise<PagesManifest> {
  const args = ["run", "-A", join(BENCH_DIR, "grow_gen.ts"), JSON.stringify(a)];
  // Not niced: on a machine busy with other work a niced generator starves, and the run waits for it.
  generator = new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = await generator.output();
  generator = undefined;
  if (!out.success) {
    throw new Error(
      `generating ${a.dir} failed: ${new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!) as PagesManifest;
}

/** A measured step's outcome; `check` returns why a successful run's answer is wrong, or null. */
function stepOf(m: Measured, check: (out: Record<string, unknown>) => string | null) {
  const seconds = typeof m.output?.seconds === "number" ? m.output.seconds as number : null;
  let error = m.ok ? undefined : m.error;
  if (m.ok && !m.output) error = "the step printed no result";
  if (!error && m.output) error = check(m.output) ?? undefined;
  return {
    ok: !error && seconds !== null,
    seconds,
    wallSeconds: m.wallSeconds,
    peakRssBytes: m.peakRssBytes,
    error,
    detail: undefined as Record<string, unknown> | undefined,
  };
}

async function writeAtomic(path: string, text: string) {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

const fmt = (s: number | null) => (s === null ? "n/a" : `${s.toFixed(2)} s`);
const gib = (b: number | null) => (b === null ? "RSS n/a" : `${(b / 2 ** 30).toFixed(2)} GiB`);
