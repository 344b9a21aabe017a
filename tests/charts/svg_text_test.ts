/**
 * Label fitting is linear in the label (issue 15 item 8): the old fitWidth() re-measured the whole prefix
 * for every character it dropped, so a 20,000-character value took ~2·10⁸ glyph measurements per label.
 * These tests count measurements (an injected glyph measure), not time.
 */
import assert from "node:assert/strict";
import { fitWidth, glyphEm, textWidth, truncate, wrapText } from "../../lib/charts/svg_text.ts";

function counting() {
  const counter = {
    calls: 0,
    em: (ch: string) => {
      counter.calls++;
      return glyphEm(ch);
    },
  };
  return counter;
}

/** The old algorithm, kept here as the reference for what a fitted label must be. */
function fitWidthReference(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  let n = chars.length;
  while (n > 1 && textWidth(chars.slice(0, n - 1).join("") + "…", fontSize) > maxWidth) n--;
  return chars.slice(0, n - 1).join("").trimEnd() + "…";
}

Deno.test("fitWidth() measures a 20,000-character label a bounded number of times", () => {
  const label = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) ".repeat(500).slice(0, 20_000);
  const c = counting();
  const fitted = fitWidth(label, 220, 12, c.em);
  assert.ok(c.calls > 0, "the measure was used");
  // At most the glyphs that could fit (220 px / (0.32 em × 12 px) ≈ 57), plus the ellipsis: not 20,000².
  assert.ok(c.calls <= 70, `${c.calls} glyph measurements`);
  assert.ok(fitted.endsWith("…"));
  assert.ok(textWidth(fitted, 12) <= 220);
  assert.equal(fitted, fitWidthReference(label.slice(0, 300), 220, 12));
});

Deno.test("fitWidth() gives the same labels as the one-character-at-a-time algorithm", () => {
  const samples = [
    "",
    "a",
    "Windows10",
    "Mmmmmmmmmmmmmmmmmmmmmmmmmmmmmm",
    "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    "Zoë 😀 résumé — Ünïcode label that is long",
    "Edge 120.0.0   trailing   spaces   here",
    "Office 365 Exchange Online",
  ];
  for (const text of samples) {
    for (const width of [1, 5, 20, 60, 98, 150, 220]) {
      for (const size of [11, 12, 13.5]) {
        assert.equal(
          fitWidth(text, width, size),
          fitWidthReference(text, width, size),
          `${text} @ ${width}/${size}`,
        );
      }
    }
  }
});

Deno.test("wrapText() on a 20,000-character caption does work proportional to what it shows", () => {
  const words = Array.from({ length: 4_000 }, (_, i) => `word${i}`).join(" ");
  const c = counting();
  const lines = wrapText(words, 400, 12.5, 3, c.em);
  assert.equal(lines.length, 3);
  assert.ok(lines[2].endsWith("…"));
  assert.ok(c.calls <= 1_000, `${c.calls} glyph measurements`);
  // Unlimited lines: capped input, still linear.
  const all = counting();
  const many = wrapText(words, 400, 12.5, Infinity, all.em);
  assert.ok(many.at(-1)!.endsWith("…"), "a caption cut at the input cap says so");
  assert.ok(all.calls <= 3 * 2_100, `${all.calls} glyph measurements`);
});

Deno.test("truncate() does not spread a huge string to cut it", () => {
  assert.equal(truncate("x".repeat(1_000_000), 5), "xxxx…");
  assert.equal(truncate("short", 5), "short");
  assert.equal(truncate("😀😀😀", 2), "😀…");
});
