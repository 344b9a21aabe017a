/** The benchmark's results: their shape, the targets of issue 7 judged on them, and the markdown table. */
import type { CountryMap } from "./answers.ts";

export interface RunResult {
  ok: boolean;
  /** The step's own measure of its work (process start excluded), when it printed one. */
  seconds: number | null;
  wallSeconds: number;
  peakRssBytes: number | null;
}

export interface StepResult {
  id: string;
  label: string;
  ok: boolean;
  /** Why the step did not run (a peer that is not installed). */
  skipped?: string;
  error?: string;
  runs: RunResult[];
  /** Median over the runs. */
  seconds?: number;
  minSeconds?: number;
  maxSeconds?: number;
  /** Largest peak RSS over the runs. */
  peakRssBytes?: number;
  /** Records the step handled. */
  records?: number;
  answer?: CountryMap;
  answerCheck?: string;
  dbBytes?: number;
  detail?: Record<string, unknown>;
}

export interface Target {
  name: string;
  /** What was measured, in words and numbers. */
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  date: string;
  records: number;
  reps: number;
  peerReps: number;
  machine: {
    cores: number;
    memAvailableBytes: number;
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    deno: string;
    duckdb: string;
  };
  pages: {
    records: number;
    pages: number;
    bytes: number;
    days: number;
    extraRecords: number;
    generatedSeconds: number;
  };
  steps: StepResult[];
  targets: Target[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const GIB = 2 ** 30;
/** DESIGN.md §2: the report's aggregates straight from raw pages, select-list unnest, 3.4 s per 1M records. */
export const RAW_REPORT_BUDGET_PER_MILLION = 3.4;

/** A step that ran and whose answer holds: a failed step, or one whose answer differs, is no measurement. */
function step(r: BenchResults, id: string): StepResult | undefined {
  const s = r.steps.find((x) => x.id === id);
  return valid(s) ? s : undefined;
}

function valid(s: StepResult | undefined): s is StepResult {
  return !!s?.ok && s.seconds !== undefined && !s.answerCheck?.startsWith("DIFFERS");
}

/** The fastest bare DuckDB load. */
export function bestBare(r: BenchResults): StepResult | undefined {
  return r.steps.filter((s) => s.id.startsWith("bare_") && valid(s))
    .sort((a, b) => a.seconds! - b.seconds!)[0];
}

function bestRaw(r: BenchResults): StepResult | undefined {
  return r.steps.filter((s) => s.id.startsWith("raw_") && valid(s))
    .sort((a, b) => a.seconds! - b.seconds!)[0];
}

const f2 = (x: number) => x.toFixed(2);
/** Seconds as the tables print them: milliseconds below one second. */
export const sec = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} ms` : `${x.toFixed(2)} s`);

/** Judges issue 7's targets on one run; a target whose steps did not run is `met: null`. */
export function evaluateTargets(r: BenchResults): Target[] {
  const t: Target[] = [];
  const load = step(r, "load");
  const bare = bestBare(r);
  const unknown = (name: string, why: string) => t.push({ name, measured: why, met: null });
  const name1 = "first load ≤ 1.15× the best bare DuckDB load";
  if (load && bare) {
    const ratio = load.seconds! / bare.seconds!;
    t.push({
      name: name1,
      measured: `${f2(ratio)}× (${sec(load.seconds!)} vs ${sec(bare.seconds!)}, ${bare.id})`,
      met: ratio <= 1.15,
    });
  } else unknown(name1, "not measured");
  const pandas = step(r, "pandas");
  const name2 = "first load ≥ 12× faster than pandas";
  if (load && pandas) {
    const ratio = pandas.seconds! / load.seconds!;
    t.push({ name: name2, measured: `pandas / ours = ${f2(ratio)}×`, met: ratio >= 12 });
  } else unknown(name2, pandas ? "not measured" : "pandas not measured");
  const raw = bestRaw(r);
  const name3 = `report straight from raw ≤ ${RAW_REPORT_BUDGET_PER_MILLION} s per 1M records (DESIGN.md §2)`;
  if (raw) {
    const perM = (raw.seconds! * 1e6) / r.pages.records;
    t.push({
      name: name3,
      measured: `${f2(perM)} s per 1M (${sec(raw.seconds!)}, ${raw.id})`,
      met: perM <= RAW_REPORT_BUDGET_PER_MILLION,
    });
  } else unknown(name3, "not measured");
  const simd = step(r, "simdjson");
  const name4 = "report straight from raw ≤ 4× the simdjson parsing ceiling (aim)";
  if (raw && simd) {
    const ratio = raw.seconds! / simd.seconds!;
    t.push({
      name: name4,
      measured: `${f2(ratio)}× (${sec(raw.seconds!)} vs ${sec(simd.seconds!)})`,
      met: ratio <= 4,
    });
  } else unknown(name4, simd ? "not measured" : "simdjson not measured");
  const q = step(r, "queries");
  const name5 = "report queries together < 0.5 s";
  const disagree = r.steps.find((s) => s.id.startsWith("raw_") && s.answerCheck?.startsWith("DIFFERS"));
  if (q && disagree) {
    unknown(name5, `the store's answer differs from ${disagree.id}: ${disagree.answerCheck}`);
  } else if (q) {
    t.push({
      name: name5,
      measured: `${sec(q.seconds!)} over ${r.pages.records} records (warm)`,
      met: q.seconds! < 0.5,
    });
  } else unknown(name5, "not measured");
  const inc = step(r, "incremental");
  const name6 = "incremental load proportional to new data (≤ 2× the first load's time per record)";
  if (inc && load && inc.records) {
    const perInc = inc.seconds! / inc.records;
    const perLoad = load.seconds! / r.pages.records;
    t.push({
      name: name6,
      measured: `${(perInc * 1e6).toFixed(1)} µs/record vs ${(perLoad * 1e6).toFixed(1)} µs/record (${
        f2(perInc / perLoad)
      }×)`,
      met: perInc / perLoad <= 2,
    });
  } else unknown(name6, "not measured");
  const name7 = "peak RSS of the first load < 2 GB";
  if (load?.peakRssBytes) {
    t.push({
      name: name7,
      measured: `${f2(load.peakRssBytes / GIB)} GiB at ${r.pages.records} records`,
      met: load.peakRssBytes < 2 * 1e9,
    });
  } else unknown(name7, "not measured");
  const pulls = r.steps.filter((s) => s.id.startsWith("pull_") && s.ok && s.peakRssBytes)
    .sort((a, b) => (a.records ?? 0) - (b.records ?? 0));
  const name8 = "pull RSS flat: largest pull within 10 % of the smallest";
  if (pulls.length >= 2) {
    const small = pulls[0], big = pulls[pulls.length - 1];
    const growth = big.peakRssBytes! / small.peakRssBytes! - 1;
    t.push({
      name: name8,
      measured: `${mib(big.peakRssBytes!)} at ${big.records} vs ${
        mib(small.peakRssBytes!)
      } at ${small.records} (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)`,
      met: growth <= 0.1,
    });
  } else unknown(name8, "needs two pull sizes");
  return t;
}

const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;

/** The results as markdown: the steps table, the per-query table and the targets. */
export function renderMarkdown(r: BenchResults): string {
  const load = step(r, "load");
  const bare = bestBare(r);
  const n = r.pages.records;
  const lines: string[] = [];
  lines.push(
    `## signin-lens bench: ${n.toLocaleString("en-US")} sign-ins, ${r.pages.pages} pages, ` +
      `${(r.pages.bytes / 1e9).toFixed(2)} GB (${r.date.slice(0, 16)}Z)`,
  );
  lines.push("");
  lines.push(
    `${r.machine.cores} cores, DuckDB ${r.machine.duckdb}, Deno ${r.machine.deno}; load average ` +
      `${r.machine.loadAverageBefore.join(" ")} before, ${r.machine.loadAverageAfter.join(" ")} after; ` +
      `medians of ${r.reps} runs (peers ${r.peerReps})`,
  );
  lines.push("");
  lines.push(`| step | median | min–max | per 1M records | peak RSS | ratio | answer |`);
  lines.push(`|---|---:|---:|---:|---:|---|---|`);
  for (const s of r.steps) {
    if (s.skipped) {
      lines.push(`| ${s.label} | – | – | – | – | skipped: ${s.skipped} | |`);
      continue;
    }
    if (!s.ok || s.seconds === undefined) {
      lines.push(
        `| ${s.label} | failed | | | ${s.peakRssBytes ? mib(s.peakRssBytes) : ""} | ${s.error ?? ""} | |`,
      );
      continue;
    }
    const per = s.records ? `${f2((s.seconds * 1e6) / s.records)} s` : "";
    lines.push(
      `| ${s.label} | ${sec(s.seconds)} | ${sec(s.minSeconds!)}–${sec(s.maxSeconds!)} | ${per} | ` +
        `${s.peakRssBytes ? mib(s.peakRssBytes) : "n/a"} | ${ratio(s, load, bare)} | ${
          s.answerCheck ?? ""
        } |`,
    );
  }
  const q = r.steps.find((s) => s.id === "queries");
  const each = q?.detail?.each as Record<string, number> | undefined;
  if (each) {
    lines.push("");
    lines.push(`| report query (warm, median) | time | rows |`);
    lines.push(`|---|---:|---:|`);
    const rows = q!.detail!.rows as Record<string, number>;
    for (const [name, s] of Object.entries(each)) lines.push(`| ${name} | ${sec(s)} | ${rows[name]} |`);
    lines.push(`| all together (first, cold pass) | ${sec(q!.detail!.coldSeconds as number)} | |`);
  }
  lines.push("");
  lines.push(...targetsTable(r.targets));
  return lines.join("\n") + "\n";
}

/** The markdown table of targets met, missed and not judged. */
export function targetsTable(targets: readonly Target[]): string[] {
  return [
    `| target | measured | met |`,
    `|---|---|---|`,
    ...targets.map((t) =>
      `| ${t.name} | ${t.measured} | ${t.met === null ? "n/a" : t.met ? "yes" : "**no**"} |`
    ),
  ];
}

function ratio(s: StepResult, load?: StepResult, bare?: StepResult): string {
  if (s.id === "load" && bare) return `${f2(s.seconds! / bare.seconds!)}× best bare`;
  if (s.id.startsWith("bare_") && load) return `ours / this = ${f2(load.seconds! / s.seconds!)}×`;
  if (s.id.startsWith("raw_") && bare) return `${f2(s.seconds! / bare.seconds!)}× best bare load`;
  if (["pandas", "polars", "jq"].includes(s.id) && load) return `${f2(s.seconds! / load.seconds!)}× our load`;
  if (s.id === "simdjson" && load) return `our load = ${f2(load.seconds! / s.seconds!)}× this`;
  return "";
}
