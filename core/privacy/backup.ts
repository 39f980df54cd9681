/**
 * Backup and restore (`cli backup <file>`, `cli restore <file>`).
 *
 * SQLite: SQLite's online backup API (better-sqlite3 `db.backup()`), which copies a consistent
 * snapshot page by page while the bot keeps reading and writing (WAL). Restore writes the backup
 * into the database file with the same API, and REFUSES while the database is in use: the WAL
 * index file (`<db>-shm`) exists as long as any process (the bot, another CLI) has it open. A
 * crashed process can leave it behind; when you are sure nothing runs, pass `force`.
 *
 * PostgreSQL: `pg_dump --format=custom` (a consistent snapshot, safe while the bot runs) and
 * `pg_restore --clean --if-exists --no-owner --single-transaction` (all or nothing; stop the bot
 * first, since it replaces every table). A `?schema=` in the URL limits the dump to that schema.
 */
import { execFile } from "node:child_process";
import { existsSync, openSync, readSync, closeSync, statSync } from "node:fs";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { providerOf, sqliteFile } from "../db/target.ts";

const run = promisify(execFile);

/** pg_dump/pg_restore failed: what the tool printed (first lines), or `toolMissing` when it is not installed (detail then empty). */
export interface ToolFailure {
  detail: string;
  toolMissing?: true;
}

export type BackupResult = { ok: true; provider: "sqlite" | "postgresql"; file: string; bytes: number } | ({ ok: false; problem: "tool_failed" } & ToolFailure);

export type RestoreResult =
  | { ok: true; provider: "sqlite" | "postgresql"; file: string }
  | { ok: false; problem: "no_file" | "not_a_backup" | "in_use" }
  | ({ ok: false; problem: "tool_failed" } & ToolFailure);

/** A libpq connection string from our URL (libpq rejects the `schema` parameter), and the schema. */
export function pgDumpTarget(url: string): { conn: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  return { conn: parsed.toString(), schema };
}

export async function backupDatabase(url: string, file: string): Promise<BackupResult> {
  if (providerOf(url) === "sqlite") {
    const db = new Database(sqliteFile(url), { fileMustExist: true });
    try {
      db.pragma("busy_timeout = 5000");
      await db.backup(file);
    } finally {
      db.close();
    }
    return { ok: true, provider: "sqlite", file, bytes: statSync(file).size };
  }
  const { conn, schema } = pgDumpTarget(url);
  try {
    await run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, ...(schema ? [`--schema=${schema}`] : []), `--dbname=${conn}`]);
  } catch (e) {
    return { ok: false, problem: "tool_failed", ...toolError(e) };
  }
  return { ok: true, provider: "postgresql", file, bytes: statSync(file).size };
}

function isSqliteFile(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.toString("latin1") === "SQLite format 3\u0000";
  } finally {
    closeSync(fd);
  }
}

export async function restoreDatabase(url: string, file: string, options: { force?: boolean } = {}): Promise<RestoreResult> {
  if (!existsSync(file)) return { ok: false, problem: "no_file" };
  if (providerOf(url) === "sqlite") {
    if (!isSqliteFile(file)) return { ok: false, problem: "not_a_backup" };
    const src = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const hasMigrations = src.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      const integrity = src.pragma("integrity_check", { simple: true });
      if (!hasMigrations || integrity !== "ok") return { ok: false, problem: "not_a_backup" };
      const target = sqliteFile(url);
      if (!options.force && existsSync(`${target}-shm`)) return { ok: false, problem: "in_use" };
      await src.backup(target);
    } finally {
      src.close();
    }
    return { ok: true, provider: "sqlite", file };
  }
  const { conn } = pgDumpTarget(url);
  try {
    await run("pg_restore", ["--list", file]);
  } catch {
    return { ok: false, problem: "not_a_backup" };
  }
  try {
    await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", `--dbname=${conn}`, file]);
  } catch (e) {
    return { ok: false, problem: "tool_failed", ...toolError(e) };
  }
  return { ok: true, provider: "postgresql", file };
}

function toolError(e: unknown): ToolFailure {
  const err = e as { stderr?: string; message?: string; code?: string };
  if (err.code === "ENOENT") return { detail: "", toolMissing: true };
  return { detail: (err.stderr || err.message || String(e)).trim().split("\n").slice(0, 5).join("\n") };
}
