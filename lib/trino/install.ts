import { join } from "node:path";
import { homedir } from "node:os";
import { pathExists } from "../path_exists.ts";

/** The pinned Trino release: the newest whose server-core tarball and Hive plugin zip are on Maven Central. */
export const TRINO_VERSION = "476";
/** Trino 476 is built for Java 24; the launcher refuses older runtimes. */
export const TRINO_MIN_JAVA = 24;

const MAVEN = "https://repo1.maven.org/maven2/io/trino";

export interface TrinoArtifact {
  name: string;
  url: string;
}

export const TRINO_ARTIFACTS: readonly TrinoArtifact[] = [
  {
    name: `trino-server-core-${TRINO_VERSION}.tar.gz`,
    url: `${MAVEN}/trino-server-core/${TRINO_VERSION}/trino-server-core-${TRINO_VERSION}.tar.gz`,
  },
  {
    name: `trino-hive-${TRINO_VERSION}.zip`,
    url: `${MAVEN}/trino-hive/${TRINO_VERSION}/trino-hive-${TRINO_VERSION}.zip`,
  },
];

/** Where downloads and the unpacked server live: outside the project, shared by every clone. */
export function trinoCacheDir(env: Record<string, string | undefined> = Deno.env.toObject()): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "signin-lens");
}

export interface InstallOptions {
  cacheDir?: string;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

async function sha1Hex(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Downloads one artifact unless a copy with Maven's published SHA-1 is already there; checks the checksum. */
async function download(a: TrinoArtifact, dir: string, o: Required<InstallOptions>): Promise<string> {
  const path = join(dir, a.name);
  const shaResponse = await o.fetch(`${a.url}.sha1`);
  if (!shaResponse.ok) throw new Error(`${a.url}.sha1: HTTP ${shaResponse.status} from Maven Central`);
  const want = (await shaResponse.text()).trim().split(/\s+/)[0].toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(want)) throw new Error(`${a.url}.sha1: not a SHA-1 checksum`);
  if (await pathExists(path) && await sha1Hex(path) === want) return path;
  o.log(`downloading ${a.url}`);
  const response = await o.fetch(a.url);
  if (!response.ok || !response.body) throw new Error(`${a.url}: HTTP ${response.status} from Maven Central`);
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
    await response.body.pipeTo(file.writable);
    const got = await sha1Hex(tmp);
    if (got !== want) throw new Error(`${a.url}: SHA-1 ${got} does not match Maven's ${want}`);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  return path;
}

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/**
 * Makes `<cache>/trino-<VER>` a Trino server with the Hive plugin: downloads the two artifacts from Maven
 * Central once (checked against Maven's .sha1), unpacks them into a temp folder and renames it into place, so
 * an interrupted install leaves nothing half-made. Needs `tar` and a JDK's `jar` (to unpack the zip).
 *
 * @returns the server's home folder (with bin/launcher)
 */
export async function installTrino(java: string, options: InstallOptions = {}): Promise<string> {
  const o: Required<InstallOptions> = {
    cacheDir: options.cacheDir ?? trinoCacheDir(),
    fetch: options.fetch ?? fetch,
    log: options.log ?? (() => {}),
  };
  const home = join(o.cacheDir, `trino-${TRINO_VERSION}`);
  if (await pathExists(join(home, ".installed"))) return home;
  const downloads = join(o.cacheDir, "downloads");
  await Deno.mkdir(downloads, { recursive: true });
  const paths: string[] = [];
  for (const a of TRINO_ARTIFACTS) paths.push(await download(a, downloads, o));
  const tmp = await Deno.makeTempDir({ dir: o.cacheDir, prefix: `.trino-${TRINO_VERSION}-` });
  try {
    o.log(`unpacking Trino ${TRINO_VERSION} into ${home}`);
    await run("tar", ["xzf", paths[0]], tmp);
    const server = join(tmp, `trino-server-core-${TRINO_VERSION}`);
    await run(join(java, "bin", "jar"), ["xf", paths[1]], join(server, "plugin"));
    await Deno.rename(join(server, "plugin", `trino-hive-${TRINO_VERSION}`), join(server, "plugin", "hive"));
    await Deno.chmod(join(server, "bin", "launcher"), 0o755);
    for (const arch of ["linux-amd64", "linux-arm64"]) {
      await Deno.chmod(join(server, "bin", arch, "launcher"), 0o755).catch(() => {});
    }
    await Deno.writeTextFile(join(server, ".installed"), `${TRINO_VERSION}\n`);
    await Deno.remove(home, { recursive: true }).catch(() => {});
    await Deno.rename(server, home);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  return home;
}

/** The major version a JDK home declares in its `release` file, or undefined. */
async function javaMajor(home: string): Promise<number | undefined> {
  try {
    const release = await Deno.readTextFile(join(home, "release"));
    const m = /^JAVA_VERSION="(\d+)/m.exec(release);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JDK home of Java 24 or newer: TRINO_JAVA_HOME, else JAVA_HOME, else the newest under /usr/lib/jvm.
 * The machine's default java is often 17, which Trino 476 refuses, so the default is never assumed.
 */
export async function findJava(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<string> {
  const tried: string[] = [];
  for (const home of [env.TRINO_JAVA_HOME, env.JAVA_HOME].filter((h): h is string => !!h)) {
    const v = await javaMajor(home);
    if (v !== undefined && v >= TRINO_MIN_JAVA) return home;
    tried.push(`${home} (${v ?? "no release file"})`);
  }
  const candidates: { home: string; v: number }[] = [];
  try {
    for await (const e of Deno.readDir("/usr/lib/jvm")) {
      const home = join("/usr/lib/jvm", e.name);
      const v = await javaMajor(home);
      if (v !== undefined) candidates.push({ home, v });
    }
  } catch {
    // No /usr/lib/jvm: only the variables above count.
  }
  candidates.sort((a, b) => b.v - a.v);
  if (candidates.length > 0 && candidates[0].v >= TRINO_MIN_JAVA) return candidates[0].home;
  tried.push(...candidates.map((c) => `${c.home} (${c.v})`));
  throw new Error(
    `Trino ${TRINO_VERSION} needs Java ${TRINO_MIN_JAVA} or newer; found ${tried.join(", ") || "none"}. ` +
      `Install a JDK (e.g. Temurin 25) and set TRINO_JAVA_HOME to it`,
  );
}
