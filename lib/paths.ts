import { fileURLToPath } from "node:url";

/** The project root, found from this module so tasks behave the same from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Where `deno task load` keeps your tenant's store unless --db says otherwise. */
export const DEFAULT_DB = "data/signins.duckdb";
/** The bundled sample tenant: raw Graph pages and the store built from them. */
export const SAMPLE_DIR = "data/sample";
export const SAMPLE_DB = "data/sample/signins.duckdb";
