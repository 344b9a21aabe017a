// deno task triage as a user runs it: the permissions deno.json grants, options, exit codes, output formats.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ensureSampleTenant, loadFiles, openStore, plantedPatterns } from "../../lib/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TASK = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks.triage as string;

async function triageTask(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // The task's own command line (deno run <permissions> tasks/triage.ts), with this Deno binary.
  const words = TASK.split(/\s+/);
  assert.equal(words[0], "deno");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...words.slice(1), ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("deno task triage grants no network and no subprocesses", () => {
  assert.ok(!/--allow-all|-A\b|--allow-net|--allow-run/.test(TASK), TASK);
});

Deno.test("triage --help shows options and an example; a wrong option is one line and exit 2", async () => {
  const help = await triageTask(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: deno task triage/);
  assert.match(help.stdout, /Example:\n {2}deno task triage/);
  for (
    const [args, message] of [
      [["--format", "xml"], /--format xml: expected table, json or csv/],
      [["--min-score", "lots"], /--min-score lots: expected a number/],
      [["--min-score=-1"], /--min-score -1: expected a number, 0 or more/],
      [["--colour"], /colour/],
    ] as const
  ) {
    const r = await triageTask([...args]);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr.split("\n")[0], message);
  }
});

Deno.test("triage on a store with nothing suspicious says so plainly and exits 0", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lens-triage-task-" });
  try {
    const store = await openStore({ path: `${dir}/quiet.duckdb` });
    await loadFiles(store, [`${ROOT}tests/fixtures/inputs/signins.ndjson`]);
    store.close();
    const r = await triageTask(["--db", `${dir}/quiet.duckdb`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^No account shows signs of compromise/);
    // What the rules could not see is said too, not silently taken for "nothing found".
    assert.match(r.stderr, /no directory audits loaded/);
    const json = await triageTask(["--db", `${dir}/quiet.duckdb`, "--format", "json"]);
    assert.deepEqual(JSON.parse(json.stdout), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("triage --format json on a sample tenant lists the planted compromised accounts first", async () => {
  const opts = { users: 40, days: 14, seed: 3 };
  const dir = await Deno.makeTempDir({ prefix: "lens-triage-task-" });
  try {
    await ensureSampleTenant(`${dir}/sample`, opts);
    const store = await openStore({ path: `${dir}/s.duckdb` });
    await loadFiles(store, [`${dir}/sample/signins`, `${dir}/sample/audits`]);
    store.close();
    const r = await triageTask(["--db", `${dir}/s.duckdb`, "--format", "json", "--min-score", "0"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as {
      user_principal_name: string;
      score: number;
      findings: unknown[];
    }[];
    const facts = plantedPatterns(opts);
    const n = facts.compromisedAccounts.length;
    assert.deepEqual(
      new Set(rows.slice(0, n).map((x) => x.user_principal_name)),
      new Set(facts.compromisedAccounts),
    );
    for (const row of rows) {
      assert.deepEqual(Object.keys(row), ["user_principal_name", "score", "findings", "first_suspicious_at"]);
    }
    const table = await triageTask(["--db", `${dir}/s.duckdb`, "--from", "2026-10-18", "--to", "2026-11-01"]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^Accounts that may be compromised \(2026-10-18 to 2026-11-01\)/);
    assert.match(table.stdout, /ASN data: @ip-location-db\/asn 2\.3\.2026061719/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
