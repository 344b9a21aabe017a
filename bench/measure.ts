/**
 * Runs one measured command in its own process and reports its wall time and peak RSS: from `/usr/bin/time -v`
 * when present, else from the process's VmHWM polled in /proc. A watchdog kills a process whose RSS passes a
 * cap, so a peer that would exhaust the machine's memory ends as "aborted" instead of waking the OOM killer.
 */

export interface Measured {
  ok: boolean;
  /** Wall-clock seconds of the whole process, start-up included. */
  wallSeconds: number;
  /** Peak resident set size in bytes (null when it could not be read). */
  peakRssBytes: number | null;
  /** The JSON line the command printed last on stdout, if any. */
  output: Record<string, unknown> | null;
  /** Why it failed: exit status and the last lines of stderr, or the watchdog's reason. */
  error?: string;
}

export interface MeasureOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the process when its RSS passes this many bytes. */
  rssCapBytes?: number;
}

const TIME = "/usr/bin/time";
let timeAvailable: boolean | undefined;

async function hasGnuTime(): Promise<boolean> {
  if (timeAvailable === undefined) {
    try {
      const out = await new Deno.Command(TIME, { args: ["-v", "true"], stdout: "null", stderr: "piped" })
        .output();
      timeAvailable = new TextDecoder().decode(out.stderr).includes("Maximum resident set size");
    } catch {
      timeAvailable = false;
    }
  }
  return timeAvailable;
}

async function readStatus(pid: number): Promise<{ rss: number; hwm: number } | null> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = (key: string) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch (e) {
    // Deno 2.9 reads /proc only with --allow-all, which no task gets: say once that the watchdog is off.
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) warnNoProc();
    return null;
  }
}

let warned = false;
function warnNoProc(): void {
  if (warned) return;
  warned = true;
  console.error(
    "warning: the RSS watchdog (--rss-cap) is off: Deno reads /proc only with --allow-all " +
      "(run deno run -A bench/bench.ts for it); peak RSS still comes from GNU time",
  );
}

async function childrenOf(pid: number): Promise<number[]> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`);
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Runs `cmd args…` and measures it. Never throws for a failing command: `ok` is false and `error` says why. */
export async function measure(cmd: string, args: string[], options: MeasureOptions = {}): Promise<Measured> {
  const useTime = await hasGnuTime();
  const timeFile = useTime ? await Deno.makeTempFile({ prefix: "bench-time-" }) : "";
  const started = performance.now();
  const child = new Deno.Command(useTime ? TIME : cmd, {
    args: useTime ? ["-v", "-o", timeFile, cmd, ...args] : args,
    env: options.env,
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let polledHwm = 0;
  let killedFor: string | undefined;
  const cap = options.rssCapBytes ?? Infinity;
  const poll = setInterval(async () => {
    const pids = useTime ? await childrenOf(child.pid) : [child.pid];
    for (const pid of pids) {
      const s = await readStatus(pid);
      if (!s) continue;
      polledHwm = Math.max(polledHwm, s.hwm);
      if (s.rss > cap && !killedFor) {
        killedFor = `aborted: RSS passed the cap of ${(cap / 2 ** 30).toFixed(1)} GiB`;
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* already gone */ }
      }
    }
  }, 100);
  const [status, stdout, stderr] = await Promise.all([
    child.status,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  clearInterval(poll);
  const wallSeconds = (performance.now() - started) / 1000;
  let peak: number | null = polledHwm || null;
  let exitCode = status.code;
  if (useTime) {
    const report = await Deno.readTextFile(timeFile).catch(() => "");
    await Deno.remove(timeFile).catch(() => {});
    const kb = report.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1];
    if (kb) peak = Number(kb) * 1024;
    const code = report.match(/Exit status: (\d+)/)?.[1];
    if (code !== undefined) exitCode = Number(code);
    if (/Command terminated by signal/.test(report) && exitCode === 0) exitCode = 128;
  }
  const lines = stdout.trim().split("\n");
  let output: Record<string, unknown> | null = null;
  try {
    output = JSON.parse(lines[lines.length - 1]);
  } catch { /* not a JSON step */ }
  if (killedFor || exitCode !== 0) {
    const tail = stderr.trim().split("\n").filter((l) => !/^Command (being timed|exited)/.test(l)).slice(-3)
      .join(" | ");
    return {
      ok: false,
      wallSeconds,
      peakRssBytes: peak,
      output,
      error: killedFor ?? `exit status ${exitCode}${tail ? `: ${tail}` : ""}`,
    };
  }
  return { ok: true, wallSeconds, peakRssBytes: peak, output };
}
