// Every notebook in notebooks/ runs start to finish in a real Deno kernel: on a freshly built sample tenant
// (02, 03), without credentials (01), and pulling from the fake Graph (01). The assertions read the executed
// outputs: no errors, charts are SVG, tables have the sample tenant's row counts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ensureSampleTenant, loadFiles, openStore, plantedPatterns, runQuery } from "../../lib/mod.ts";
// lib/notebook has no mod.ts yet; execute.ts is its public entry point.
import { type CellResult, executeNotebook } from "../../lib/notebook/execute.ts";
import { sampleRecords, startFakeGraph } from "../fakes/graph_server.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const NOTEBOOKS = join(ROOT, "notebooks");
const TIMEOUT = { timeoutMs: 180_000 };

type Output = CellResult["outputs"][number];
const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
const data = (o: Output): Record<string, unknown> => ((o as { data?: Record<string, unknown> }).data ?? {});

/** A cell's rich outputs by MIME type, and its stdout. */
function outputsOf(cell: CellResult) {
  const html = cell.outputs.map((o) => text(data(o)["text/html"])).join("");
  const plain = cell.outputs.map((o) => text(data(o)["text/plain"])).join("");
  const markdown = cell.outputs.map((o) => text(data(o)["text/markdown"])).join("");
  const stdout = cell.outputs.map((o) => text((o as { text?: unknown }).text)).join("");
  const table = cell.outputs.map((o) => data(o)["application/vnd.dataresource+json"]).find((t) => t) as
    | { schema: { fields: { name: string }[] }; data: Record<string, unknown>[] }
    | undefined;
  return { html, plain, markdown, stdout, table };
}

function codeOf(nb: { cells: { source: unknown }[] }, cell: CellResult): string {
  return text(nb.cells[cell.index].source);
}

function noErrors(cells: CellResult[]): void {
  for (const c of cells) {
    assert.equal(c.error, undefined, `cell ${c.index}: ${c.error?.ename}: ${c.error?.evalue}`);
    assert.ok(c.outputs.every((o) => o.output_type !== "error"), `cell ${c.index} has an error output`);
  }
}

/** A fresh sample tenant in a temp store file (never the project's data/), with the queries' own answers. */
async function sampleDb(): Promise<
  { db: string; rows: (name: string) => Promise<number>; cleanup(): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-nb-" });
  await ensureSampleTenant(join(dir, "sample"));
  const db = join(dir, "signins.duckdb");
  const store = await openStore({ path: db });
  // The audits too: the triage and the investigation (03, 05) read them.
  await loadFiles(store, [join(dir, "sample", "signins"), join(dir, "sample", "audits")]);
  const counts = new Map<string, number>();
  for (
    const q of [
      "signins_flat",
      "password_spray",
      "brute_force",
      "new_country_signins",
      "impossible_travel",
      "legacy_auth_attempts",
      "mfa_fatigue",
    ]
  ) counts.set(q, (await runQuery(store, q)).rows.length);
  store.close();
  return {
    db,
    rows: (name) => Promise.resolve(counts.get(name)!),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

const sample = await sampleDb();
globalThis.addEventListener("unload", () => Deno.removeSync(join(sample.db, ".."), { recursive: true }));

const OURS = [
  "01_pull_signins.ipynb",
  "02_failed_logins.ipynb",
  "03_detections.ipynb",
  "05_investigate_account.ipynb",
];

Deno.test("every notebook in notebooks/ is an nbformat 4 notebook for the Deno TypeScript kernel", async () => {
  const names = [...Deno.readDirSync(NOTEBOOKS)].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
    .sort();
  for (const name of OURS) assert.ok(names.includes(name), `notebooks/${name} is missing`);
  for (const name of names) {
    const nb = JSON.parse(await Deno.readTextFile(join(NOTEBOOKS, name)));
    assert.equal(nb.nbformat, 4, name);
    assert.equal(nb.metadata.kernelspec.name, "deno", name);
    assert.equal(nb.metadata.kernelspec.language, "typescript", name);
    assert.ok(nb.cells.some((c: { cell_type: string }) => c.cell_type === "markdown"), name);
  }
});

Deno.test("the analysts' notebooks keep code cells thin: parameters first, no SQL, no loops", async () => {
  for (const name of OURS) {
    const nb = JSON.parse(await Deno.readTextFile(join(NOTEBOOKS, name)));
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
    assert.ok(
      code[0].metadata.tags.includes("parameters"),
      `${name}: the first code cell holds the parameters`,
    );
    for (const c of code) {
      const src = text(c.source);
      assert.ok(!/\b(SELECT|FROM signins|GROUP BY)\b/.test(src), `${name}: SQL belongs in queries/: ${src}`);
      assert.ok(!/\bfetch\(|\bfor\s*\(|\bwhile\s*\(/.test(src), `${name}: loops belong in lib/: ${src}`);
      assert.ok(src.split("\n").length <= 16, `${name}: a cell of ${src.split("\n").length} lines`);
    }
  }
});

Deno.test("02_failed_logins runs on the sample tenant: the flat table and four SVG charts", async () => {
  const r = await executeNotebook(join(NOTEBOOKS, "02_failed_logins.ipynb"), {
    ...TIMEOUT,
    cwd: NOTEBOOKS,
    env: { SIGNIN_LENS_DB: sample.db },
  });
  noErrors(r.cells);
  const flat = r.cells.find((c) => codeOf(r.notebook, c).includes('"signins_flat"'))!;
  const out = outputsOf(flat);
  assert.equal(out.stdout.trim().split(" ")[0], String(await sample.rows("signins_flat")));
  assert.match(out.stdout, /× 45 columns/);
  assert.equal(out.table?.data.length, 8);
  assert.ok(out.table?.schema.fields.some((f) => f.name === "userprincipalname"));
  const charts = r.cells.filter((c) =>
    /failedSignInsMap|failuresPerUserOverTime|failureReasonsByUser|successByUserByOs/
      .test(codeOf(r.notebook, c)) && !codeOf(r.notebook, c).startsWith("import")
  );
  assert.equal(charts.length, 4);
  for (const c of charts) {
    const { html } = outputsOf(c);
    assert.match(html, /<svg[\s\S]*<\/svg>/, `cell ${c.index} shows an SVG chart`);
  }
  // Every chart cell sits right before its one markdown interpretation.
  for (const c of charts) assert.equal(r.notebook.cells[c.index + 1].cell_type, "markdown");
});

Deno.test("03_detections runs on the sample tenant: each detection's table has the query's row count", async () => {
  const r = await executeNotebook(join(NOTEBOOKS, "03_detections.ipynb"), {
    ...TIMEOUT,
    cwd: NOTEBOOKS,
    env: { SIGNIN_LENS_DB: sample.db },
  });
  noErrors(r.cells);
  const expected: Record<string, number> = {};
  for (
    const q of [
      "password_spray",
      "brute_force",
      "new_country_signins",
      "impossible_travel",
      "legacy_auth_attempts",
      "mfa_fatigue",
    ]
  ) expected[q] = await sample.rows(q);
  // The planted patterns' counts (tests/detections explains each).
  assert.equal(expected.password_spray, 3);
  assert.equal(expected.brute_force, 1);
  assert.equal(expected.mfa_fatigue, 1);
  for (const [q, n] of Object.entries(expected)) {
    const cell = r.cells.find((c) => codeOf(r.notebook, c).includes(`"${q}"`));
    assert.ok(cell, `a cell runs ${q}`);
    const { table, html } = outputsOf(cell);
    assert.equal(table?.data.length, n, `${q} table rows`);
    assert.match(html, /<table/, `${q} displays as an HTML table`);
    assert.equal(r.notebook.cells[cell.index + 1].cell_type, "markdown", `${q} is explained`);
    assert.equal(r.notebook.cells[cell.index - 1].cell_type, "markdown", `${q} is introduced`);
  }
});

Deno.test("03_detections ends with the triage table, the spray burst and the top account's timeline", async () => {
  const r = await executeNotebook(join(NOTEBOOKS, "03_detections.ipynb"), {
    ...TIMEOUT,
    cwd: NOTEBOOKS,
    env: { SIGNIN_LENS_DB: sample.db },
  });
  noErrors(r.cells);
  const P = plantedPatterns();
  const triage = r.cells.find((c) => codeOf(r.notebook, c).includes("triageView("))!;
  const { html, plain } = outputsOf(triage);
  assert.match(html, /<table/);
  // The five compromised accounts head the table.
  const ranked = [...html.matchAll(/<td class="wrap">([^<]+(?:<wbr>[^<]+)*)<\/td><td class="num">/g)]
    .map((m) => m[1].replaceAll("<wbr>", ""));
  assert.deepEqual(ranked.slice(0, 5).sort(), [...P.compromisedAccounts].sort(), plain);
  for (const call of ["failuresPerUserOverTime(", "accountTimeline("]) {
    const cell = r.cells.find((c) => codeOf(r.notebook, c).includes(call))!;
    assert.match(outputsOf(cell).html, /<svg[\s\S]*<\/svg>/, `${call} shows a chart`);
    assert.equal(r.notebook.cells[cell.index + 1].cell_type, "markdown", `${call} is explained`);
  }
});

Deno.test("05_investigate_account tells the planted spray victim's story: findings, timeline, audits", async () => {
  const P = plantedPatterns();
  const a = P.compromises.sprayWorked;
  const r = await executeNotebook(join(NOTEBOOKS, "05_investigate_account.ipynb"), {
    ...TIMEOUT,
    cwd: NOTEBOOKS,
    env: { SIGNIN_LENS_DB: sample.db, SIGNIN_LENS_UPN: a.userPrincipalName },
  });
  noErrors(r.cells);
  const all = r.cells.map((c) => outputsOf(c).html).join("");
  assert.match(all, /<svg[\s\S]*Sign-ins of /);
  assert.ok(all.includes("password_success"));
  assert.ok(all.includes(a.ipAddress));
  for (const e of a.audits) assert.ok(all.includes(e.activityDisplayName), e.activityDisplayName);
  // Another account by parameter: a look-alike with nothing to show says so.
  const quiet = await executeNotebook(join(NOTEBOOKS, "05_investigate_account.ipynb"), {
    ...TIMEOUT,
    cwd: NOTEBOOKS,
    env: { SIGNIN_LENS_DB: sample.db, SIGNIN_LENS_UPN: P.lookAlikes.newPasswordTypos.userPrincipalName },
  });
  noErrors(quiet.cells);
  const text = quiet.cells.map((c) => outputsOf(c).html).join("");
  assert.ok(text.includes(", 0 suspicious."), "the typist's investigation finds nothing suspicious");
  assert.ok(text.includes("Change password (self-service)"), "but lists what the account did");
});

Deno.test("01_pull_signins without credentials explains what to set and shows the sample tenant", async () => {
  const r = await executeNotebook(join(NOTEBOOKS, "01_pull_signins.ipynb"), {
    ...TIMEOUT,
    cwd: NOTEBOOKS,
    env: {
      SIGNIN_LENS_ENV_FILE: "/nonexistent/.env",
      AZURE_TENANT_ID: "",
      AZURE_CLIENT_ID: "",
      AZURE_CLIENT_SECRET: "",
      AZURE_CLIENT_CERTIFICATE_PATH: "",
    },
  });
  noErrors(r.cells);
  const all = r.cells.map(outputsOf);
  const md = all.map((o) => o.markdown).join("");
  for (const v of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) {
    assert.match(md, new RegExp(v));
  }
  assert.ok(all.some((o) => o.plain.includes("Skipped: no credentials")));
  const days = all.at(-1)!.table!;
  assert.equal(days.data.length, 30, "the sample tenant's 30 days");
  assert.deepEqual(days.schema.fields.map((f) => f.name), ["day", "records", "pages", "bytes"]);
});

Deno.test("01_pull_signins pulls from Graph, loads the store and shows the days that landed", async () => {
  const { signIns } = sampleRecords({ users: 30, days: 7, seed: 3, end: "2026-11-01T00:00:00Z" });
  const fake = await startFakeGraph({ signIns });
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-nb-pull-" });
  try {
    const r = await executeNotebook(join(NOTEBOOKS, "01_pull_signins.ipynb"), {
      ...TIMEOUT,
      cwd: NOTEBOOKS,
      env: {
        ...fake.env,
        SIGNIN_LENS_ENV_FILE: "/nonexistent/.env",
        SIGNIN_LENS_RAW: join(dir, "raw"),
        SIGNIN_LENS_DB: join(dir, "signins.duckdb"),
        SIGNIN_LENS_DAYS: "2",
        SIGNIN_LENS_TO: "2026-11-01T00:00:00Z",
      },
    });
    noErrors(r.cells);
    const all = r.cells.map(outputsOf);
    const plain = all.map((o) => o.plain).join("\n");
    assert.match(plain, new RegExp(`tenant ${fake.tenantId}`));
    assert.ok(!JSON.stringify(r.notebook).includes(fake.clientSecret), "the secret is in no output");
    const records = Number(/records: (\d+)/.exec(plain)?.[1]);
    assert.ok(records > 0, plain);
    const days = all.at(-1)!.table!;
    assert.deepEqual(days.data.map((d) => String(d.day).slice(0, 10)), ["2026-10-30", "2026-10-31"]);
    const stored = days.data.reduce((n, d) => n + Number(d.signins), 0);
    assert.ok(stored > 0 && stored <= records, `${stored} stored of ${records} pulled`);
    // The raw pages are Graph's, under the documented layout.
    const dt = [...Deno.readDirSync(join(dir, "raw", "signins"))].map((e) => e.name).sort();
    assert.deepEqual(dt, ["dt=2026-10-30", "dt=2026-10-31"]);
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
