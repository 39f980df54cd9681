/**
 * A grammY StorageAdapter on the Session table: sessions and conversation state survive restarts,
 * on SQLite and PostgreSQL alike. It runs on every update, so it uses two plain SQL statements
 * (Prisma's raw queries skip the query compiler) and skips writing a value that did not change.
 */
import type { StorageAdapter } from "grammy";
import type { Db } from "../core/db/client.ts";

export function prismaStorage<T>(db: Db, prefix: string): StorageAdapter<T> {
  // The JSON last read per key: a write of the same value is skipped (most updates change nothing).
  // Updates of one chat run in order (sequentialize), so read and write pair up.
  const lastRead = new Map<string, string>();
  return {
    async read(key) {
      const rows = await db.$queryRaw<Array<{ value: string }>>`SELECT "value" FROM "Session" WHERE "key" = ${prefix + key}`;
      const value = rows[0]?.value;
      if (value === undefined) lastRead.delete(key);
      else lastRead.set(key, value);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      const unchanged = lastRead.get(key) === json;
      lastRead.delete(key);
      if (unchanged) return;
      const now = new Date();
      await db.$executeRaw`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${prefix + key}, ${json}, ${now})
        ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`;
    },
    async delete(key) {
      lastRead.delete(key);
      await db.$executeRaw`DELETE FROM "Session" WHERE "key" = ${prefix + key}`;
    },
  };
}
