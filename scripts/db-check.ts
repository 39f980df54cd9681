/**
 * `npm run db:check`: the two Prisma schemas and the migration histories cannot drift silently.
 *  1. prisma/postgres/schema.prisma is exactly what `npm run db:sync-schemas` generates (the
 *     generator itself fails when one of its replacements does not apply);
 *  2. for each provider, replaying the migrations gives the schema:
 *     `prisma migrate diff --from-migrations <dir> --to-schema-datamodel <schema> --exit-code`
 *     (SQLite: shadow database in a temp file; PostgreSQL: a throwaway schema on DB_CHECK_PG_URL,
 *     TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/test — skipped, and said so, when
 *     no PostgreSQL answers; `--require-pg` makes that a failure).
 * Exit 0 when all pass, 1 otherwise. Works for whatever models and migrations are present.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { postgresSchemaFrom } from "../core/db/schemas.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../", import.meta.url));
const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");

export interface DiffResult {
  ok: boolean;
  /** 0 in sync, 2 drift, 1 error (prisma's --exit-code convention) */
  code: number;
  output: string;
}

/** Replay `migrationsDir` into a shadow database and compare with `schemaPath`. */
export async function migrationsMatchSchema(shadowUrl: string, migrationsDir: string, schemaPath: string): Promise<DiffResult> {
  const args = [
    prismaBin, "migrate", "diff", "--config", path.join(root, "scripts", "db-check.config.ts"),
    "--from-migrations", migrationsDir, "--to-schema-datamodel", schemaPath, "--exit-code",
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: root,
      env: { ...process.env, DB_CHECK_SHADOW_URL: shadowUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    });
    return { ok: true, code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { ok: false, code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

export async function checkSqlite(migrationsDir = path.join(root, "prisma", "migrations"), schemaPath = path.join(root, "prisma", "schema.prisma")): Promise<DiffResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cds-dbcheck-"));
  try {
    return await migrationsMatchSchema(`file:${path.join(dir, "shadow.db")}`, migrationsDir, schemaPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function checkPostgres(
  baseUrl: string,
  migrationsDir = path.join(root, "prisma", "postgres", "migrations"),
  schemaPath = path.join(root, "prisma", "postgres", "schema.prisma"),
): Promise<DiffResult | null> {
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: baseUrl });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const schema = `dbcheck_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    const u = new URL(baseUrl);
    u.searchParams.set("schema", schema);
    return await migrationsMatchSchema(u.toString(), migrationsDir, schemaPath);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

function report(name: string, r: DiffResult): boolean {
  if (r.ok) console.log(`✓ ${name}: migrations match the schema`);
  else if (r.code === 2) console.error(`✗ ${name}: the schema differs from its migrations — create a migration (README "Developing"):\n${r.output.trim()}`);
  else console.error(`✗ ${name}: prisma migrate diff failed:\n${r.output.trim()}`);
  return r.ok;
}

async function main(): Promise<number> {
  let ok = true;
  try {
    const generated = postgresSchemaFrom(readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8"));
    if (readFileSync(path.join(root, "prisma", "postgres", "schema.prisma"), "utf8") !== generated) {
      console.error("✗ prisma/postgres/schema.prisma is out of date: run npm run db:sync-schemas");
      ok = false;
    } else console.log("✓ prisma/postgres/schema.prisma is generated from prisma/schema.prisma");
  } catch (e) {
    console.error(`✗ ${(e as Error).message}`);
    ok = false;
  }
  ok = report("SQLite", await checkSqlite()) && ok;
  const pgUrl = process.env.DB_CHECK_PG_URL || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
  const pgResult = await checkPostgres(pgUrl);
  if (pgResult) ok = report("PostgreSQL", pgResult) && ok;
  else if (process.argv.includes("--require-pg")) {
    console.error(`✗ PostgreSQL at ${new URL(pgUrl).host} is not reachable (--require-pg)`);
    ok = false;
  } else console.log(`- PostgreSQL at ${new URL(pgUrl).host} is not reachable: its migration check was SKIPPED`);
  return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
