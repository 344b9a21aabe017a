import { fileURLToPath } from "node:url";
import { runScript, type ScriptRun } from "../fakes/run_script.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const INPUTS = `${ROOT}tests/fixtures/inputs/`;

/** Runs tasks/<name>.ts as a user would, from the project root. */
export function task(name: string, args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  return runScript(`${ROOT}tasks/${name}.ts`, args, { env, cwd: ROOT });
}

/** A temp directory for one test, removed afterwards whatever happens. */
export async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "signin-lens-tasks-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

export async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
