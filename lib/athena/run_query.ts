import { type GivenParams } from "../query/run_query.ts";
import { resolveParams } from "../query/params.ts";
import { loadQuery } from "../query/query_library.ts";
import type { QueryResult } from "../query/result.ts";
import { explainAwsError } from "./aws_errors.ts";
import { createAthenaClient } from "./client.ts";
import { type AthenaConfig, athenaConfigFromEnv } from "./config.ts";
import { type AthenaRunOptions, runOnAthena } from "./runner.ts";

export interface AthenaQueryConfig extends AthenaRunOptions {
  /** Settings by AWS conventions; read from the environment when left out. */
  config?: AthenaConfig;
}

/**
 * Runs queries/<name>.sql on Athena with the given parameters (defaults filled in, types checked), with the
 * workgroup, database and output location of `config` (ATHENA_* variables) unless options override them.
 */
export async function runQueryOnAthena(
  name: string,
  params: GivenParams = {},
  options: AthenaQueryConfig = {},
): Promise<QueryResult> {
  const query = await loadQuery(name);
  const resolved = resolveParams(query, params);
  const config = options.config ?? athenaConfigFromEnv(Deno.env.toObject());
  const client = options.client ?? (options.send ? undefined : createAthenaClient(config));
  try {
    return await runOnAthena(query, resolved, {
      workgroup: config.workgroup,
      database: config.database,
      outputLocation: config.outputLocation,
      ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k !== "config")),
      client,
    });
  } catch (e) {
    throw explainAwsError(e);
  } finally {
    if (client && !options.client && "destroy" in client) (client as { destroy(): void }).destroy();
  }
}
