import { join } from "node:path";
import type { Detected, SqlShape } from "../store/detect_shape.ts";
import { type JsonDoc, type RejectedText, splitJson } from "./json_text.ts";
import { restage } from "./restage.ts";
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
      const text = await readText(input.path);
      const shape = input.detected.shape;
      if (isNormalisedShape(shape)) {
        normalised.push({ path: input.path, shape, text });
        continue;
      }
      if (!isSqlShape(shape)) {
        throw new Error(`${input.path}: ${shape} files are not staged as their own shape`);
      }
      const { docs, rejected } = splitJson(text);
      const r = restage(shape, docs as JsonDoc[], input.detected.wrapped);
      const bad = [...rejected, ...r.rejected].map((x) => ({ ...x, path: input.path }));
      accept(result, bad, options);
      for (const [k, n] of r.otherCategories) {
        result.otherCategories.set(k, (result.otherCategories.get(k) ?? 0) + n);
      }
      const out = join(dir, `${i}.ndjson`);
      await Deno.writeTextFile(out, r.lines.join("\n") + "\n");
      result.files.push({
        path: out,
        source: input.path,
        detected: { shape, format: "newline_delimited", wrapped: input.detected.wrapped },
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
