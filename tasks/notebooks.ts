/**
 * `deno task notebooks [names…] [--out DIR] [--html] [--in-place] [--timeout SECONDS]`
 *
 * Executes notebooks through the Deno Jupyter kernel and writes the executed .ipynb (and optionally
 * an HTML page). Exits 1 when any notebook fails, naming the notebook, cell and error; 2 on bad usage.
 */
import { basename, extname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseArgsMessage } from "../lib/cli/parse_cli.ts";
import { okLine } from "../lib/notebook/summary_line.ts";
import {
  executeNotebook,
  killAllKernels,
  NotebookExecutionError,
  notebookToHtml,
  writeFileAtomic,
  writeNotebook,
} from "../lib/notebook/mod.ts";
import { decimalOption } from "../lib/cli/numbers.ts";

const USAGE = `Usage: deno task notebooks [names…] [options]

Executes notebooks (all of notebooks/*.ipynb, or the ones named) headless in the Deno Jupyter kernel.

Options:
  --out DIR          where executed notebooks go (default reports/notebooks)
  --html             also write DIR/NAME.html, a static page with outputs and charts
  --in-place         overwrite each source notebook with its executed version instead of --out
                     (a failed notebook is never written over its source)
  --timeout SECONDS  limit per cell; a cell running longer fails the run (default 300)
  --dir DIR          where to look for notebooks (default notebooks)
  -h, --help         show this help

Names may be a file path, a file name, or a name without .ipynb.

Example:
  deno task notebooks 02_failed_logins --html --out reports/notebooks`;

function usageError(message: string): never {
  console.error(`error: ${message}\n\n${USAGE}`);
  Deno.exit(2);
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string" },
        html: { type: "boolean" },
        "in-place": { type: "boolean" },
        timeout: { type: "string" },
        dir: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return usageError(parseArgsMessage(error));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

async function resolveNotebooks(names: string[], dir: string): Promise<string[]> {
  if (names.length === 0) {
    const found: string[] = [];
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (entry.isFile && entry.name.endsWith(".ipynb")) found.push(join(dir, entry.name));
      }
    } catch {
      usageError(`notebook directory ${dir} does not exist`);
    }
    if (found.length === 0) usageError(`no .ipynb files in ${dir}`);
    return found.sort();
  }
  const paths: string[] = [];
  for (const name of names) {
    const candidates = [name, join(dir, name), join(dir, `${name}.ipynb`)];
    let match: string | undefined;
    for (const candidate of candidates) {
      if (candidate.endsWith(".ipynb") && await exists(candidate)) {
        match = candidate;
        break;
      }
    }
    if (!match) usageError(`no notebook named ${name} (looked for ${candidates.join(", ")})`);
    paths.push(match);
  }
  return paths;
}

async function main(): Promise<number> {
  const { values, positionals } = parse(Deno.args);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  let timeoutMs = 300_000;
  if (values.timeout !== undefined) {
    const seconds = decimalOption(String(values.timeout));
    if (seconds === null || seconds <= 0) {
      usageError(`--timeout must be a positive number of seconds`);
    }
    timeoutMs = seconds * 1000;
  }
  if (values["in-place"] && values.out !== undefined) usageError("--in-place and --out cannot be combined");
  const outDir = values.out ?? "reports/notebooks";
  // --out is a folder: "--out x.html" would otherwise become a directory named x.html.
  if (/\.(html?|ipynb)$/i.test(outDir)) {
    usageError(
      `--out ${outDir}: --out names a folder (the notebooks are written as DIR/NAME.ipynb and NAME.html)`,
    );
  }
  try {
    if (!(await Deno.stat(outDir)).isDirectory) usageError(`--out ${outDir} is a file, not a folder`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const paths = await resolveNotebooks(positionals, values.dir ?? "notebooks");

  // The kernel runs in its own process group; make sure Ctrl-C does not leave it behind.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      killAllKernels();
      Deno.exit(130);
    });
  }

  let failed = 0;
  for (const path of paths) {
    const name = basename(path, extname(path));
    const target = values["in-place"] ? path : join(outDir, `${name}.ipynb`);
    const started = performance.now();
    try {
      const result = await executeNotebook(path, { timeoutMs });
      await writeNotebook(target, result.notebook);
      const wrote = [target];
      if (values.html) {
        const htmlPath = values["in-place"]
          ? path.replace(/\.ipynb$/, ".html")
          : join(outDir, `${name}.html`);
        await writeFileAtomic(htmlPath, notebookToHtml(result.notebook));
        wrote.push(htmlPath);
      }
      console.error(okLine(path, {
        codeCells: result.cells.length,
        seconds: result.durationMs / 1000,
        lateOutputs: result.stats.lateOutputs,
      }, wrote));
    } catch (error) {
      failed++;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (error instanceof NotebookExecutionError) {
        console.error(`FAIL ${error.message} (${seconds} s)`);
        if (!values["in-place"]) {
          // The partial notebook shows the error in context; never written over the source.
          await writeNotebook(target, error.result.notebook);
          console.error(`     partial notebook with the error: ${resolve(target)}`);
        }
      } else {
        console.error(`FAIL ${path}: ${(error as Error).message}`);
      }
    }
  }
  console.error(`notebooks: ${paths.length - failed} ok, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(await main());
}
