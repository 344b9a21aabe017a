// A Graph pull must not load the Azure storage and identity SDKs (~15 MiB of RSS and ~0.2 s of CPU per
// run): only `deno task pull --source storage` needs them, and tasks/pull.ts imports that path with
// `await import()`. Deno loads a program's static import graph before it runs a line, so the check is on the
// graph Deno itself builds (`deno info --json`): no SDK module statically reachable from tasks/pull.ts, and
// the storage path still in the graph as a dynamic import, so `deno check` type-checks it and a plain
// `deno task pull` resolves it.
import assert from "node:assert/strict";
import { ROOT } from "./_helpers.ts";

const SDKS = ["@azure/storage-blob", "@azure/identity"];

interface Dependency {
  specifier: string;
  code?: { specifier?: string };
  isDynamic?: boolean;
}
interface Info {
  roots: string[];
  modules: { specifier: string; kind?: string; npmPackage?: string; dependencies?: Dependency[] }[];
  redirects: Record<string, string>;
  npmPackages: Record<string, { name: string; dependencies?: string[] }>;
}

async function info(file: string): Promise<Info> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(text) as Info;
}

/** What the program loads at start from `root`: local modules over static edges, then npm packages. */
function staticClosure(g: Info, root: string) {
  const bySpecifier = new Map(g.modules.map((m) => [m.specifier, m]));
  const resolve = (s: string) => {
    for (let i = 0; i < 10 && g.redirects[s]; i++) s = g.redirects[s];
    return s;
  };
  const modules = new Set<string>();
  const dynamic: { from: string; to: string }[] = [];
  const npm = new Set<string>();
  const todo = [resolve(root)];
  while (todo.length) {
    const s = todo.pop()!;
    if (modules.has(s)) continue;
    modules.add(s);
    const m = bySpecifier.get(s);
    if (m?.npmPackage) npm.add(m.npmPackage);
    for (const d of m?.dependencies ?? []) {
      // Type-only imports have no `code` edge: erased, never loaded.
      if (!d.code?.specifier) continue;
      const to = resolve(d.code.specifier);
      if (d.isDynamic) dynamic.push({ from: s, to });
      else todo.push(to);
    }
  }
  // An npm package brings its own dependencies along (the SDK could come in through another package).
  const pkgs = [...npm];
  while (pkgs.length) {
    for (const dep of g.npmPackages[pkgs.pop()!]?.dependencies ?? []) {
      if (!npm.has(dep)) npm.add(dep), pkgs.push(dep);
    }
  }
  const names = new Set([...npm].map((id) => g.npmPackages[id]?.name ?? id.replace(/(.)@.*$/, "$1")));
  return { modules, dynamic, names };
}

Deno.test("a Graph pull loads no Azure storage or identity SDK; --source storage imports them dynamically", async () => {
  const g = await info("tasks/pull.ts");
  const root = g.roots[0];
  const pull = staticClosure(g, root);
  // The check can see an SDK: the storage CLI's own static graph holds both (and msal-node, which the
  // Graph pull needs too, is seen on the Graph side).
  assert.ok(pull.names.has("@azure/msal-node"), [...pull.names].join(", "));
  for (const sdk of SDKS) {
    assert.ok(!pull.names.has(sdk), `tasks/pull.ts loads ${sdk} at start (statically imported again?)`);
  }

  const storageCli = new URL("lib/storage/storage_cli.ts", `file://${ROOT}`).href;
  assert.deepEqual(
    pull.dynamic.filter((d) => d.to === storageCli).map((d) => d.from),
    [root],
    "tasks/pull.ts should import lib/storage/storage_cli.ts dynamically, with a literal specifier",
  );
  const storage = staticClosure(g, storageCli);
  for (const sdk of SDKS) assert.ok(storage.names.has(sdk), `${sdk} not in storage_cli.ts's graph`);

  // No other dynamic import on the way brings an SDK in either.
  for (const d of pull.dynamic.filter((d) => d.to !== storageCli)) {
    const names = staticClosure(g, d.to).names;
    for (const sdk of SDKS) assert.ok(!names.has(sdk), `${d.from} imports ${d.to}, which loads ${sdk}`);
  }
});
