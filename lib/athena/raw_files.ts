import { join } from "node:path";

/** One raw page file to upload, and where it goes under the prefix. */
export interface RawFile {
  path: string;
  kind: "signins" | "audits";
  dt: string;
  name: string;
  size: number;
  /** `<kind>/dt=YYYY-MM-DD/<name>`, appended to the S3 prefix. */
  relativeKey: string;
}

const KINDS = ["signins", "audits"] as const;
const DT = /^dt=(\d{4}-\d{2}-\d{2})$/;

/**
 * The page files of a raw folder in the layout the Athena table expects: `<from>/<kind>/dt=YYYY-MM-DD/*.json`.
 * Hidden files and the collector's temp files are skipped; anything else out of place is an error naming it,
 * because a file Athena cannot see is a file silently missing from every answer.
 */
export async function listRawFiles(from: string): Promise<RawFile[]> {
  const out: RawFile[] = [];
  let kindsFound = 0;
  for (const kind of KINDS) {
    const kindDir = join(from, kind);
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(kindDir));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    kindsFound++;
    for (const dayEntry of entries) {
      if (dayEntry.name.startsWith(".")) continue;
      const m = DT.exec(dayEntry.name);
      if (!dayEntry.isDirectory || !m || Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) {
        throw new Error(`${join(kindDir, dayEntry.name)}: expected only dt=YYYY-MM-DD folders in ${kindDir}`);
      }
      const dayDir = join(kindDir, dayEntry.name);
      for await (const f of Deno.readDir(dayDir)) {
        if (f.name.startsWith(".") || f.name.endsWith(".partial") || f.name.endsWith(".tmp")) continue;
        const path = join(dayDir, f.name);
        if (!f.isFile || !f.name.endsWith(".json")) {
          throw new Error(`${path}: not a page file (.json) of the raw layout`);
        }
        const { size } = await Deno.stat(path);
        out.push({ path, kind, dt: m[1], name: f.name, size, relativeKey: `${kind}/dt=${m[1]}/${f.name}` });
      }
    }
  }
  if (kindsFound === 0) {
    throw new Error(
      `${from}: no signins/ or audits/ folder (raw pages live in <from>/signins/dt=YYYY-MM-DD/)`,
    );
  }
  return out.sort((a, b) => a.relativeKey.localeCompare(b.relativeKey));
}
