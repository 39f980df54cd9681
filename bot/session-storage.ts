/**
 * A grammY StorageAdapter on the Session table: sessions and conversation state survive restarts,
 * on SQLite and PostgreSQL alike (core/sessions.ts holds the queries). It skips writing a value
 * that did not change.
 */
import type { StorageAdapter } from "grammy";
import type { Db } from "../core/db/client.ts";
import { deleteSession, readSession, writeSession } from "../core/sessions.ts";

/** The prefix of the bot's chat sessions in the Session table. */
export const SESSION_PREFIX = "s:";

/**
 * Session values read ahead for the updates being handled, by key (bot/create-bot.ts reads it with
 * the user, in one query). A plain map, not an AsyncLocalStorage (each one enabled costs on every
 * promise): one chat's updates run one at a time (sequentialize), and the key is the chat's.
 */
const prefetched = new Map<string, { value: string | undefined; used: boolean }>();

/**
 * Run the rest of the update with the Session row `key` (prefix included) already read: the
 * storage's first read of that key in this update takes it instead of querying again.
 */
export async function withPrefetchedSession<T>(key: string, value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const entry = { value, used: false };
  prefetched.set(key, entry);
  try {
    return await fn();
  } finally {
    if (prefetched.get(key) === entry) prefetched.delete(key);
  }
}

export function prismaStorage<T>(db: Db, prefix: string): StorageAdapter<T> {
  // The JSON last read per key: a write of the same value is skipped (most updates change nothing).
  // Updates of one chat run in order (sequentialize), so read and write pair up.
  const lastRead = new Map<string, string>();
  return {
    async read(key) {
      const ahead = prefetched.get(prefix + key);
      let value: string | undefined;
      if (ahead && !ahead.used) {
        ahead.used = true; // once: a later read in the same update queries again
        value = ahead.value;
      } else value = await readSession(db, prefix + key);
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
