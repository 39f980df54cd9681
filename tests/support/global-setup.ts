/**
 * Runs once per `vitest run`: migrates a template SQLite database with the real Prisma CLI
 * (tests copy it), and, when TEST_DATABASE_URL is set, checks `migrate deploy` on PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../../core/db/client.ts";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cds-test-"));
  const template = path.join(dir, "template.db");
  await migrate(`file:${template}`);
  project.provide("sqliteTemplate", template);

  const pgUrl = process.env.TEST_DATABASE_URL;
  let dropPgSchema = async () => {};
  if (pgUrl) {
    // `prisma migrate deploy` itself, once per run, on a throwaway schema
    const schema = `t_migrate_${process.pid}`;
    const u = new URL(pgUrl);
    u.searchParams.set("schema", schema);
    await migrate(u.toString());
    project.provide("pgMigrated", true);
    dropPgSchema = async () => {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    };
  } else {
    console.log("\n[PostgreSQL] TEST_DATABASE_URL is not set: the PostgreSQL variants of the tests are SKIPPED.\n");
  }
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropPgSchema();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    sqliteTemplate: string;
    pgMigrated: boolean;
  }
}
