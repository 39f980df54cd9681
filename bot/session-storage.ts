/**
 * A grammY StorageAdapter on the Session table: sessions and conversation state survive restarts,
 * on SQLite and PostgreSQL alike.
 */
import type { StorageAdapter } from "grammy";
import type { Db } from "../core/db/client.ts";

export function prismaStorage<T>(db: Db, prefix: string): StorageAdapter<T> {
  return {
    async read(key) {
      const row = await db.session.findUnique({ where: { key: prefix + key } });
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      await db.session.upsert({ where: { key: prefix + key }, update: { value: json }, create: { key: prefix + key, value: json } });
    },
    async delete(key) {
      await db.session.deleteMany({ where: { key: prefix + key } });
    },
  };
}
