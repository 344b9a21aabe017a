import { join, resolve } from "node:path";
import { trinoStatement } from "./client.ts";
import { RAW_SCHEMA, trinoSetupStatements } from "./ddl.ts";
import { findJava, installTrino, TRINO_VERSION } from "./install.ts";
import { readLakeManifest } from "../lake/lake_tables.ts";
import { pathExists } from "../path_exists.ts";

/** An S3 endpoint holding a lake pushed by `deno task push --lake` (AWS, or any S3-compatible server). */
export interface TrinoS3Lake {
  /** s3://bucket/prefix/ — where the lake was pushed. */
  location: string;
  /** Endpoint URL for an S3-compatible server (path-style addressing); AWS's own when left out. */
  endpoint?: string;
  region?: string;
  accessKey: string;
  secretKey: string;
  /** The lake's side tables (its lake.json), to make over S3 too. */
  sideTables?: Record<string, { name: string; trino: string }[]>;
  /**
   * s3://bucket/prefix/ where `deno task push` put raw pages (`signins/dt=…/`, `audits/dt=…/`): catalog `s3`
   * then gets schema signin_lens over them too, as Athena reads them.
   */
  raw?: string;
}

export interface TrinoServerOptions {
  /** Folder for this server's config, metastore, logs and pid (created). */
  stateDir: string;
  /** A lake in S3: catalog `s3` gets schema signin_lens_lake over it (metastore beside it, in the bucket). */
  s3Lake?: TrinoS3Lake;
  port?: number;
  /**
   * Raw pages folder: the one holding `signins/dt=…/` (the table reads `<raw>/signins`) and, when present,
   * `audits/dt=…/` (then the raw schema's `directory_audits` is the view over them, not the lake's table).
   */
  raw?: string;
  /** Parquet lake folder: the one holding `dt=…/` (written by `deno task lake`). */
  lake?: string;
  /** Heap of the JVM (default 2G: enough for the sample and 1M sign-ins on a 2-core laptop). */
  heap?: string;
  cacheDir?: string;
  /** How long to wait for the server to answer, in ms (default 180 s). */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningTrino {
  url: string;
  version: string;
  /** Seconds from launch until the server accepted queries (before the tables were made). */
  startSeconds: number;
  /** Resident memory of the server process once the tables were made, in bytes (Linux only). */
  rssBytes?: number;
  pid?: number;
}

/** The files of a single-node coordinator that listens on 127.0.0.1 only, with a Hive catalog on local files. */
export function trinoConfigFiles(
  o: { stateDir: string; port: number; heap: string; s3Lake?: TrinoS3Lake },
): Record<string, string> {
  const state = resolve(o.stateDir);
  const files: Record<string, string> = {};
  if (o.s3Lake) {
    const { bucket } = s3Parts(o.s3Lake.location);
    // A catalog uses one file system: its metastore lives in the bucket too.
    files["catalog/s3.properties"] = [
      "connector.name=hive",
      "hive.metastore=file",
      `hive.metastore.catalog.dir=s3://${bucket}/.signin-lens-trino-metastore`,
      "fs.native-s3.enabled=true",
      `s3.region=${o.s3Lake.region ?? "us-east-1"}`,
      ...(o.s3Lake.endpoint ? [`s3.endpoint=${o.s3Lake.endpoint}`, "s3.path-style-access=true"] : []),
      `s3.aws-access-key=${o.s3Lake.accessKey}`,
      `s3.aws-secret-key=${o.s3Lake.secretKey}`,
      "parquet.small-file-threshold=0B",
    ].join("\n");
  }
  return {
    ...files,
    "node.properties": [
      "node.environment=signinlens",
      "node.id=signin-lens-local",
      `node.data-dir=${join(state, "data")}`,
      // Every HTTP server of the node binds here: nothing listens beyond loopback.
      "node.bind-ip=127.0.0.1",
      "node.internal-address=127.0.0.1",
    ].join("\n"),
    "jvm.config": [
      "-server",
      `-Xmx${o.heap}`,
      "-XX:+UseG1GC",
      "-XX:+ExitOnOutOfMemoryError",
      "-XX:-OmitStackTraceInFastThrow",
      "-XX:ReservedCodeCacheSize=256M",
      "-XX:+EnableDynamicAgentLoading",
      "-Djdk.attach.allowAttachSelf=true",
      "-Dfile.encoding=UTF-8",
    ].join("\n"),
    "config.properties": [
      "coordinator=true",
      "node-scheduler.include-coordinator=true",
      `http-server.http.port=${o.port}`,
      `discovery.uri=http://127.0.0.1:${o.port}`,
      // ~70% of the heap is what Trino lets queries use; the sample's widest query needs well under 1 GB.
      "query.max-memory=1GB",
      "query.max-memory-per-node=1GB",
      "task.concurrency=2",
    ].join("\n"),
    "log.properties": "io.trino=WARN",
    "catalog/hive.properties": [
      "connector.name=hive",
      "hive.metastore=file",
      `hive.metastore.catalog.dir=local://${join(state, "metastore")}`,
      // local:///abs/path names a file by its absolute path: the root of Trino's local file system is /.
      "fs.native-local.enabled=true",
      "local.location=/",
      "hive.non-managed-table-writes-enabled=false",
      // Trino reads Parquet files under 3 MB whole by default; read only the columns a query needs, as Athena
      // bills, so bytes scanned on small lakes (a day of a small tenant) mean what they mean at scale.
      "parquet.small-file-threshold=0B",
    ].join("\n"),
  };
}

function s3Parts(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]+[a-z0-9])\/?(.*)$/.exec(location);
  if (!m) throw new Error(`${location}: expected s3://bucket/prefix/`);
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, "") };
}

function launcherArgs(stateDir: string, verb: string): string[] {
  const state = resolve(stateDir);
  return [verb, `--etc-dir=${join(state, "etc")}`, `--data-dir=${join(state, "data")}`];
}

async function launcher(home: string, java: string, stateDir: string, verb: string): Promise<string> {
  const out = await new Deno.Command(join(home, "bin", "launcher"), {
    args: launcherArgs(stateDir, verb),
    env: { JAVA_HOME: java, PATH: `${join(java, "bin")}:${Deno.env.get("PATH") ?? ""}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success && !(verb === "stop" && /not running/i.test(text))) {
    throw new Error(`trino launcher ${verb} failed (exit ${out.code}): ${text.trim()}`);
  }
  return text.trim();
}

/** Reads the pid the launcher wrote, if the server is (or was) running. */
async function serverPid(stateDir: string): Promise<number | undefined> {
  try {
    const n = Number((await Deno.readTextFile(join(stateDir, "data", "var", "run", "launcher.pid"))).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process, from ps: /proc is closed to Deno without --allow-all. */
async function rssOf(pid: number | undefined): Promise<number | undefined> {
  if (!pid) return undefined;
  try {
    const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)], stdout: "piped" })
      .output();
    const kb = Number(new TextDecoder().decode(out.stdout).trim());
    return out.success && kb > 0 ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the launcher still sees its server running (`launcher status` exits 0), without reading /proc. */
async function launcherRunning(home: string, java: string, stateDir: string): Promise<boolean> {
  const out = await new Deno.Command(join(home, "bin", "launcher"), {
    args: launcherArgs(stateDir, "status"),
    env: { JAVA_HOME: java },
    stdout: "null",
    stderr: "null",
  }).output();
  return out.success;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The last lines of the server log, for errors: Trino says why it did not start there. */
async function logTail(stateDir: string): Promise<string> {
  for (const name of ["server.log", "launcher.log"]) {
    try {
      const text = await Deno.readTextFile(join(stateDir, "data", "var", "log", name));
      const lines = text.trimEnd().split("\n");
      const errors = lines.filter((l) => /ERROR|Exception|Error:/.test(l)).slice(-5);
      if (errors.length > 0) return `${name}: ${errors.join("\n")}`;
    } catch {
      // Try the next log.
    }
  }
  return "no log written";
}

/**
 * Installs (once) and starts a local single-node Trino, makes the raw-pages and lake tables and their
 * `signins` views, and returns when it answers queries. A server already running from `stateDir` is stopped
 * first, so the tables always describe the folders given now.
 */
export async function startTrino(options: TrinoServerOptions): Promise<RunningTrino> {
  const log = options.log ?? (() => {});
  const port = options.port ?? 8080;
  const stateDir = resolve(options.stateDir);
  // The folders are checked before anything starts: a typo must not cost a minute of JVM start-up.
  const raw = options.raw ? resolve(options.raw, "signins") : undefined;
  if (raw && !(await pathExists(raw))) {
    throw new Error(`--raw ${options.raw}: no signins/ folder in it (${raw})`);
  }
  const lake = options.lake ? resolve(options.lake) : undefined;
  if (lake && !(await pathExists(join(lake, "signins")))) {
    throw new Error(`--lake ${options.lake}: no signins/ folder in it (write the lake with deno task lake)`);
  }
  const rawAudits = options.raw && (await pathExists(resolve(options.raw, "audits")))
    ? resolve(options.raw, "audits")
    : undefined;
  const sideTables = lake ? (await readLakeManifest(lake)).tables : undefined;
  const java = await findJava();
  const home = await installTrino(java, { cacheDir: options.cacheDir, log });
  if (await serverPid(stateDir)) await launcher(home, java, stateDir, "stop");
  for (
    const [name, text] of Object.entries(
      trinoConfigFiles({ stateDir, port, heap: options.heap ?? "2G", s3Lake: options.s3Lake }),
    )
  ) {
    const path = join(stateDir, "etc", name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text + "\n");
  }
  await Deno.mkdir(join(stateDir, "metastore"), { recursive: true });
  await Deno.writeTextFile(join(stateDir, "home"), `${home}\n${java}\n`);
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  log(`starting Trino ${TRINO_VERSION} on ${url} (java ${java})`);
  await launcher(home, java, stateDir, "start");
  const pid = await serverPid(stateDir);
  const deadline = started + (options.startTimeoutMs ?? 180_000);
  for (;;) {
    try {
      const r = await fetch(`${url}/v1/info`);
      const info = await r.json() as { starting?: boolean; nodeVersion?: { version?: string } };
      if (r.ok && info.starting === false) {
        if (info.nodeVersion?.version !== TRINO_VERSION) {
          throw new Error(
            `${url} answers as Trino ${info.nodeVersion?.version}, not ours (${TRINO_VERSION})`,
          );
        }
        break;
      }
    } catch (e) {
      if ((e as Error).message.includes("not ours")) throw e;
    }
    if (!(await launcherRunning(home, java, stateDir))) {
      throw new Error(`Trino exited while starting: ${await logTail(stateDir)}`);
    }
    if (performance.now() > deadline) {
      throw new Error(
        `Trino did not answer on ${url} within ${
          (options.startTimeoutMs ?? 180_000) / 1000
        } s: ${await logTail(stateDir)}`,
      );
    }
    await sleep(500);
  }
  const startSeconds = (performance.now() - started) / 1000;
  await dropDirectoryAudits(url, "hive");
  for (
    const sql of trinoSetupStatements({
      rawLocation: raw ? `local://${raw}` : undefined,
      rawAuditLocation: raw && rawAudits ? `local://${rawAudits}` : undefined,
      lakeLocation: lake ? `local://${lake}` : undefined,
      sideTables,
    })
  ) {
    await trinoStatement(sql, { url, catalog: "hive" });
  }
  if (options.s3Lake) {
    const { bucket, prefix } = s3Parts(options.s3Lake.location);
    const s3Raw = options.s3Lake.raw ? s3Parts(options.s3Lake.raw) : undefined;
    const rawRoot = s3Raw ? `s3://${s3Raw.bucket}/${s3Raw.prefix ? `${s3Raw.prefix}/` : ""}` : undefined;
    await dropDirectoryAudits(url, "s3");
    const statements = trinoSetupStatements({
      catalog: "s3",
      rawLocation: rawRoot ? `${rawRoot}signins` : undefined,
      rawAuditLocation: rawRoot ? `${rawRoot}audits` : undefined,
      lakeLocation: `s3://${bucket}/${prefix}`,
      sideTables: options.s3Lake.sideTables,
    });
    for (const sql of statements) await trinoStatement(sql, { url, catalog: "s3" });
  }
  return { url, version: TRINO_VERSION, startSeconds, rssBytes: await rssOf(pid), pid };
}

/**
 * The raw schema's `directory_audits` is a view over the audit pages or the lake's table, whichever this start
 * gives: drop the one a previous start left, by its kind, as Trino drops neither kind with the other's verb.
 */
async function dropDirectoryAudits(url: string, catalog: string): Promise<void> {
  const found = await trinoStatement(
    `SELECT table_type FROM ${catalog}.information_schema.tables ` +
      `WHERE table_schema = '${RAW_SCHEMA}' AND table_name = 'directory_audits'`,
    { url, catalog },
  );
  const kind = found.rows[0]?.table_type;
  if (kind === "VIEW") {
    await trinoStatement(`DROP VIEW ${catalog}.${RAW_SCHEMA}.directory_audits`, { url, catalog });
  } else if (kind !== undefined) {
    await trinoStatement(`DROP TABLE ${catalog}.${RAW_SCHEMA}.directory_audits`, { url, catalog });
  }
}

/** Stops the server started from `stateDir` (no-op when none runs). */
export async function stopTrino(stateDir: string): Promise<boolean> {
  const state = resolve(stateDir);
  if (!(await serverPid(state))) return false;
  let home: string, java: string;
  try {
    [home, java] = (await Deno.readTextFile(join(state, "home"))).trim().split("\n");
  } catch {
    java = await findJava();
    home = await installTrino(java);
  }
  await launcher(home, java, state, "stop");
  await Deno.remove(join(state, "data", "var", "run", "launcher.pid")).catch(() => {});
  return true;
}
