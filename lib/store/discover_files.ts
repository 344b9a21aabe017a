import { join } from "node:path";

const LOADABLE = /\.(json|ndjson|jsonl|csv)(\.gz)?$/i;

/** Expands files and directories (recursively) into the sorted list of loadable JSON files. */
export async function discoverFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new Error(`${path}: no such file or directory`);
      throw e;
    }
    if (info.isDirectory) await walk(path, found);
    else found.push(path);
  }
  return [...new Set(found)].sort();
}

async function walk(dir: string, out: string[]): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    // Temp files of an interrupted atomic write and hidden files are never data.
    if (entry.name.startsWith(".") || entry.name.endsWith(".tmp") || entry.name.includes(".tmp-")) continue;
    if (entry.name === "manifest.json" || entry.name === "checkpoint.json") continue;
    if (entry.isDirectory) await walk(path, out);
    else if (entry.isFile && LOADABLE.test(entry.name)) out.push(path);
  }
}
