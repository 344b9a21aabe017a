import { join } from "node:path";

/** The Deno version the project pins (deno.json's world, README's `npx -y deno@…`). */
export const PINNED_DENO = "2.9.6";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
}

/**
 * True for a Deno binary inside npm's npx cache (`~/.npm/_npx/<hash>/…`): `npm cache clean` or npx's own
 * pruning deletes it, and a kernelspec pointing there stops starting.
 */
export function isNpxCachePath(path: string): boolean {
  return /[\\/]_npx[\\/]/.test(path);
}

/**
 * The kernelspec for the project's notebooks: a Deno binary that stays where it is (or, when this Deno lives
 * in the npx cache, `npx -y deno@<pinned>` itself, which fetches it again if the cache was cleaned), and
 * NO_COLOR=1 so text outputs carry no ANSI colour codes.
 */
export function denoKernelSpec(options: { deno: string; npx?: string }): KernelSpec {
  const kernel = ["jupyter", "--kernel", "--conn", "{connection_file}"];
  const argv = options.npx
    ? [options.npx, "-y", `deno@${PINNED_DENO}`, ...kernel]
    : [options.deno, ...kernel];
  return { argv, display_name: "Deno", language: "typescript", env: { NO_COLOR: "1" } };
}

/** Jupyter's per-user data folder, as jupyter_core computes it (JUPYTER_DATA_DIR first). */
export function jupyterDataDir(env: Record<string, string | undefined>, os: string): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  if (os === "darwin") return join(home, "Library", "Jupyter");
  if (os === "windows") return join(env.APPDATA ?? join(home, "AppData", "Roaming"), "jupyter");
  return join(env.XDG_DATA_HOME ?? join(home, ".local", "share"), "jupyter");
}

/** Finds an executable on PATH (absolute path), or undefined. */
export function whichSync(name: string, path = Deno.env.get("PATH") ?? ""): string | undefined {
  for (const dir of path.split(Deno.build.os === "windows" ? ";" : ":")) {
    if (!dir) continue;
    for (const candidate of Deno.build.os === "windows" ? [`${name}.cmd`, `${name}.exe`] : [name]) {
      const full = join(dir, candidate);
      try {
        if (Deno.statSync(full).isFile) return full;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
