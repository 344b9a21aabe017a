// Headless Chromium driven over the DevTools protocol (a WebSocket, no npm package): open a page at a given
// viewport, evaluate a script in it, take screenshots and print it to PDF. Chromium comes from Debian; when it is
// missing, tests fail with the install line (the same one .ci/run uses).

export const CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium=156.0.8078.114-1~deb12u1";

/** The Chromium binary: $CHROMIUM, else the usual Debian / distribution names on PATH. */
export async function findChromium(): Promise<string> {
  const candidates = [
    Deno.env.get("CHROMIUM"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      if ((await Deno.stat(c)).isFile) return c;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    `headless Chromium not found (looked for $CHROMIUM, ${
      candidates.slice(1).join(", ")
    }); install it with: ` +
      CHROMIUM_INSTALL,
  );
}

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
}

export class Browser {
  #ws: WebSocket;
  #child: Deno.ChildProcess;
  #profile: string;
  #next = 1;
  #pending = new Map<number, Pending>();
  #events: { method: string; sessionId?: string; params: Record<string, unknown> }[] = [];
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket, child: Deno.ChildProcess, profile: string) {
    this.#ws = ws;
    this.#child = child;
    this.#profile = profile;
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data));
      if (msg.id !== undefined) {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else p?.resolve(msg.result ?? {});
      } else {
        this.#events.push(msg);
        for (const w of this.#waiters.splice(0)) w();
      }
    };
  }

  /** Starts Chromium on a loopback DevTools port and connects to it. */
  static async launch(): Promise<Browser> {
    const bin = await findChromium();
    const profile = await Deno.makeTempDir({ prefix: "signin-lens-chromium-" });
    const child = new Deno.Command(bin, {
      args: [
        "--headless=new",
        "--no-sandbox", // CI runs as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        `--user-data-dir=${profile}`,
        "about:blank",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url) {
      if (Date.now() > deadline) throw new Error(`Chromium did not open its DevTools port:\n${seen}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`Chromium exited before opening its DevTools port:\n${seen}`);
      seen += value;
      url = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
    }
    // Keep draining stderr so Chromium never blocks on a full pipe.
    (async () => {
      try {
        while (!(await reader.read()).done) { /* discard */ }
      } catch { /* closed */ }
    })();
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
    return new Browser(ws, child, profile);
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  async waitFor(method: string, sessionId: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const i = this.#events.findIndex((e) => e.method === method && e.sessionId === sessionId);
      if (i >= 0) {
        this.#events.splice(i, 1);
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${method}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.#waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** A new tab showing `url` at `width` × `height` CSS pixels; mobile emulation below 500 px. */
  async open(url: string, width: number, height: number): Promise<Page> {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" }) as {
      targetId: string;
    };
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true }) as {
      sessionId: string;
    };
    await this.send("Page.enable", {}, sessionId);
    await this.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: width < 500,
    }, sessionId);
    await this.send("Page.navigate", { url }, sessionId);
    await this.waitFor("Page.loadEventFired", sessionId);
    return new Page(this, sessionId);
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.send("Browser.close"), new Promise((r) => setTimeout(r, 3000))]);
    } catch { /* already gone */ }
    this.#ws.close();
    try {
      this.#child.kill("SIGKILL");
    } catch { /* exited */ }
    await this.#child.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}

export class Page {
  constructor(readonly browser: Browser, readonly sessionId: string) {}

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.browser.send(
      "Runtime.evaluate",
      { expression, returnByValue: true },
      this.sessionId,
    ) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) {
      throw new Error(
        `page script failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`,
      );
    }
    return r.result.value;
  }

  emulateMedia(media: "screen" | "print"): Promise<unknown> {
    return this.browser.send("Emulation.setEmulatedMedia", { media }, this.sessionId);
  }

  /** A PNG of the whole page (beyond the viewport), at the current width. */
  async screenshot(): Promise<Uint8Array> {
    const r = await this.browser.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
    }, this.sessionId) as { data: string };
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }

  /** The page printed to PDF on A4 with CSS page rules honoured. */
  async pdf(): Promise<Uint8Array> {
    const r = await this.browser.send("Page.printToPDF", {
      paperWidth: 8.27,
      paperHeight: 11.69,
      preferCSSPageSize: true,
      printBackground: true,
    }, this.sessionId) as { data: string };
    return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
  }
}
