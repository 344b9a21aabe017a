/**
 * Raw page files `<out>/<kind>/dt=YYYY-MM-DD/page-NNNNN.json`: streamed into a hidden temp file and renamed
 * into place only when the JSON object is complete, so a reader never sees half a page.
 */
import { TransientError } from "./errors.ts";
import type { PageSink } from "./client.ts";
import { notAPageProblem, PageScanner, type PageSummary } from "./page_scanner.ts";
import type { Kind } from "./windows.ts";

const PAGE_RE = /^page-(\d+)\.json$/;
const PARTIAL_RE = /^\.page-\d+\.json\.partial$/;

export function dtDir(outDir: string, kind: Kind, day: string): string {
  return `${outDir}/${kind}/dt=${day}`;
}

export function pageName(n: number): string {
  return `page-${String(n).padStart(5, "0")}.json`;
}

/** Page numbers present in a dt directory (empty when it does not exist). */
export async function listPageNumbers(dir: string): Promise<number[]> {
  const out: number[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const m = e.isFile ? PAGE_RE.exec(e.name) : null;
      if (m) out.push(Number(m[1]));
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a - b);
}

/** Deletes temp files a killed run left behind. */
export async function removePartials(dir: string): Promise<void> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && PARTIAL_RE.test(e.name)) await Deno.remove(`${dir}/${e.name}`).catch(() => {});
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Deletes the page files numbered in [first, end). */
export async function removePages(dir: string, first: number, end: number): Promise<number> {
  let removed = 0;
  for (const n of await listPageNumbers(dir)) {
    if (n >= first && n < end) {
      await Deno.remove(`${dir}/${pageName(n)}`);
      removed++;
    }
  }
  return removed;
}

/** A sink writing one response body to `dir/page-N.json` atomically, scanning it on the way. */
export class PageFileSink implements PageSink<PageSummary> {
  readonly path: string;
  readonly tempPath: string;
  #file: Deno.FsFile | undefined;
  #scanner: PageScanner | undefined;

  constructor(dir: string, n: number) {
    this.path = `${dir}/${pageName(n)}`;
    this.tempPath = `${dir}/.${pageName(n)}.partial`;
  }

  async begin(): Promise<void> {
    this.#scanner = new PageScanner();
    this.#file = await Deno.open(this.tempPath, { write: true, create: true, truncate: true });
  }

  async chunk(bytes: Uint8Array): Promise<void> {
    this.#scanner!.feed(bytes);
    let off = 0;
    while (off < bytes.length) off += await this.#file!.write(bytes.subarray(off));
  }

  async end(): Promise<PageSummary> {
    const summary = this.#scanner!.summary();
    if (!summary.complete) {
      await this.abort();
      // A body that parsed short was cut by the network or the server: fetch the same page again.
      throw new TransientError(`incomplete page body (${summary.problem}, ${summary.bytes} bytes)`);
    }
    const notPage = notAPageProblem(summary);
    if (notPage) {
      await this.abort();
      // Saved, it would mark the window done with a hole in it and break every later load of the folder.
      throw new TransientError(`a 200 that is not a Graph page (${notPage}, ${summary.bytes} bytes)`);
    }
    const file = this.#file!;
    this.#file = undefined;
    await file.syncData();
    file.close();
    await Deno.rename(this.tempPath, this.path);
    return summary;
  }

  async abort(): Promise<void> {
    try {
      this.#file?.close();
    } catch {
      // already closed
    }
    this.#file = undefined;
    await Deno.remove(this.tempPath).catch(() => {});
  }
}
