// The report as a browser lays it out, at 1400 px (desktop), 390 px (a phone) and printed: nothing sticks out of
// the page (wide charts and tables scroll inside their own box), the contents list doesn't overprint itself, table
// rows stay a sane height, chart text stays legible, and every section starts a new printed page. Screenshots and
// the PDF go to $LAYOUT_SCREENSHOTS when set (look at them after a layout change).
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildReport, writeReport } from "../../lib/report/mod.ts";
import { fixtureRows } from "../fixtures/charts/tenant.ts";
import { Browser, type Page } from "./_chromium.ts";
import { runScript } from "../fakes/run_script.ts";

interface Layout {
  viewport: number;
  scrollWidth: number;
  overflow: string[];
  tocOverlaps: string[];
  maxRowHeight: number;
  tallestRow: string;
  minChartScale: number;
  sections: number;
  breaks: string[];
}

// Runs in the page: every element that reaches past the viewport must sit in a scroll box that itself fits.
const MEASURE = `(() => {
  const vw = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "");
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX;
      if (s === "auto" || s === "scroll" || s === "hidden") return p;
    }
    return null;
  };
  const overflow = [];
  for (const el of document.querySelectorAll("body *")) {
    // A chart is one box: what is inside its outer <svg> is clipped to it.
    if (el.parentElement && el.parentElement.closest("svg")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= vw + 1 && r.left >= -1) continue;
    const box = scroller(el);
    const b = box && box.getBoundingClientRect();
    if (!box || b.right > vw + 1 || b.left < -1) {
      overflow.push(name(el) + " spans " + Math.round(r.left) + "–" + Math.round(r.right) + " of " + vw);
    }
  }
  const lis = [...document.querySelectorAll("nav.toc li")];
  const tocOverlaps = [];
  for (let i = 0; i < lis.length; i++) {
    const a = lis[i].getBoundingClientRect();
    const link = lis[i].querySelector("a");
    if (link && link.getBoundingClientRect().right > a.right + 1) tocOverlaps.push(lis[i].textContent + " runs out of its item");
    for (let j = i + 1; j < lis.length; j++) {
      const b = lis[j].getBoundingClientRect();
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
        tocOverlaps.push(lis[i].textContent + " × " + lis[j].textContent);
      }
    }
  }
  let maxRowHeight = 0, tallestRow = "";
  for (const tr of document.querySelectorAll("tbody tr")) {
    const h = tr.getBoundingClientRect().height;
    if (h > maxRowHeight) { maxRowHeight = h; tallestRow = tr.closest("section").id + ": " + tr.textContent.slice(0, 80); }
  }
  let minChartScale = Infinity;
  for (const svg of document.querySelectorAll(".figure > svg")) {
    const vb = svg.viewBox.baseVal;
    if (vb && vb.width > 0) minChartScale = Math.min(minChartScale, svg.getBoundingClientRect().width / vb.width);
  }
  const breaks = [...document.querySelectorAll("section.chart")].map((s) => s.id + ":" + getComputedStyle(s).breakBefore);
  return { viewport: vw, scrollWidth: document.documentElement.scrollWidth, overflow, tocOverlaps, maxRowHeight,
    tallestRow, minChartScale, sections: document.querySelectorAll("section.chart").length, breaks };
})()`;

async function writeFixtureReport(dir: string): Promise<string> {
  const rows = fixtureRows();
  const report = await buildReport({
    run: (name) => rows[name] ?? [],
    tenant: "contoso.onmicrosoft.com",
    from: "2026-10-01T00:00:00Z",
    to: "2026-10-31T00:00:00Z",
    generatedAt: "2026-11-01T08:00:00Z",
  });
  return (await writeReport(report, dir)).html;
}

async function measure(page: Page): Promise<Layout> {
  return await page.evaluate<Layout>(MEASURE);
}

function pdfPages(pdf: Uint8Array): number {
  const text = new TextDecoder("latin1").decode(pdf);
  return (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

Deno.test({
  name: "the report lays out at 1400 px and 390 px and prints a page per section (headless Chromium)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "signin-lens-layout-" });
    const shots = Deno.env.get("LAYOUT_SCREENSHOTS") ?? dir;
    await Deno.mkdir(shots, { recursive: true });
    const html = await writeFixtureReport(dir);
    const browser = await Browser.launch();
    try {
      const desktop = await browser.open(`file://${html}`, 1400, 900);
      const d = await measure(desktop);
      await Deno.writeFile(join(shots, "report-1400.png"), await desktop.screenshot());
      assert.equal(d.viewport, 1400);
      assert.deepEqual(d.overflow, [], "desktop: something sticks out of the page");
      assert.ok(d.scrollWidth <= d.viewport, `desktop scrolls sideways: ${d.scrollWidth}`);
      assert.deepEqual(d.tocOverlaps, []);
      assert.ok(d.minChartScale >= 0.99, `desktop charts shrunk to ${d.minChartScale}`);
      assert.ok(d.maxRowHeight <= 60, `desktop row ${d.maxRowHeight}px: ${d.tallestRow}`);
      assert.ok(d.sections >= 14);

      const phone = await browser.open(`file://${html}`, 390, 844);
      const p = await measure(phone);
      await Deno.writeFile(join(shots, "report-390.png"), await phone.screenshot());
      assert.equal(p.viewport, 390);
      assert.deepEqual(p.overflow, [], "phone: something sticks out of the page");
      assert.ok(p.scrollWidth <= p.viewport, `phone scrolls sideways: ${p.scrollWidth}`);
      assert.deepEqual(p.tocOverlaps, [], "phone: contents entries overprint");
      // 12 px chart text drawn at ≥ 0.7 scale stays ≥ 8.4 px: legible, and the chart scrolls inside its box.
      assert.ok(p.minChartScale >= 0.7, `phone charts shrunk to ${p.minChartScale.toFixed(2)} (3–4 px text)`);
      assert.ok(p.maxRowHeight <= 80, `phone row ${p.maxRowHeight}px tall: ${p.tallestRow}`);

      await desktop.emulateMedia("print");
      const printed = await measure(desktop);
      assert.ok(printed.breaks.every((b) => b.endsWith(":page")), `no page break before: ${printed.breaks}`);
      const pdf = await desktop.pdf();
      await Deno.writeFile(join(shots, "report.pdf"), pdf);
      const pages = pdfPages(pdf);
      assert.ok(pages >= d.sections + 1, `${pages} printed pages for ${d.sections} sections and the cover`);
      const a4 = await browser.open(`file://${html}`, 794, 1123);
      await a4.emulateMedia("print");
      const paper = await measure(a4);
      assert.deepEqual(paper.overflow, [], "print: something is cut off at the page edge");
      console.log(
        `layout screenshots: ${shots} (report-1400.png, report-390.png, report.pdf, ${pages} pages)`,
      );
    } finally {
      await browser.close();
      if (!Deno.env.get("LAYOUT_SCREENSHOTS")) await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "the sample tenant's report from `deno task report` (triage and investigations included) lays out at 1400 and 390 px",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "signin-lens-layout-sample-" });
    const shots = Deno.env.get("LAYOUT_SCREENSHOTS") ?? dir;
    await Deno.mkdir(shots, { recursive: true });
    const run = await runScript(new URL("../../tasks/report.ts", import.meta.url).pathname, ["--out", dir]);
    assert.equal(run.code, 0, run.stderr);
    const html = join(dir, "signins-report.html");
    const browser = await Browser.launch();
    try {
      for (const width of [1400, 390]) {
        const page = await browser.open(`file://${html}`, width, 900);
        await Deno.writeFile(join(shots, `sample-report-${width}.png`), await page.screenshot());
        const m = await measure(page);
        assert.deepEqual(m.overflow, [], `${width} px: something sticks out of the page`);
        assert.ok(m.scrollWidth <= m.viewport, `${width} px page scrolls sideways: ${m.scrollWidth}`);
        assert.deepEqual(m.tocOverlaps, []);
        assert.ok(m.minChartScale >= (width < 500 ? 0.7 : 0.99), `${width} px: charts at ${m.minChartScale}`);
        // Evidence and audit details are sentences: they wrap, but a row stays a few lines tall.
        assert.ok(m.maxRowHeight <= 120, `${width} px: row ${m.maxRowHeight}px tall: ${m.tallestRow}`);
      }
    } finally {
      await browser.close();
      if (!Deno.env.get("LAYOUT_SCREENSHOTS")) await Deno.remove(dir, { recursive: true });
    }
  },
});
