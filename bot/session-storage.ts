/**
 * A grammY StorageAdapter on the Session table: sessions and conversation state survive restarts,
 * on SQLite and PostgreSQL alike (core/sessions.ts holds the queries). It skips writing a value
 * that did not change.
 */
import type { StorageAdapter } from "grammy";
import type { Db } from "../core/db/client.ts";
import { deleteSession, readSession, writeSession } from "../core/sessions.ts";

export function prismaStorage<T>(db: Db, prefix: string): StorageAdapter<T> {
  // The JSON last read per key: a write of the same value is skipped (most updates change nothing).
  // Updates of one chat run in order (sequentialize), so read and write pair up.
  const lastRead = new Map<string, string>();
  return {
    async read(key) {
      const value = await readSession(db, prefix + key);
      if (value === undefined) lastRead.delete(key);
      else lastRead.set(key, value);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      const unchanged = lastRead.get(key) === json;
      lastRead.delete(key);
      if (unchanged) return;
      await writeSession(db, prefix + key, json);
    },
    async delete(key) {
      lastRead.delete(key);
      await deleteSession(db, prefix + key);
    },
  };
}
