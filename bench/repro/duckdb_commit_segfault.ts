/**
 * Reproduction of a DuckDB 1.5.6 segfault at COMMIT, without signin-lens code: DuckDB and SQL only. One
 * transaction inserts ~150k+ Entra ID sign-in records (Graph `signIns` pages, typed with the STRUCT in
 * signin_record_type.txt) into an empty table of a file-backed database, deletes the duplicate ids among them
 * (the first file is read twice, so 999 ids repeat), and commits: the process dies by SIGSEGV in COMMIT.
 *
 *   deno task sample --users 500 --days 30 --out /tmp/pages     # any Graph signIns pages will do
 *   deno run -A bench/repro/duckdb_commit_segfault.ts /tmp/pages/signins [max-files=150] [threads] [fields]
 *
 * Prints "committed" and exits 0 when DuckDB survives, else ends by SIGSEGV (exit 139). Seen: 150 pages of 999
 * records crash 3 of 3 runs; the same without the DELETE, or with threads=1, commits. `fields` (e.g. 0-40)
 * keeps only those top-level fields of the record type, to narrow the trigger down.
 */
import { DuckDBInstance, DuckDBListValue, LIST, VARCHAR } from "@duckdb/node-api";

const [dir, maxFiles = "150", threads, fields] = Deno.args;
if (!dir) {
  console.error("usage: duckdb_commit_segfault.ts <pages-dir> [max-files] [threads] [fields a-b]");
  Deno.exit(2);
}
const files: string[] = [];
const walk = (d: string) => {
  for (const e of Deno.readDirSync(d)) {
    if (e.isDirectory) walk(`${d}/${e.name}`);
    else if (e.name.endsWith(".json") && e.name !== "manifest.json") files.push(`${d}/${e.name}`);
  }
};
walk(dir);
files.sort();
files.splice(Number(maxFiles));
files.push(files[0]);

let type = Deno.readTextFileSync(new URL("signin_record_type.txt", import.meta.url)).trim();
if (fields) {
  // Top-level fields of STRUCT(...), split at commas outside parentheses and quotes.
  const inner = type.slice("STRUCT(".length, -1);
  const parts: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth--;
    else if (!quoted && depth === 0 && ch === ",") {
      parts.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(inner.slice(start).trim());
  const [a, b] = fields.split("-").map(Number);
  type = `STRUCT(${parts.slice(a, b + 1).join(", ")})`;
  if (!parts.slice(a, b + 1).some((p) => p.startsWith('"id"'))) {
    type = type.replace("STRUCT(", 'STRUCT("id" VARCHAR, ');
  }
}

const work = await Deno.makeTempDir({ prefix: "duckdb-commit-segfault-" });
const instance = await DuckDBInstance.create(`${work}/repro.duckdb`, threads ? { threads } : {});
const c = await instance.connect();
const version = (await c.runAndReadAll(`SELECT version() AS v`)).getRowObjectsJS()[0].v;
console.log(
  `DuckDB ${version}: ${files.length} files, threads ${threads ?? "default"}, fields ${fields ?? "all"}`,
);
const read = `read_json($files, columns = {value: '${type}[]'}, format = 'newline_delimited') AS p ` +
  `CROSS JOIN UNNEST(p.value) AS u(r)`;
const bind = [{ files: new DuckDBListValue(files) }, { files: LIST(VARCHAR) }] as const;
await c.run(`CREATE TABLE t AS SELECT r.* FROM ${read} LIMIT 0`, ...bind);
await c.run(`BEGIN TRANSACTION`);
await c.run(`INSERT INTO t SELECT r.* FROM ${read}`, ...bind);
const n =
  (await c.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM t`)).getRowObjectsJS()[0];
console.log(`inserted ${n.n} rows, ${n.ids} distinct ids`);
await c.run(
  `DELETE FROM t WHERE rowid IN (SELECT rid FROM (SELECT rowid AS rid, row_number() OVER (PARTITION BY id ` +
    `ORDER BY rowid) AS rn FROM t) WHERE rn > 1)`,
);
console.log("deleted the duplicates; committing");
await c.run(`COMMIT`);
console.log("committed");
c.closeSync();
instance.closeSync();
await Deno.remove(work, { recursive: true });
