/**
 * The benchmark's input: N sample-tenant sign-ins as Graph page files (999 records a page, one line each,
 * `<dir>/raw/signins/dt=YYYY-MM-DD/page-NNNNN.json`) plus one newer day under `<dir>/extra/` for the
 * incremental load. Built once per N and cached: a folder is used only when its manifest (written last,
 * after the folder was renamed into place) says it is complete.
 */
import { join } from "node:path";
import {
  GENERATOR_VERSION,
  iterateSignIns,
  MAX_PAGE_SIZE,
  pageFileName,
  SIGNINS_CONTEXT,
} from "../lib/sample/mod.ts";

export const PAGES_FORMAT = 2;
/** The sample window ends here; 2026-10-30 (a Friday, a full working day) is the extra day. */
const END = "2026-10-31T00:00:00Z";
/** Sample sign-ins per user per working-and-weekend day, measured on the default tenant (about 12.7). */
const PER_USER_DAY = 12.5;
const MAIN_DAYS = 30;

export interface PagesManifest {
  format: typeof PAGES_FORMAT;
  /** The sample generator that wrote the pages: pages of another version are generated again. */
  generatorVersion: number;
  records: number;
  params: { users: number; days: number; seed: number; end: string };
  main: {
    dir: string;
    records: number;
    pages: number;
    bytes: number;
    days: number;
    from: string;
    to: string;
  };
  extra: { dir: string; records: number; pages: number; bytes: number; day: string };
  generatedSeconds: number;
}

/** Users of the sample tenant that give at least `records` sign-ins over about 30 days. */
export function usersFor(records: number): number {
  return Math.min(100_000, Math.max(25, Math.ceil(records / (MAIN_DAYS * PER_USER_DAY))));
}

/** Returns the cached pages for `records` sign-ins, generating them first when absent or incomplete. */
export async function ensurePages(
  cacheDir: string,
  records: number,
  log: (line: string) => void = () => {},
): Promise<PagesManifest & { root: string }> {
  const root = join(cacheDir, `n${records}`);
  const cached = await readManifest(root, records);
  if (cached) return { ...cached, root };
  await Deno.mkdir(cacheDir, { recursive: true });
  const staging = `${root}.tmp-${Deno.pid}`;
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  try {
    const manifest = await writePages(staging, records, log);
    // Another run may have finished the same pages meanwhile (parallel tests): use those, never pull them
    // from under it.
    const raced = await readManifest(root, records);
    if (raced) return { ...raced, root };
    await Deno.remove(root, { recursive: true }).catch(() => {});
    await Deno.rename(staging, root);
    const tmp = join(root, `.manifest.json.tmp`);
    await Deno.writeTextFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
    await Deno.rename(tmp, join(root, "manifest.json"));
    return { ...manifest, root };
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

async function readManifest(root: string, records: number): Promise<PagesManifest | null> {
  try {
    const m = JSON.parse(await Deno.readTextFile(join(root, "manifest.json"))) as PagesManifest;
    if (m.format !== PAGES_FORMAT || m.generatorVersion !== GENERATOR_VERSION || m.records !== records) {
      return null;
    }
    return m;
  } catch {
    return null;
  }
}

interface Sink {
  dir: string;
  records: number;
  pages: number;
  bytes: number;
  days: Set<string>;
}

/**
 * Writes `records` sign-ins as pages under `staging` (raw/ and extra/), the newest day before `end` going to
 * extra/. `seed` picks another tenant history: the grow bench gives every chunk its own seed and window.
 */
export async function writePages(
  staging: string,
  records: number,
  log: (line: string) => void,
  window: { seed?: number; end?: string } = {},
): Promise<PagesManifest> {
  const started = performance.now();
  // More days than needed: the stream is cut at `records`, so a slow weekend never leaves us short.
  const params = {
    users: usersFor(records),
    days: MAIN_DAYS * 3,
    seed: window.seed ?? 1,
    end: window.end ?? END,
  };
  const main: Sink = { dir: join(staging, "raw"), records: 0, pages: 0, bytes: 0, days: new Set() };
  const extra: Sink = { dir: join(staging, "extra"), records: 0, pages: 0, bytes: 0, days: new Set() };
  const encoder = new TextEncoder();
  let day = "";
  let page: string[] = [];
  let pageNo = 0;
  let sink = extra;
  const flush = async (more: boolean) => {
    if (page.length === 0) return;
    pageNo++;
    const link = more
      ? `"@odata.nextLink":${
        JSON.stringify(
          `https://graph.microsoft.com/beta/auditLogs/signIns?$top=${MAX_PAGE_SIZE}&$skiptoken=bench_${day}_${pageNo}`,
        )
      },`
      : "";
    const text = `{"@odata.context":${JSON.stringify(SIGNINS_CONTEXT)},${link}"value":[${page.join(",")}]}`;
    const dir = join(sink.dir, "signins", `dt=${day}`);
    if (pageNo === 1) await Deno.mkdir(dir, { recursive: true });
    const bytes = encoder.encode(text);
    await Deno.writeFile(join(dir, pageFileName(pageNo)), bytes);
    sink.pages++;
    sink.bytes += bytes.length;
    sink.records += page.length;
    sink.days.add(day);
    page = [];
  };
  let lastLog = performance.now();
  for (const s of iterateSignIns(params)) {
    const d = s.createdDateTime.slice(0, 10);
    if (d !== day) {
      await flush(false);
      // The newest day is the extra day; everything older is the main set.
      if (day !== "") sink = main;
      day = d;
      pageNo = 0;
    } else if (page.length === MAX_PAGE_SIZE) {
      await flush(true);
    }
    if (sink === main && main.records + page.length >= records) break;
    page.push(JSON.stringify(s));
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(
        `generating sample pages: ${(main.records + page.length).toLocaleString("en-US")} of ${
          records.toLocaleString("en-US")
        }`,
      );
    }
  }
  await flush(false);
  if (main.records < records) {
    throw new Error(`the sample generator gave only ${main.records} sign-ins for ${records} requested`);
  }
  const mainDays = [...main.days].sort();
  return {
    format: PAGES_FORMAT,
    generatorVersion: GENERATOR_VERSION,
    records,
    params,
    main: {
      dir: "raw",
      records: main.records,
      pages: main.pages,
      bytes: main.bytes,
      days: mainDays.length,
      from: mainDays[0],
      to: mainDays[mainDays.length - 1],
    },
    extra: {
      dir: "extra",
      records: extra.records,
      pages: extra.pages,
      bytes: extra.bytes,
      day: [...extra.days][0],
    },
    generatedSeconds: (performance.now() - started) / 1000,
  };
}
