/**
 * The data layer's entry point: one Prisma client per database URL, and migrations.
 *
 *   const db = await openDb("file:./data/app.db"); // migrates, then connects
 *
 * SQLite and PostgreSQL use two generated clients with the same models; the rest of the
 * code sees one type, `Db`.
 */
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PrismaClient as SqliteClient } from "../../generated/sqlite/client.ts";
import { patchPgNameType, pgConnection, prismaTargetFor, providerOf, sqliteFile } from "./target.ts";

export type Db = SqliteClient;
export type { Prisma } from "../../generated/sqlite/client.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/** Connect to a database (no migration). */
export async function createDb(url: string): Promise<Db> {
  if (providerOf(url) === "sqlite") {
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    const db = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: sqliteFile(url) }) });
    // WAL: readers never wait for the writer; synchronous=NORMAL is durable across process crashes
    // (only an OS crash may lose the last commits). busy_timeout lets a second process wait its turn.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    return db;
  }
  await patchPgNameType();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient: PgClient } = await import("../../generated/postgres/client.ts");
  const { connectionString, schema } = pgConnection(url);
  const adapter = new PrismaPg({ connectionString }, schema ? { schema } : undefined);
  return new PgClient({ adapter }) as unknown as Db;
}

/** Apply pending migrations with the Prisma CLI (offline: JS schema engine + driver adapter). */
export async function migrate(url: string): Promise<void> {
  if (providerOf(url) === "sqlite") {
    mkdirSync(path.dirname(sqliteFile(url)), { recursive: true });
  } else {
    await ensurePgSchema(url);
  }
  const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
  try {
    await run(process.execPath, [prismaBin, "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`Không áp dụng được migration cho cơ sở dữ liệu:\n${e.stderr || e.stdout || String(error)}`, {
      cause: error,
    });
  }
}

/** Migrate, then connect. */
export async function openDb(url: string): Promise<Db> {
  await migrate(url);
  return createDb(url);
}

async function ensurePgSchema(url: string): Promise<void> {
  const { schema } = pgConnection(url);
  if (!schema) return;
  const pg = (await import("pg")).default;
  const parsed = new URL(url);
  parsed.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

export { prismaTargetFor };
