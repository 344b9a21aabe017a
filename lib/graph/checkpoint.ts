/**
 * The pull's memory between runs, in `<out>/.pull/checkpoint` (JSON, written atomically; no `.json`
 * extension so that loaders globbing `**\/*.json` never take it for data), and a lock file so two pulls never
 * write the same directory. Holds window states and watermarks only: never a token, secret or URL.
 */
import { PullLockedError } from "./errors.ts";
import type { Kind } from "./windows.ts";

export interface WindowState {
  status: "started" | "done";
  kind: Kind;
  /** UTC day of the window: its pages live in `dt=<day>`. */
  day: string;
  /** First page number reserved for the window in its dt directory. */
  firstPage: number;
  /** Last page written (done windows). */
  lastPage?: number;
  records?: number;
  finishedAt?: string;
}

export interface StreamState {
  /** End of the last finished `--since` run: the next one starts here minus the overlap. */
  watermark?: string;
  /** A `--since` run in progress: a re-run resumes this exact range so its windows line up. */
  pending?: { from: string; to: string };
}

export interface CheckpointData {
  version: 1;
  windows: Record<string, WindowState>;
  streams: Record<string, StreamState>;
}

export function emptyCheckpoint(): CheckpointData {
  return { version: 1, windows: {}, streams: {} };
}

export function checkpointPath(outDir: string): string {
  return `${outDir}/.pull/checkpoint`;
}

export async function loadCheckpoint(outDir: string): Promise<CheckpointData> {
  const path = checkpointPath(outDir);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyCheckpoint();
    throw e;
  }
  let data: CheckpointData;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(
      `Checkpoint ${path} is not valid JSON; move it away to start over (pages on disk are kept)`,
    );
  }
  if (data?.version !== 1 || typeof data.windows !== "object" || typeof data.streams !== "object") {
    throw new Error(`Checkpoint ${path} has an unknown format (expected version 1)`);
  }
  return data;
}

/** Writes the checkpoint atomically (temp file, fsync, rename). */
export async function saveCheckpoint(outDir: string, data: CheckpointData): Promise<void> {
  const path = checkpointPath(outDir);
  await Deno.mkdir(`${outDir}/.pull`, { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    const bytes = new TextEncoder().encode(JSON.stringify(data, null, 1) + "\n");
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
}

/** Drops finished windows that ended long ago, so the file stays small over years of nightly runs. */
export function pruneCheckpoint(data: CheckpointData, nowMs: number, keepDays = 90): void {
  const limit = nowMs - keepDays * 86_400_000;
  for (const [key, w] of Object.entries(data.windows)) {
    const end = Date.parse(key.split("|")[2] ?? "");
    if (w.status === "done" && end < limit) delete data.windows[key];
  }
}

/** Linux: a process is alive while /proc lists it in a state other than zombie or dead. */
function processAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Takes `<out>/.pull/lock`; a lock left by a dead process (a killed run) is taken over. */
export async function acquireLock(outDir: string): Promise<() => Promise<void>> {
  await Deno.mkdir(`${outDir}/.pull`, { recursive: true });
  const path = `${outDir}/.pull/lock`;
  for (let tries = 0; tries < 3; tries++) {
    try {
      const f = await Deno.open(path, { write: true, createNew: true });
      await f.write(new TextEncoder().encode(`${Deno.pid}\n`));
      f.close();
      return async () => {
        await Deno.remove(path).catch(() => {});
      };
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
    const pid = Number((await Deno.readTextFile(path).catch(() => "")).trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== Deno.pid && processAlive(pid)) {
      throw new PullLockedError(path, pid);
    }
    await Deno.remove(path).catch(() => {});
  }
  throw new Error(`Cannot take the lock ${path}`);
}
