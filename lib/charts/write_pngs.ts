// Writes charts as PNG files. Each file is written to a temporary name and renamed, so an interrupted run
// never leaves a truncated PNG under the final name.
import { join } from "node:path";
import type { Chart } from "./chart.ts";
import { chartToPng, type PngOptions } from "./png.ts";
import { writeFileAtomic } from "../write_file_atomic.ts";

export interface WriteChartPngsOptions extends PngOptions {
  /** Prefix for file names (default "signins-"): `<prefix><chart id>.png`. */
  prefix?: string;
}

/** Writes `<dir>/<prefix><chart.id>.png` for every chart and returns the paths written, in chart order. */
export async function writeChartPngs(
  charts: readonly Chart[],
  dir: string,
  options: WriteChartPngsOptions = {},
): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const chart of charts) {
    const path = join(dir, `${options.prefix ?? "signins-"}${chart.id}.png`);
    try {
      await writeFileAtomic(path, chartToPng(chart, options));
    } catch (error) {
      throw new Error(
        `Cannot write chart PNG ${path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    written.push(path);
  }
  return written;
}
