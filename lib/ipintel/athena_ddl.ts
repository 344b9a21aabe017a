/**
 * The IP intelligence on Athena: the ASN range table (a tab-separated file you upload, written by
 * writeAsnRangesTsv from a store), the sourced network classes as a view, and views that key each sign-in's
 * address and look it up with queries/ip_intel.sql, so the detect_* queries run there unchanged. Trino computes
 * the same range key as lib/ipintel/ip_key.ts with its IPADDRESS type (IPv4 becomes IPv4-mapped IPv6, 16 bytes).
 * The lookup is materialised (CTAS) rather than a view: see ipIntelAthenaDdl.
 */
import type { Store } from "../store/open_store.ts";
import { loadQuery } from "../query/query_library.ts";
import { BUCKET_SQL } from "./ip_key.ts";
import { KNOWN_NETWORKS } from "./networks.ts";

export interface IpIntelDdlOptions {
  database: string;
  /** s3://bucket/prefix/ under which asn_ranges/ holds the uploaded TSV. */
  location: string;
}

const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * CREATE statements, in order, for Athena (Trino): table asn_ranges, views asn_classes, ip_addresses and
 * ip_intel_lookup, and the materialised table ip_intel (CTAS) the detect_* queries join.
 */
export async function ipIntelAthenaDdl(o: IpIntelDdlOptions): Promise<string[]> {
  const db = `"${o.database}"`;
  const base = o.location.endsWith("/") ? o.location : `${o.location}/`;
  const location = `${base}asn_ranges/`;
  const intelLocation = `${base}ip_intel/`;
  const values = KNOWN_NETWORKS.map((n) =>
    `  (CAST(${n.asn} AS bigint), ${quoted(n.network_class)}, ${quoted(n.name)}, ${quoted(n.source)})`
  ).join(",\n");
  const key = `lower(to_hex(CAST(try(CAST(ipaddress AS IPADDRESS)) AS VARBINARY)))`;
  // A view takes no parameters: every address (the query's default range).
  const lookup = (await loadQuery("ip_intel")).sql
    .replace(/--[^\n]*\n/g, "")
    .replaceAll("$from", "'1970-01-01T00:00:00Z'")
    .replaceAll("$to", "'9999-12-31T00:00:00Z'")
    .replace(/\b(FROM|JOIN) (ip_addresses|asn_ranges|asn_classes)\b/g, `$1 ${db}."$2"`);
  return [
    [
      `CREATE EXTERNAL TABLE IF NOT EXISTS \`${o.database}\`.\`asn_ranges\` (`,
      "  `bucket` string, `range_start` string, `range_end` string, `asn` bigint, `as_org` string",
      `)`,
      `ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n'`,
      `STORED AS TEXTFILE`,
      `LOCATION ${quoted(location)}`,
      `TBLPROPERTIES ('skip.header.line.count' = '1')`,
    ].join("\n"),
    `CREATE OR REPLACE VIEW ${db}."asn_classes" AS\nSELECT asn, network_class, as_name, source FROM (VALUES\n${values}\n) AS t(asn, network_class, as_name, source)`,
    [
      `CREATE OR REPLACE VIEW ${db}."ip_addresses" AS`,
      `SELECT ip_address, entra_asn, ip_key, ${BUCKET_SQL("ip_key")} AS bucket, first_seen, last_seen`,
      `FROM (`,
      `  SELECT ipaddress AS ip_address, CAST(coalesce(autonomoussystemnumber, -1) AS bigint) AS entra_asn,`,
      `    ${key} AS ip_key, min(created_at) AS first_seen, max(created_at) AS last_seen`,
      `  FROM ${db}."signins"`,
      `  WHERE ipaddress IS NOT NULL AND ipaddress <> ''`,
      `  GROUP BY 1, 2, 3`,
      `)`,
    ].join("\n"),
    `CREATE OR REPLACE VIEW ${db}."ip_intel_lookup" AS\n${lookup}`,
    // The range join is too dear to redo in every detect_* query (measured on Trino 476, 100k addresses
    // against 798k range rows: 24-84 s), so it is materialised once; after loading new sign-ins, DROP TABLE
    // ip_intel, empty its S3 prefix and run this again.
    [
      `CREATE TABLE ${db}."ip_intel"`,
      `WITH (format = 'PARQUET', external_location = ${quoted(intelLocation)})`,
      `AS SELECT * FROM ${db}."ip_intel_lookup"`,
    ].join("\n"),
  ];
}

/**
 * Writes the store's asn_ranges (see ensureIpIntel) as the tab-separated file the Athena table reads, with a
 * header line; tabs and line breaks in organisation names become spaces. Returns the rows written.
 */
export async function writeAsnRangesTsv(store: Store, path: string): Promise<number> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await store.connection.run(
    `COPY (SELECT bucket, range_start, range_end, asn, regexp_replace(coalesce(as_org, ''), '[\\t\\r\\n]', ' ', 'g') ` +
      `AS as_org FROM asn_ranges ORDER BY bucket, range_start) TO ${
        quoted(tmp)
      } (FORMAT csv, DELIMITER '\\t', ` +
      `HEADER true, QUOTE '')`,
  );
  await Deno.rename(tmp, path);
  const rows = await store.connection.runAndReadAll(`SELECT count(*) FROM asn_ranges`);
  return Number(rows.getRowsJS()[0][0]);
}
