import assert from "node:assert/strict";
import {
  buildReport,
  buildTriageSection,
  renderTriageSection,
  TRIAGE_SECTION_ID,
} from "../../lib/report/mod.ts";
import { fixtureRows } from "../fixtures/charts/tenant.ts";
import { investigationStore } from "../investigate/_sample_store.ts";

const { facts: P, run } = await investigationStore();
const FROM = P.window.start;
const TO = P.window.end;
const section = await buildTriageSection(run, { from: FROM, to: TO });

Deno.test("buildTriageSection() ranks the sample's compromised accounts first, the look-alikes below or absent", () => {
  const ranked = section.rows.map((r) => r.user_principal_name);
  const top = ranked.slice(0, P.compromisedAccounts.length);
  assert.deepEqual([...top].sort(), [...P.compromisedAccounts].sort(), ranked.join(", "));
  const lowestCompromised = Math.min(
    ...section.rows.filter((r) => P.compromisedAccounts.includes(r.user_principal_name)).map((r) => r.score),
  );
  for (const upn of P.lookAlikeAccounts) {
    const row = section.rows.find((r) => r.user_principal_name === upn);
    if (row) assert.ok(row.score < lowestCompromised, `${upn} scores ${row.score}`);
  }
});

Deno.test("the triage section links every investigated account to its own section on the page", () => {
  const html = section.html;
  assert.ok(
    html.startsWith(
      `<section class="chart triage" id="${TRIAGE_SECTION_ID}"><h2>Accounts that may be compromised</h2>`,
    ),
  );
  const links = [...html.matchAll(/<a href="#(account-[^"]+)">/g)].map((m) => m[1]);
  const ids = new Set([...html.matchAll(/<section class="chart account" id="([^"]+)"/g)].map((m) => m[1]));
  assert.equal(ids.size, Math.min(10, section.rows.length));
  assert.deepEqual(new Set(links), ids, "each link has its section and each section a link");
  assert.equal(section.charts.length, ids.size);
  assert.deepEqual(section.toc.map((t) => t.id), [TRIAGE_SECTION_ID, ...ids]);
  assert.ok(html.includes("@ip-location-db/asn"), "the ASN dataset is credited");
  assert.ok(!/href="(?!#)/.test(html), "only in-page links");
});

Deno.test("an investigation section tells the spray that worked: timeline, findings, networks, audits", () => {
  const a = P.compromises.sprayWorked;
  const rank = section.rows.findIndex((r) => r.user_principal_name === a.userPrincipalName);
  const start = section.html.indexOf(`<section class="chart account" id="account-${rank + 1}-`);
  const end = section.html.indexOf("</section>", start);
  const mine = section.html.slice(start, end);
  assert.ok(mine.includes("<svg"), "the timeline chart");
  assert.ok(mine.includes("password_success"));
  assert.ok(mine.includes(a.ipAddress));
  assert.ok(mine.includes("AS14061 DigitalOcean, LLC (hosting)"));
  assert.ok(mine.includes("User registered security info"));
  assert.ok(mine.includes("Consent to application"));
  assert.ok(mine.includes("Mail.ReadWrite"));
  assert.ok(mine.includes(`href="#${TRIAGE_SECTION_ID}"`), "a way back to the table");
});

Deno.test("renderTriageSection() says in one line when nothing is suspicious", () => {
  const page = renderTriageSection({ from: FROM, to: TO, minScore: 1, rows: [], investigations: [] });
  assert.match(
    page.html,
    /<strong>No account shows evidence of compromise<\/strong> \(2026-10-02 – 2026-11-01: no account scored 1 or more\)/,
  );
  assert.ok(!page.html.includes("<table"));
  assert.deepEqual(page.toc, [{ id: TRIAGE_SECTION_ID, title: "Accounts that may be compromised" }]);
});

Deno.test("buildReport() opens with the triage section, and a failing triage costs only its section", async () => {
  const rows = fixtureRows();
  const fake = (name: string) => Promise.resolve(rows[name]);
  const ok = await buildReport({
    run: fake,
    tenant: "contoso",
    from: FROM,
    to: TO,
    generatedAt: "2026-11-01T08:00:00Z",
    triage: () => Promise.resolve(section),
  });
  const main = ok.html.slice(ok.html.indexOf("</nav>"));
  assert.ok(main.indexOf(`id="${TRIAGE_SECTION_ID}"`) < main.indexOf('id="failed-map"'), "triage first");
  assert.ok(
    ok.html.includes(`<li><a href="#${TRIAGE_SECTION_ID}">Accounts that may be compromised</a></li>`),
  );
  assert.equal(ok.charts.length, 14 + section.charts.length);
  const failed = await buildReport({
    run: fake,
    tenant: "contoso",
    from: FROM,
    to: TO,
    generatedAt: "2026-11-01T08:00:00Z",
    triage: () => Promise.reject(new Error("Catalog Error: Table with name ip_intel does not exist")),
  });
  assert.deepEqual(failed.errors, [{
    query: "triage",
    message: "Catalog Error: Table with name ip_intel does not exist",
  }]);
  assert.ok(failed.html.includes("Could not build this section: query <code>triage</code> failed"));
  assert.equal(failed.charts.length, 14);
});
