/**
 * Parity suite: every query in queries/ on the sample tenant, five ways — the DuckDB store (the reference),
 * DuckDB over the Parquet lake, a real Trino over the raw JSON pages (OpenX JSON, the generated Athena views:
 * `signins` over the sign-in pages, `directory_audits` over the audit pages), Trino over the lake on local
 * files and Trino over the lake pushed to an S3-compatible server (moto) — with equal rows required (see
 * compare.ts for the tolerances). The queries that read directory audits also run over the raw pages pushed
 * to moto by `push`, as Athena reads them. It starts one Trino (installing it from Maven Central on first use)
 * and fails, never skips, when that cannot be done.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeLake } from "../../lib/lake/mod.ts";
import { openLakeOnDuckdb } from "../../lib/lake/mod.ts";
import { listQueries, loadQuery, parseQueryFile, resolveParams, runOnDuckdb } from "../../lib/query/mod.ts";
import { writeSampleTenant } from "../../lib/sample/mod.ts";
import { ensureIpIntel } from "../../lib/ipintel/mod.ts";
import { loadFiles, openStore } from "../../lib/store/mod.ts";
import {
  LAKE_SCHEMA,
  RAW_SCHEMA,
  runOnTrino,
  startTrino,
  stopTrino,
  trinoStatement,
} from "../../lib/trino/mod.ts";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import {
  athenaConfigFromEnv,
  createS3Client,
  type LocalAthena,
  pushLake,
  pushRaw,
  runOnAthena,
  startLocalAthena,
} from "../../lib/athena/mod.ts";
import { athenaText } from "../../lib/athena/local_endpoint.ts";
import { parseNested } from "../../lib/athena/athena_values.ts";
import { trinoAthenaEngine } from "../../lib/trino/mod.ts";
import { readLakeManifest } from "../../lib/lake/mod.ts";
import { AUDIT_FIELDS } from "../../lib/schema/mod.ts";
import { differences } from "./compare.ts";
import { type RunningMoto, startMoto } from "./moto.ts";

/**
 * The sample tenant's generator at a fifth of its default size (4,048 sign-ins, 23 MB of pages): every query,
 * every detection included, still answers with rows, and Trino parses the JSON pages once per query in seconds.
 */
export const PARITY_SAMPLE = { users: 30, days: 10, seed: 1 } as const;

function lowerKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), lowerKeys(x)]));
  }
  return v;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name:
    "parity: every query in queries/ gives the same rows on DuckDB and on Trino over JSON, Parquet and S3",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "lens-parity-" });
    const state = join(dir, "trino");
    // One DuckDB thread: arbitrary() and ties resolve the same way on every run.
    const store = await openStore({ path: join(dir, "store.duckdb"), threads: 1 });
    let lake: Awaited<ReturnType<typeof openLakeOnDuckdb>> | undefined;
    let moto: RunningMoto | undefined;
    let athena: LocalAthena | undefined;
    let athenaRaw: LocalAthena | undefined;
    try {
      const manifest = await writeSampleTenant({ out: join(dir, "sample"), ...PARITY_SAMPLE });
      const loaded = await loadFiles(store, [join(dir, "sample", "signins"), join(dir, "sample", "audits")]);
      assert.equal(loaded.totalRecords, manifest.totals.signIns);
      // The detection queries join the IP intelligence tables; the lake carries them to the other engines.
      await ensureIpIntel(store);
      const written = await writeLake(store.connection, join(dir, "lake"));
      assert.equal(written.rows, manifest.totals.signIns);
      lake = await openLakeOnDuckdb(join(dir, "lake"));
      // The lake pushed to an S3-compatible server (moto), through the production push path; Trino reads it
      // from there as Athena reads S3.
      moto = await startMoto();
      const credentials = { accessKeyId: "test", secretAccessKey: "test" };
      const s3 = createS3Client(
        athenaConfigFromEnv({ AWS_REGION: "us-east-1", AWS_ENDPOINT_URL_S3: moto.endpoint }),
        { credentials },
      );
      await s3.send(new CreateBucketCommand({ Bucket: "lens-lake" }));
      await pushLake({ lake: join(dir, "lake"), to: "s3://lens-lake/entra/", client: s3 });
      // The raw pages, sign-ins and audits, through `deno task push`'s path; a second push sends nothing.
      const pushed = await pushRaw({ from: join(dir, "sample"), to: "s3://lens-lake/raw/", client: s3 });
      assert.equal(pushed.files, manifest.totals.pages);
      assert.equal(pushed.uploaded, pushed.files);
      const again = await pushRaw({ from: join(dir, "sample"), to: "s3://lens-lake/raw/", client: s3 });
      assert.equal(again.skipped, again.files);
      s3.destroy();
      const trino = await startTrino({
        stateDir: state,
        port: freePort(),
        raw: join(dir, "sample"),
        lake: join(dir, "lake"),
        s3Lake: {
          location: "s3://lens-lake/entra/",
          endpoint: moto.endpoint,
          accessKey: "test",
          secretKey: "test",
          sideTables: (await readLakeManifest(join(dir, "lake"))).tables,
          raw: "s3://lens-lake/raw/",
        },
        log: (l) => console.error(l),
      });
      console.error(
        `Trino ${trino.version} up in ${trino.startSeconds.toFixed(1)} s, ` +
          `${((trino.rssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB resident`,
      );
      // The local Athena endpoint (AWS wire protocol) answering with Trino's results (over the lake: cheaper to
      // scan than the pages, and the JSON path is compared above).
      athena = await startLocalAthena({
        engine: trinoAthenaEngine({ url: trino.url, catalog: "hive", schema: LAKE_SCHEMA }),
        pageSize: 500,
      });
      const { client: athenaClient } = athena.localRunOptions();
      // And over the raw pages pushed to moto, for the queries that read directory audits: what Athena runs
      // after `deno task ddl` and `deno task push`.
      athenaRaw = await startLocalAthena({
        engine: trinoAthenaEngine({ url: trino.url, catalog: "s3", schema: RAW_SCHEMA }),
        pageSize: 500,
      });
      const { client: athenaRawClient } = athenaRaw.localRunOptions();
      // Over the raw pages, directory_audits is the generated view over the audit pages, not the lake's table:
      // the same columns, types and rows as the store's table.
      await t.step("directory_audits over the raw audit pages is the store's table", async () => {
        const described = (await store.connection.runAndReadAll(`DESCRIBE directory_audits`))
          .getRowObjectsJS();
        const names = described.map((c) => String(c.column_name).toLowerCase());
        const types = Object.fromEntries(
          described.map((c) => [String(c.column_name).toLowerCase(), String(c.column_type)]),
        );
        assert.deepEqual(names, [...AUDIT_FIELDS.map((f) => f.name.toLowerCase()), "activity_at", "_source"]);
        // DuckDB type → the Trino type of the same values (JSON is its text, as in the lake).
        const trinoOf: Record<string, string> = {
          VARCHAR: "varchar",
          JSON: "varchar",
          "TIMESTAMP WITH TIME ZONE": "timestamp(3) with time zone",
        };
        const all = parseQueryFile(
          "directory_audits_all",
          `SELECT ${
            names.filter((n) => n !== "_source").map((n) =>
              types[n] === "JSON" ? `CAST(${n} AS VARCHAR) AS ${n}` : `${n} AS ${n}`
            ).join(", ")
          } FROM directory_audits ORDER BY id`,
        );
        const want = await runOnDuckdb(store.connection, all, {});
        assert.equal(want.rows.length, manifest.totals.audits);
        for (const catalog of ["hive", "s3"]) {
          const kind = await trinoStatement(
            `SELECT table_type FROM information_schema.tables WHERE table_schema = '${RAW_SCHEMA}' ` +
              `AND table_name = 'directory_audits'`,
            { url: trino.url, catalog },
          );
          assert.deepEqual(kind.rows, [{ table_type: "VIEW" }], catalog);
          const columns = await trinoStatement(
            `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${RAW_SCHEMA}' ` +
              `AND table_name = 'directory_audits' ORDER BY ordinal_position`,
            { url: trino.url, catalog },
          );
          assert.deepEqual(
            columns.rows,
            names.map((n) => ({ column_name: n, data_type: trinoOf[types[n]] })),
            catalog,
          );
          const got = await runOnTrino(all, {}, { url: trino.url, catalog, schema: RAW_SCHEMA });
          assert.deepEqual(differences(want, got), [], `${catalog}.${RAW_SCHEMA}.directory_audits`);
          const sources = await trinoStatement(
            `SELECT count(*) AS n FROM directory_audits WHERE _source LIKE '%/audits/dt=%/page-%.json'`,
            { url: trino.url, catalog, schema: RAW_SCHEMA },
          );
          assert.deepEqual(sources.rows, [{ n: manifest.totals.audits }], catalog);
        }
      });
      const names = await listQueries();
      assert.ok(names.length >= 20, `only ${names.length} queries found`);
      // An account the persistence rule names, for account_audits with that account's parameters (with the
      // defaults it matches no account).
      const persistence = await runOnDuckdb(
        store.connection,
        await loadQuery("detect_persistence"),
        resolveParams(await loadQuery("detect_persistence"), {}),
      );
      assert.ok(persistence.rows.length > 0, "detect_persistence finds nothing on the sample");
      const found = persistence.rows[0];
      const at = Date.parse(String(found.at));
      const cases: { name: string; step: string; given: Record<string, string> }[] = [
        ...names.map((name) => ({ name, step: name, given: {} })),
        {
          name: "account_audits",
          step: `account_audits for ${found.user_principal_name}`,
          given: {
            upn: String(found.user_principal_name),
            ips: found.ip ? String(found.ip) : "-",
            from: new Date(at - 86_400_000).toISOString(),
            to: new Date(at + 86_400_000).toISOString(),
          },
        },
      ];
      for (const { name, step, given } of cases) {
        await t.step(step, async () => {
          const query = await loadQuery(name);
          const params = resolveParams(query, given);
          const want = await runOnDuckdb(store.connection, query, params);
          if (step !== name) assert.ok(want.rows.length > 0, `${step}: no rows on DuckDB`);
          const problems: string[] = [];
          const onLake = await runOnDuckdb(lake!.connection, query, params);
          problems.push(...differences(want, onLake).map((d) => `DuckDB over Parquet: ${d}`));
          const readsAudits = /\bdirectory_audits\b/.test(query.sql);
          for (
            const [label, catalog, schema] of [
              ["Trino over JSON", "hive", RAW_SCHEMA],
              ["Trino over Parquet", "hive", LAKE_SCHEMA],
              ["Trino over Parquet in S3 (moto)", "s3", LAKE_SCHEMA],
              // Every sign-in page parsed again, through moto: only for the queries that read the audit pages.
              ...(readsAudits ? [["Trino over JSON in S3 (moto), pushed by push", "s3", RAW_SCHEMA]] : []),
            ]
          ) {
            const got = await runOnTrino(query, params, { url: trino.url, catalog, schema });
            problems.push(...differences(want, got).map((d) => `${label}: ${d}`));
          }
          // Through the Athena client and wire protocol: nested values arrive as Athena's text form, whose leaves
          // are strings, so the reference's nested values are put through the same text form first.
          const athenas = [{ label: "Athena protocol over Trino", client: athenaClient }];
          if (readsAudits) {
            athenas.push({ label: "Athena protocol over Trino over JSON in S3", client: athenaRawClient });
          }
          for (const { label, client } of athenas) {
            const viaAthena = await runOnAthena(query, params, { client, pollMs: 5, maxPollMs: 50 });
            const nested = viaAthena.columns.filter((c) => ["row", "array", "map"].includes(c.type))
              .map((c) => c.name);
            const wantAsText = {
              ...want,
              rows: want.rows.map((r) => ({
                ...r,
                ...Object.fromEntries(
                  nested.map((n) => [n, r[n] === null ? null : parseNested(athenaText(lowerKeys(r[n]), ""))]),
                ),
              })),
            };
            problems.push(...differences(wantAsText, viaAthena).map((d) => `${label}: ${d}`));
          }
          assert.deepEqual(
            problems,
            [],
            `${name} (${want.rows.length} rows on DuckDB):\n${problems.join("\n")}`,
          );
        });
      }
    } finally {
      lake?.close();
      store.close();
      await stopTrino(state).catch((e) => console.error(`stopping Trino: ${e.message}`));
      await moto?.stop();
      await athena?.close();
      await athenaRaw?.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
