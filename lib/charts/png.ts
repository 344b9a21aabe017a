// SVG → PNG with resvg. resvg draws no text at all without fonts, so DejaVu files are passed explicitly
// (from the dejavu-fonts-ttf npm package) and system fonts are never consulted: the PNGs are the same on
// every machine.
import { Resvg } from "@resvg/resvg-js";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Chart } from "./chart.ts";

export interface PngOptions {
  /** Pixel density multiplier (default 2: crisp on high-DPI screens and in slides). */
  scale?: number;
  /** Font files to use instead of the bundled DejaVu fonts; an empty list renders no text. */
  fontFiles?: readonly string[];
}

const FONT_NAMES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];

function fromFileUrlSafe(url: string): string | undefined {
  try {
    return url.startsWith("file:") ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Paths of the DejaVu Sans regular and bold files. Looked up through the import map first (works wherever the
 * project's node_modules is), then ./node_modules, then Debian's fonts-dejavu-core.
 */
export function dejavuFontFiles(): string[] {
  const candidates: string[] = [];
  try {
    const resolved = fromFileUrlSafe(import.meta.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"));
    if (resolved) candidates.push(dirname(resolved));
  } catch {
    // not in the import map: fall through to the other locations
  }
  candidates.push(join(Deno.cwd(), "node_modules", "dejavu-fonts-ttf", "ttf"));
  const libDir = fromFileUrlSafe(new URL("../../node_modules/dejavu-fonts-ttf/ttf", import.meta.url).href);
  if (libDir) candidates.push(libDir);
  candidates.push("/usr/share/fonts/truetype/dejavu");
  for (const dir of candidates) {
    const files = FONT_NAMES.map((f) => join(dir, f));
    if (files.every((f) => existsSync(f))) return files;
  }
  throw new Error(
    `DejaVu fonts not found (looked in ${
      candidates.join(", ")
    }); run \`deno install\` to fetch dejavu-fonts-ttf`,
  );
}

let cachedFonts: string[] | undefined;

/** Renders an SVG string to PNG bytes. */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const fontFiles = options.fontFiles ? [...options.fontFiles] : (cachedFonts ??= dejavuFontFiles());
  const withNs = svg.includes('xmlns="http://www.w3.org/2000/svg"')
    ? svg
    : svg.replace(/^<svg\b/, '<svg xmlns="http://www.w3.org/2000/svg"');
  const resvg = new Resvg(withNs, {
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** A chart (its standalone SVG with title and caption) as PNG bytes. */
export function chartToPng(chart: Chart, options: PngOptions = {}): Uint8Array {
  return svgToPng(chart.svg, options);
}
