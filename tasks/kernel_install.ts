/**
 * `deno task kernel-install`: registers the Deno Jupyter kernel for the notebooks, with a Deno path that
 * survives npm cache cleaning and NO_COLOR=1 in the kernel's environment.
 */
import { join } from "node:path";
import { parseCli, runTask, usageExit } from "../lib/cli/parse_cli.ts";
import {
  denoKernelSpec,
  isNpxCachePath,
  jupyterDataDir,
  PINNED_DENO,
  whichSync,
} from "../lib/notebook/kernelspec.ts";

const USAGE = `Usage: deno task kernel-install [--deno PATH] [--name NAME] [--data-dir DIR]

Writes a Jupyter kernelspec (DIR/kernels/NAME/kernel.json) that starts the Deno kernel for notebooks/ with
NO_COLOR=1, so outputs carry no ANSI colour codes. \`deno jupyter --install\` writes the path of the Deno that
ran it: under \`npx -y deno@${PINNED_DENO}\` that is a file in npm's npx cache, and cleaning the cache breaks the
kernel. This task uses the Deno running it when that is a stable install (npm i -g, a package manager, your own
copy), and otherwise has the kernel started through \`npx -y deno@${PINNED_DENO}\` itself, which fetches Deno
again if the cache was cleaned.

Options:
  --deno PATH     the Deno binary the kernel runs (default: this Deno, unless it is in the npx cache)
  --name NAME     kernel name (default deno; the notebooks ask for "deno")
  --data-dir DIR  Jupyter data folder (default $JUPYTER_DATA_DIR, else ~/.local/share/jupyter on Linux,
                  ~/Library/Jupyter on macOS, %APPDATA%\\jupyter on Windows)
  -h, --help      show this help

Example:
  npx -y deno@${PINNED_DENO} task kernel-install && jupyter notebook notebooks/`;

await runTask(async () => {
  const { values } = parseCli(Deno.args, {
    usage: USAGE,
    options: { deno: { type: "string" }, name: { type: "string" }, "data-dir": { type: "string" } },
  });
  const name = (values.name as string | undefined) ?? "deno";
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    usageExit(`--name ${name}: letters, digits, ".", "_" and "-" only`, USAGE);
  }
  const given = values.deno as string | undefined;
  if (given !== undefined) {
    try {
      if (!Deno.statSync(given).isFile) usageExit(`--deno ${given} is not a file`, USAGE);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) usageExit(`--deno ${given}: no such file`, USAGE);
      throw e;
    }
  }
  const deno = given ?? Deno.execPath();
  let npx: string | undefined;
  if (given === undefined && isNpxCachePath(deno)) {
    npx = whichSync("npx");
    if (!npx) {
      throw new Error(
        `this Deno (${deno}) lives in the npx cache and npx is not on PATH: install Deno for good ` +
          `(npm i -g deno@${PINNED_DENO}) and run again, or give --deno PATH`,
      );
    }
  }
  const spec = denoKernelSpec({ deno, npx });
  const dir = join(
    (values["data-dir"] as string | undefined) ?? jupyterDataDir(Deno.env.toObject(), Deno.build.os),
    "kernels",
    name,
  );
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  console.log(`kernelspec ${name} → ${join(dir, "kernel.json")}`);
  console.log(`  runs: ${spec.argv.join(" ")}`);
  console.log(`  env:  NO_COLOR=1`);
  if (npx) {
    console.error(
      `note: this Deno is in the npx cache, so the kernel starts through npx (a second or two); ` +
        `npm i -g deno@${PINNED_DENO} and running this task again makes it start directly`,
    );
  }
});
