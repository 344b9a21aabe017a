/**
 * Atomic writes of executed notebooks and their HTML pages: a temp file beside the target, then a
 * rename, so a failed or interrupted write never leaves a half-written notebook behind.
 *
 * @module
 */
import { dirname } from "node:path";
import { type Notebook, stringifyNotebook } from "./nbformat.ts";

/** Writes text to `path` through a temporary file in the same directory and a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const temp = await Deno.makeTempFile({ dir, prefix: ".tmp-", suffix: ".part" });
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** Writes a notebook as Jupyter does (one-space indented JSON), atomically. */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFileAtomic(path, stringifyNotebook(nb));
}
