// Writes the report (and optionally one PNG per chart) into a directory; every file goes through a temporary
// name and a rename, so a crash never leaves a half-written report in place of the previous one.
import { join } from "node:path";
import { writeChartPngs } from "../charts/write_pngs.ts";
import type { ReportResult } from "./build_report.ts";
import { writeFileAtomic } from "../write_file_atomic.ts";

export const REPORT_FILE = "signins-report.html";

export interface WriteReportOptions {
  /** Also write `signins-<chart id>.png` for every chart beside the report (default false). */
  png?: boolean;
  /** PNG pixel density (default 2). */
  scale?: number;
  /** The report's file name inside `dir` (default signins-report.html). */
  fileName?: string;
}

export interface WrittenReport {
  readonly html: string;
  readonly pngs: string[];
}

/** Writes `<dir>/signins-report.html` and, with `png`, the chart PNGs; returns the paths written. */
export async function writeReport(
  report: Pick<ReportResult, "html" | "charts">,
  dir: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, options.fileName ?? REPORT_FILE);
  try {
    await writeFileAtomic(path, report.html);
  } catch (error) {
    throw new Error(`Cannot write report ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const pngs = options.png ? await writeChartPngs(report.charts, dir, { scale: options.scale }) : [];
  return { html: path, pngs };
}
