/**
 * What the raw directories say about which hours were fetched: the Graph pull's checkpoint windows
 * (`<out>/.pull/checkpoint`) and the storage pull's ledger (`.storage-ledger.json`, blob names carrying
 * y=/m=/d=/h=). Read-only; a missing or unreadable file is reported, never guessed around.
 */
import { join } from "node:path";
import { LEDGER_NAME } from "../storage/ledger.ts";

/** One fetched span of a stream: [start, end) in ms; `done` false for a window a pull started but never finished. */
export interface FetchedSpan {
  source: "pull" | "storage";
  /** The Graph stream (signins/interactive@beta) or the storage container. */
  stream: string;
  start: number;
  end: number;
  done: boolean;
}

export interface CoverageSources {
  spans: FetchedSpan[];
  /** Files that were read, for the report's "based on" line. */
  files: string[];
  problems: string[];
}

const HOUR = 3_600_000;

/** Walks `dir` for pull checkpoints and storage ledgers (not into dt= partitions' files). */
export async function readCoverageSources(dir: string): Promise<CoverageSources> {
  const out: CoverageSources = { spans: [], files: [], problems: [] };
  await walk(dir, out, 0);
  return out;
}

async function walk(dir: string, out: CoverageSources, depth: number): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory && e.name === ".pull") await readCheckpoint(join(path, "checkpoint"), out);
    else if (e.isFile && e.name === LEDGER_NAME) await readLedgerSpans(path, out);
    // Storage copies nest tenantId=/y=/m=/d=/h=/m= under each container: ledgers sit above them.
    else if (e.isDirectory && depth < 4 && !/^(dt|y|m|d|h)=/.test(e.name)) await walk(path, out, depth + 1);
  }
}

async function readJson(path: string, out: CoverageSources): Promise<unknown> {
  try {
    const value = JSON.parse(await Deno.readTextFile(path));
    out.files.push(path);
    return value;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      out.problems.push(`${path}: cannot read it (${(e as Error).message})`);
    }
    return undefined;
  }
}

async function readCheckpoint(path: string, out: CoverageSources): Promise<void> {
  const cp = await readJson(path, out) as { windows?: Record<string, { status?: string }> } | undefined;
  if (!cp) return;
  for (const [key, w] of Object.entries(cp.windows ?? {})) {
    const [stream, from, to] = key.split("|");
    if (!stream?.startsWith("signins")) continue;
    const start = Date.parse(from);
    const end = Date.parse(to);
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    out.spans.push({ source: "pull", stream, start, end, done: w.status === "done" });
  }
}

const HOUR_OF_BLOB = /(?:^|\/)y=(\d{4})\/m=(\d{2})\/d=(\d{2})\/h=(\d{2})\//;

async function readLedgerSpans(path: string, out: CoverageSources): Promise<void> {
  const ledger = await readJson(path, out) as { blobs?: Record<string, unknown> } | undefined;
  if (!ledger) return;
  for (const key of Object.keys(ledger.blobs ?? {})) {
    const slash = key.indexOf("/");
    const m = HOUR_OF_BLOB.exec(key.slice(slash + 1));
    if (!m) continue;
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
    out.spans.push({ source: "storage", stream: key.slice(0, slash), start, end: start + HOUR, done: true });
  }
}
