import { dirname } from "node:path";

/**
 * Writes `path` through `<path>.tmp-<pid>` and a rename, so an interrupted or failed write never leaves a
 * half-written file under the final name (the previous file, if any, stays whole). Loaders skip `.tmp-` names.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}
