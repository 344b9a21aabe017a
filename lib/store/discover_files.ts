import { basename, join } from "node:path";

const LOADABLE = /\.(json|ndjson|jsonl|csv)(\.gz)?$/i;

/**
 * Expands files and directories (recursively) into the sorted list of loadable JSON files. Symbolic links to
 * files and directories are followed; a directory reached twice (a link loop, or two links to one folder) is
 * read once, and a file reached by two paths is loaded once. A dangling link is an error naming it.
 */
export async function discoverFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  const seenDirs = new Set<string>();
  for (const path of paths) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        const link = await Deno.lstat(path).then((l) => l.isSymlink, () => false);
        throw new Error(
          link ? `${path}: the symbolic link points nowhere` : `${path}: no such file or directory`,
        );
      }
      throw e;
    }
    if (info.isDirectory) await walk(path, found, seenDirs);
    else await add(path, found);
  }
  return [...found.values()].sort();
}

/** Keyed by the real path, so one file reached through two links is read once. */
async function add(path: string, found: Map<string, string>): Promise<void> {
  const real = await Deno.realPath(path);
  if (!found.has(real)) found.set(real, path);
}

async function walk(dir: string, found: Map<string, string>, seenDirs: Set<string>): Promise<void> {
  const real = await Deno.realPath(dir);
  if (seenDirs.has(real)) return;
  seenDirs.add(real);
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    // Temp files of an interrupted atomic write and hidden files are never data.
    if (entry.name.startsWith(".") || entry.name.endsWith(".tmp") || entry.name.includes(".tmp-")) continue;
    if (entry.name === "manifest.json" || entry.name === "checkpoint.json") continue;
    let isDirectory = entry.isDirectory;
    let isFile = entry.isFile;
    let name = entry.name;
    if (entry.isSymlink) {
      let target: Deno.FileInfo;
      try {
        target = await Deno.stat(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) throw new Error(`${path}: the symbolic link points nowhere`);
        throw e;
      }
      isDirectory = target.isDirectory;
      isFile = target.isFile;
      // A link named `latest` to `page-00001.json` is data too.
      if (!LOADABLE.test(name)) name = basename(await Deno.realPath(path));
    }
    if (isDirectory) await walk(path, found, seenDirs);
    else if (isFile && LOADABLE.test(name)) await add(path, found);
  }
}
