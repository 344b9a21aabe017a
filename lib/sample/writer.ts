/**
 * Writes the sample tenant as Graph response pages under `<out>/signins|audits/dt=YYYY-MM-DD/page-NNNNN.json`.
 *
 * Nothing half-written is ever mistaken for a sample: pages are written into a staging folder that is
 * swapped in whole, and manifest.json (counts and byte sizes of every day) is written last, atomically.
 * `ensureSampleTenant` checks the manifest against the files and rebuilds when anything is off.
 */

import { join } from "node:path";
import { generateDirectoryAudits } from "./audits.ts";
import { DEFAULTS, resolveOptions, SampleOptionError } from "./options.ts";
import { type Kind, MAX_PAGE_SIZE, pageFileName, paginate } from "./pages.ts";
import { iterateSignIns } from "./signins.ts";
import type { SampleOptions } from "./types.ts";

export const MANIFEST_FILE = "manifest.json";
export const MANIFEST_FORMAT = "signin-lens-sample";
export const MANIFEST_VERSION = 1;

export interface DayStats {
  records: number;
  pages: number;
  bytes: number;
}

export interface SampleManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  params: { users: number; days: number; seed: number; end: string; pageSize: number };
  window: { start: string; end: string };
  totals: { signIns: number; audits: number; pages: number; bytes: number };
  /** Per UTC day, newest first. */
  signins: Record<string, DayStats>;
  audits: Record<string, DayStats>;
}

export interface WriteSampleOptions extends SampleOptions {
  /** Folder to write into; `signins/`, `audits/` and manifest.json inside it are replaced. */
  out: string;
  /** Records per page, 1 to 999 (default 999, Graph's maximum). */
  pageSize?: number;
}

/** File-system effects, injectable so tests can simulate a crash half-way. */
export interface FsEffects {
  mkdir(path: string): Promise<void>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Recursive; succeeds when the path does not exist. */
  remove(path: string): Promise<void>;
  /** Size in bytes, or null when the path does not exist. */
  size(path: string): Promise<number | null>;
  /** File text, or null when the file does not exist. */
  readTextFile(path: string): Promise<string | null>;
  /** Names of the entries of a folder, or [] when it does not exist. */
  list(path: string): Promise<string[]>;
}

function notFound(e: unknown): boolean {
  return e instanceof Deno.errors.NotFound;
}

export const denoFs: FsEffects = {
  mkdir: (p) => Deno.mkdir(p, { recursive: true }),
  writeFile: (p, d) => Deno.writeFile(p, d),
  rename: (a, b) => Deno.rename(a, b),
  async remove(p) {
    try {
      await Deno.remove(p, { recursive: true });
    } catch (e) {
      if (!notFound(e)) throw e;
    }
  },
  async size(p) {
    try {
      return (await Deno.stat(p)).size;
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  },
  async readTextFile(p) {
    try {
      return await Deno.readTextFile(p);
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  },
  async list(p) {
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(p)) names.push(e.name);
    } catch (e) {
      if (notFound(e)) return [];
      throw e;
    }
    return names.sort();
  },
};

let stagingCounter = 0;
const encoder = new TextEncoder();

function resolvePageSize(pageSize: number | undefined): number {
  const p = pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(p) || p < 1 || p > MAX_PAGE_SIZE) {
    throw new SampleOptionError(
      "pageSize",
      `Option pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${p}`,
    );
  }
  return p;
}

/**
 * Generates the sample tenant and writes it as Graph pages, streaming (bounded memory at any size).
 * Returns the manifest, which is also written to `<out>/manifest.json` as the last step.
 *
 * @example
 * ```ts
 * const m = await writeSampleTenant({ out: "data/sample", users: 60, days: 30, seed: 1 });
 * console.log(m.totals.signIns);
 * ```
 */
export async function writeSampleTenant(
  opts: WriteSampleOptions,
  fs: FsEffects = denoFs,
): Promise<SampleManifest> {
  const r = resolveOptions(opts);
  const pageSize = resolvePageSize(opts.pageSize);
  const out = opts.out;
  await fs.mkdir(out);
  // First make the folder read as incomplete, so a crash from here on is detected.
  await fs.remove(join(out, MANIFEST_FILE));
  const staging = join(out, `.staging-${Deno.pid}-${++stagingCounter}`);
  await fs.remove(staging);
  await fs.mkdir(staging);
  try {
    const manifest: SampleManifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      params: { users: r.users, days: r.days, seed: r.seed, end: r.end, pageSize },
      window: {
        start: new Date(r.startDay * 86400000).toISOString().replace(".000Z", "Z"),
        end: r.end,
      },
      totals: { signIns: 0, audits: 0, pages: 0, bytes: 0 },
      signins: {},
      audits: {},
    };
    const writeKind = async <T>(kind: Kind, records: Iterable<T>, dateOf: (x: T) => string) => {
      const stats = manifest[kind];
      await fs.mkdir(join(staging, kind));
      for (const page of paginate(kind, records, dateOf, { pageSize, seed: r.seed })) {
        const dir = join(staging, kind, `dt=${page.date}`);
        if (page.number === 1) await fs.mkdir(dir);
        const data = encoder.encode(page.text);
        await fs.writeFile(join(dir, pageFileName(page.number)), data);
        const bytes = data.length;
        const day = stats[page.date] ??= { records: 0, pages: 0, bytes: 0 };
        day.records += page.records;
        day.pages++;
        day.bytes += bytes;
        manifest.totals.pages++;
        manifest.totals.bytes += bytes;
        if (kind === "signins") manifest.totals.signIns += page.records;
        else manifest.totals.audits += page.records;
      }
    };
    await writeKind("signins", iterateSignIns(r), (s) => s.createdDateTime.slice(0, 10));
    await writeKind("audits", generateDirectoryAudits(r), (a) => a.activityDateTime.slice(0, 10));
    for (const kind of ["signins", "audits"] as const) {
      const target = join(out, kind);
      if ((await fs.size(target)) !== null) await fs.rename(target, join(staging, `old-${kind}`));
      await fs.rename(join(staging, kind), target);
    }
    const tmp = join(out, `.${MANIFEST_FILE}.${Deno.pid}.tmp`);
    await fs.writeFile(tmp, encoder.encode(JSON.stringify(manifest, null, 2) + "\n"));
    await fs.rename(tmp, join(out, MANIFEST_FILE));
    return manifest;
  } finally {
    await fs.remove(staging).catch(() => {});
  }
}

export type SampleCheck =
  | { complete: true; manifest: SampleManifest }
  | { complete: false; reason: string };

/**
 * Checks that a folder holds a complete sample tenant: a valid manifest, every listed page present with the
 * listed total size, no unlisted day, and (when given) the requested generator parameters.
 */
export async function checkSampleTenant(
  dir: string,
  want?: WriteSampleOptions | SampleOptions,
  fs: FsEffects = denoFs,
): Promise<SampleCheck> {
  const text = await fs.readTextFile(join(dir, MANIFEST_FILE));
  if (text === null) return { complete: false, reason: `${join(dir, MANIFEST_FILE)} is missing` };
  let m: SampleManifest;
  try {
    m = JSON.parse(text);
  } catch {
    return { complete: false, reason: `${join(dir, MANIFEST_FILE)} is not valid JSON` };
  }
  if (
    m?.format !== MANIFEST_FORMAT || m.version !== MANIFEST_VERSION || !m.signins || !m.audits || !m.params
  ) {
    return {
      complete: false,
      reason: `${join(dir, MANIFEST_FILE)} is not a version ${MANIFEST_VERSION} sample manifest`,
    };
  }
  if (want) {
    const r = resolveOptions(want);
    const pageSize = resolvePageSize("pageSize" in want ? want.pageSize : undefined);
    const p = m.params;
    if (
      p.users !== r.users || p.days !== r.days || p.seed !== r.seed || p.end !== r.end ||
      p.pageSize !== pageSize
    ) {
      return {
        complete: false,
        reason: `${dir} holds a sample with different parameters (${JSON.stringify(p)})`,
      };
    }
  }
  for (const kind of ["signins", "audits"] as const) {
    const listed = Object.keys(m[kind]).map((d) => `dt=${d}`).sort();
    const present = (await fs.list(join(dir, kind))).filter((n) => n.startsWith("dt="));
    if (listed.join() !== present.join()) {
      return {
        complete: false,
        reason: `${join(dir, kind)} does not hold exactly the days listed in the manifest`,
      };
    }
    for (const [date, stats] of Object.entries(m[kind])) {
      let bytes = 0;
      for (let n = 1; n <= stats.pages; n++) {
        const file = join(dir, kind, `dt=${date}`, pageFileName(n));
        const size = await fs.size(file);
        if (size === null) return { complete: false, reason: `${file} is missing` };
        bytes += size;
      }
      if (bytes !== stats.bytes) {
        return {
          complete: false,
          reason: `${join(dir, kind, `dt=${date}`)} has ${bytes} bytes, manifest says ${stats.bytes}`,
        };
      }
    }
  }
  return { complete: true, manifest: m };
}

/** Reads `<dir>/manifest.json` if the sample there is complete, else null. */
export async function readSampleManifest(
  dir: string,
  fs: FsEffects = denoFs,
): Promise<SampleManifest | null> {
  const c = await checkSampleTenant(dir, undefined, fs);
  return c.complete ? c.manifest : null;
}

const LOCK_FILE = ".lock";
/** A lock older than this is from a crashed builder. */
const STALE_LOCK_MS = 15 * 60 * 1000;

async function acquireLock(dir: string, sleep: (ms: number) => Promise<void>): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (;;) {
    try {
      const f = await Deno.open(path, { createNew: true, write: true });
      await f.write(encoder.encode(String(Deno.pid)));
      f.close();
      return () => Deno.remove(path).catch(() => {});
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      const info = await Deno.stat(path).catch(() => null);
      if (info?.mtime && Date.now() - info.mtime.getTime() > STALE_LOCK_MS) {
        await Deno.remove(path).catch(() => {});
        continue;
      }
      await sleep(200);
    }
  }
}

/**
 * Returns the manifest of the sample tenant in `dir`, building it first if it is absent, incomplete or was
 * generated with other parameters. Concurrent callers (several notebooks, parallel tests) build it once.
 *
 * @example
 * ```ts
 * const manifest = await ensureSampleTenant("data/sample");
 * ```
 */
export async function ensureSampleTenant(
  dir: string,
  opts: Omit<WriteSampleOptions, "out"> = {},
  fs: FsEffects = denoFs,
): Promise<SampleManifest> {
  const want: WriteSampleOptions = { ...DEFAULTS, ...opts, out: dir };
  const first = await checkSampleTenant(dir, want, fs);
  if (first.complete) return first.manifest;
  await Deno.mkdir(dir, { recursive: true });
  const release = await acquireLock(dir, (ms) => new Promise((ok) => setTimeout(ok, ms)));
  try {
    const again = await checkSampleTenant(dir, want, fs);
    if (again.complete) return again.manifest;
    return await writeSampleTenant(want, fs);
  } finally {
    await release();
  }
}
