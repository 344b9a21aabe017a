/**
 * A client for one Deno Jupyter kernel process, speaking the Jupyter messaging protocol v5.3 over
 * ZeroMQ (shell and control DEALER, iopub SUB, heartbeat echo). The sockets live in a small relay
 * process (zmq_bridge.ts), because closing zeromq sockets inside this process can crash it.
 *
 * iopub messages are kept per parent `msg_id` for the whole life of the session, so output that
 * the kernel publishes after it reported idle (it does, by 1–2 ms) still lands on the right cell.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createServer, type Server } from "node:net";
import type { Channel } from "./zmq_bridge.ts";
import { decodeMessage, encodeMessage, type JupyterMessage, makeHeader, type SessionInfo } from "./wire.ts";

/** Why a kernel operation failed; callers turn this into a message naming the notebook and cell. */
export type KernelFailure = "startup" | "exited" | "timeout" | "heartbeat";

export class KernelError extends Error {
  override name = "KernelError";
  constructor(readonly kind: KernelFailure, message: string) {
    super(message);
  }
}

export interface KernelOptions {
  /** Working directory of the kernel: relative imports and files resolve from here. */
  cwd: string;
  /** Extra environment for the kernel, on top of this process's environment and `NO_COLOR=1`. */
  env?: Record<string, string>;
  /** The deno binary; defaults to the one running this code. */
  execPath?: string;
  /** How long the kernel may take to answer its first kernel_info_request. */
  startupTimeoutMs?: number;
  /** Heartbeat ping period; 0 disables the heartbeat. */
  heartbeatIntervalMs?: number;
  /** The kernel counts as dead when no heartbeat came back for this long. */
  heartbeatTimeoutMs?: number;
}

/** One iopub message addressed to a request, with when it came relative to the idle status. */
export interface IopubRecord {
  msgType: string;
  content: Record<string, unknown>;
  /** Milliseconds since the session started. */
  at: number;
  /** True when the kernel had already reported idle for this request: a stop-at-idle client loses it. */
  afterIdle: boolean;
}

export interface ExecuteReply {
  msgId: string;
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface ExecuteOptions {
  silent?: boolean;
  /** The request's msg_id, so callers can read its iopub messages even when it fails. */
  msgId?: string;
  /** Fails with a "timeout" KernelError when reply and idle have not both come by then. */
  timeoutMs?: number;
}

interface RequestState {
  events: IopubRecord[];
  idle: boolean;
  reply?: JupyterMessage;
  settle?: () => void;
}

const live = new Set<KernelSession>();

/** Kills every kernel this process started and has not shut down (for signal handlers and exit). */
export function killAllKernels(): void {
  for (const session of live) session.kill();
}

globalThis.addEventListener("unload", killAllKernels);

/** Picks `count` distinct free ports; all are held open until every one is chosen. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            resolve(typeof address === "object" && address !== null ? address.port : 0);
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class KernelSession {
  readonly session: SessionInfo = { session: crypto.randomUUID(), username: "signin-lens" };
  /** The kernel_info_reply content. */
  kernelInfo: Record<string, unknown> = {};
  /** iopub messages whose parent this client did not send (the kernel's own, parentless ones are not counted). */
  orphanMessages = 0;
  /**
   * Startup's kernel_info requests, once answered. A busy machine makes startup ask several times, and the
   * kernel may still publish its status for an earlier ask afterwards: that is not an orphan.
   */
  #retired = new Set<string>();
  /** Messages dropped because they were malformed or wrongly signed. */
  readonly wireErrors: string[] = [];

  readonly #key: string;
  readonly #started = performance.now();
  readonly #requests = new Map<string, RequestState>();
  readonly #child: Deno.ChildProcess;
  readonly #dir: string;
  #bridge?: Deno.ChildProcess;
  #bridgeIn?: WritableStreamDefaultWriter<Uint8Array>;
  #bridgeReady?: () => void;
  #lastBeat = performance.now();
  #output = "";
  #exited = false;
  #failure?: KernelError;
  #failureListeners = new Set<(error: KernelError) => void>();
  #iopubSeen = false;
  #lastIopubAt = performance.now();
  #closed = false;
  #tasks: Promise<unknown>[] = [];

  private constructor(child: Deno.ChildProcess, dir: string, key: string) {
    this.#child = child;
    this.#dir = dir;
    this.#key = key;
  }

  /** Process id of the kernel, which is also its process group id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** The last 8 KB the kernel wrote to stdout and stderr, without its "unstable" banner. */
  get output(): string {
    return this.#output.replace(/^Warning "deno jupyter" is unstable.*\n?/m, "");
  }

  /** Starts a kernel and resolves once it answers on shell and publishes on iopub. */
  static async start(options: KernelOptions): Promise<KernelSession> {
    // Ports are picked here and bound by the kernel a moment later; another process can take one
    // in between, so a kernel that could not bind is retried with fresh ports.
    for (let attempt = 1;; attempt++) {
      try {
        return await KernelSession.#startOnce(options);
      } catch (error) {
        const addrInUse = error instanceof KernelError &&
          /AddrInUse|Address already in use/.test(error.message);
        if (!addrInUse || attempt >= 3) throw error;
      }
    }
  }

  static async #startOnce(options: KernelOptions): Promise<KernelSession> {
    const [shell, iopub, stdin, control, hb] = await freePorts(5);
    const ports = {
      shell_port: shell,
      iopub_port: iopub,
      stdin_port: stdin,
      control_port: control,
      hb_port: hb,
    };
    const dir = await Deno.makeTempDir({ prefix: "signin-lens-kernel-" });
    const connectionFile = `${dir}/connection.json`;
    const key = crypto.randomUUID();
    await Deno.writeTextFile(
      connectionFile,
      JSON.stringify({ ...ports, ip: "127.0.0.1", transport: "tcp", signature_scheme: "hmac-sha256", key }),
      { mode: 0o600 },
    );
    const execPath = options.execPath ?? Deno.execPath();
    const child = new Deno.Command(execPath, {
      args: ["jupyter", "--kernel", "--conn", connectionFile],
      cwd: options.cwd,
      env: { ...Deno.env.toObject(), NO_COLOR: "1", ...options.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // A new process group, so a timeout can kill the kernel together with anything a cell spawned.
      detached: true,
    }).spawn();
    const session = new KernelSession(child, dir, key);
    live.add(session);
    try {
      await session.#connect(execPath, ports, options);
    } catch (error) {
      await session.shutdown();
      throw error;
    }
    return session;
  }

  async #connect(execPath: string, ports: Record<string, number>, options: KernelOptions): Promise<void> {
    const url = (port: number) => `tcp://127.0.0.1:${port}`;
    this.#tasks.push(this.#collect(this.#child.stdout), this.#collect(this.#child.stderr));
    this.#tasks.push(this.#child.status.then((status) => {
      this.#exited = true;
      const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
      this.#fail(new KernelError("exited", `Kernel process exited with ${how}`));
    }));
    const endpoints: Record<Channel, string> = {
      shell: url(ports.shell_port),
      control: url(ports.control_port),
      iopub: url(ports.iopub_port),
      hb: url(ports.hb_port),
    };
    const bridge = new Deno.Command(execPath, {
      args: [
        "run",
        "--allow-ffi",
        "--allow-env",
        "--allow-read",
        "--allow-sys",
        "--allow-net=127.0.0.1",
        "--config",
        decodeURIComponent(new URL("../../deno.json", import.meta.url).pathname),
        decodeURIComponent(new URL("./zmq_bridge.ts", import.meta.url).pathname),
        JSON.stringify({ endpoints, identity: this.session.session }),
      ],
      env: { ...Deno.env.toObject(), NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#bridge = bridge;
    this.#bridgeIn = bridge.stdin.getWriter();
    const ready = new Promise<void>((resolve) => this.#bridgeReady = resolve);
    this.#tasks.push(this.#readBridge(bridge.stdout), this.#collect(bridge.stderr));
    this.#tasks.push(bridge.status.then((status) => {
      if (!this.#closed) {
        this.#fail(new KernelError("exited", `ZeroMQ relay exited with code ${status.code}`));
      }
    }));

    const deadline = performance.now() + (options.startupTimeoutMs ?? 60_000);
    const startupError = () =>
      this.#failure
        ? new KernelError("startup", `${this.#failure.message} during startup${this.#outputNote()}`)
        : performance.now() > deadline
        ? new KernelError(
          "startup",
          `Kernel did not answer within ${options.startupTimeoutMs ?? 60_000} ms${this.#outputNote()}`,
        )
        : undefined;
    let readyTimer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      ready,
      new Promise((resolve) => readyTimer = setTimeout(resolve, options.startupTimeoutMs ?? 60_000)),
    ]);
    clearTimeout(readyTimer);
    // The kernel drops requests that reach it before it is ready, and a SUB socket misses what is
    // published before its subscription lands: ask until both a reply and an iopub status arrive.
    let reply: JupyterMessage | undefined;
    const asked: string[] = [];
    while (!(reply && this.#iopubSeen)) {
      const error = startupError();
      if (error) throw error;
      const header = makeHeader("kernel_info_request", this.session);
      asked.push(header.msg_id);
      this.#requests.set(header.msg_id, { events: [], idle: false });
      await this.#send(
        "shell",
        encodeMessage({ header, parent_header: {}, metadata: {}, content: {} }, this.#key),
      );
      await delay(reply ? 50 : 250);
      reply ??= asked.map((id) => this.#requests.get(id)?.reply).find((r) => r !== undefined);
    }
    for (const id of asked) {
      this.#requests.delete(id);
      this.#retired.add(id);
    }
    this.kernelInfo = reply.content;
    if ((options.heartbeatIntervalMs ?? 1000) > 0) {
      this.#tasks.push(this.#beat(options.heartbeatIntervalMs ?? 1000, options.heartbeatTimeoutMs ?? 30_000));
    }
  }

  async #send(channel: Channel, frames: Uint8Array[]): Promise<void> {
    if (!this.#bridgeIn || this.#closed) return;
    const line = JSON.stringify({
      op: "send",
      channel,
      frames: frames.map((f) => Buffer.from(f).toString("base64")),
    });
    await this.#bridgeIn.write(new TextEncoder().encode(line + "\n"));
  }

  #outputNote(): string {
    const text = this.output.trim();
    return text === "" ? "" : `; kernel output: ${text.slice(-2000)}`;
  }

  async #collect(stream: ReadableStream<Uint8Array>): Promise<void> {
    try {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        this.#output = (this.#output + chunk).slice(-8192);
      }
    } catch {
      // The stream ends with the process; nothing to report beyond the exit status.
    }
  }

  async #readBridge(stream: ReadableStream<Uint8Array>): Promise<void> {
    let buffered = "";
    try {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffered.slice(0, newline)) as {
            channel?: Channel;
            frames?: string[];
            ready?: boolean;
            error?: string;
          };
          buffered = buffered.slice(newline + 1);
          if (line.ready) this.#bridgeReady?.();
          if (line.error && !this.#closed) this.wireErrors.push(line.error);
          if (line.channel && line.frames) {
            this.#receive(line.channel, line.frames.map((f) => new Uint8Array(Buffer.from(f, "base64"))));
          }
        }
      }
    } catch (error) {
      if (!this.#closed) this.wireErrors.push(`relay: ${(error as Error).message}`);
    }
  }

  #receive(channel: Channel, frames: Uint8Array[]): void {
    if (channel === "hb") {
      this.#lastBeat = performance.now();
      return;
    }
    let message: JupyterMessage;
    try {
      message = decodeMessage(frames, this.#key);
    } catch (error) {
      this.wireErrors.push(`${channel}: ${(error as Error).message}`);
      return;
    }
    const state = this.#requests.get(message.parent_header.msg_id ?? "");
    if (channel !== "iopub") {
      if (state) {
        state.reply = message;
        state.settle?.();
      }
      return;
    }
    this.#iopubSeen = true;
    this.#lastIopubAt = performance.now();
    if (!state) {
      // A message with no parent is the kernel's own (its "starting" status, which a subscription that
      // lands early on a busy machine receives): not addressed to any request, so not an orphan either.
      const parent = message.parent_header.msg_id ?? "";
      if (parent !== "" && !this.#retired.has(parent)) this.orphanMessages++;
      return;
    }
    const type = message.header.msg_type;
    if (type === "status") {
      if (message.content.execution_state === "idle") {
        state.idle = true;
        state.settle?.();
      }
      return;
    }
    state.events.push({
      msgType: type,
      content: message.content,
      at: performance.now() - this.#started,
      afterIdle: state.idle,
    });
  }

  async #beat(intervalMs: number, timeoutMs: number): Promise<void> {
    // The heartbeat is a REQ/REP echo; the relay's DEALER sends the empty delimiter frame a REQ would.
    this.#lastBeat = performance.now();
    const ping = [new Uint8Array(0), new TextEncoder().encode("ping")];
    while (!this.#closed && !this.#failure) {
      const sentAt = performance.now();
      await this.#send("hb", ping).catch(() => {});
      while (!this.#closed && performance.now() - sentAt < intervalMs) await delay(50);
      if (!this.#closed && performance.now() - this.#lastBeat > timeoutMs) {
        this.#fail(new KernelError("heartbeat", `Kernel did not answer heartbeats for ${timeoutMs} ms`));
      }
    }
  }

  #fail(error: KernelError): void {
    if (this.#failure || this.#closed) return;
    this.#failure = error;
    for (const listener of this.#failureListeners) listener(error);
  }

  /** Sends an execute_request and waits for both its reply and its idle status. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    if (this.#failure) throw this.#failure;
    const header = makeHeader("execute_request", this.session, { msgId: options.msgId });
    const state: RequestState = { events: [], idle: false };
    this.#requests.set(header.msg_id, state);
    const content = {
      code,
      silent: options.silent ?? false,
      store_history: !(options.silent ?? false),
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onFailure: ((error: KernelError) => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        state.settle = () => {
          if (state.idle && state.reply) resolve();
        };
        onFailure = (error) => reject(error);
        this.#failureListeners.add(onFailure);
        if (options.timeoutMs !== undefined) {
          timer = setTimeout(
            () => reject(new KernelError("timeout", `Kernel did not finish within ${options.timeoutMs} ms`)),
            options.timeoutMs,
          );
        }
        this.#send("shell", encodeMessage({ header, parent_header: {}, metadata: {}, content }, this.#key))
          .catch((error) =>
            reject(new KernelError("exited", `Could not send to the kernel: ${error.message}`))
          );
      });
    } finally {
      clearTimeout(timer);
      if (onFailure) this.#failureListeners.delete(onFailure);
    }
    const reply = state.reply!.content;
    const status = reply.status === "ok" || reply.status === "aborted" ? reply.status : "error";
    return {
      msgId: header.msg_id,
      status,
      executionCount: typeof reply.execution_count === "number" ? reply.execution_count : null,
      ...(status === "error"
        ? {
          ename: String(reply.ename ?? "Error"),
          evalue: String(reply.evalue ?? ""),
          traceback: Array.isArray(reply.traceback) ? reply.traceback.map(String) : [],
        }
        : {}),
    };
  }

  /** Every iopub message received so far for a request (by its msg_id), in arrival order. */
  events(msgId: string): IopubRecord[] {
    return this.#requests.get(msgId)?.events ?? [];
  }

  /** Waits until iopub has been quiet for `quietMs` (at most `maxMs`), so late output has landed. */
  async drain(quietMs: number, maxMs = 10 * quietMs): Promise<void> {
    const end = performance.now() + maxMs;
    while (performance.now() < end && !this.#exited) {
      const quietFor = performance.now() - this.#lastIopubAt;
      if (quietFor >= quietMs) return;
      await delay(Math.min(quietMs - quietFor, end - performance.now()) + 1);
    }
  }

  /** Kills the kernel's whole process group at once (no-op once it is gone). */
  kill(): void {
    try {
      Deno.kill(-this.#child.pid, "SIGKILL");
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /**
   * Kills the kernel's whole process group, so nothing a cell started outlives the run, stops the
   * relay and removes the connection file. No shutdown_request: the kernel has nothing to save.
   */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.kill();
    await this.#child.status;
    live.delete(this);
    if (this.#bridge) {
      await this.#bridgeIn?.write(new TextEncoder().encode(JSON.stringify({ op: "exit" }) + "\n")).catch(
        () => {},
      );
      await this.#bridgeIn?.close().catch(() => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const exited = await Promise.race([
        this.#bridge.status.then(() => true),
        new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 2000)),
      ]);
      clearTimeout(timer);
      if (!exited) {
        try {
          this.#bridge.kill("SIGKILL");
        } catch {
          // Already gone.
        }
        await this.#bridge.status;
      }
    }
    await Promise.allSettled(this.#tasks);
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }
}
