import assert from "node:assert/strict";
import { AUDIT_VALUE_TRINO, RAW_SCHEMA, trinoSetupStatements } from "../../lib/trino/ddl.ts";
import { athenaAuditViewDdl } from "../../lib/schema/mod.ts";

const side = {
  directory_audits: [{ name: "id", trino: "varchar" }],
  ip_intel: [{ name: "ip_address", trino: "varchar" }],
};

Deno.test("trinoSetupStatements() makes directory_audits over the raw audit pages when given them", () => {
  const sql = trinoSetupStatements({
    rawLocation: "local:///raw/signins",
    rawAuditLocation: "local:///raw/audits",
    lakeLocation: "local:///lake",
    sideTables: side,
  });
  const create = sql.find((s) => s.startsWith(`CREATE TABLE hive.${RAW_SCHEMA}.audit_pages `));
  assert.ok(create, sql.join("\n"));
  assert.ok(create.includes(`(value ${AUDIT_VALUE_TRINO}, dt varchar)`));
  assert.match(create, /format = 'OPENX_JSON', external_location = 'local:\/\/\/raw\/audits'/);
  const view = sql.indexOf(athenaAuditViewDdl({ database: RAW_SCHEMA }));
  assert.ok(view > sql.indexOf(create), "the generated Athena view, verbatim, after its table");
  // The raw schema's directory_audits is that view; the lake schema keeps the lake's table.
  assert.ok(!sql.some((s) => s.includes(`${RAW_SCHEMA}.directory_audits `)));
  assert.ok(sql.some((s) => s.startsWith("CREATE TABLE hive.signin_lens_lake.directory_audits (")));
  assert.ok(sql.some((s) => s.startsWith(`CREATE TABLE hive.${RAW_SCHEMA}.ip_intel (`)));
});

Deno.test("trinoSetupStatements() without raw audit pages serves the lake's directory_audits in both schemas", () => {
  const sql = trinoSetupStatements({
    rawLocation: "local:///raw/signins",
    lakeLocation: "local:///lake",
    sideTables: side,
  });
  assert.ok(!sql.some((s) => s.includes("audit_pages")));
  assert.ok(sql.some((s) => s.startsWith(`CREATE TABLE hive.${RAW_SCHEMA}.directory_audits (`)));
  assert.ok(!sql.some((s) => s.includes(`VIEW "${RAW_SCHEMA}"."directory_audits"`)));
});
