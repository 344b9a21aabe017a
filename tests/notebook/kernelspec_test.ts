// issue 11 items 15/16: a kernelspec with a Deno path that survives npm cache cleaning, and NO_COLOR=1.
import assert from "node:assert/strict";
import { denoKernelSpec, isNpxCachePath, jupyterDataDir } from "../../lib/notebook/kernelspec.ts";
import { runScript } from "../fakes/run_script.ts";

const TASK = new URL("../../tasks/kernel_install.ts", import.meta.url).pathname;

Deno.test("isNpxCachePath() tells the npx cache from stable installs", () => {
  assert.equal(isNpxCachePath("/home/a/.npm/_npx/3f2a/node_modules/@deno/linux-x64-glibc/deno"), true);
  assert.equal(isNpxCachePath("C:\\Users\\a\\AppData\\Local\\npm-cache\\_npx\\3f2a\\deno.exe"), true);
  assert.equal(isNpxCachePath("/usr/lib/node_modules/deno/deno"), false);
  assert.equal(isNpxCachePath("/home/a/.deno/bin/deno"), false);
});

Deno.test("denoKernelSpec() sets NO_COLOR and starts through npx when Deno lives in its cache", () => {
  const direct = denoKernelSpec({ deno: "/opt/deno" });
  assert.deepEqual(direct.argv, ["/opt/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
  assert.deepEqual(direct.env, { NO_COLOR: "1" });
  const viaNpx = denoKernelSpec({ deno: "/x/_npx/1/deno", npx: "/usr/bin/npx" });
  assert.deepEqual(viaNpx.argv.slice(0, 3), ["/usr/bin/npx", "-y", "deno@2.9.6"]);
  assert.equal(viaNpx.language, "typescript");
});

Deno.test("jupyterDataDir() follows jupyter_core: JUPYTER_DATA_DIR, XDG, macOS, Windows", () => {
  assert.equal(jupyterDataDir({ JUPYTER_DATA_DIR: "/j", HOME: "/h" }, "linux"), "/j");
  assert.equal(jupyterDataDir({ HOME: "/h" }, "linux"), "/h/.local/share/jupyter");
  assert.equal(jupyterDataDir({ HOME: "/h", XDG_DATA_HOME: "/x" }, "linux"), "/x/jupyter");
  assert.equal(jupyterDataDir({ HOME: "/h" }, "darwin"), "/h/Library/Jupyter");
});

Deno.test("deno task kernel-install writes kernels/deno/kernel.json with this Deno and NO_COLOR=1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runScript(TASK, ["--data-dir", dir]);
    assert.equal(r.code, 0, r.stderr);
    const spec = JSON.parse(await Deno.readTextFile(`${dir}/kernels/deno/kernel.json`));
    assert.equal(spec.env.NO_COLOR, "1");
    assert.deepEqual(spec.argv.slice(1), ["jupyter", "--kernel", "--conn", "{connection_file}"]);
    assert.equal(spec.argv[0], Deno.execPath());
    const bad = await runScript(TASK, ["--data-dir", dir, "--deno", `${dir}/nope`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: --deno .*nope: no such file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
