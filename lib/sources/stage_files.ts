import { join } from "node:path";
import type { Detected, SqlShape } from "../store/detect_shape.ts";
import { clip, type RejectedText, splitJson } from "./json_text.ts";
import { readLines } from "./read_lines.ts";
import { restage, restagedShape } from "./restage.ts";
import { type NormalisedShape, normaliseSource } from "./normalise_source.ts";
import { countryLookup } from "./ip_country.ts";

/** A file the loader reads: its path and what it holds. */
export interface StageInput {
  path: string;
  detected: Detected;
}

/** A temporary NDJSON file standing in for `source`, read by the SQL path of `detected`. */
export interface StagedFile {
  path: string;
  source: string;
  detected: Detected;
}

export interface RejectedRecord extends RejectedText {
  path: string;
}

export interface StageResult {
  files: StagedFile[];
  rejected: RejectedRecord[];
  otherCategories: Map<string, number>;
  /** Things the summary must say (authentication details that matched no sign-in, …). */
  notes: string[];
  /** Removes the temporary files. */
  cleanup(): Promise<void>;
}

/** A record that cannot be loaded, in an all-or-nothing load. */
export class BadRecordError extends Error {
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = "BadRecordError";
  }
}

export interface StageOptions {
  /** Leave bad records out (reported) instead of failing. */
  skipBadRecords?: boolean;
}

/**
 * Reads files through JavaScript into temporary NDJSON the store's SQL loads: files DuckDB's reader refuses
 * (duplicate keys, BOM) or that hold bad records are re-written in their own shape; the exports DuckDB cannot
 * read at all (admin center, Purview, Defender) are normalised into signIn records. Raw files stay untouched.
 */
export async function stageFiles(inputs: StageInput[], options: StageOptions = {}): Promise<StageResult> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-stage-" });
  const result: StageResult = {
    files: [],
    rejected: [],
    otherCategories: new Map(),
    notes: [],
    cleanup: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
  try {
    const normalised: { path: string; shape: NormalisedShape; text: string }[] = [];
    for (const [i, input] of inputs.entries()) {
      const shape = input.detected.shape;
      if (isNormalisedShape(shape)) {
        normalised.push({ path: input.path, shape, text: await readText(input.path) });
        continue;
      }
      if (!isSqlShape(shape)) {
        throw new Error(`${input.path}: ${shape} files are not staged as their own shape`);
      }
      const out = join(dir, `${i}.ndjson`);
      const bad = input.detected.format === "newline_delimited"
        ? await restageLines(input, shape, out, result, options)
        : await restageWhole(input, shape, out, result);
      accept(result, bad, options);
      result.files.push({
        path: out,
        source: input.path,
        detected: {
          shape: restagedShape(shape),
          format: "newline_delimited",
          wrapped: input.detected.wrapped,
        },
      });
    }
    if (normalised.length > 0) {
      // Purview logs no geolocation: its country is looked up from the IP address (and marked derived).
      const countryOf = normalised.some((n) => n.shape === "purview") ? await countryLookup() : undefined;
      const n = normaliseSource(normalised, countryOf);
      accept(result, n.rejected, options);
      result.notes.push(...n.notes);
      for (const [k, c] of n.otherCategories) {
        result.otherCategories.set(k, (result.otherCategories.get(k) ?? 0) + c);
      }
      for (const [i, file] of n.files.entries()) {
        const out = join(dir, `n${i}.ndjson`);
        await Deno.writeTextFile(out, file.lines.join("\n") + "\n");
        result.files.push({
          path: out,
          source: file.path,
          detected: { shape: "normalised", format: "newline_delimited", wrapped: false },
        });
      }
    }
    return result;
  } catch (e) {
    await result.cleanup();
    throw e;
  }
}

/** Largest single JSON document read whole; V8 strings stop near 1 GB and JSON.parse needs several times that. */
const WHOLE_LIMIT = 512 << 20;

/** One document (a pretty-printed page, a merged file): parsed whole. */
async function restageWhole(
  input: StageInput,
  shape: SqlShape,
  out: string,
  result: StageResult,
): Promise<RejectedRecord[]> {
  const size = (await Deno.stat(input.path)).size;
  if (!input.path.endsWith(".gz") && size > WHOLE_LIMIT) {
    throw new BadRecordError(
      `${input.path}: a single JSON document of ${size} bytes is too big to read through JavaScript; write it ` +
        `as one page or record per line (NDJSON) and load that`,
      input.path,
    );
  }
  const { docs, rejected } = splitJson(await readText(input.path));
  const r = restage(shape, docs, input.detected.wrapped);
  for (const [k, n] of r.otherCategories) {
    result.otherCategories.set(k, (result.otherCategories.get(k) ?? 0) + n);
  }
  await Deno.writeTextFile(out, r.lines.join("\n") + "\n");
  return [...rejected, ...r.rejected].map((x) => ({ ...x, path: input.path }));
}

/** NDJSON (one page or record per line): streamed line by line, written as it goes, never held whole. */
async function restageLines(
  input: StageInput,
  shape: SqlShape,
  out: string,
  result: StageResult,
  options: StageOptions,
): Promise<RejectedRecord[]> {
  const bad: RejectedRecord[] = [];
  const file = await Deno.open(out, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const bytes = encoder.encode(batch.join("\n") + "\n");
    for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
    batch = [];
  };
  try {
    for await (const l of readLines(input.path)) {
      if (l.text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(l.text);
      } catch (e) {
        // Where the syntax breaks, as DuckDB reports it ("at byte N"), rather than where the line starts.
        const at = /position (\d+)/.exec((e as Error).message);
        bad.push({
          path: input.path,
          line: l.line,
          offset: at ? l.offset + encoder.encode(l.text.slice(0, Number(at[1]))).length : l.offset,
          reason: `not valid JSON: ${(e as Error).message}`,
          raw: clip(l.text),
        });
        if (!options.skipBadRecords) break;
        continue;
      }
      const r = restage(shape, [{ value, line: l.line, offset: l.offset }], input.detected.wrapped);
      for (const [k, n] of r.otherCategories) {
        result.otherCategories.set(k, (result.otherCategories.get(k) ?? 0) + n);
      }
      bad.push(...r.rejected.map((x) => ({ ...x, path: input.path })));
      if (bad.length > 0 && !options.skipBadRecords) break;
      batch.push(...r.lines);
      if (batch.length >= 1000) await flush();
    }
    await flush();
  } finally {
    file.close();
  }
  return bad;
}

function accept(result: StageResult, bad: RejectedRecord[], options: StageOptions): void {
  if (bad.length === 0) return;
  if (!options.skipBadRecords) {
    const b = bad[0];
    const where = b.line !== null ? `:${b.line}` : b.offset !== null ? ` at byte ${b.offset}` : "";
    throw new BadRecordError(
      `${b.path}${where}: ${b.reason}${
        bad.length > 1 ? ` (and ${bad.length - 1} more bad record(s))` : ""
      }; ` +
        `nothing was loaded. Run the load with --skip-bad-records to load the good records and keep the bad ` +
        `ones in the rejected_records table`,
      b.path,
    );
  }
  result.rejected.push(...bad);
}

const NORMALISED = new Set<string>([
  "portal_csv",
  "portal_json",
  "portal_auth_details",
  "purview",
  "defender",
]);
const isNormalisedShape = (s: string): s is NormalisedShape => NORMALISED.has(s);
const SQL_SHAPES = new Set<string>(["graph_pages", "signin_records", "azure_monitor", "log_analytics"]);
const isSqlShape = (s: string): s is SqlShape => SQL_SHAPES.has(s);

async function readText(path: string): Promise<string> {
  if (!path.endsWith(".gz")) return await Deno.readTextFile(path);
  const file = await Deno.open(path, { read: true });
  const stream = file.readable.pipeThrough(
    new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  return await new Response(stream).text();
}
