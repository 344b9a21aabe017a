/**
 * `deno task pull` as a real subprocess against the fake: killed mid-run and resumed, failing runs that
 * must not leak secrets, and the CLI contract (help, exit codes, one-line errors).
 */
import assert from "node:assert/strict";
import { loadCheckpoint } from "../../lib/graph/checkpoint.ts";
import { type FakeGraph, makeSignIns, sampleRecords, startFakeGraph } from "../fakes/graph_server.ts";
import { loadFiles, openStore } from "../../lib/store/mod.ts";
import { countIds, readAllFiles, secretForms } from "./helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DAY = 86_400_000;

function pullCommand(args: string[], env: Record<string, string>, piped = true): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "pull", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: piped ? "piped" : "null",
    stderr: piped ? "piped" : "null",
  });
}

function baseEnv(): Record<string, string> {
  const keep = ["PATH", "HOME", "DENO_DIR", "NODE_EXTRA_CA_CERTS", "DENO_TLS_CA_STORE"];
  // A developer's own .env must not leak into these runs.
  return {
    ...Object.fromEntries(keep.flatMap((k) => (Deno.env.get(k) ? [[k, Deno.env.get(k)!]] : []))),
    SIGNIN_LENS_ENV_FILE: "",
  };
}

async function runPull(args: string[], env: Record<string, string>) {
  const out = await pullCommand(args, { ...baseEnv(), ...env }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** SIGKILLs a process and all its descendants (`deno task` runs the pull as a child process). */
function killTree(pid: number): void {
  const children: number[] = [];
  try {
    for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
      const text = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/children`).trim();
      if (text) children.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // already gone
  }
  for (const c of children) killTree(c);
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function waitFor(cond: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("deno task pull killed mid-run and resumed leaves every record on disk exactly once", async () => {
  // The sample tenant: realistic beta sign-ins, interactive and non-interactive, ending 2026-11-01.
  const { signIns } = sampleRecords({ users: 40, days: 7, seed: 7, end: "2026-11-01T00:00:00Z" });
  const from = "2026-10-26T00:00:00Z";
  const to = "2026-11-01T00:00:00Z";
  // Killed the moment a continuation page of a window is requested after 40 pages: that window is
  // started, has pages on disk, and cannot finish (the client is waiting for this response).
  let victim: Deno.ChildProcess | undefined;
  let killed = false;
  const fake: FakeGraph = await startFakeGraph({
    signIns,
    latencyMs: 15,
    onGraphRequest: ({ query }) => {
      if (!killed && victim && query.$skiptoken && fake.stats.pagesServed >= 40) {
        killed = true;
        killTree(victim.pid);
      }
    },
    faults: [
      { type: "429", at: 3, retryAfter: "1" },
      { type: "drop", at: 8 },
      { type: "503", at: 12, retryAfter: "1" },
      { type: "expireToken", at: 16 },
      { type: "stall", at: 60 },
      { type: "drop", at: 75 },
    ],
  });
  const out = await Deno.makeTempDir({ prefix: "pull_kill_" });
  try {
    const args = [
      ...["--from", from, "--to", to, "--api", "beta", "--event-types", "interactive,nonInteractive"],
      ...["--out", out, "--pace", "off", "--top", "40", "--timeout", "1s", "--quiet"],
    ];
    assert.ok(signIns.length > 3000, `${signIns.length} sample records`);
    const child = pullCommand(args, { ...baseEnv(), ...fake.env }, false).spawn();
    victim = child;
    await waitFor(() => killed, "the kill mid-window");
    const status = await child.status;
    assert.equal(status.success, false);
    assert.equal(status.signal, "SIGKILL");
    const cp = await loadCheckpoint(out);
    const states = Object.values(cp.windows).map((w) => w.status);
    assert.ok(states.includes("started"), `a window was cut: ${states}`);
    assert.ok(states.includes("done"), `a window had finished: ${states}`);

    const second = await runPull(args.filter((a) => a !== "--quiet"), fake.env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /1 redone after an interrupted run/);

    const expected = signIns.filter((r) => r.time >= Date.parse(from) && r.time < Date.parse(to)).map((r) =>
      r.id
    ).sort();
    const counts = await countIds(out);
    assert.deepEqual([...counts].filter(([, n]) => n !== 1), [], "duplicated records");
    assert.deepEqual([...counts.keys()].sort(), expected);
    const leftovers = (await readAllFiles(out)).filter((f) =>
      f.path.endsWith(".partial") || f.path.endsWith("/lock")
    );
    assert.deepEqual(leftovers.map((f) => f.path), []);
    assert.ok(Object.values((await loadCheckpoint(out)).windows).every((w) => w.status === "done"));

    // What the analyst gets in the end: the pulled pages loaded into a store, each sign-in exactly once.
    const store = await openStore();
    try {
      const loaded = await loadFiles(store, [out]);
      assert.equal(loaded.read, expected.length, "every record read once from the pages");
      const ids = (await store.connection.runAndReadAll(`SELECT id FROM signins ORDER BY id`))
        .getRowObjectsJS()
        .map((r) => String(r.id));
      assert.deepEqual(ids, expected);
    } finally {
      store.close();
    }
    assert.ok(fake.stats.faultsInjected.drop >= 1 && fake.stats.faultsInjected["429"] === 1);
  } finally {
    await fake.close();
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("failing pulls never write a secret or token to stdout, stderr or any file", async () => {
  const now = Date.now();
  const signIns = makeSignIns({ count: 600, from: now - 2 * DAY, to: now });
  const cases: {
    name: string;
    faults: Parameters<typeof startFakeGraph>[0];
    env?: Record<string, string>;
    expect: RegExp;
  }[] = [
    {
      name: "permission denied midway",
      faults: { signIns, faults: [{ type: "expireToken", at: 2 }, { type: "forbidden", at: 5 }] },
      expect: /^error: Graph \/v1\.0\/auditLogs\/signIns answered 403 Authorization_RequestDenied: /,
    },
    {
      name: "wrong client secret",
      faults: { signIns },
      env: { AZURE_CLIENT_SECRET: "Wrong~Client~Secret~Value~42" },
      expect:
        /^error: Token request to http:\/\/127\.0\.0\.1:\d+ for app [0-9a-f-]+ failed: invalid_client: AADSTS7000215/,
    },
    {
      name: "token endpoint echoing the secret form-encoded",
      faults: {
        signIns,
        clientSecret: "S3cr3t~Probe/ZXQ+v8=",
        faults: [{ type: "tokenEchoSecret", at: 1 }],
      },
      expect:
        /^error: Token request to http:\/\/127\.0\.0\.1:\d+ for app [0-9a-f-]+ failed: invalid_client: AADSTS7000215: Invalid client secret provided \(use the secret's value, not its ID\)$/,
    },
    {
      name: "token rejected after refresh",
      faults: { signIns, faults: [{ type: "expireToken", at: 3, times: 2 }] },
      expect: /^error: Graph .* answered 401 InvalidAuthenticationToken/,
    },
    {
      name: "retries exhausted",
      faults: { signIns, faults: [{ type: "503", at: 2, times: 100, retryAfter: "0" }] },
      expect:
        /^error: Gave up on \/v1\.0\/auditLogs\/signIns after 8 attempts; last fault: 503 ServiceUnavailable$/,
    },
  ];
  for (const c of cases) {
    const fake = await startFakeGraph(c.faults);
    const out = await Deno.makeTempDir({ prefix: "pull_secret_" });
    try {
      const env = { ...fake.env, ...c.env };
      const r = await runPull(["--since", "1d", "--out", out, "--pace", "off", "--top", "50"], env);
      assert.equal(r.code, 1, `${c.name}: ${r.stderr}`);
      const lines = r.stderr.trimEnd().split("\n").filter((l) => !l.startsWith("warning: "));
      assert.equal(lines.length, 1, `${c.name}: one line on stderr, got ${r.stderr}`);
      assert.match(lines[0], c.expect, c.name);
      assert.ok(!/\n\s+at /.test(r.stderr), `${c.name}: no stack trace`);
      const secrets = [
        ...Object.values(secretForms(env.AZURE_CLIENT_SECRET)),
        ...Object.values(secretForms(fake.clientSecret)),
        ...fake.stats.issuedTokens,
      ];
      const texts = [r.stdout, r.stderr, ...(await readAllFiles(out)).map((f) => `${f.path}\n${f.text}`)];
      for (const s of secrets) {
        for (const t of texts) assert.ok(!t.includes(s), `${c.name}: a secret leaked into ${t.slice(0, 80)}`);
      }
      for (const t of texts) {
        assert.ok(!/Bearer\s+\S{8}/.test(t), `${c.name}: bearer token in ${t.slice(0, 80)}`);
      }
    } finally {
      await fake.close();
      await Deno.remove(out, { recursive: true });
    }
  }
});

Deno.test("deno task pull --help prints options and an example; wrong options exit 2 with usage", async () => {
  const help = await runPull(["--help"], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: deno task pull \[options\]/);
  assert.match(help.stdout, /Example:\n\s+deno task pull --since 24h/);

  const bad = await runPull(["--kind", "users"], {});
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --kind must be signins, audits or all, not "users"\n\nUsage: /);
  assert.ok(!/\n\s+at /.test(bad.stderr));

  const noEnv = await runPull(["--since", "1h"], {});
  assert.equal(noEnv.code, 2);
  assert.match(noEnv.stderr, /^error: Configuration has 3 problems: AZURE_TENANT_ID is not set/);
  assert.equal(noEnv.stderr.trimEnd().split("\n").length, 1);
});

Deno.test("deno task pull takes its credentials from an env file, and the real environment wins", async () => {
  const now = Date.now();
  const fake = await startFakeGraph({ signIns: makeSignIns({ count: 120, from: now - DAY, to: now }) });
  const dir = await Deno.makeTempDir();
  try {
    const envFile = `${dir}/tenant.env`;
    const lines = Object.entries(fake.env).map(([k, v]) => `${k}="${v}"`);
    await Deno.writeTextFile(envFile, `# written by the test\n${lines.join("\n")}\n`);
    const ok = await runPull(["--since", "1d", "--out", `${dir}/raw`, "--pace", "off"], {
      SIGNIN_LENS_ENV_FILE: envFile,
    });
    assert.equal(ok.code, 0, ok.stderr);
    // A wrong secret in the real environment overrides the file's right one, so the pull must fail.
    const overridden = await runPull(["--since", "1d", "--out", `${dir}/raw2`, "--pace", "off"], {
      SIGNIN_LENS_ENV_FILE: envFile,
      AZURE_CLIENT_SECRET: "not-the-secret",
    });
    assert.equal(overridden.code, 1, overridden.stderr);
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task pull --deadline cuts a trickling page and the retry finishes the pull", async () => {
  const now = Date.now();
  const signIns = makeSignIns({ count: 40, from: now - DAY, to: now });
  for (
    const [name, args] of [
      ["--deadline", ["--deadline", "2s", "--min-throughput", "off"]],
    ] as const
  ) {
    // One byte every 50 ms: 20 bytes/s, never silent long enough for --timeout 1s.
    const fake = await startFakeGraph({ signIns, faults: [{ type: "trickle", at: 1, intervalMs: 50 }] });
    const out = await Deno.makeTempDir({ prefix: "pull_trickle_" });
    try {
      const started = Date.now();
      const r = await runPull(
        ["--since", "1d", "--out", out, "--pace", "off", "--timeout", "1s", ...args],
        fake.env,
      );
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.equal((await countIds(out)).size, 40, name);
      assert.equal(fake.stats.faultsInjected.trickle, 1, name);
      assert.ok(Date.now() - started < 60_000, `${name}: took ${Date.now() - started} ms`);
    } finally {
      await fake.close();
      await Deno.remove(out, { recursive: true });
    }
  }
});
