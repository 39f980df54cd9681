/**
 * Real databases for tests: a fresh SQLite file copied from the migrated template, or a fresh
 * PostgreSQL schema when TEST_DATABASE_URL is set.
 *
 *   for (const target of dbTargets()) describe(`reports (${target})`, () => { ... freshDb(target) ... })
 */
import { copyFileSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createDb, migrate, type Db } from "../../core/db/client.ts";

export type DbTarget = "sqlite" | "postgresql";

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (otherwise those variants are skipped). */
export function dbTargets(): DbTarget[] {
  return process.env.TEST_DATABASE_URL ? ["sqlite", "postgresql"] : ["sqlite"];
}

/** All targets, with a flag telling whether it runs: use with describe.skipIf to show skipped PG tests. */
export function allDbTargets(): Array<{ target: DbTarget; skip: boolean }> {
  return [
    { target: "sqlite", skip: false },
    { target: "postgresql", skip: !process.env.TEST_DATABASE_URL },
  ];
}

export interface TestDb {
  db: Db;
  url: string;
  close(): Promise<void>;
}

/** The migrated SQLite template: vitest's global setup provides it; a script (outside vitest) migrates one once. */
let scriptTemplate: Promise<string> | undefined;
async function sqliteTemplate(): Promise<string> {
  try {
    return inject("sqliteTemplate");
  } catch {
    scriptTemplate ??= (async () => {
      const file = path.join(os.tmpdir(), `cds-template-${process.pid}-${randomUUID()}.db`);
      await migrate(`file:${file}`);
      process.once("exit", () => rmSync(file, { force: true }));
      return file;
    })();
    return scriptTemplate;
  }
}

export async function freshDb(target: DbTarget = "sqlite"): Promise<TestDb> {
  if (target === "sqlite") {
    const file = path.join(os.tmpdir(), `cds-${randomUUID()}.db`);
    copyFileSync(await sqliteTemplate(), file);
    const url = `file:${file}`;
    const db = await createDb(url);
    return {
      db,
      url,
      async close() {
        await db.$disconnect();
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const schema = `t_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  const migrationsDir = path.resolve("prisma/postgres/migrations");
  for (const m of readdirSync(migrationsDir).filter((d) => /^\d+_/.test(d)).sort()) {
    const sql = readFileSync(path.join(migrationsDir, m, "migration.sql"), "utf8").replace(
      /CREATE SCHEMA IF NOT EXISTS "public";/g,
      "",
    );
    await admin.query(sql);
  }
  const u = new URL(base);
  u.searchParams.set("schema", schema);
  const url = u.toString();
  const db = await createDb(url);
  return {
    db,
    url,
    async close() {
      await db.$disconnect();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
