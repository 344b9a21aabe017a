import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { dirname } from "node:path";
import { installPrestoCompat } from "./presto_compat.ts";
import { CREATE_STORE, STORE_LAYOUT_VERSION } from "./store_schema.ts";

/** The database file was written by another layout version of signin-lens; the sample store rebuilds itself. */
export class StoreLayoutError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = "StoreLayoutError";
  }
}

export interface Store {
  readonly path: string;
  readonly connection: DuckDBConnection;
  close(): void;
}

export interface OpenStoreOptions {
  /** DuckDB database file; ":memory:" for a throw-away store. */
  path?: string;
  /** Opens without creating tables (read-only use of an existing file). */
  readOnly?: boolean;
  /** DuckDB worker threads; defaults to DuckDB's own choice (all cores). */
  threads?: number;
}

/**
 * Opens (creating if needed) a sign-in store: DuckDB with extension downloads off, UTC session time zone,
 * the Presto compatibility macros and the store's tables and views.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const path = options.path ?? ":memory:";
  if (path !== ":memory:") await Deno.mkdir(dirname(path), { recursive: true });
  const config: Record<string, string> = {
    // Nothing can be downloaded here: a missing extension must be an error, not a network hang.
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "true",
  };
  if (options.readOnly) config.access_mode = "READ_ONLY";
  if (options.threads) config.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, config);
  } catch (e) {
    throw new Error(`cannot open the store ${path}: ${(e as Error).message}`);
  }
  const connection = await instance.connect();
  // Setting TimeZone at instance creation fails before icu is loaded; load it first, then set UTC so
  // TIMESTAMPTZ values print and truncate the same on every machine (and as Athena does).
  await connection.run(`LOAD icu`);
  await connection.run(`SET TimeZone = 'UTC'`);
  await installPrestoCompat(connection);
  if (!options.readOnly) {
    try {
      await checkLayout(connection, path);
      for (const sql of CREATE_STORE) await connection.run(sql);
    } catch (e) {
      connection.closeSync();
      instance.closeSync();
      throw e;
    }
  }
  return {
    path,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Opens a store that must already exist (queries and reports read one; only loads create one), naming the
 * file and the command that makes it when it is missing.
 */
export async function openExistingStore(path: string): Promise<Store> {
  try {
    await Deno.stat(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Error(`no store at ${path}: load files first (deno task load <dir> --db ${path})`);
  }
  return await openStore({ path });
}

async function checkLayout(connection: DuckDBConnection, path: string): Promise<void> {
  // Checked before the views are (re)created: an old file's tables must not be read with new view text.
  await connection.run(`CREATE TABLE IF NOT EXISTS lens_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`);
  const existing = (await connection.runAndReadAll(
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'signin_records'`,
  )).getRowObjectsJS()[0].n;
  const rows = (await connection.runAndReadAll(`SELECT value FROM lens_meta WHERE key = 'layout_version'`))
    .getRowObjectsJS();
  if (rows.length === 0 && Number(existing) > 0) {
    throw new StoreLayoutError(
      `the store ${path} was written by an older signin-lens (no layout version): load the raw files again ` +
        `into a new database file`,
      path,
    );
  }
  if (rows.length === 0) {
    await connection.run(`INSERT INTO lens_meta VALUES ('layout_version', '${STORE_LAYOUT_VERSION}')`);
  } else if (Number(rows[0].value) !== STORE_LAYOUT_VERSION) {
    throw new StoreLayoutError(
      `the store ${path} has layout version ${
        rows[0].value
      }, this signin-lens writes ${STORE_LAYOUT_VERSION}: ` +
        `load the raw files again into a new database file`,
      path,
    );
  }
}
