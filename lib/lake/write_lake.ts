import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { duckdbString, lakeSelectList } from "./lake_sql.ts";
import { type LakeManifest, writeSideTables } from "./lake_tables.ts";

/** The one data file of each day: a fixed name, so rewriting a day is one atomic rename over it. */
export const LAKE_FILE = "signins.parquet";

export interface LakeDay {
  dt: string;
  rows: number;
  bytes: number;
}

export interface WriteLakeResult {
  days: LakeDay[];
  /** The side tables written beside the sign-ins (directory audits, IP intelligence). */
  manifest: LakeManifest;
  rows: number;
  bytes: number;
  seconds: number;
}

export interface WriteLakeOptions {
  /** Only these days (YYYY-MM-DD); every day in the store by default. */
  days?: string[];
  log?: (line: string) => void;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Writes the store's `signins` as a Hive-partitioned Parquet lake: `<out>/signins/dt=YYYY-MM-DD/signins.parquet`,
 * zstd, one row per sign-in, the record's nested types with lower-case names, plus created_at (UTC, ms),
 * sign_in_kind and source_format; and the side tables queries join (see writeSideTables) beside it.
 *
 * Each day is written to a hidden temp file in its folder (Hive, Trino, Athena and DuckDB's glob skip it) and
 * renamed over the day's file, so a reader sees the old day or the new one, never half of one; other Parquet
 * files a day folder holds (from an older writer) are removed after. Days not in the store are left alone.
 *
 * @throws when the store has sign-ins without created_at (they would be missing from every answer)
 */
export async function writeLake(
  connection: DuckDBConnection,
  out: string,
  options: WriteLakeOptions = {},
): Promise<WriteLakeResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const undated =
    (await connection.runAndReadAll(`SELECT count(*) AS n FROM signins WHERE created_at IS NULL`))
      .getRowObjectsJS()[0].n;
  if (Number(undated) > 0) {
    throw new Error(`${undated} sign-in(s) in the store have no created_at: no day to file them under`);
  }
  const counts = (await connection.runAndReadAll(
    `SELECT strftime(created_at, '%Y-%m-%d') AS dt, count(*) AS n FROM signins GROUP BY 1 ORDER BY 1`,
  )).getRowObjectsJS().map((r) => ({ dt: String(r.dt), n: Number(r.n) }));
  for (const d of options.days ?? []) {
    if (!DAY.test(d)) throw new Error(`day ${JSON.stringify(d)}: expected YYYY-MM-DD`);
  }
  const wanted = options.days ? counts.filter((c) => options.days!.includes(c.dt)) : counts;
  if (wanted.length === 0) {
    throw new Error(
      options.days ? `no sign-ins on ${options.days.join(", ")} in the store` : "the store has no sign-ins",
    );
  }
  const days: LakeDay[] = [];
  const select = lakeSelectList();
  for (const { dt, n } of wanted) {
    const dir = join(out, "signins", `dt=${dt}`);
    await Deno.mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${LAKE_FILE}.tmp-${Deno.pid}`);
    const final = join(dir, LAKE_FILE);
    try {
      // The day's bounds are computed, not typed in: dt comes from the store itself.
      await connection.run(
        `COPY (SELECT ${select} FROM signins WHERE created_at >= CAST(${duckdbString(dt)} AS TIMESTAMP) ` +
          `AND created_at < CAST(${
            duckdbString(dt)
          } AS TIMESTAMP) + INTERVAL 1 DAY ORDER BY created_at, id) ` +
          `TO ${duckdbString(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      await Deno.rename(tmp, final);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw new Error(`lake day ${dt} (${dir}): ${(e as Error).message}`);
    }
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name !== LAKE_FILE && e.name.endsWith(".parquet") && !e.name.startsWith(".")) {
        await Deno.remove(join(dir, e.name));
      }
    }
    const bytes = (await Deno.stat(final)).size;
    days.push({ dt, rows: n, bytes });
    log(`dt=${dt}: ${n} sign-ins, ${(bytes / 1e6).toFixed(2)} MB`);
  }
  const manifest = await writeSideTables(connection, out);
  return {
    days,
    manifest,
    rows: days.reduce((s, d) => s + d.rows, 0),
    bytes: days.reduce((s, d) => s + d.bytes, 0),
    seconds: (performance.now() - started) / 1000,
  };
}
