/**
 * Inserts a load's records so that one state per sign-in id survives, deciding every duplicate *before* a row
 * is written. Rows a load has inserted are never deleted in the same transaction: DuckDB 1.5.6 segfaults at
 * COMMIT when a transaction inserts many rows into a file-backed table and then deletes some of them
 * (bench/repro/duckdb_commit_segfault.ts). Deleting rows committed by earlier loads is a different code path
 * and is safe.
 *
 * The steps, all inside the caller's transaction:
 * 1. a key pass reads only id and createdDateTime of every incoming record (for Graph pages, ~12 % of a load);
 * 2. an id is *contested* when it occurs twice among the incoming records or is already stored; the latest
 *    state wins (createdDateTime, then the export's own time, then the stored record, then the later file);
 * 3. uncontested records go in with one bulk INSERT; winners of contested ids are read again from only the
 *    files that hold them; stored records that lost are deleted.
 */
import { DuckDBListValue, LIST, VARCHAR } from "@duckdb/node-api";
import { SIGNIN_FIELDS } from "../schema/signin_fields.ts";
import { duckdbRecordType } from "../schema/duckdb_types.ts";
import { RECORD_TYPE } from "./store_schema.ts";
import type { Store } from "./open_store.ts";
import { storedSelect } from "./derived_columns.ts";

/** Records of one group of files (or of a temporary table), as the loader reads them. */
export interface IncomingSource {
  /** SELECT yielding the store's columns; reads the files bound to `$files` unless `files` is null. */
  select: string;
  /** The files bound to `$files`; null when `select` reads a temporary table. */
  files: string[] | null;
  /** The `_source` a bound file's rows carry (a staged file stands in for its source). */
  sourceOf?: (path: string) => string;
}

export interface SettleResult {
  /** Records read from the files (before dedupe). */
  read: number;
  added: number;
  /** Stored sign-ins whose state was replaced by a later state from this load. */
  updated: number;
  /** What each `_source` brought, before dedupe. */
  perSource: Map<string, bigint>;
}

/** A record whose id or createdDateTime is unusable; the caller turns it into its own error type. */
export class BadKeyError extends Error {
  constructor(message: string, readonly source: string) {
    super(message);
    this.name = "BadKeyError";
  }
}

/** The only record fields the key pass types: what the selects reference besides `records.*`. */
const KEY_FIELDS = new Set(["id", "createdDateTime", "signInEventTypes", "isInteractive"]);
const KEY_RECORD_TYPE = duckdbRecordType(SIGNIN_FIELDS.filter((f) => KEY_FIELDS.has(f.name)));
const KEY_COLUMNS = `id, "createdDateTime", created_at, _version_at, _source`;

/**
 * The key pass's SELECT for a source: Graph pages are read with a record type of the key fields only, so
 * DuckDB skips building the other ~100 columns; other shapes project the keys from the full SELECT.
 */
export function keySelects(select: string): string[] {
  const full = `SELECT ${KEY_COLUMNS} FROM (${select})`;
  const light = select.replaceAll(`'${RECORD_TYPE}[]'`, `'${KEY_RECORD_TYPE}[]'`);
  return light === select ? [full] : [`SELECT ${KEY_COLUMNS} FROM (${light})`, full];
}

/** The result class and derived columns, computed once per record as it goes in (derived_columns.ts). */
const DERIVED = storedSelect("s.");

const fileParams = (files: string[]) =>
  [{ files: new DuckDBListValue(files) }, { files: LIST(VARCHAR) }] as const;

async function run(store: Store, sql: string, files: string[] | null): Promise<void> {
  if (files) await store.connection.run(sql, ...fileParams(files));
  else await store.connection.run(sql);
}

async function scalar(store: Store, sql: string): Promise<number> {
  const row = (await store.connection.runAndReadAll(sql)).getRowObjectsJS()[0];
  return Number(Object.values(row)[0]);
}

export interface SettleOptions {
  /**
   * Parse each file once into a temporary table and settle from there, instead of reading the files twice
   * (key pass, then insert). Parsing the JSON is most of a load's time, so this wins for small loads (a
   * nightly day); a big first load keeps the two passes, whose memory does not grow with the load.
   */
  readOnce?: boolean;
}

/** Inserts `sources` into signin_records, one state per id (see the module comment). */
export async function insertSettled(
  store: Store,
  given: IncomingSource[],
  options: SettleOptions = {},
): Promise<SettleResult> {
  const c = store.connection;
  const before = await scalar(store, `SELECT count(*) FROM signin_records`);
  const readTables: string[] = [];
  const sources: IncomingSource[] = [];
  for (const s of given) {
    if (!options.readOnce || s.files === null) {
      sources.push(s);
      continue;
    }
    const table = `lens_read_${readTables.length}`;
    await run(store, `CREATE OR REPLACE TEMP TABLE ${table} AS ${s.select}`, s.files);
    readTables.push(table);
    sources.push({ select: `SELECT * FROM ${table}`, files: null });
  }
  await c.run(
    `CREATE OR REPLACE TEMP TABLE lens_incoming (src INTEGER, id VARCHAR, "createdDateTime" VARCHAR, ` +
      `created_at TIMESTAMP, _version_at TIMESTAMPTZ, _source VARCHAR)`,
  );
  for (const [i, s] of sources.entries()) {
    const [first, fallback] = keySelects(s.select);
    const insert = (sql: string) =>
      run(store, `INSERT INTO lens_incoming BY NAME SELECT ${i} AS src, * FROM (${sql})`, s.files);
    try {
      await insert(first);
    } catch (e) {
      // A select that names more record fields than the key type has: read the keys the slow way.
      if (!fallback || !/Binder Error/.test((e as Error).message)) throw e;
      await insert(fallback);
    }
  }
  await checkKeys(store);
  const perSource = new Map(
    (await c.runAndReadAll(`SELECT _source, count(*) AS n FROM lens_incoming GROUP BY _source`))
      .getRowObjectsJS().map((r) => [String(r._source), BigInt(r.n as bigint)]),
  );
  const read = [...perSource.values()].reduce((a, b) => a + Number(b), 0);

  // Contested ids: repeated within the load, or already stored. The IN list is built on the incoming ids,
  // so a large store is scanned once, never hashed.
  await c.run(
    `CREATE OR REPLACE TEMP TABLE lens_contested AS SELECT id FROM lens_incoming GROUP BY id HAVING count(*) > 1 ` +
      `UNION SELECT id FROM signin_records WHERE id IN (SELECT id FROM lens_incoming)`,
  );
  const contested = await scalar(store, `SELECT count(*) FROM lens_contested`);
  let updated = 0;
  let winners = 0;
  if (contested > 0) {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE lens_ranked AS SELECT *, row_number() OVER (PARTITION BY id ORDER BY ` +
        `created_at DESC, coalesce(_version_at, TIMESTAMPTZ '0001-01-01') DESC, was_stored DESC, _source DESC) ` +
        `AS rn FROM (SELECT src, id, created_at, _version_at, _source, false AS was_stored, NULL::BIGINT AS rid ` +
        `FROM lens_incoming WHERE id IN (SELECT id FROM lens_contested) UNION ALL ` +
        `SELECT NULL, id, created_at, _version_at, _source, true, rowid FROM signin_records ` +
        `WHERE id IN (SELECT id FROM lens_contested))`,
    );
    updated = await scalar(store, `SELECT count(*) FROM lens_ranked WHERE was_stored AND rn > 1`);
    // Committed rows only: safe to delete (see the module comment).
    if (updated > 0) {
      await c.run(
        `DELETE FROM signin_records WHERE rowid IN (SELECT rid FROM lens_ranked WHERE was_stored AND rn > 1)`,
      );
    }
    await c.run(
      `CREATE OR REPLACE TEMP TABLE lens_winners AS SELECT src, id, created_at, _version_at, _source ` +
        `FROM lens_ranked WHERE rn = 1 AND NOT was_stored`,
    );
    winners = await scalar(store, `SELECT count(*) FROM lens_winners`);
  }

  for (const s of sources) {
    // A clean first load has nothing contested: the bulk insert then has no filter at all.
    const filter = contested > 0
      ? ` WHERE NOT EXISTS (SELECT 1 FROM lens_contested AS x WHERE x.id = s.id)`
      : "";
    await run(
      store,
      `INSERT INTO signin_records BY NAME SELECT s.*, now() AS _loaded_at, ${DERIVED} FROM (${s.select}) AS s${filter}`,
      s.files,
    );
  }
  if (winners > 0) {
    for (const [i, s] of sources.entries()) {
      const wanted = new Set(
        (await c.runAndReadAll(`SELECT DISTINCT _source FROM lens_winners WHERE src = ${i}`))
          .getRowObjectsJS()
          .map((r) => String(r._source)),
      );
      if (wanted.size === 0) continue;
      // Only the files holding a winner are read again; a tie on every key within one file keeps one row.
      const files = s.files?.filter((f) => wanted.has(s.sourceOf ? s.sourceOf(f) : f)) ?? null;
      await run(
        store,
        `INSERT INTO signin_records BY NAME SELECT s.*, now() AS _loaded_at, ${DERIVED} FROM (${s.select}) AS s ` +
          `WHERE EXISTS (SELECT 1 FROM lens_winners AS w WHERE w.src = ${i} AND w.id = s.id AND ` +
          `w._source = s._source AND w.created_at = s.created_at AND ` +
          `w._version_at IS NOT DISTINCT FROM s._version_at) QUALIFY row_number() OVER (PARTITION BY s.id) = 1`,
        files,
      );
    }
  }
  const after = await scalar(store, `SELECT count(*) FROM signin_records`);
  const expected = before - updated +
    (read -
      (contested > 0
        ? await scalar(
          store,
          `SELECT count(*) FROM lens_incoming WHERE id IN (SELECT id FROM lens_contested)`,
        )
        : 0)) +
    winners;
  for (const t of ["lens_incoming", "lens_contested", "lens_ranked", "lens_winners", ...readTables]) {
    await c.run(`DROP TABLE IF EXISTS ${t}`);
  }
  if (after !== expected) {
    // The key pass and the load disagree: never commit a store whose counts cannot be explained.
    throw new Error(
      `internal error: the load would leave ${after} sign-ins where its key pass expects ${expected}`,
    );
  }
  return { read, added: after - before, updated, perSource };
}

async function checkKeys(store: Store): Promise<void> {
  const bad = (await store.connection.runAndReadAll(
    `SELECT _source, count(*) AS n, any_value(coalesce(id, '(no id)')) AS example_id, ` +
      `any_value("createdDateTime") AS example_time FROM lens_incoming ` +
      `WHERE id IS NULL OR created_at IS NULL GROUP BY _source ORDER BY _source LIMIT 3`,
  )).getRowObjectsJS();
  if (bad.length > 0) {
    const b = bad[0];
    throw new BadKeyError(
      `${b._source}: ${b.n} record(s) without an id or with an unreadable createdDateTime ` +
        `(e.g. id ${b.example_id}, createdDateTime ${JSON.stringify(b.example_time)})`,
      String(b._source),
    );
  }
}
