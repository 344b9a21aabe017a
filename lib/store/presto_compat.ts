import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * Macros giving DuckDB the Presto/Trino functions our queries use, with Trino's names and semantics, so one
 * query text runs on both engines. TEMP macros: they live in the connection, never in the database file.
 */
export const PRESTO_COMPAT_MACROS: readonly string[] = [
  `CREATE OR REPLACE TEMP MACRO array_join(a, s) AS array_to_string(a, s)`,
  `CREATE OR REPLACE TEMP MACRO cardinality(a) AS len(a)`,
  `CREATE OR REPLACE TEMP MACRO element_at(a, i) AS a[i]`,
  // Trino parses ISO 8601 with a zone designator into a timestamp with time zone. The store keeps UTC TIMESTAMPs
  // (cheap date/hour arithmetic), so the macro yields the same instant as a UTC TIMESTAMP: comparisons, truncation
  // and output agree with Trino's. A date alone and Graph's 7 fractional digits (rounded to µs) parse too.
  `CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(s) AS (CAST(s AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`,
  `CREATE OR REPLACE TEMP MACRO to_iso8601(t) AS strftime(t AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ')`,
  `CREATE OR REPLACE TEMP MACRO to_unixtime(t) AS epoch(t)`,
  `CREATE OR REPLACE TEMP MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)`,
  `CREATE OR REPLACE TEMP MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
  `CREATE OR REPLACE TEMP MACRO approx_distinct(x) AS approx_count_distinct(x)`,
  `CREATE OR REPLACE TEMP MACRO day_of_week(t) AS isodow(t)`,
  `CREATE OR REPLACE TEMP MACRO lens_mysql_format(f) AS ` +
  `replace(replace(replace(f, '%i', '%M'), '%s', '%S'), '%T', '%H:%M:%S')`,
  `CREATE OR REPLACE TEMP MACRO date_format(t, f) AS strftime(t, lens_mysql_format(f))`,
  // Trino's great_circle_distance: kilometres on a sphere of radius 6371.01 km.
  `CREATE OR REPLACE TEMP MACRO great_circle_distance(lat1, lon1, lat2, lon2) AS ` +
  `6371.01 * acos(least(1.0, greatest(-1.0, sin(radians(lat1)) * sin(radians(lat2)) + ` +
  `cos(radians(lat1)) * cos(radians(lat2)) * cos(radians(lon2) - radians(lon1)))))`,
];

/** Installs the compatibility macros on a connection. */
export async function installPrestoCompat(connection: DuckDBConnection): Promise<void> {
  for (const sql of PRESTO_COMPAT_MACROS) await connection.run(sql);
}
