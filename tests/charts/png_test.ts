import assert from "node:assert/strict";
import { Resvg } from "@resvg/resvg-js";
import { Chart, chartToPng, dejavuFontFiles, svgToPng } from "../../lib/charts/mod.ts";
import { renderAll } from "./_render_all.ts";

/** Decodes a PNG through resvg's own renderer so the test needs no image library: count dark pixels instead. */
function darkPixels(
  svg: string,
  fontFiles: string[],
  box?: { x: number; y: number; w: number; h: number },
): number {
  const resvg = new Resvg(svg, {
    background: "white",
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: "DejaVu Sans" },
  });
  const image = resvg.render();
  const { width, pixels } = image;
  let dark = 0;
  const x0 = box?.x ?? 0, y0 = box?.y ?? 0;
  const x1 = box ? box.x + box.w : width, y1 = box ? box.y + box.h : image.height;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * width + x) * 4;
      if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 3 * 110) dark++;
    }
  }
  return dark;
}

Deno.test("dejavuFontFiles() finds the regular and bold DejaVu Sans files", () => {
  const files = dejavuFontFiles();
  assert.equal(files.length, 2);
  assert.match(files[0], /DejaVuSans\.ttf$/);
  assert.match(files[1], /DejaVuSans-Bold\.ttf$/);
  for (const f of files) assert.ok(Deno.statSync(f).size > 100_000, `${f} looks truncated`);
});

Deno.test("chartToPng() returns a PNG of the chart's size times the scale", () => {
  const chart = renderAll()[0];
  const png = chartToPng(chart, { scale: 1.5 });
  assert.deepEqual([...png.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset);
  assert.equal(view.getUint32(16), Math.round(chart.width * 1.5));
  assert.equal(view.getUint32(20), Math.round(chart.height * 1.5));
});

Deno.test("chartToPng() draws the title text: the title strip has dark pixels only with fonts", () => {
  for (const chart of renderAll()) {
    const titleStrip = { x: 16, y: 6, w: 300, h: 18 };
    const withFonts = darkPixels(chart.svg, dejavuFontFiles(), titleStrip);
    const withoutFonts = darkPixels(chart.svg, [], titleStrip);
    assert.equal(withoutFonts, 0, `${chart.id}: something dark in the title strip without fonts`);
    assert.ok(withFonts > 200, `${chart.id}: title not drawn (${withFonts} dark pixels)`);
  }
});

Deno.test("svgToPng() adds the SVG namespace when it is missing", () => {
  const bare = '<svg width="40" height="20"><rect width="40" height="20" fill="black"/></svg>';
  const png = svgToPng(bare, { scale: 1 });
  assert.ok(png.length > 50);
});

Deno.test("svgToPng() renders the same bytes twice (deterministic PNGs)", () => {
  const chart: Chart = renderAll()[2];
  assert.deepEqual(svgToPng(chart.svg, { scale: 1 }), svgToPng(chart.svg, { scale: 1 }));
});
