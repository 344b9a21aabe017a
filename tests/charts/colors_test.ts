// Colours that must be told apart are checked by perceptual distance (CIEDE2000), not by eye.
import assert from "node:assert/strict";
import { deltaE2000Lab } from "../../lib/charts/color_distance.ts";
import * as C from "../../lib/charts/mod.ts";
import { OTHER_COLOR, SERIES_PALETTE } from "../../lib/charts/colors.ts";
import { renderAll } from "./_render_all.ts";

Deno.test("deltaE2000Lab() matches Sharma, Wu and Dalal's published test pairs", () => {
  const pairs: [[number, number, number], [number, number, number], number][] = [
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, -1.3802, -84.2814], [50, 0, -82.7485], 1.0],
    [[50, 2.5, 0], [50, 0, -2.5], 4.3065],
    [[50, 2.5, 0], [73, 25, -18], 27.1492],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    [[22.7233, 20.0904, -46.694], [23.0331, 14.973, -42.5619], 2.0373],
    [[90.8027, -2.0831, 1.441], [91.1528, -1.6435, 0.0447], 1.4441],
  ];
  for (const [a, b, expected] of pairs) {
    assert.ok(Math.abs(deltaE2000Lab(a, b) - expected) < 1e-3, `${a} vs ${b}: ${deltaE2000Lab(a, b)}`);
  }
});

Deno.test("the categorical palette has 12 colours, every pair ΔE₀₀ > 20, each > 20 from the 'other' gray", () => {
  const p = C.CATEGORY_PALETTE;
  assert.equal(p.length, 12);
  for (let i = 0; i < p.length; i++) {
    assert.ok(C.deltaE2000(p[i], OTHER_COLOR) > 20, `${p[i]} too close to gray`);
    for (let j = i + 1; j < p.length; j++) {
      assert.ok(C.deltaE2000(p[i], p[j]) > 20, `${p[i]} vs ${p[j]}: ${C.deltaE2000(p[i], p[j]).toFixed(1)}`);
    }
  }
  assert.ok(SERIES_PALETTE.length >= 10);
});

Deno.test("failure and interrupt differ in hue (ΔE₀₀ > 40); every result pair > 20", () => {
  const { success, failure, interrupt } = C.RESULT_COLORS;
  assert.ok(
    C.deltaE2000(failure, interrupt) > 40,
    `failure vs interrupt ${C.deltaE2000(failure, interrupt)}`,
  );
  assert.ok(C.deltaE2000(success, failure) > 20);
  assert.ok(C.deltaE2000(success, interrupt) > 20);
});

Deno.test("reasonColors() gives the codes of one chart distinct colours, common codes their fixed one", () => {
  const codes = [
    "50126",
    "53003",
    "50057",
    "500121",
    "50053",
    "90072",
    "7000215",
    "50074",
    "50140",
    "1",
    "2",
    "3",
  ];
  const colors = C.reasonColors(codes);
  assert.equal(new Set(colors.values()).size, 12);
  assert.equal(colors.get("50126"), C.reasonColor("50126"));
  // An unknown code never takes a colour a common code in the same chart already has.
  assert.notEqual(C.reasonColors(["99999", "50126"]).get("99999"), C.reasonColor("50126"));
});

Deno.test("in every chart, legend entries drawn side by side are ΔE₀₀ > 15 apart", () => {
  let checked = 0;
  for (const chart of renderAll()) {
    const fills = [
      ...chart.svg.matchAll(
        /<(?:rect|circle) x?[^>]*?fill="(#[0-9A-Fa-f]{6})"[^>]*\/?>(?:<text[^>]*>([^<]*)<\/text>)/g,
      ),
    ]
      .map((m) => ({ color: m[1].toUpperCase(), label: m[2] }));
    const legend = [...new Map(fills.map((f) => [f.label, f.color])).entries()];
    checked += legend.length;
    for (let i = 0; i < legend.length; i++) {
      for (let j = i + 1; j < legend.length; j++) {
        const d = C.deltaE2000(legend[i][1], legend[j][1]);
        assert.ok(
          d > 15,
          `${chart.id}: "${legend[i][0]}" ${legend[i][1]} vs "${legend[j][0]}" ${legend[j][1]}: ${d}`,
        );
      }
    }
  }
  assert.ok(checked >= 25, `only ${checked} legend entries found: the legend markup changed`);
});

Deno.test("operating systems get distinct colours (no three Windows blues)", () => {
  const oses = ["Windows 11", "Windows 10", "Windows", "MacOs", "Ios", "Android", "Linux", "ChromeOS"];
  const colors = oses.map(C.osColor);
  for (let i = 0; i < colors.length; i++) {
    for (let j = i + 1; j < colors.length; j++) {
      assert.ok(C.deltaE2000(colors[i], colors[j]) > 20, `${oses[i]} vs ${oses[j]}`);
    }
  }
});

Deno.test("osColors() never gives two stacked series one colour, even two spellings of one family", () => {
  const oses = ["Windows 10", "Windows 10.0.19045", "Ios", "iOS 17", "FreeBSD", "OpenBSD", "Android"];
  const colors = C.osColors(oses);
  assert.equal(new Set(colors.values()).size, oses.length);
  assert.equal(colors.get("Windows 10"), C.osColor("Windows 10"));
});

Deno.test("Conditional Access statuses stacked in one bar are ΔE₀₀ > 15 apart", () => {
  const statuses = [
    "success",
    "failure",
    "notApplied",
    "reportOnlySuccess",
    "reportOnlyFailure",
    "reportOnlyNotApplied",
    "reportOnlyInterrupted",
    "unknownFutureValue",
  ];
  for (let i = 0; i < statuses.length; i++) {
    for (let j = i + 1; j < statuses.length; j++) {
      const d = C.deltaE2000(C.caStatusColor(statuses[i]), C.caStatusColor(statuses[j]));
      assert.ok(d > 15, `${statuses[i]} vs ${statuses[j]}: ${d.toFixed(1)}`);
    }
  }
});
