// Server-side Observable Plot: a linkedom document stands in for the browser DOM, so the same code runs in
// tasks, tests and the Jupyter kernel.
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { PlotPart } from "./chart.ts";
import { FONT_FAMILY, TEXT_COLOR } from "./chart.ts";

/** The little of the DOM that is read back from Plot's output (Deno's type library has no DOM). */
interface SsrElement {
  readonly tagName: string;
  readonly outerHTML: string;
  querySelector(selector: string): SsrElement | null;
}

let cachedDocument: object | undefined;

/** One shared linkedom document; Plot only uses it to create detached elements. */
export function ssrDocument(): object {
  if (!cachedDocument) {
    const window = parseHTML("<!doctype html><html><head></head><body></body></html>") as unknown as {
      document: object;
    };
    cachedDocument = window.document;
  }
  return cachedDocument;
}

/**
 * Renders Plot options to SVG markup. Plot's <style> and class are dropped: their `height: auto` rules would
 * resize the plot once nested inside the chart's outer <svg>, and resvg ignores them anyway.
 */
export function renderPlot(options: Plot.PlotOptions & { width: number; height: number }): PlotPart {
  const element = Plot.plot({
    ...options,
    document: ssrDocument(),
    style: {
      fontFamily: FONT_FAMILY,
      fontSize: "12px",
      color: TEXT_COLOR,
      background: "white",
      overflow: "visible",
    },
  } as Plot.PlotOptions) as unknown as SsrElement;
  const svg = element.tagName.toLowerCase() === "svg" ? element : element.querySelector("svg");
  if (!svg) throw new Error("Plot rendered no <svg> element");
  return { svg: cleanPlotSvg(svg.outerHTML), width: options.width, height: options.height };
}

function cleanPlotSvg(markup: string): string {
  return markup
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/^<svg([^>]*?) class="[^"]*"/, "<svg$1");
}
