import assert from "node:assert/strict";
import { join } from "node:path";
import {
  buildReport,
  EmptyReportError,
  REPORT_FILE,
  REPORT_QUERIES,
  reportQueries,
  writeReport,
} from "../../lib/report/mod.ts";
import { fixtureRows } from "../fixtures/charts/tenant.ts";

const FROM = "2026-10-01T00:00:00Z";
const TO = "2026-10-31T00:00:00Z";
const GENERATED = "2026-11-01T08:00:00Z";

function fakeRunner(rows = fixtureRows(), fail: Record<string, string> = {}) {
  const calls: { name: string; params: unknown }[] = [];
  const run = (name: string, params: { from: string; to: string }) => {
    calls.push({ name, params });
    if (fail[name]) return Promise.reject(new Error(fail[name]));
    if (!(name in rows)) throw new Error(`unknown query ${name}`);
    return Promise.resolve(rows[name]);
  };
  return { run, calls };
}

Deno.test("buildReport() runs every query exactly once with the range as params", async () => {
  const { run, calls } = fakeRunner();
  await buildReport({ run, tenant: "contoso", from: FROM, to: TO, generatedAt: GENERATED });
  assert.deepEqual(calls.map((c) => c.name).sort(), [...REPORT_QUERIES].sort());
  assert.equal(new Set(calls.map((c) => c.name)).size, calls.length);
  for (const c of calls) assert.deepEqual(c.params, { from: FROM, to: TO });
});

Deno.test("buildReport() writes a self-contained page: no scripts, links, images or network URLs", async () => {
  const { run } = fakeRunner();
  const { html, charts, errors } = await buildReport({
    run,
    tenant: "contoso",
    from: FROM,
    to: TO,
    generatedAt: GENERATED,
  });
  assert.deepEqual(errors, []);
  assert.equal(charts.length, 14);
  assert.ok(!/<script|<link|<img|<iframe|@import|url\(http/i.test(html));
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(urls)], ["http://www.w3.org/2000/svg"]);
  assert.ok(!/\ssrc=|href="(?!#)/.test(html), "only in-page anchors may be linked");
  assert.ok(html.startsWith("<!doctype html>"));
  assert.match(html, /<meta charset="utf-8">/);
});

Deno.test("buildReport() header shows tenant, range and totals from the summary query", async () => {
  const rows = fixtureRows();
  const { run } = fakeRunner(rows);
  const { html, summary } = await buildReport({
    run,
    tenant: "contoso.onmicrosoft.com",
    from: FROM,
    to: TO,
    generatedAt: GENERATED,
  });
  const s = rows.summary[0];
  assert.equal(summary.signins, s.signins);
  assert.match(html, /<strong>Tenant:<\/strong> contoso\.onmicrosoft\.com/);
  assert.match(html, /2026-10-01 00:00 UTC – 2026-10-31 00:00 UTC/);
  for (
    const [n, label] of [[s.signins, "sign-ins"], [s.users, "users"], [s.failures, "failures"], [
      s.interrupts,
      "interrupts",
    ], [s.countries, "countries or regions"]] as const
  ) {
    assert.ok(
      html.includes(
        `<span class="n">${Number(n).toLocaleString("en-US")}</span><span class="l">${label}</span>`,
      ),
      label,
    );
  }
  assert.match(html, /Generated 2026-11-01 08:00 UTC/);
});

Deno.test("buildReport() puts every chart with caption and its table in the page, in order", async () => {
  const { run } = fakeRunner();
  const { html, charts } = await buildReport({
    run,
    tenant: "t",
    from: FROM,
    to: TO,
    generatedAt: GENERATED,
  });
  let last = -1;
  for (const chart of charts) {
    const at = html.indexOf(`<section class="chart" id="${chart.id}">`);
    assert.ok(at > last, `${chart.id} missing or out of order`);
    last = at;
    assert.ok(html.includes(chart.bodySvg), `${chart.id} SVG not inlined`);
    if (chart.table) {
      assert.ok(html.includes(`<caption>${chart.table.caption}</caption>`), `${chart.id} table missing`);
    }
  }
  assert.ok(html.includes('<td class="wrap">adele.vance@contoso.com</td>'));
});

Deno.test("buildReport() escapes attacker-controlled text in tables", async () => {
  const rows = fixtureRows();
  rows.failed_by_reason_by_user = [{
    user_principal_name: "<img src=x onerror=alert(1)>",
    result: "failure",
    error_code: 50126,
    failure_reason: "x",
    attempts: 9,
  }];
  const { html } = await buildReport({
    run: fakeRunner(rows).run,
    tenant: "<b>t</b>",
    from: FROM,
    to: TO,
    generatedAt: GENERATED,
  });
  assert.ok(!html.includes("<img"));
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.ok(html.includes("&lt;b&gt;t&lt;/b&gt;"));
});

Deno.test("buildReport() shows a failed query in its section and still builds the rest", async () => {
  const { run } = fakeRunner(fixtureRows(), { failures_by_ip: "Binder Error: column ip_address not found" });
  const { html, charts, errors } = await buildReport({
    run,
    tenant: "t",
    from: FROM,
    to: TO,
    generatedAt: GENERATED,
  });
  assert.deepEqual(errors, [{
    query: "failures_by_ip",
    message: "Binder Error: column ip_address not found",
  }]);
  assert.equal(charts.length, 13);
  assert.match(html, /query <code>failures_by_ip<\/code> failed: Binder Error: column ip_address not found/);
});

Deno.test("buildReport() rejects when the summary query fails, naming it", async () => {
  const { run } = fakeRunner(fixtureRows(), { summary: "database is locked" });
  await assert.rejects(
    buildReport({ run, tenant: "t", from: FROM, to: TO, generatedAt: GENERATED }),
    /query summary failed: database is locked/,
  );
});

const EMPTY: Record<string, never[]> = Object.fromEntries(REPORT_QUERIES.map((q) => [q, []]));

Deno.test("buildReport() refuses an empty range unless allowEmpty, running no section query", async () => {
  const calls: string[] = [];
  await assert.rejects(
    buildReport({
      run: (n) => (calls.push(n), EMPTY[n]),
      tenant: "t",
      from: FROM,
      to: TO,
      generatedAt: GENERATED,
      storeTotals: { signins: 22308, first_seen: "2026-10-02T00:01:00Z", last_seen: "2026-10-30T23:59:00Z" },
    }),
    (e: Error) =>
      e instanceof EmptyReportError && (e as EmptyReportError).exitCode === 1 &&
      /No sign-ins between 2026-10-01 and 2026-10-31 \(exclusive\); the store holds 22,308 sign-ins from 2026-10-02 to 2026-10-30/
        .test(e.message) &&
      /--allow-empty/.test(e.message),
  );
  assert.deepEqual(calls, ["summary"]);
});

Deno.test("buildReport() on an empty store says the store is empty, not that the tenant had no sign-ins", async () => {
  await assert.rejects(
    buildReport({
      run: (n) => EMPTY[n],
      tenant: "unknown tenant",
      from: "1970-01-01T00:00:00Z",
      to: "1970-01-02T00:00:00Z",
      generatedAt: GENERATED,
      storeTotals: { signins: 0, first_seen: null, last_seen: null },
    }),
    /Nothing to report: The store holds no sign-ins at all/,
  );
});

Deno.test("buildReport() with allowEmpty says so in a banner and in every section", async () => {
  const { html, charts, summary } = await buildReport({
    run: (n) => EMPTY[n],
    tenant: "t",
    from: FROM,
    to: TO,
    generatedAt: GENERATED,
    allowEmpty: true,
    storeTotals: { signins: 0, first_seen: null, last_seen: null },
  });
  assert.equal(summary.signins, 0);
  assert.ok(charts.every((c) => c.empty));
  assert.match(html, /No sign-ins in this range\./);
  assert.match(
    html,
    /<div class="empty-banner" role="alert"><strong>This report has no sign-ins\.<\/strong> The store holds/,
  );
  assert.ok(!/<table[ >]/.test(html), "empty charts print no tables");
});

Deno.test("buildReport() runs the hourly variants for a one-day range", async () => {
  const rows = fixtureRows();
  const seen: string[] = [];
  await buildReport({
    run: (n) => (seen.push(n), rows[n] ?? []),
    tenant: "t",
    from: "2026-10-11T00:00:00Z",
    to: "2026-10-12T00:00:00Z",
    generatedAt: GENERATED,
  });
  assert.deepEqual(seen, reportQueries("2026-10-11T00:00:00Z", "2026-10-12T00:00:00Z"));
  assert.ok(seen.includes("failed_per_user_hourly") && seen.includes("ca_result_hourly"));
  assert.ok(!seen.includes("failed_per_user_daily"));
});

Deno.test("writeReport() writes the HTML and, with png, one PNG per chart, leaving no temp files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const report = await buildReport({
      run: fakeRunner().run,
      tenant: "t",
      from: FROM,
      to: TO,
      generatedAt: GENERATED,
    });
    const written = await writeReport(report, join(dir, "reports"), { png: true, scale: 1 });
    assert.equal(written.html, join(dir, "reports", REPORT_FILE));
    assert.equal(await Deno.readTextFile(written.html), report.html);
    assert.equal(written.pngs.length, report.charts.length);
    for (const p of written.pngs) {
      const bytes = await Deno.readFile(p);
      assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47]);
    }
    const names = [...Deno.readDirSync(join(dir, "reports"))].map((e) => e.name);
    assert.ok(names.every((n) => !n.includes(".tmp-")), names.join(","));
    const htmlOnly = await writeReport(report, join(dir, "second"));
    assert.deepEqual(htmlOnly.pngs, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeReport() keeps the previous report when the write fails", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, REPORT_FILE);
    await Deno.writeTextFile(path, "previous");
    // A directory squatting on the temp name makes the write fail before the rename.
    await Deno.mkdir(`${path}.tmp-${Deno.pid}`);
    await assert.rejects(
      writeReport({ html: "new", charts: [] }, dir),
      /Cannot write report .*signins-report\.html/,
    );
    assert.equal(await Deno.readTextFile(path), "previous");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
