/**
 * The data layer's entry point: one Prisma client per database URL, and migrations.
 *
 *   const db = await openDb(url);          // bot start: apply pending migrations, then connect
 *   const db = await openMigratedDb(url);  // CLI and scripts: connect; never run `migrate deploy`
 *                                          // (except once on a database with no schema at all)
 *   await migrate(url);                    // `npm run cli -- db migrate`
 *
 * SQLite and PostgreSQL use two generated clients with the same models; the rest of the
 * code sees one type, `Db`.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { PrismaClient as SqliteClient } from "../../generated/sqlite/client.ts";
import { countStatements } from "./count.ts";
import { driverHooks, newDriverState, registerRoot } from "./sql.ts";
import { DatabaseBusyError, isDbBusy, withBusyRetry } from "./busy.ts";
import { patchPgNameType, pgConnection, prismaTargetFor, providerOf, sqliteFile } from "./target.ts";

export type Db = SqliteClient;
export type { Prisma } from "../../generated/sqlite/client.ts";
export { DatabaseBusyError, isDbBusy, withBusyRetry };

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

/** Connect to a database (no migration). busyTimeoutMs: how long SQLite waits for another writer (default 10 s). */
export async function createDb(url: string, opts: { busyTimeoutMs?: number } = {}): Promise<Db> {
  const busyTimeout = opts.busyTimeoutMs ?? 10_000;
  if (providerOf(url) === "sqlite") {
    mkdirSync(path.dirname(sqliteFile(url)), { recursive: true });
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    // timeout = better-sqlite3's busy timeout: a second process (the CLI beside the bot) waits its turn
    // the driver connection Prisma opens is also the one plain SQL uses (core/db/sql.ts)
    const driver = newDriverState("sqlite");
    const db = new SqliteClient({ adapter: countStatements(new PrismaBetterSQLite3({ url: sqliteFile(url), timeout: busyTimeout }), driverHooks(driver)) });
    registerRoot(db, driver);
    // WAL: readers never wait for the writer; synchronous=NORMAL is durable across process crashes
    // (only an OS crash may lose the last commits). busy_timeout lets a second process wait its turn.
    await withBusyRetry(() => db.$queryRawUnsafe("PRAGMA journal_mode = WAL"));
    await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await db.$queryRawUnsafe(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
    return db;
  }
  await patchPgNameType();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient: PgClient } = await import("../../generated/postgres/client.ts");
  const { connectionString, schema } = pgConnection(url);
  const driver = newDriverState("postgresql");
  const adapter = countStatements(new PrismaPg({ connectionString }, schema ? { schema } : undefined), driverHooks(driver));
  const db = new PgClient({ adapter }) as unknown as Db;
  registerRoot(db, driver);
  return db;
}

export interface MigrationStatus {
  /** The database has no migration table yet (a new, empty database). */
  fresh: boolean;
  applied: string[];
  /** Migrations in the repository not yet applied, oldest first. */
  pending: string[];
}

/** Migration directories shipped for this URL's provider, oldest first. */
export function shippedMigrations(url: string): string[] {
  const dir = prismaTargetFor(url).migrationsPath;
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+_/.test(d.name) && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** Which shipped migrations the database has applied (one cheap query; no Prisma CLI). */
export async function migrationStatus(db: Db, url: string): Promise<MigrationStatus> {
  const shipped = shippedMigrations(url);
  const exists =
    providerOf(url) === "sqlite"
      ? (await db.$queryRawUnsafe<unknown[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)).length > 0
      : (await db.$queryRawUnsafe<Array<{ t: string | null }>>(`SELECT to_regclass('_prisma_migrations')::text AS t`))[0]?.t != null;
  if (!exists) return { fresh: true, applied: [], pending: shipped };
  const rows = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = rows.map((r) => r.migration_name);
  const done = new Set(applied);
  return { fresh: false, applied, pending: shipped.filter((m) => !done.has(m)) };
}

/**
 * Apply pending migrations with the Prisma CLI (offline: JS schema engine + driver adapter).
 * Checks first (one query), so a database that is up to date costs no Prisma CLI run.
 * Returns the names of the migrations applied.
 */
export async function migrate(url: string): Promise<string[]> {
  if (providerOf(url) === "sqlite") mkdirSync(path.dirname(sqliteFile(url)), { recursive: true });
  else await ensurePgSchema(url);
  const db = await createDb(url);
  let pending: string[];
  try {
    pending = (await withBusyRetry(() => migrationStatus(db, url))).pending;
  } finally {
    await db.$disconnect();
  }
  if (pending.length === 0) return [];
  const prismaBin = path.join(root, "node_modules", "prisma", "build", "index.js");
  // `migrate deploy` takes the write lock; while another process writes it fails with the engine's
  // "unknown variant SocketTimeout" (SQLITE_BUSY): retry a few times before giving up.
  await withBusyRetry(async () => {
    try {
      await run(process.execPath, [prismaBin, "migrate", "deploy"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      const detail = e.stderr || e.stdout || String(error);
      if (isDbBusy(detail)) throw new DatabaseBusyError(error);
      throw new Error(`Không áp dụng được migration cho cơ sở dữ liệu:\n${detail}`, { cause: error });
    }
  });
  return pending;
}

/** Migrate, then connect (bot start). */
export async function openDb(url: string): Promise<Db> {
  await migrate(url);
  return createDb(url);
}

/**
 * The database has migrations it has not applied: the admin runs `db migrate` (or starts the bot).
 * Tagged with the pending migrations; bot/messages/errors.ts operatorErrorText words it.
 */
export class NotMigratedError extends Error {
  override name = "NotMigratedError";
  constructor(readonly pending: string[]) {
    super(`database schema behind the code: ${pending.length} pending migration(s); run npm run cli -- db migrate`);
  }
}

/**
 * Connect for the CLI and scripts without running migrations, so they work while the bot runs.
 * A database with no schema at all (a new file or an empty PostgreSQL schema) is migrated once;
 * one that is behind throws NotMigratedError.
 */
export async function openMigratedDb(url: string): Promise<Db> {
  if (providerOf(url) === "postgresql") await ensurePgSchema(url);
  let db = await createDb(url);
  const status = await withBusyRetry(() => migrationStatus(db, url));
  if (status.pending.length === 0) return db;
  await db.$disconnect();
  if (!status.fresh) throw new NotMigratedError(status.pending);
  await migrate(url);
  db = await createDb(url);
  return db;
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
