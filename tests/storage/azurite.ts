/**
 * Azurite, Microsoft's Azure Storage emulator, pinned, from the npm registry: each test run starts its own blob
 * service on 127.0.0.1 at a free port with a throw-away directory, and stops it. npx installs the pinned
 * version into npm's cache on first use; the blob server then runs as a direct child of this process, so
 * stopping it is one kill of a known pid.
 */
export const AZURITE_VERSION = "3.35.0";

/** Azurite's documented development account (the same for every Azurite; not a secret). */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  port: number;
  connectionString: string;
  accountUrl: string;
  stop(): Promise<void>;
}

const npx = Deno.build.os === "windows" ? "npx.cmd" : "npx";

async function blobServerBin(): Promise<string> {
  const out = await new Deno.Command(npx, {
    args: ["-y", "-p", `azurite@${AZURITE_VERSION}`, "which", "azurite-blob"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const bin = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !bin) {
    throw new Error(
      `cannot install azurite@${AZURITE_VERSION} with npx: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return bin;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

export async function startAzurite(): Promise<Azurite> {
  const bin = await blobServerBin();
  const dir = await Deno.makeTempDir({ prefix: "azurite-" });
  const port = freePort();
  const child = new Deno.Command("node", {
    args: [
      bin,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--location",
      dir,
      "--silent",
      "--skipApiVersionCheck",
      "--loose",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`Azurite did not listen on 127.0.0.1:${port} within 30 s`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const accountUrl = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return {
    port,
    accountUrl,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${accountUrl};`,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.stderr.cancel().catch(() => {});
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
