/**
 * The progress line of a pull on a terminal: pages, records, current window, throttling waits, ETA.
 * `ProgressState` folds events (pure); `ProgressLine` redraws one stderr line, only on a TTY.
 */
import type { PullEvent } from "./pull.ts";
import { iso } from "./windows.ts";

export class ProgressState {
  pages = 0;
  records = 0;
  windowsDone = 0;
  windowsTotal = 0;
  windowsSkipped = 0;
  spanTotalMs = 0;
  spanDoneMs = 0;
  current?: { stream: string; start: number; end: number; index: number; reachedMs?: number };
  throttled = 0;
  retries = 0;
  waitedMs = 0;
  waitingUntil?: number;
  waitReason?: string;
  startedAt: number;

  constructor(now: number) {
    this.startedAt = now;
  }

  apply(e: PullEvent, now: number): void {
    switch (e.type) {
      case "plan":
        this.windowsTotal = e.windows;
        this.windowsSkipped = e.skipped;
        this.spanTotalMs = e.spanMs;
        break;
      case "window-start":
        this.current = { stream: e.stream, start: e.start, end: e.end, index: e.index };
        this.waitingUntil = undefined;
        break;
      case "page": {
        this.pages++;
        this.records += e.records;
        this.waitingUntil = undefined;
        const t = e.lastTimestamp ? Date.parse(e.lastTimestamp) : NaN;
        // Graph lists newest first, so the oldest record seen tells how far into the window we are.
        if (this.current && Number.isFinite(t)) {
          this.current.reachedMs = Math.max(0, Math.min(e.end - t, e.end - e.start));
        }
        break;
      }
      case "window-done":
        this.windowsDone++;
        this.spanDoneMs += e.end - e.start;
        this.current = undefined;
        break;
      case "retry":
        this.retries++;
        if (e.throttled) this.throttled++;
        this.waitedMs += e.waitMs;
        this.waitingUntil = now + e.waitMs;
        this.waitReason = e.throttled ? "throttled" : `retry (${e.reason})`;
        break;
      case "paced":
        this.waitedMs += e.waitMs;
        this.waitingUntil = now + e.waitMs;
        this.waitReason = "pacing";
        break;
      default:
        break;
    }
  }

  /** Remaining time estimated from the share of the planned time span covered so far. */
  etaMs(now: number): number | undefined {
    const done = this.spanDoneMs + (this.current?.reachedMs ?? 0);
    const elapsed = now - this.startedAt;
    if (done <= 0 || elapsed < 1000 || this.spanTotalMs <= 0) return undefined;
    return Math.max(0, (elapsed * (this.spanTotalMs - done)) / done);
  }

  format(now: number): string {
    const parts = [
      `window ${this.windowsDone + this.windowsSkipped + (this.current ? 1 : 0)}/${this.windowsTotal}`,
      `${this.pages} pages`,
      `${this.records.toLocaleString("en-US")} records`,
    ];
    if (this.current) {
      const start = iso(this.current.start).slice(0, 16).replace("T", " ");
      const end = iso(this.current.end).slice(11, 16);
      parts.push(`${this.current.stream} ${start}–${end === "00:00" ? "24:00" : end}`);
    }
    if (this.waitingUntil && this.waitingUntil > now) {
      parts.push(`${this.waitReason}, waiting ${Math.ceil((this.waitingUntil - now) / 1000)} s`);
    } else if (this.throttled > 0) {
      parts.push(`throttled ${this.throttled}×`);
    }
    const eta = this.etaMs(now);
    if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    return parts.join(" · ");
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Redraws the progress line on stderr at most a few times a second; silent when stderr is not a terminal. */
export class ProgressLine {
  #state: ProgressState;
  #enabled: boolean;
  #last = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #encoder = new TextEncoder();
  #now: () => number;

  constructor(enabled = Deno.stderr.isTerminal(), now: () => number = Date.now) {
    this.#enabled = enabled;
    this.#now = now;
    this.#state = new ProgressState(now());
    // Keeps the countdown of a throttling wait moving while no event arrives.
    if (enabled) this.#timer = setInterval(() => this.#draw(true), 1000);
  }

  get state(): ProgressState {
    return this.#state;
  }

  onEvent = (e: PullEvent): void => {
    this.#state.apply(e, this.#now());
    if (e.type === "warning") this.printLine(`warning: ${e.message}`);
    else if (e.type === "note") {
      if (this.#enabled) this.printLine(`note: ${e.message}`);
    } else this.#draw(e.type !== "page");
  };

  /** Prints a whole line above the progress line (warnings). */
  printLine(text: string): void {
    this.#write(this.#enabled ? `\r\x1b[2K${text}\n` : `${text}\n`);
    this.#draw(true);
  }

  #draw(force: boolean): void {
    if (!this.#enabled) return;
    const now = this.#now();
    if (!force && now - this.#last < 200) return;
    this.#last = now;
    let cols = 120;
    try {
      cols = Deno.consoleSize().columns;
    } catch {
      // not a console: keep the default width
    }
    // A pseudo-terminal without a size (script, some CI runners) reports 0 columns.
    if (!(cols >= 40)) cols = 120;
    this.#write(`\r\x1b[2K${this.#state.format(now).slice(0, Math.max(20, cols - 1))}`);
  }

  #write(text: string): void {
    const bytes = this.#encoder.encode(text);
    let off = 0;
    while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
  }

  /** Clears the line; call once when the pull ends. */
  close(): void {
    clearInterval(this.#timer);
    if (this.#enabled) this.#write("\r\x1b[2K");
  }
}
