import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import { installPrestoCompat } from "../store/presto_compat.ts";
import { lakeSideViewSql, lakeViewSql } from "./lake_sql.ts";
import { readLakeManifest } from "./lake_tables.ts";

export interface LakeConnection {
  connection: DuckDBConnection;
  close(): void;
}

/**
 * An in-memory DuckDB whose `signins` view reads a Parquet lake folder, with the Presto-compatible macros
 * the queries use: queries/*.sql run on it exactly as on the store.
 */
export async function openLakeOnDuckdb(dir: string): Promise<LakeConnection> {
  try {
    const stat = await Deno.stat(dir);
    if (!stat.isDirectory) throw new Error(`${dir}: not a folder`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${dir}: no such lake (write one with deno task lake)`);
    }
    throw e;
  }
  const instance = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false" });
  const connection = await instance.connect();
  try {
    await connection.run(`LOAD icu`);
    await connection.run(`SET TimeZone = 'UTC'`);
    await installPrestoCompat(connection);
    await connection.run(lakeViewSql(dir));
    for (const table of Object.keys((await readLakeManifest(dir)).tables)) {
      await connection.run(lakeSideViewSql(dir, table));
    }
  } catch (e) {
    connection.closeSync();
    instance.closeSync();
    throw e;
  }
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
