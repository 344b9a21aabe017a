/** Whether anything (a file, a folder, a link's target) is at `path`; a path that cannot be read counts as none. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
