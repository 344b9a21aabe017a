import { BIGINT, DuckDBListValue, LIST, VARCHAR } from "@duckdb/node-api";
import { type Detected, detectShape, UnknownShapeError } from "./detect_shape.ts";
import { discoverFiles } from "./discover_files.ts";
import { readHead } from "./read_head.ts";
import {
  azureMonitorLinesSelect,
  azureMonitorOtherCategoriesSelect,
  type ReadOptions,
  shapeSelect,
} from "./shape_sql.ts";
import type { Store } from "./open_store.ts";
import { AUDIT_COLUMNS } from "./store_schema.ts";
import { BadKeyError, type IncomingSource, insertSettled } from "./settle_records.ts";
import { BadRecordError, type RejectedRecord, stageFiles, type StageResult } from "../sources/stage_files.ts";
import { clip } from "../sources/json_text.ts";
import { normalisedSelect } from "../sources/normalised_sql.ts";

/** A load that failed; nothing it read was kept. `file` names the culprit when one is known. */
export class LoadError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = "LoadError";
  }
}

export interface LoadOptions {
  /** Load files again even when their size and modification time say they were loaded already. */
  force?: boolean;
  /** Called with one line per step, for progress output. */
  log?: (line: string) => void;
  /**
   * Load every good record and keep each bad one (file, line or byte offset, reason, raw text) in the
   * rejected_records table, instead of refusing the whole load.
   */
  skipBadRecords?: boolean;
  /**
   * Loads whose files add up to at most this many bytes parse each file once into a temporary table
   * (default 512 MiB, a nightly day of ~45k sign-ins is ~260 MB); bigger loads read the files twice, a key pass
   * then the insert, so their memory stays flat (see SettleOptions.readOnce).
   */
  readOnceBytes?: number;
}

export interface LoadResult {
  files: number;
  skippedFiles: number;
  /** Records read from the files (before dedupe). */
  read: number;
  added: number;
  /** Records whose stored state was replaced by a later state of the same sign-in. */
  updated: number;
  audits: number;
  /** Records left out by --skip-bad-records (stored in rejected_records). */
  rejected: number;
  /** Azure Monitor records of categories that are not sign-ins (AuditLogs, …), per category: read, not loaded. */
  otherCategories: Record<string, number>;
  /** Things the summary must say, e.g. authentication details that matched no sign-in of the load. */
  notes: string[];
  totalRecords: number;
  seconds: number;
}

interface Candidate {
  path: string;
  size: number;
  mtime: Date | null;
  detected: Detected;
}

const MIB = 1 << 20;
/**
 * Parsing the JSON is most of a load's time; reading a nightly day's 46 pages once instead of twice took its
 * load from 25.4 s to 14.5–19.4 s on a busy 2-core machine (bench/grow.ts measures it quiet).
 */
const READ_ONCE_BYTES = 512 * MIB;
/**
 * Bytes sniffed to tell a file's shape: enough for a page's header and first record. Scanning 1 MiB of every
 * file cost ~19 ms a page in JavaScript, ~19 s per million sign-ins, a third of the whole load.
 */
const HEAD_BYTES = 64 << 10;

/**
 * Loads sign-in files (any supported shape, gzipped or not) into the store in one transaction: the store
 * either gains every record of every file or stays exactly as it was. A file DuckDB's reader refuses although
 * JSON.parse reads it (duplicate keys, a BOM), and with `skipBadRecords` a file holding bad records, is read
 * again through JavaScript into temporary NDJSON of the same shape, which the same SQL loads.
 */
export async function loadFiles(
  store: Store,
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const throughJs = new Set<string>();
  for (let attempt = 0;; attempt++) {
    try {
      return await loadOnce(store, paths, options, throughJs);
    } catch (e) {
      const file = e instanceof LoadError && attempt < 1000 ? retryThroughJs(e, options) : undefined;
      if (!file || throughJs.has(file)) {
        if (e instanceof LoadError && !/nothing was loaded/.test(e.message)) {
          // One bad file stops the whole command: say so, or the user takes the other files for loaded.
          const named = await discoverFiles(paths).catch(() => [] as string[]);
          const others = named.filter((f) => f !== e.file).length;
          const hint = e.file && !options.skipBadRecords && !/--skip-bad-records/.test(e.message)
            ? ` (--skip-bad-records loads the good records and keeps the bad ones in the rejected_records table)`
            : "";
          const what = e.file && others > 0
            ? `nothing was loaded: the other ${others} file(s) of this load were not loaded either`
            : "nothing was loaded";
          throw new LoadError(`${e.message.replace(/\.$/, "")}; ${what}${hint}`, e.file);
        }
        throw e;
      }
      throughJs.add(file);
      options.log?.(`${file}: DuckDB's reader refused it; reading it through JavaScript`);
    }
  }
}

/** The file to read through JavaScript after this error, if that can help. */
function retryThroughJs(e: LoadError, options: LoadOptions): string | undefined {
  const file = e.file ?? /in file "([^"]+)"/.exec(e.message)?.[1];
  if (!file || file.includes("signin-lens-stage-")) return undefined;
  if (/has duplicate key|byte order mark/i.test(e.message)) return file;
  return options.skipBadRecords ? file : undefined;
}

async function loadOnce(
  store: Store,
  paths: readonly string[],
  options: LoadOptions,
  throughJs: Set<string>,
): Promise<LoadResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const files = await discoverFiles(paths);
  if (files.length === 0) {
    throw new LoadError(`no .json, .ndjson, .jsonl or .csv files found in ${paths.join(", ")}`);
  }

  const known = await loadedFingerprints(store);
  const candidates: Candidate[] = [];
  const unreadable: RejectedRecord[] = [];
  let skippedFiles = 0;
  for (const path of files) {
    const info = await Deno.stat(path);
    const fingerprint = `${path}|${info.size}|${info.mtime?.getTime() ?? 0}`;
    if (!options.force && known.has(fingerprint)) {
      skippedFiles++;
      continue;
    }
    if (info.size === 0) {
      if (options.skipBadRecords) {
        unreadable.push({ path, line: null, offset: 0, reason: "the file is empty", raw: "" });
        continue;
      }
      throw new LoadError(`${path}: the file is empty`, path);
    }
    let detected: Detected;
    try {
      detected = detectShape(await readHead(path, HEAD_BYTES), path);
    } catch (e) {
      if (options.skipBadRecords && e instanceof UnknownShapeError) {
        const head = await readHead(path, 4096).catch(() => "");
        unreadable.push({ path, line: null, offset: 0, reason: e.message, raw: clip(head) });
        continue;
      }
      if (e instanceof UnknownShapeError) throw new LoadError(`${path}: ${e.message}`, path);
      throw new LoadError(`${path}: cannot read the file: ${(e as Error).message}`, path);
    }
    candidates.push({ path, size: info.size, mtime: info.mtime, detected });
  }
  const result: LoadResult = {
    files: candidates.length,
    skippedFiles,
    read: 0,
    added: 0,
    updated: 0,
    audits: 0,
    rejected: 0,
    otherCategories: {},
    notes: [],
    totalRecords: 0,
    seconds: 0,
  };
  const c = store.connection;
  const toStage = candidates.filter((f) =>
    throughJs.has(f.path) || f.detected.duplicateKeys || STAGED_SHAPES.has(f.detected.shape)
  );
  let staging: StageResult | undefined;
  if (candidates.length > 0 || unreadable.length > 0) {
    try {
      staging = toStage.length > 0
        ? await stageFiles(toStage, { skipBadRecords: options.skipBadRecords })
        : undefined;
    } catch (e) {
      if (e instanceof BadRecordError) throw new LoadError(e.message, e.file);
      throw e;
    }
    const readable: Candidate[] = [
      ...candidates.filter((f) => !toStage.includes(f)),
      ...await Promise.all((staging?.files ?? []).map(async (f) => ({
        path: f.path,
        size: (await Deno.stat(f.path)).size,
        mtime: null,
        detected: f.detected,
      }))),
    ];
    const rejected = [...unreadable, ...(staging?.rejected ?? [])];
    for (const [k, n] of staging?.otherCategories ?? []) addCount(result.otherCategories, k, n);
    result.notes.push(...(staging?.notes ?? []));
    const restoreMemory = await capMemory(store, readable);
    await c.run(`BEGIN TRANSACTION`);
    try {
      // Staged files stand in for their sources: every row they bring is credited to the source file.
      await c.run(
        `CREATE OR REPLACE TEMP TABLE lens_renames AS SELECT unnest($tmps) AS tmp, unnest($sources) AS source`,
        {
          tmps: new DuckDBListValue((staging?.files ?? []).map((f) => f.path)),
          sources: new DuckDBListValue((staging?.files ?? []).map((f) => f.source)),
        },
        { tmps: LIST(VARCHAR), sources: LIST(VARCHAR) },
      );
      // Records go straight into the store: every record is copied once, not three times (staging table,
      // deduped table, store), which made a first load ~3× bare DuckDB.
      const sources: IncomingSource[] = [];
      const tempTables: string[] = [];
      const renamed = new Map((staging?.files ?? []).map((f) => [f.path, f.source]));
      const sourceOf = (path: string) => renamed.get(path) ?? path;
      for (const [key, group] of groupBy(readable)) {
        const [shape, format, wrapped] = key.split("|");
        const o: ReadOptions = {
          format: format as ReadOptions["format"],
          maximumObjectSize: objectSizeLimit(group),
        };
        log(`reading ${group.length} ${shape} file(s)`);
        if (shape === "audit_pages") {
          result.audits += await insertAudits(store, group, o);
          continue;
        }
        const shaped = shape === "azure_monitor" && wrapped === "false"
          ? azureMonitorLinesSelect(o)
          : shape === "normalised"
          ? normalisedSelect(o)
          : shapeSelect(shape as "graph_pages", o);
        const select = staging
          ? `SELECT s.* REPLACE (coalesce(r.source, s._source) AS _source) FROM (${shaped}) AS s ` +
            `LEFT JOIN lens_renames AS r ON r.tmp = s._source`
          : shaped;
        const [values, types] = bindFiles(group);
        if (shape === "azure_monitor") {
          const other = (await c.runAndReadAll(
            azureMonitorOtherCategoriesSelect(o, wrapped === "true"),
            values,
            types,
          )).getRowObjectsJS();
          for (const r of other) addCount(result.otherCategories, String(r.category), Number(r.n));
        }
        if (shape === "log_analytics") {
          const table = `la_rows_${sources.length}`;
          await c.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${select}`, values, types);
          await checkLogAnalytics(store, table);
          tempTables.push(table);
          sources.push({ select: `SELECT * EXCLUDE (result_type) FROM ${table}`, files: null });
        } else {
          sources.push({ select, files: group.map((g) => g.path), sourceOf });
        }
      }
      // Duplicates are settled before any row is written (lib/store/settle_records.ts): DuckDB 1.5.6 crashes
      // at COMMIT when a transaction deletes rows it inserted itself.
      let settled;
      try {
        const bytes = readable.reduce((n, f) => n + (f.path.endsWith(".gz") ? f.size * 12 : f.size), 0);
        settled = await insertSettled(store, sources, {
          readOnce: bytes <= (options.readOnceBytes ?? READ_ONCE_BYTES),
        });
      } catch (e) {
        if (e instanceof BadKeyError) throw new LoadError(e.message, e.source);
        throw e;
      }
      for (const t of tempTables) await c.run(`DROP TABLE ${t}`);
      const perFile = settled.perSource;
      Object.assign(result, { read: settled.read, added: settled.added, updated: settled.updated });
      if (rejected.length > 0) await insertRejected(store, rejected);
      result.rejected = rejected.length;
      await c.run(`DROP TABLE lens_renames`);
      // One statement for all files: a statement per file cost ~1.3 s per thousand pages.
      await c.run(
        `INSERT INTO loaded_files SELECT unnest($paths), unnest($sizes), CAST(unnest($mtimes) AS TIMESTAMPTZ), ` +
          `unnest($shapes), unnest($records), now()`,
        {
          paths: new DuckDBListValue(candidates.map((f) => f.path)),
          sizes: new DuckDBListValue(candidates.map((f) => BigInt(f.size))),
          mtimes: new DuckDBListValue(candidates.map((f) => (f.mtime ? f.mtime.toISOString() : null))),
          shapes: new DuckDBListValue(candidates.map((f) => f.detected.shape)),
          // Sign-in files that held no sign-ins (an Azure Monitor export of other categories) count 0.
          records: new DuckDBListValue(
            candidates.map((f) => f.detected.shape === "audit_pages" ? null : perFile.get(f.path) ?? 0n),
          ),
        },
        {
          paths: LIST(VARCHAR),
          sizes: LIST(BIGINT),
          mtimes: LIST(VARCHAR),
          shapes: LIST(VARCHAR),
          records: LIST(BIGINT),
        },
      );
      // Fault injection for tests/store/load_crash_test.ts: die by a signal at the worst moment, as DuckDB did.
      if (Deno.env.get("SIGNIN_LENS_FAULT") === "crash-before-commit") {
        // A real invalid read (a kill(SIGSEGV) is ignored by V8's handler).
        new Deno.UnsafePointerView(Deno.UnsafePointer.create(8n)!).getInt8();
      }
      await c.run(`COMMIT`);
    } catch (e) {
      await c.run(`ROLLBACK`).catch(() => {});
      if (e instanceof LoadError) throw e;
      const message = describeDuckDbError((e as Error).message);
      const renames = staging?.files ?? [];
      // Name the source, not the temporary file that stood in for it.
      const named = renames.reduce((m, f) => m.replaceAll(f.path, f.source), message);
      throw new LoadError(named, /in file "([^"]+)"/.exec(named)?.[1]);
    } finally {
      await staging?.cleanup();
      await restoreMemory();
    }
  }
  result.totalRecords = Number(
    (await c.runAndReadAll(`SELECT count(*) AS n FROM signin_records`)).getRowObjectsJS()[0].n,
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/**
 * A load streams, but DuckDB's buffer pool may grow to 80 % of RAM: a 1M first load peaked at 3.75 GB RSS. Under
 * a 2 GiB cap the same load of 755k sign-ins peaked at 1.97 GB instead of 2.8 GB (300 pages: 1.03 vs 1.29 GB,
 * no slower). The cap stays above 3× the largest file, which DuckDB may hold whole; the setting is restored after.
 */
const LOAD_MEMORY_BYTES = 2 * 2 ** 30;

async function capMemory(store: Store, files: Candidate[]): Promise<() => Promise<void>> {
  const c = store.connection;
  const prev = String(
    (await c.runAndReadAll(`SELECT current_setting('memory_limit') AS v`)).getRowObjectsJS()[0].v,
  );
  const m = /^([\d.]+)\s*(KiB|MiB|GiB|TiB|KB|MB|GB|TB)$/i.exec(prev.trim());
  const unit: Record<string, number> = {
    kib: 2 ** 10,
    mib: 2 ** 20,
    gib: 2 ** 30,
    tib: 2 ** 40,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    tb: 1e12,
  };
  const current = m ? Number(m[1]) * unit[m[2].toLowerCase()] : Infinity;
  const largest = Math.max(0, ...files.map((f) => (f.path.endsWith(".gz") ? f.size * 12 : f.size)));
  const cap = Math.max(LOAD_MEMORY_BYTES, 3 * largest);
  if (!(cap < current)) return async () => {};
  await c.run(`SET memory_limit = '${Math.ceil(cap / 2 ** 20)}MiB'`);
  return async () => {
    await c.run(`SET memory_limit = '${prev.replaceAll("'", "")}'`).catch(() => {});
  };
}

/** Shapes DuckDB cannot read directly: JavaScript normalises them into signIn records first. */
const STAGED_SHAPES = new Set<string>([
  "portal_csv",
  "portal_json",
  "portal_auth_details",
  "purview",
  "defender",
]);

function addCount(counts: Record<string, number>, key: string, n: number): void {
  counts[key] = (counts[key] ?? 0) + n;
}

async function insertRejected(store: Store, rejected: RejectedRecord[]): Promise<void> {
  await store.connection.run(
    `INSERT INTO rejected_records SELECT unnest($paths), unnest($lines), unnest($offsets), unnest($reasons), ` +
      `unnest($raws), now()`,
    {
      paths: new DuckDBListValue(rejected.map((r) => r.path)),
      lines: new DuckDBListValue(rejected.map((r) => (r.line === null ? null : BigInt(r.line)))),
      offsets: new DuckDBListValue(rejected.map((r) => (r.offset === null ? null : BigInt(r.offset)))),
      reasons: new DuckDBListValue(rejected.map((r) => r.reason)),
      raws: new DuckDBListValue(rejected.map((r) => r.raw)),
    },
    {
      paths: LIST(VARCHAR),
      lines: LIST(BIGINT),
      offsets: LIST(BIGINT),
      reasons: LIST(VARCHAR),
      raws: LIST(VARCHAR),
    },
  );
}

function groupBy(candidates: Candidate[]): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = `${c.detected.shape}|${c.detected.format}|${c.detected.wrapped}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return groups;
}

/** Big enough for the largest file's JSON; gzipped files may inflate about tenfold. */
function objectSizeLimit(group: Candidate[]): number {
  const largest = Math.max(...group.map((c) => (c.path.endsWith(".gz") ? c.size * 12 : c.size)));
  return Math.min(Math.max(16 * MIB, largest + MIB), 4096 * MIB);
}

/** File names are bound as a parameter, never spliced into SQL text. */
function bindFiles(group: Candidate[]) {
  return [{ files: new DuckDBListValue(group.map((g) => g.path)) }, { files: LIST(VARCHAR) }] as const;
}

async function loadedFingerprints(store: Store): Promise<Set<string>> {
  const rows = (await store.connection.runAndReadAll(
    `SELECT path, size, epoch_ms(mtime) AS ms FROM loaded_files`,
  )).getRowObjectsJS();
  return new Set(rows.map((r) => `${r.path}|${r.size}|${r.ms ?? 0}`));
}

async function checkLogAnalytics(store: Store, table: string): Promise<void> {
  const bad = (await store.connection.runAndReadAll(
    `SELECT _source, id, result_type FROM ${table} WHERE result_type IS NOT NULL AND ` +
      `TRY_CAST(result_type AS INTEGER) IS NULL LIMIT 1`,
  )).getRowObjectsJS();
  if (bad.length > 0) {
    throw new LoadError(
      `${bad[0]._source}: record ${bad[0].id} has ResultType ${JSON.stringify(bad[0].result_type)}, ` +
        `which is not an error code`,
      String(bad[0]._source),
    );
  }
}

async function insertAudits(store: Store, group: Candidate[], o: ReadOptions): Promise<number> {
  const c = store.connection;
  const before = Number(
    (await c.runAndReadAll(`SELECT count(*) AS n FROM directory_audits`)).getRowObjectsJS()[0].n,
  );
  const type = `STRUCT(${AUDIT_COLUMNS})[]`;
  await c.run(
    `INSERT INTO directory_audits BY NAME SELECT a.*, TRY_CAST(a."activityDateTime" AS TIMESTAMPTZ) AS activity_at, ` +
      `p.filename AS _source FROM read_json($files, columns = {value: '${type}'}, format = '${o.format}', ` +
      `filename = true, maximum_object_size = ${o.maximumObjectSize}) AS p CROSS JOIN UNNEST(p.value) AS t(a) ` +
      `WHERE NOT EXISTS (SELECT 1 FROM directory_audits d WHERE d.id = a.id)`,
    ...bindFiles(group),
  );
  const after = Number(
    (await c.runAndReadAll(`SELECT count(*) AS n FROM directory_audits`)).getRowObjectsJS()[0].n,
  );
  return after - before;
}

/** DuckDB's messages already name the file and offset; drop its generic advice about auto-detection. */
export function describeDuckDbError(message: string): string {
  return message
    .replace(/\n?Try setting 'auto_detect'[^\n]*/g, "")
    .replace(/\n\nLINE \d+:[\s\S]*$/, "")
    .replace(/^Invalid Input Error: /, "")
    // DuckDB 1.5.6 counts newline-delimited lines from 2: a one-line file's error is "in line 2" (measured; the
    // test pins it, so an upgrade that fixes DuckDB shows up there).
    .replace(/\bin line (\d+)\b/g, (_, n) => `in line ${Math.max(1, Number(n) - 1)}`)
    .trim();
}
