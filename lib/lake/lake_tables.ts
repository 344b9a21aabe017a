import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { writeFileAtomic } from "../write_file_atomic.ts";
import { duckdbString } from "./lake_sql.ts";

/**
 * Store tables besides the sign-ins that queries join: the directory audits and the IP intelligence tables
 * (lib/ipintel). The lake carries each that the store has, so detection queries run on it unchanged.
 */
export const LAKE_SIDE_TABLES = ["directory_audits", "ip_addresses", "asn_ranges", "asn_classes", "ip_intel"];

/** What `<lake>/lake.json` says: the side tables written and their columns with Trino types. */
export interface LakeManifest {
  format: "signin-lens-lake";
  version: 1;
  tables: Record<string, { name: string; trino: string }[]>;
}

export const LAKE_MANIFEST = "lake.json";

/** A DuckDB column type → the lake's (what is written) and Trino's, or null for a type the lake cannot carry. */
function mapType(duckdb: string): { cast: string; trino: string } | null {
  const t = duckdb.toUpperCase();
  if (t === "VARCHAR" || t === "JSON") return { cast: "VARCHAR", trino: "varchar" };
  if (t === "BIGINT") return { cast: "BIGINT", trino: "bigint" };
  if (t === "INTEGER" || t === "SMALLINT" || t === "TINYINT") return { cast: "INTEGER", trino: "integer" };
  if (t === "DOUBLE" || t === "FLOAT") return { cast: "DOUBLE", trino: "double" };
  if (t === "BOOLEAN") return { cast: "BOOLEAN", trino: "boolean" };
  if (t === "DATE") return { cast: "DATE", trino: "date" };
  if (t.startsWith("TIMESTAMP")) return { cast: "TIMESTAMP_MS", trino: "timestamp(3)" };
  if (t === "VARCHAR[]") return { cast: "VARCHAR[]", trino: "array(varchar)" };
  return null;
}

/**
 * Writes each side table the store has as `<out>/<table>/<table>.parquet` (temp file + rename), lower-case
 * column names, JSON as text, times as UTC millisecond timestamps; then `<out>/lake.json` listing them.
 */
export async function writeSideTables(connection: DuckDBConnection, out: string): Promise<LakeManifest> {
  const present = new Set(
    (await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables()`)).getRowsJS().map((r) =>
      String(r[0])
    ),
  );
  const manifest: LakeManifest = { format: "signin-lens-lake", version: 1, tables: {} };
  for (const table of LAKE_SIDE_TABLES.filter((t) => present.has(t))) {
    const described = (await connection.runAndReadAll(`DESCRIBE ${table}`)).getRowObjectsJS();
    const select: string[] = [];
    const columns: { name: string; trino: string }[] = [];
    for (const c of described) {
      const name = String(c.column_name);
      const type = String(c.column_type);
      const mapped = mapType(type);
      if (!mapped) {
        throw new Error(`lake: column ${table}.${name} has type ${type}, which the lake cannot carry`);
      }
      // Times are cut (not rounded, as a cast to TIMESTAMP_MS would) to the milliseconds Athena's columns hold.
      const source = type === "TIMESTAMP WITH TIME ZONE"
        ? `date_trunc('millisecond', "${name}" AT TIME ZONE 'UTC')`
        : type.startsWith("TIMESTAMP")
        ? `date_trunc('millisecond', "${name}")`
        : `"${name}"`;
      select.push(`CAST(${source} AS ${mapped.cast}) AS "${name.toLowerCase()}"`);
      columns.push({ name: name.toLowerCase(), trino: mapped.trino });
    }
    const dir = join(out, table);
    await Deno.mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${table}.parquet.tmp-${Deno.pid}`);
    try {
      await connection.run(
        `COPY (SELECT ${select.join(", ")} FROM ${table}) TO ${
          duckdbString(tmp)
        } (FORMAT parquet, COMPRESSION zstd)`,
      );
      await Deno.rename(tmp, join(dir, `${table}.parquet`));
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw new Error(`lake table ${table} (${dir}): ${(e as Error).message}`);
    }
    manifest.tables[table] = columns;
  }
  await writeFileAtomic(join(out, LAKE_MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** Reads `<lake>/lake.json`; a lake without one (written before side tables existed) has none. */
export async function readLakeManifest(dir: string): Promise<LakeManifest> {
  try {
    const m = JSON.parse(await Deno.readTextFile(join(dir, LAKE_MANIFEST))) as LakeManifest;
    if (m.format !== "signin-lens-lake") {
      throw new Error(`${join(dir, LAKE_MANIFEST)}: not a signin-lens lake manifest`);
    }
    return m;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { format: "signin-lens-lake", version: 1, tables: {} };
    throw e;
  }
}
