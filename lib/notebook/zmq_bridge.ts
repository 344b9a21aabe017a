/**
 * A child process that owns the ZeroMQ sockets to one kernel and relays frames over stdio as JSON
 * lines, so the executor never closes a zeromq socket in its own process.
 *
 * Why: zeromq 6.8 under Deno 2.9 segfaults in `Poller::Callback` (a libuv poll callback delivered after
 * `uv_close`) in roughly 1 of 8 sessions when sockets are closed, and a timed-out receive crashes it
 * every time. This process never closes its sockets: it exits with `Deno.exit()` when told to, and if it
 * crashes on the way out, nothing of value is lost.
 *
 * stdin:  {"op":"send","channel":"shell","frames":["<base64>",…]} | {"op":"exit"}
 * stdout: {"channel":"iopub","frames":["<base64>",…]} | {"ready":true} | {"error":"…"}
 *
 * @module
 */
import { Dealer, Subscriber } from "zeromq";
import { Buffer } from "node:buffer";

export type Channel = "shell" | "control" | "iopub" | "hb";

export interface BridgeConfig {
  endpoints: Record<Channel, string>;
  /** ZeroMQ routing id for shell and control (the session id, as Jupyter clients do). */
  identity: string;
}

function write(line: unknown): void {
  const bytes = new TextEncoder().encode(JSON.stringify(line) + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

async function main(config: BridgeConfig): Promise<void> {
  const sockets: Record<Channel, Dealer | Subscriber> = {
    shell: new Dealer({ linger: 0, routingId: config.identity }),
    control: new Dealer({ linger: 0, routingId: config.identity }),
    // The heartbeat peer is a REP socket; a DEALER that sends the empty delimiter frame a REQ would
    // send is indistinguishable to it and, unlike REQ, never blocks on a missing reply.
    hb: new Dealer({ linger: 0 }),
    iopub: new Subscriber({ linger: 0 }),
  };
  for (const [channel, socket] of Object.entries(sockets) as [Channel, Dealer | Subscriber][]) {
    socket.connect(config.endpoints[channel]);
    if (socket instanceof Subscriber) socket.subscribe();
    (async () => {
      for await (const frames of socket) {
        write({ channel, frames: frames.map((f) => Buffer.from(f).toString("base64")) });
      }
    })().catch((error) => write({ error: `${channel}: ${error.message}` }));
  }
  const queues = new Map<Channel, Promise<unknown>>();
  write({ ready: true });
  let buffered = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const command = JSON.parse(line) as { op: string; channel?: Channel; frames?: string[] };
      if (command.op === "exit") Deno.exit(0);
      if (command.op === "send" && command.channel && command.frames) {
        const socket = sockets[command.channel] as Dealer;
        const frames = command.frames.map((f) => Buffer.from(f, "base64"));
        // zeromq allows one send in flight per socket.
        const previous = queues.get(command.channel) ?? Promise.resolve();
        queues.set(
          command.channel,
          previous.then(() => socket.send(frames)).catch((error) =>
            write({ error: `${command.channel}: ${error.message}` })
          ),
        );
      }
    }
  }
  // The parent went away: nothing left to relay.
  Deno.exit(0);
}

if (import.meta.main) {
  await main(JSON.parse(Deno.args[0]) as BridgeConfig);
}
