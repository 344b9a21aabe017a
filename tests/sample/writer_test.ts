import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkSampleTenant,
  denoFs,
  ensureSampleTenant,
  type FsEffects,
  generateDirectoryAudits,
  generateSignIns,
  GENERATOR_VERSION,
  MAX_PAGE_SIZE,
  readSampleManifest,
  SampleOptionError,
  SIGNINS_CONTEXT,
  writeSampleTenant,
} from "../../lib/sample/mod.ts";

const SMALL = { users: 25, days: 7, seed: 1, pageSize: 150 };

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sample-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function files(root: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const walk = async (dir: string, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) await walk(p, join(rel, e.name));
      else out.set(join(rel, e.name), await Deno.readFile(p));
    }
  };
  await walk(root, "");
  return out;
}

interface GraphPage {
  "@odata.context": string;
  "@odata.nextLink"?: string;
  value: { createdDateTime?: string; activityDateTime?: string; id: string }[];
}

Deno.test("writeSampleTenant() writes Graph pages: one UTC day per folder, ≤ pageSize, nextLink on all but the last", async () => {
  await withTemp(async (dir) => {
    const m = await writeSampleTenant({ out: dir, ...SMALL });
    const all = generateSignIns(SMALL);
    assert.equal(m.totals.signIns, all.length);
    const days = (await Array.fromAsync(Deno.readDir(join(dir, "signins")))).map((e) => e.name).sort();
    assert.equal(days.length, 7);
    assert.deepEqual(days, Object.keys(m.signins).map((d) => `dt=${d}`).sort());
    const seen: string[] = [];
    for (const day of days.slice().reverse()) {
      const date = day.slice(3);
      const pages = (await Array.fromAsync(Deno.readDir(join(dir, "signins", day)))).map((e) => e.name)
        .sort();
      assert.equal(pages.length, m.signins[date].pages);
      assert.equal(pages.length, Math.ceil(m.signins[date].records / SMALL.pageSize));
      for (const [i, name] of pages.entries()) {
        assert.equal(name, `page-${String(i + 1).padStart(5, "0")}.json`);
        const text = await Deno.readTextFile(join(dir, "signins", day, name));
        assert.ok(!text.includes("\n"), "one line of compact JSON");
        const page: GraphPage = JSON.parse(text);
        assert.equal(JSON.stringify(page), text);
        assert.equal(page["@odata.context"], SIGNINS_CONTEXT);
        assert.equal(page["@odata.context"], "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns");
        assert.ok(page.value.length >= 1 && page.value.length <= SMALL.pageSize);
        const last = i === pages.length - 1;
        if (last) assert.equal(page["@odata.nextLink"], undefined);
        else {
          assert.equal(page.value.length, SMALL.pageSize);
          const link = new URL(page["@odata.nextLink"]!);
          assert.equal(link.origin + link.pathname, "https://graph.microsoft.com/beta/auditLogs/signIns");
          assert.match(link.searchParams.get("$skiptoken")!, /^[0-9a-f]{32}_\d+$/);
          assert.equal(link.searchParams.get("$top"), String(SMALL.pageSize));
          assert.match(link.searchParams.get("$filter")!, new RegExp(`createdDateTime ge ${date}T00:00:00Z`));
        }
        for (const r of page.value) {
          assert.equal(r.createdDateTime!.slice(0, 10), date);
          seen.push(r.id);
        }
      }
    }
    assert.ok(Object.values(m.signins).some((d) => d.pages >= 3), "weekdays span several pages");
    // Reading days newest first and pages in order gives the generator's order.
    assert.deepEqual(seen, all.map((s) => s.id));
    const audits = generateDirectoryAudits(SMALL);
    assert.equal(m.totals.audits, audits.length);
    const auditDay = Object.keys(m.audits)[0];
    const auditPage = JSON.parse(
      await Deno.readTextFile(join(dir, "audits", `dt=${auditDay}`, "page-00001.json")),
    ) as GraphPage;
    assert.equal(
      auditPage["@odata.context"],
      "https://graph.microsoft.com/beta/$metadata#auditLogs/directoryAudits",
    );
    assert.ok(auditPage.value.every((a) => a.activityDateTime!.startsWith(auditDay)));
  });
});

Deno.test("writeSampleTenant() uses at most 999 records per page by default", async () => {
  await withTemp(async (dir) => {
    const m = await writeSampleTenant({ out: dir, users: 80, days: 7, seed: 1 });
    const busiest = Object.entries(m.signins).sort((a, b) => b[1].records - a[1].records)[0];
    assert.ok(busiest[1].records > MAX_PAGE_SIZE, "a weekday of 80 users exceeds one page");
    const first = JSON.parse(
      await Deno.readTextFile(join(dir, "signins", `dt=${busiest[0]}`, "page-00001.json")),
    );
    assert.equal(first.value.length, 999);
    assert.ok(first["@odata.nextLink"].includes("$top=999"));
    assert.equal(busiest[1].pages, Math.ceil(busiest[1].records / 999));
  });
});

Deno.test("writeSampleTenant() output is byte-identical for a seed and differs for another seed", async () => {
  await withTemp(async (dir) => {
    const a = join(dir, "a"), b = join(dir, "b"), c = join(dir, "c");
    await writeSampleTenant({ out: a, ...SMALL });
    await writeSampleTenant({ out: b, ...SMALL });
    await writeSampleTenant({ out: c, ...SMALL, seed: 2 });
    const fa = await files(a), fb = await files(b), fc = await files(c);
    assert.deepEqual([...fa.keys()].sort(), [...fb.keys()].sort());
    for (const [name, bytes] of fa) assert.deepEqual(fb.get(name), bytes, name);
    const page = "signins/dt=2026-10-27/page-00001.json";
    assert.ok(fa.has(page));
    assert.notDeepEqual(fc.get(page), fa.get(page));
  });
});

Deno.test("writeSampleTenant() replaces an earlier sample completely and leaves no staging folders", async () => {
  await withTemp(async (dir) => {
    await writeSampleTenant({ out: dir, users: 25, days: 10, seed: 1 });
    const m = await writeSampleTenant({ out: dir, ...SMALL });
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
    assert.deepEqual(names, ["audits", "manifest.json", "signins"]);
    assert.equal((await Array.fromAsync(Deno.readDir(join(dir, "signins")))).length, 7);
    assert.equal(m.params.days, 7);
    assert.ok((await checkSampleTenant(dir, SMALL)).complete);
  });
});

Deno.test("writeSampleTenant() records parameters and per-day counts in manifest.json", async () => {
  await withTemp(async (dir) => {
    const m = await writeSampleTenant({ out: dir, ...SMALL });
    const onDisk = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
    assert.deepEqual(onDisk, m);
    assert.deepEqual(m.params, { users: 25, days: 7, seed: 1, end: "2026-11-01T00:00:00Z", pageSize: 150 });
    assert.deepEqual(m.window, { start: "2026-10-25T00:00:00Z", end: "2026-11-01T00:00:00Z" });
    const sum = Object.values(m.signins).reduce((n, d) => n + d.records, 0);
    assert.equal(sum, m.totals.signIns);
    assert.equal(Object.keys(m.signins)[0], "2026-10-31", "days listed newest first");
  });
});

Deno.test("checkSampleTenant() detects a missing manifest, page, truncated page, extra day or other parameters", async () => {
  await withTemp(async (dir) => {
    await writeSampleTenant({ out: dir, ...SMALL });
    assert.ok((await checkSampleTenant(dir, SMALL)).complete);
    const page = join(dir, "signins", "dt=2026-10-28", "page-00002.json");
    const text = await Deno.readTextFile(page);

    const other = await checkSampleTenant(dir, { ...SMALL, seed: 9 });
    assert.ok(!other.complete && /different parameters/.test(other.reason));

    await Deno.writeTextFile(page, text.slice(0, 1000));
    const truncated = await checkSampleTenant(dir, SMALL);
    assert.ok(!truncated.complete && /dt=2026-10-28 has \d+ bytes/.test(truncated.reason));

    await Deno.remove(page);
    const missing = await checkSampleTenant(dir, SMALL);
    assert.ok(!missing.complete && missing.reason.endsWith("page-00002.json is missing"));
    await Deno.writeTextFile(page, text);

    await Deno.mkdir(join(dir, "signins", "dt=2026-09-01"));
    const extra = await checkSampleTenant(dir, SMALL);
    assert.ok(!extra.complete && /exactly the days/.test(extra.reason));
    await Deno.remove(join(dir, "signins", "dt=2026-09-01"));

    const manifestText = await Deno.readTextFile(join(dir, "manifest.json"));
    const old = JSON.parse(manifestText);
    old.generatorVersion = GENERATOR_VERSION - 1;
    await Deno.writeTextFile(join(dir, "manifest.json"), JSON.stringify(old));
    const stale = await checkSampleTenant(dir, SMALL);
    assert.ok(!stale.complete && /written by generator version/.test(stale.reason));

    await Deno.writeTextFile(join(dir, "manifest.json"), "{not json");
    const bad = await checkSampleTenant(dir, SMALL);
    assert.ok(!bad.complete && /not valid JSON/.test(bad.reason));
    await Deno.remove(join(dir, "manifest.json"));
    const none = await checkSampleTenant(dir, SMALL);
    assert.ok(!none.complete && /manifest.json is missing/.test(none.reason));
    assert.equal(await readSampleManifest(dir), null);
  });
});

Deno.test("writeSampleTenant() interrupted half-way leaves no manifest, and ensureSampleTenant() rebuilds", async () => {
  await withTemp(async (dir) => {
    await writeSampleTenant({ out: dir, ...SMALL });
    let writes = 0;
    const crashing: FsEffects = {
      ...denoFs,
      writeFile: async (p, d) => {
        if (++writes === 5) throw new Error("Disk full (simulated)");
        await denoFs.writeFile(p, d);
      },
    };
    await assert.rejects(() => writeSampleTenant({ out: dir, ...SMALL }, crashing), /Disk full/);
    const check = await checkSampleTenant(dir, SMALL);
    assert.ok(!check.complete);
    assert.match(check.reason, /manifest.json is missing/);
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.ok(!names.some((n) => n.startsWith(".staging")), "staging folder cleaned up");

    const m = await ensureSampleTenant(dir, SMALL);
    assert.ok((await checkSampleTenant(dir, SMALL)).complete);
    assert.equal(m.totals.signIns, generateSignIns(SMALL).length);
  });
});

Deno.test("ensureSampleTenant() builds once, reuses a complete sample, and serializes concurrent callers", async () => {
  await withTemp(async (dir) => {
    const target = join(dir, "sample");
    let writes = 0;
    const counting: FsEffects = {
      ...denoFs,
      writeFile: (p, d) => {
        writes++;
        return denoFs.writeFile(p, d);
      },
    };
    const [a, b] = await Promise.all([
      ensureSampleTenant(target, SMALL, counting),
      ensureSampleTenant(target, SMALL, counting),
    ]);
    assert.deepEqual(a, b);
    const once = writes;
    assert.equal(once, a.totals.pages + 1, "pages plus the manifest, written once");
    const again = await ensureSampleTenant(target, SMALL, counting);
    assert.deepEqual(again, a);
    assert.equal(writes, once, "a complete sample is not rewritten");
    const rebuilt = await ensureSampleTenant(target, { ...SMALL, seed: 2 }, counting);
    assert.equal(rebuilt.params.seed, 2);
    assert.ok(writes > once);
    assert.ok(!(await Array.fromAsync(Deno.readDir(target))).some((e) => e.name === ".lock"));
  });
});

Deno.test("writeSampleTenant() rejects a page size above Graph's 999", async () => {
  await withTemp(async (dir) => {
    await assert.rejects(
      () => writeSampleTenant({ out: dir, ...SMALL, pageSize: 1000 }),
      (e) => e instanceof SampleOptionError && e.option === "pageSize",
    );
  });
});
