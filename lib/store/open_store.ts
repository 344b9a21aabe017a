import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { dirname, extname } from "node:path";
import { installPrestoCompat } from "./presto_compat.ts";
import { CREATE_STORE, STORE_LAYOUT_VERSION } from "./store_schema.ts";
import { STORED_COLUMNS, storedColumnsDigest } from "./derived_columns.ts";
import { sha256Hex } from "./sha256_hex.ts";

/** The database file was written by another layout version of signin-lens; the sample store rebuilds itself. */
export class StoreLayoutError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = "StoreLayoutError";
  }
}

/**
 * A store path that cannot be a store: a data file (by extension or content), a directory, a DuckDB file that
 * signin-lens did not write. A configuration mistake, so tasks exit 2.
 */
export class StorePathError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = "StorePathError";
  }
}

/** Another process holds the store's file lock; `pid` is DuckDB's word for who. */
export class StoreBusyError extends Error {
  constructor(message: string, readonly path: string, readonly pid?: number) {
    super(message);
    this.name = "StoreBusyError";
  }
}

export interface Store {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** True when the store was opened for reading: its connection cannot change the file. */
  readonly readOnly: boolean;
  close(): void;
}

export interface OpenStoreOptions {
  /** DuckDB database file; ":memory:" for a throw-away store. */
  path?: string;
  /**
   * Opens an existing store for reading only. The file is attached read-only while a statement runs and
   * released when the connection has been idle for a moment, so a reader left open (a notebook kernel) never
   * blocks the nightly load.
   */
  readOnly?: boolean;
  /** DuckDB worker threads; defaults to DuckDB's own choice (all cores). */
  threads?: number;
  /** How long to wait for another process to release the file's lock before failing (default 30 s). */
  lockWaitMs?: number;
  /** Told once when the open has to wait for another process. */
  log?: (line: string) => void;
}

/** Extensions of the data formats users load: a store named like one is a mistyped `--db` (`--db x.json`). */
const DATA_EXTENSIONS = new Set([
  ".json",
  ".ndjson",
  ".jsonl",
  ".csv",
  ".tsv",
  ".gz",
  ".zip",
  ".bz2",
  ".xz",
  ".zst",
  ".parquet",
  ".txt",
  ".log",
  ".xml",
  ".xlsx",
  ".xls",
]);

/** DuckDB's main header: an 8-byte checksum, then the magic bytes "DUCK". */
const DUCKDB_MAGIC = "DUCK";
const IDLE_RELEASE_MS = 250;
const ALIAS = "lens_store";

/**
 * Refuses a path that cannot be a store before DuckDB sees it: DuckDB opens `victim.json` as an in-memory
 * database (nothing persists, nothing is said) and would write its header over any other file.
 */
export async function checkStorePath(path: string): Promise<"missing" | "empty" | "duckdb"> {
  const ext = extname(path).toLowerCase();
  if (DATA_EXTENSIONS.has(ext)) {
    throw new StorePathError(
      `the store ${path} is named like a data file (${ext}): a store is a DuckDB database such as ` +
        `data/signins.duckdb; data files are loaded into one (deno task load ${path} --db data/signins.duckdb)`,
      path,
    );
  }
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "missing";
    throw e;
  }
  if (!info.isFile) throw new StorePathError(`the store ${path} is not a file`, path);
  if (info.size === 0) return "empty";
  const file = await Deno.open(path, { read: true });
  const head = new Uint8Array(12);
  let n = 0;
  try {
    while (n < head.length) {
      const got = await file.read(head.subarray(n));
      if (got === null) break;
      n += got;
    }
  } finally {
    file.close();
  }
  if (n < head.length || new TextDecoder().decode(head.subarray(8, 12)) !== DUCKDB_MAGIC) {
    throw new StorePathError(
      `${path} exists and is not a DuckDB database: refusing to use it as a store (name a new file, ` +
        `e.g. data/signins.duckdb)`,
      path,
    );
  }
  return "duckdb";
}

/**
 * Opens (creating if needed) a sign-in store: DuckDB with extension downloads off, UTC session time zone,
 * the Presto compatibility macros and the store's tables and views. With `readOnly` the store must exist and
 * no lock is held between statements (see OpenStoreOptions.readOnly).
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const path = options.path ?? ":memory:";
  if (path !== ":memory:") {
    const state = await checkStorePath(path);
    if (options.readOnly) {
      if (state === "missing") throw new Error(`no store at ${path}`);
      if (state === "empty") throw new StorePathError(`the store ${path} is an empty file`, path);
      return await openReader(path, options);
    }
    await Deno.mkdir(dirname(path), { recursive: true });
  }
  let instance: DuckDBInstance;
  try {
    instance = await waitForLock(path, options, () => DuckDBInstance.create(path, instanceConfig(options)));
  } catch (e) {
    if (e instanceof StoreBusyError) throw e;
    throw new Error(`cannot open the store ${path}: ${(e as Error).message}`);
  }
  const connection = await instance.connect();
  try {
    await prepareSession(connection);
    await checkLayout(connection, path);
    // Columns the views select must exist before the views are made; a new store records the digest after.
    if (await hasSigninRecords(connection)) await refreshStoredColumns(connection);
    await createTablesAndViews(connection);
    await refreshStoredColumns(connection);
  } catch (e) {
    connection.closeSync();
    instance.closeSync();
    throw e;
  }
  return {
    path,
    connection,
    readOnly: false,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Opens a store that must already exist (queries, reports and notebooks read one; only loads create one),
 * read-only, naming the file and the command that makes it when it is missing.
 */
export async function openExistingStore(
  path: string,
  options: Omit<OpenStoreOptions, "path" | "readOnly"> = {},
): Promise<Store> {
  if (await checkStorePath(path) === "missing") {
    throw new StorePathError(
      `no store at ${path}: load files first (deno task load <dir> --db ${path})`,
      path,
    );
  }
  return await openStore({ ...options, path, readOnly: true });
}

function instanceConfig(options: OpenStoreOptions): Record<string, string> {
  const config: Record<string, string> = {
    // Nothing can be downloaded here: a missing extension must be an error, not a network hang.
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "true",
  };
  if (options.threads) config.threads = String(options.threads);
  return config;
}

async function prepareSession(connection: DuckDBConnection): Promise<void> {
  // Setting TimeZone at instance creation fails before icu is loaded; load it first, then set UTC so
  // TIMESTAMPTZ values print and truncate the same on every machine (and as Athena does).
  await connection.run(`LOAD icu`);
  await connection.run(`SET TimeZone = 'UTC'`);
  await installPrestoCompat(connection);
}

/** Statements whose results are complete when their promise settles: the file may be released after them. */
const MATERIALIZING = new Set([
  "run",
  "runAndReadAll",
  "runAndReadUntil",
  "streamAndReadAll",
  "startThenReadAll",
]);

/**
 * A read-only store: an in-memory DuckDB (macros, temp tables) with the file ATTACHed read-only around each
 * statement. DuckDB's read-only open still takes a shared lock for as long as the database is open, which
 * makes every writer fail; detaching when idle is what lets `load` run beside an open notebook.
 */
async function openReader(path: string, options: OpenStoreOptions): Promise<Store> {
  const instance = await DuckDBInstance.create(":memory:", instanceConfig(options));
  const raw = await instance.connect();
  try {
    await prepareSession(raw);
  } catch (e) {
    raw.closeSync();
    instance.closeSync();
    throw e;
  }
  let attached = false;
  // A prepared statement or a pending result reads the file after its call returns; it stays attached until
  // the next complete statement. An open transaction (BEGIN … ROLLBACK) keeps it attached too.
  let pinned = false;
  let inTransaction = false;
  let inflight = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let closed = false;
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    queued++;
    const next = queue.then(f, f).finally(() => queued--);
    queue = next.catch(() => {});
    return next;
  };
  const attach = () =>
    serial(async () => {
      if (attached) return;
      await waitForLock(
        path,
        options,
        () => raw.run(`ATTACH '${path.replaceAll("'", "''")}' AS ${ALIAS} (READ_ONLY)`),
      );
      await raw.run(`USE ${ALIAS}`);
      attached = true;
    });
  const detach = () =>
    serial(async () => {
      if (!attached || inflight > 0 || pinned || inTransaction) return;
      await raw.run(`USE memory`);
      await raw.run(`DETACH ${ALIAS}`);
      attached = false;
    });
  const scheduleRelease = () => {
    if (timer !== undefined) clearTimeout(timer);
    const t = setTimeout(() => {
      timer = undefined;
      if (!closed) detach().catch(() => {});
    }, IDLE_RELEASE_MS);
    Deno.unrefTimer(t);
    timer = t;
  };
  const connection = new Proxy(raw, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "closeSync" || prop === "disconnectSync") return value.bind(target);
      return async (...args: unknown[]) => {
        if (timer !== undefined) clearTimeout(timer);
        inflight++;
        try {
          await attach();
          const materializing = MATERIALIZING.has(String(prop));
          if (!materializing) pinned = true;
          const result = await value.apply(target, args);
          if (materializing) {
            const sql = typeof args[0] === "string" ? args[0] : "";
            if (/^\s*BEGIN\b/i.test(sql)) inTransaction = true;
            else if (/^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i.test(sql)) inTransaction = false;
            pinned = false;
          }
          return result;
        } catch (e) {
          // A failed ROLLBACK/COMMIT still ends the transaction as far as releasing the file goes.
          const sql = typeof args[0] === "string" ? args[0] : "";
          if (/^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i.test(sql)) inTransaction = false;
          throw e;
        } finally {
          inflight--;
          scheduleRelease();
        }
      };
    },
  });
  const closeNow = () => {
    raw.closeSync();
    instance.closeSync();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    // Closing while an ATTACH or DETACH is still running on DuckDB's thread crashes the process (seen: a
    // segfault when the idle release fired during the last write of the output): close after it instead.
    if (queued > 0) queue.then(closeNow, closeNow);
    else closeNow();
  };
  try {
    await attach();
    await checkLayoutReadOnly(raw, path);
    await checkStoredColumnsReadOnly(raw, path);
    scheduleRelease();
  } catch (e) {
    close();
    throw e;
  }
  return { path, connection, readOnly: true, close };
}

/**
 * Runs `open`, retrying while another process holds the file's lock (a report or a notebook query finishing),
 * up to `lockWaitMs`; then fails naming the process DuckDB names and what to do about it.
 */
async function waitForLock<T>(path: string, options: OpenStoreOptions, open: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + (options.lockWaitMs ?? 30_000);
  let told = false;
  for (;;) {
    try {
      return await open();
    } catch (e) {
      const message = (e as Error).message;
      if (!/Could not set lock on file/i.test(message)) throw e;
      const pid = Number(/\(PID (\d+)\)/.exec(message)?.[1]) || undefined;
      if (Date.now() >= deadline) throw storeBusy(path, pid, options.readOnly === true);
      if (!told) {
        options.log?.(`the store ${path} is in use by process ${pid ?? "?"}: waiting for it`);
        told = true;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function storeBusy(path: string, pid: number | undefined, reading: boolean): StoreBusyError {
  const who = pid === undefined ? "another process" : `process ${pid}${describeProcess(pid)}`;
  const what = reading ? "is being written by" : "is in use by";
  const advice = reading
    ? "wait for that load to finish and run again"
    : "stop that process (a notebook kernel: shut it down or restart it; readers of this version release " +
      "the store between queries), or wait for it to finish, then run again";
  return new StoreBusyError(`the store ${path} ${what} ${who}: ${advice}`, path, pid);
}

/** " (deno jupyter --kernel …)" from /proc where there is one; nothing elsewhere. */
function describeProcess(pid: number): string {
  try {
    const cmd = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter((s) => s).join(" ");
    if (!cmd) return "";
    const short = cmd.length > 100 ? `${cmd.slice(0, 99)}…` : cmd;
    return /jupyter/.test(cmd) ? ` (a Jupyter kernel: ${short})` : ` (${short})`;
  } catch {
    return "";
  }
}

async function checkLayoutReadOnly(connection: DuckDBConnection, path: string): Promise<void> {
  const tables = new Set(
    (await connection.runAndReadAll(
      `SELECT table_name FROM information_schema.tables WHERE table_catalog = '${ALIAS}'`,
    )).getRowObjectsJS().map((r) => String(r.table_name)),
  );
  if (!tables.has("signin_records") || !tables.has("lens_meta")) {
    throw new StorePathError(
      `${path} is a DuckDB database but not a signin-lens store (no signin_records table)`,
      path,
    );
  }
  const rows = (await connection.runAndReadAll(`SELECT value FROM lens_meta WHERE key = 'layout_version'`))
    .getRowObjectsJS();
  const version = rows.length > 0 ? Number(rows[0].value) : undefined;
  if (version === 3 && STORE_LAYOUT_VERSION === 4) {
    throw new StoreLayoutError(
      `the store ${path} has layout version 3, this signin-lens reads 4: a load upgrades it in place ` +
        `(deno task load <the folder you loaded> --db ${path}; files already loaded are skipped)`,
      path,
    );
  }
  if (version !== STORE_LAYOUT_VERSION) {
    throw new StoreLayoutError(
      `the store ${path} has layout version ${version ?? "none"}, this signin-lens writes ` +
        `${STORE_LAYOUT_VERSION}: load the raw files again into a new database file`,
      path,
    );
  }
}

/**
 * Creates the tables and (re)creates the views unless this very schema text made them: replacing identical
 * views still rewrites the file, and a load that fails must leave an existing store byte for byte as it was.
 */
async function createTablesAndViews(connection: DuckDBConnection): Promise<void> {
  const digest = await sha256Hex(CREATE_STORE.join(";\n"));
  const rows = (await connection.runAndReadAll(`SELECT value FROM lens_meta WHERE key = 'schema_sha256'`))
    .getRowObjectsJS();
  if (rows.length > 0 && rows[0].value === digest) return;
  for (const sql of CREATE_STORE) await connection.run(sql);
  await connection.run(`INSERT OR REPLACE INTO lens_meta VALUES ('schema_sha256', $d)`, { d: digest });
}

const DIGEST_KEY = "stored_columns_sha256";

async function hasSigninRecords(connection: DuckDBConnection): Promise<boolean> {
  return (await connection.runAndReadAll(
    `SELECT 1 FROM information_schema.tables WHERE table_name = 'signin_records' AND table_schema = 'main'`,
  )).getRowsJS().length > 0;
}

/**
 * Brings the stored columns (result, auth_step_*: derived_columns.ts) up to date with this signin-lens: a store
 * whose expressions' digest differs (layout 3 had none of them; a later version may add an interrupt code) gets
 * the missing columns and every record's values recomputed, in one transaction (a failure changes nothing).
 * ~5 s per million sign-ins on a busy 2-core machine.
 */
async function refreshStoredColumns(connection: DuckDBConnection): Promise<void> {
  const digest = await storedColumnsDigest();
  const rows = (await connection.runAndReadAll(`SELECT value FROM lens_meta WHERE key = '${DIGEST_KEY}'`))
    .getRowObjectsJS();
  if (rows.length > 0 && rows[0].value === digest) return;
  await connection.run(`BEGIN TRANSACTION`);
  try {
    for (const c of STORED_COLUMNS) {
      await connection.run(`ALTER TABLE signin_records ADD COLUMN IF NOT EXISTS ${c.name} ${c.duckdb}`);
    }
    await connection.run(
      `UPDATE signin_records SET ${STORED_COLUMNS.map((c) => `${c.name} = ${c.sql("")}`).join(", ")}`,
    );
    await connection.run(`INSERT OR REPLACE INTO lens_meta VALUES ('${DIGEST_KEY}', $d)`, { d: digest });
    await connection.run(
      `INSERT OR REPLACE INTO lens_meta VALUES ('layout_version', '${STORE_LAYOUT_VERSION}')`,
    );
    await connection.run(`COMMIT`);
  } catch (e) {
    await connection.run(`ROLLBACK`).catch(() => {});
    throw e;
  }
}

async function checkStoredColumnsReadOnly(connection: DuckDBConnection, path: string): Promise<void> {
  const rows = (await connection.runAndReadAll(`SELECT value FROM lens_meta WHERE key = '${DIGEST_KEY}'`))
    .getRowObjectsJS();
  if (rows.length > 0 && rows[0].value === await storedColumnsDigest()) return;
  throw new StoreLayoutError(
    `the store ${path} keeps derived columns (result, auth_step_*) computed by another signin-lens version: a ` +
      `load updates them in place (deno task load <the folder you loaded> --db ${path}; files already loaded ` +
      `are skipped)`,
    path,
  );
}

async function checkLayout(connection: DuckDBConnection, path: string): Promise<void> {
  // Checked before the views are (re)created: an old file's tables must not be read with new view text.
  const tables = new Set(
    (await connection.runAndReadAll(`SELECT table_name FROM information_schema.tables`)).getRowObjectsJS()
      .map((r) => String(r.table_name)),
  );
  if (tables.size > 0 && !tables.has("lens_meta") && !tables.has("signin_records")) {
    // Someone else's DuckDB database: adding our tables to it would be writing where we were not asked to.
    throw new StorePathError(
      `${path} is a DuckDB database but not a signin-lens store (tables: ${
        [...tables].slice(0, 5).join(", ")
      })`,
      path,
    );
  }
  if (!tables.has("lens_meta")) {
    await connection.run(`CREATE TABLE lens_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`);
  }
  const existing = tables.has("signin_records");
  const rows = (await connection.runAndReadAll(`SELECT value FROM lens_meta WHERE key = 'layout_version'`))
    .getRowObjectsJS();
  if (rows.length === 0) {
    if (existing) {
      throw new StoreLayoutError(
        `the store ${path} was written by an older signin-lens (no layout version): load the raw files ` +
          `again into a new database file`,
        path,
      );
    }
    await connection.run(`INSERT INTO lens_meta VALUES ('layout_version', '${STORE_LAYOUT_VERSION}')`);
    return;
  }
  const version = Number(rows[0].value);
  // Layout 4 only added stored columns: refreshStoredColumns() adds and fills them, and records layout 4.
  const upgradable = version === 3 && STORE_LAYOUT_VERSION === 4 && existing;
  if (version !== STORE_LAYOUT_VERSION && !upgradable) {
    throw new StoreLayoutError(
      `the store ${path} has layout version ${rows[0].value}, this signin-lens writes ` +
        `${STORE_LAYOUT_VERSION}: load the raw files again into a new database file`,
      path,
    );
  }
}
