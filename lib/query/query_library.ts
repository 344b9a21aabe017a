import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseQueryFile, type QueryFile } from "./query_file.ts";

/** The project's queries/ folder, found from this module so tasks work from any working directory. */
export const QUERIES_DIR = fileURLToPath(new URL("../../queries/", import.meta.url));

/** A query name that is not a file in queries/; the message lists the ones that are. */
export class UnknownQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownQueryError";
  }
}

export async function listQueries(dir = QUERIES_DIR): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".sql")) names.push(e.name.slice(0, -4));
  }
  return names.sort();
}

export async function loadQuery(name: string, dir = QUERIES_DIR): Promise<QueryFile> {
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new UnknownQueryError(`"${name}" is not a query name (lower-case letters, digits and _ only)`);
  }
  let text: string;
  try {
    text = await Deno.readTextFile(join(dir, `${name}.sql`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UnknownQueryError(
        `no query named ${name} in ${dir} (queries: ${(await listQueries(dir)).join(", ")})`,
      );
    }
    throw e;
  }
  return parseQueryFile(name, text);
}
