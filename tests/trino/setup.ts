/**
 * Installs what the Trino, lake and S3 tests need, pinned, before any test runs (`.ci/run` calls it): Trino
 * from Maven Central (SHA-1 checked) and moto's S3 server from PyPI into a venv. The tests install on first use
 * too; doing it here first makes a registry or JDK problem one clear error at the top of the CI log.
 */
import { findJava, installTrino, TRINO_VERSION } from "../../lib/trino/mod.ts";
import { ensureMoto, MOTO_VERSION } from "./moto.ts";

const java = await findJava();
const home = await installTrino(java, { log: (l) => console.error(l) });
console.error(`Trino ${TRINO_VERSION}: ${home} (java ${java})`);
console.error(`moto ${MOTO_VERSION}: ${await ensureMoto()}`);
