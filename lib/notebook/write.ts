/**
 * Atomic writes of executed notebooks and their HTML pages: a temp file beside the target, then a
 * rename, so a failed or interrupted write never leaves a half-written notebook behind.
 *
 * @module
 */
import { writeFileAtomic } from "../write_file_atomic.ts";
import { type Notebook, stringifyNotebook } from "./nbformat.ts";

export { writeFileAtomic };

/** Writes a notebook as Jupyter does (one-space indented JSON), atomically. */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFileAtomic(path, stringifyNotebook(nb));
}
