/** The grow bench's results: their shape, issue 14's targets judged on them, and the markdown table. */
import { sec, type Target, targetsTable } from "./report.ts";

export interface GrowStep {
  ok: boolean;
  /** The step's own measure of its work (process start excluded). */
  seconds: number | null;
  wallSeconds: number;
  peakRssBytes: number | null;
  /** Why it failed, or why its answer is wrong (then `ok` is false too). */
  error?: string;
  detail?: Record<string, unknown>;
}

export interface GrowPoint {
  chunk: number;
  storedBefore: number;
  chunkRecords: number;
  generatedSeconds: number;
  load: GrowStep | null;
  nightly: GrowStep | null;
  /** Report queries and triage together, warm (detail: each query, triage alone, row counts). */
  queries: GrowStep | null;
  /** Database file and WAL after the chunk and its nightly increment. */
  storeBytes: number | null;
  storedAfter: number | null;
  errors: string[];
}

export interface GrowResults {
  date: string;
  chunks: number;
  chunk: number;
  reps: number;
  machine: {
    cores: number;
    memAvailableBytes: number;
    loadAverageBefore: number[];
    deno: string;
    duckdb: string;
  };
  points: GrowPoint[];
  /** The whole report from a new process on the grown store. */
  cold: (Omit<GrowStep, "detail"> & { storedRecords: number }) | null;
  /** Bare DuckDB on the first chunk's files (the floor for the first load). */
  bare: GrowStep | null;
  targets: Target[];
  /** Every chunk ran and every answer checked. */
  complete: boolean;
}

const GB = 1e9;
const mil = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n.toLocaleString("en-US"));

/** Issue 14's targets; a target whose steps did not run, failed or gave a wrong answer is `met: null`. */
export function evaluateGrowTargets(r: GrowResults): GrowResults["targets"] {
  const t: GrowResults["targets"] = [];
  const good = r.points.filter((p) => p.errors.length === 0 && p.load?.ok);
  const first = good.find((p) => p.chunk === 1);
  const last = good.length === r.chunks ? good[good.length - 1] : undefined;
  const na = (name: string, why: string) => t.push({ name, measured: why, met: null });

  const n1 = `flat ingest: chunk ${r.chunks} loads within 1.2× the time of chunk 1`;
  if (first && last && first !== last) {
    const ratio = last.load!.seconds! / first.load!.seconds!;
    t.push({
      name: n1,
      measured: `${ratio.toFixed(2)}× (${sec(last.load!.seconds!)} vs ${sec(first.load!.seconds!)})`,
      met: ratio <= 1.2,
    });
  } else na(n1, "not every chunk loaded");

  const n2 = "nightly increment into the full store ≤ 3 s";
  if (last?.nightly?.ok) {
    t.push({
      name: n2,
      measured: `${sec(last.nightly.seconds!)} into ${mil(last.storedBefore + last.chunkRecords)}`,
      met: last.nightly.seconds! <= 3,
    });
  } else na(n2, "not measured on the full store");

  const n3 = "peak RSS < 3 GB at every step";
  const rss = r.points.flatMap((p) => [p.load, p.nightly, p.queries]).concat(r.cold ? [r.cold] : [])
    .filter((s): s is GrowStep => !!s?.peakRssBytes);
  if (rss.length > 0 && last) {
    const max = Math.max(...rss.map((s) => s.peakRssBytes!));
    t.push({ name: n3, measured: `max ${(max / GB).toFixed(2)} GB`, met: max < 3 * GB });
  } else na(n3, "not every step measured");

  const q1 = first?.queries?.ok ? first.queries : undefined;
  const n4 = `report queries + triage ≤ 0.5 s warm at ${mil(r.chunk)}`;
  if (q1) {
    const tri = q1.detail?.triageSeconds === null ? " (triage not available)" : "";
    t.push({ name: n4, measured: `${sec(q1.seconds!)}${tri}`, met: q1.seconds! <= 0.5 });
  } else na(n4, "not measured with a checked answer");

  const qn = last?.queries?.ok ? last.queries : undefined;
  const n5 = `report queries + triage ≤ 2 s warm at ${mil(r.chunks * r.chunk)}`;
  if (qn) t.push({ name: n5, measured: sec(qn.seconds!), met: qn.seconds! <= 2 });
  else na(n5, "not measured with a checked answer");

  const n6 = `full report from a cold process ≤ 5 s at ${mil(r.chunks * r.chunk)}`;
  if (r.cold?.ok && last) t.push({ name: n6, measured: sec(r.cold.seconds!), met: r.cold.seconds! <= 5 });
  else na(n6, r.cold?.error ?? "not measured");

  const n7 = `first load ≤ 1.1× bare DuckDB on the same files (${mil(r.chunk)})`;
  if (first && r.bare?.ok) {
    const ratio = first.load!.seconds! / r.bare.seconds!;
    t.push({
      name: n7,
      measured: `${ratio.toFixed(2)}× (${sec(first.load!.seconds!)} vs ${sec(r.bare.seconds!)})`,
      met: ratio <= 1.1,
    });
  } else na(n7, "not measured");
  return t;
}

export function renderGrowMarkdown(r: GrowResults): string {
  const lines: string[] = [];
  lines.push(
    `## signin-lens grow bench: ${r.chunks} × ${r.chunk.toLocaleString("en-US")} sign-ins (${
      r.date.slice(0, 16)
    }Z)${r.complete ? "" : " — INCOMPLETE"}`,
  );
  lines.push("");
  lines.push(
    `${r.machine.cores} cores, DuckDB ${r.machine.duckdb}, Deno ${r.machine.deno}; load average ` +
      `${r.machine.loadAverageBefore.join(" ")} at the start; warm times are medians of ${r.reps}`,
  );
  lines.push("");
  lines.push(
    `| store after | chunk load | load peak RSS | nightly day | nightly RSS | bytes / sign-in | ` +
      `report queries + triage (warm) | of which triage | notes |`,
  );
  lines.push(`|---:|---:|---:|---:|---:|---:|---:|---:|---|`);
  for (const p of r.points) {
    const cell = (s: GrowStep | null) => (s?.ok && s.seconds !== null ? sec(s.seconds) : s ? "failed" : "–");
    const rss = (s: GrowStep | null) => (s?.peakRssBytes ? `${(s.peakRssBytes / GB).toFixed(2)} GB` : "–");
    const tri = p.queries?.detail?.triageSeconds;
    lines.push(
      `| ${p.storedAfter ? mil(p.storedAfter) : "–"} | ${cell(p.load)} | ${rss(p.load)} | ${cell(p.nightly)}${
        typeof p.nightly?.detail?.read === "number"
          ? ` (${p.nightly.detail.read.toLocaleString("en-US")} sign-ins)`
          : ""
      } | ` +
        `${rss(p.nightly)} | ${
          p.storeBytes && p.storedAfter ? (p.storeBytes / p.storedAfter).toFixed(0) : "–"
        } | ` +
        `${cell(p.queries)} | ${typeof tri === "number" ? sec(tri) : tri === null ? "n/a" : "–"} | ${
          p.errors.join("; ")
        } |`,
    );
  }
  if (r.bare) {
    lines.push("");
    lines.push(
      `Bare DuckDB on chunk 1's files (read_json + CROSS JOIN UNNEST, newline_delimited, into a fresh file): ${
        r.bare.ok ? sec(r.bare.seconds!) : `failed: ${r.bare.error}`
      }${r.bare.peakRssBytes ? `, ${(r.bare.peakRssBytes / GB).toFixed(2)} GB` : ""}.`,
    );
  }
  if (r.cold) {
    lines.push("");
    lines.push(
      `Cold start, the whole report (tables, charts, triage) from a new process on ${
        mil(r.cold.storedRecords)
      }: ${r.cold.ok ? sec(r.cold.seconds!) : `failed: ${r.cold.error}`}${
        r.cold.peakRssBytes ? `, ${(r.cold.peakRssBytes / GB).toFixed(2)} GB` : ""
      }.`,
    );
  }
  const last = r.points.filter((p) => p.queries?.ok).at(-1);
  const each = last?.queries?.detail?.each as Record<string, number> | undefined;
  if (each && last) {
    lines.push("");
    lines.push(`| query at ${mil(last.storedAfter!)} (warm, median) | time | rows |`);
    lines.push(`|---|---:|---:|`);
    const rows = last.queries!.detail!.rows as Record<string, number>;
    for (const [name, s] of Object.entries(each)) lines.push(`| ${name} | ${sec(s)} | ${rows[name]} |`);
    const tri = last.queries!.detail!.triageSeconds;
    lines.push(
      `| triage | ${typeof tri === "number" ? sec(tri) : "not available"} | ${
        last.queries!.detail!.triageRows ?? ""
      } |`,
    );
    const rules = (last.queries!.detail!.rules ?? {}) as Record<string, number>;
    for (const [rule, s] of Object.entries(rules)) {
      lines.push(`| · triage rule ${rule} (once) | ${sec(s)} | |`);
    }
  }
  lines.push("");
  lines.push(...targetsTable(r.targets));
  return lines.join("\n") + "\n";
}
