import assert from "node:assert/strict";
import { join } from "node:path";
import { LAKE_FILE, openLakeOnDuckdb, readLakeManifest, writeLake } from "../../lib/lake/mod.ts";
import { listQueries, loadQuery, resolveParams, runOnDuckdb } from "../../lib/query/mod.ts";
import { writeSampleTenant } from "../../lib/sample/mod.ts";
import { loadFiles, openStore, type Store } from "../../lib/store/mod.ts";
import { differences } from "../trino/compare.ts";

async function sampleStore(): Promise<{ store: Store; dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "lens-lake-" });
  try {
    await writeSampleTenant({ out: join(dir, "sample"), users: 25, days: 7, seed: 3 });
    const store = await openStore({ threads: 1 });
    await loadFiles(store, [join(dir, "sample", "signins"), join(dir, "sample", "audits")]);
    return { store, dir };
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) out.push(...(await files(join(dir, e.name))).map((f) => `${e.name}/${f}`));
    else out.push(e.name);
  }
  return out.sort();
}

Deno.test("writeLake() writes one zstd Parquet file per UTC day under signins/dt=…, and lake.json", async () => {
  const { store, dir } = await sampleStore();
  try {
    const lake = join(dir, "lake");
    const r = await writeLake(store.connection, lake);
    const n = Number(
      (await store.connection.runAndReadAll(`SELECT count(*) FROM signins`)).getRowsJS()[0][0],
    );
    assert.equal(r.rows, n);
    const listed = await files(lake);
    const days = listed.filter((f) => f.startsWith("signins/"));
    assert.deepEqual(days, r.days.map((d) => `signins/dt=${d.dt}/${LAKE_FILE}`));
    assert.ok(listed.includes("lake.json") && listed.includes("directory_audits/directory_audits.parquet"));
    const meta = (await store.connection.runAndReadAll(
      `SELECT DISTINCT compression FROM parquet_metadata('${lake}/signins/*/*.parquet')`,
    )).getRowsJS().map((x) => String(x[0]));
    assert.deepEqual(meta, ["ZSTD"]);
    const names = (await store.connection.runAndReadAll(
      `SELECT name FROM parquet_schema('${lake}/signins/dt=${r.days[0].dt}/${LAKE_FILE}')`,
    )).getRowsJS().map((x) => String(x[0]));
    assert.ok(names.includes("countryorregion") && names.includes("created_at"));
    assert.deepEqual(names.filter((x) => x !== x.toLowerCase()), [], "every Parquet name is lower-case");
    assert.ok((await readLakeManifest(lake)).tables.directory_audits.some((c) => c.name === "activity_at"));
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeLake() again replaces each day's file (no temp files, stale Parquet removed); --day rewrites one", async () => {
  const { store, dir } = await sampleStore();
  try {
    const lake = join(dir, "lake");
    const first = await writeLake(store.connection, lake);
    const day = first.days[1].dt;
    await Deno.writeTextFile(join(lake, "signins", `dt=${day}`, "part-old.parquet"), "stale");
    await Deno.writeTextFile(join(lake, "signins", "dt=2001-01-01.keep"), "not ours");
    const again = await writeLake(store.connection, lake, { days: [day] });
    assert.deepEqual(again.days.map((d) => d.dt), [day]);
    const listed = await files(lake);
    assert.ok(!listed.some((f) => f.includes(".tmp-") || f.includes("part-old")), listed.join("\n"));
    assert.ok(listed.includes("signins/dt=2001-01-01.keep"), "files of other days are left alone");
    const whole = await writeLake(store.connection, lake);
    assert.deepEqual(whole.days.map((d) => [d.dt, d.rows]), first.days.map((d) => [d.dt, d.rows]));
    await assert.rejects(
      writeLake(store.connection, lake, { days: ["1999-01-01"] }),
      /no sign-ins on 1999-01-01/,
    );
    await assert.rejects(writeLake(store.connection, lake, { days: ["yesterday"] }), /expected YYYY-MM-DD/);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("every query in queries/ gives the same rows on the store and on DuckDB over its lake", async () => {
  const { store, dir } = await sampleStore();
  const { ensureIpIntel } = await import("../../lib/ipintel/mod.ts");
  await ensureIpIntel(store);
  await writeLake(store.connection, join(dir, "lake"));
  const lake = await openLakeOnDuckdb(join(dir, "lake"));
  try {
    const problems: string[] = [];
    for (const name of await listQueries()) {
      const query = await loadQuery(name);
      const params = resolveParams(query, {});
      const want = await runOnDuckdb(store.connection, query, params);
      const got = await runOnDuckdb(lake.connection, query, params);
      problems.push(...differences(want, got).map((d) => `${name}: ${d}`));
    }
    assert.deepEqual(problems, []);
  } finally {
    lake.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openLakeOnDuckdb() names the folder that is not a lake", async () => {
  await assert.rejects(openLakeOnDuckdb("/nonexistent/lake"), /\/nonexistent\/lake: no such lake/);
});
