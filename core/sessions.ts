/**
 * Sessions and conversation state in the Session table (key → JSON text), on SQLite and
 * PostgreSQL alike. Read and written on every update, so these are plain SQL statements sent
 * straight to the driver (core/db/sql.ts).
 */
import type { Db } from "./db/client.ts";
import { sql } from "./db/sql.ts";

export async function readSession(db: Db, key: string): Promise<string | undefined> {
  const rows = await sql(db).query<{ value: string }>`SELECT "value" FROM "Session" WHERE "key" = ${key}`;
  return rows[0]?.value;
}

export async function writeSession(db: Db, key: string, json: string, now: Date = new Date()): Promise<void> {
  await sql(db).execute`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${key}, ${json}, ${now})
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`;
}

export async function deleteSession(db: Db, key: string): Promise<void> {
  await sql(db).execute`DELETE FROM "Session" WHERE "key" = ${key}`;
}
