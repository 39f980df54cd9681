/**
 * The CLI's database: the same validated config as `npm start` (.env included), and no migration
 * run on every call — the CLI works while the bot runs. A database behind the code says to run
 * `npm run cli -- db migrate`; a database with no schema at all (new file) is migrated once.
 */
import { loadConfig } from "../core/config.ts";
import { openMigratedDb, type Db } from "../core/db/client.ts";

export function cliConfig() {
  return loadConfig();
}

export async function openCliDb(): Promise<Db> {
  return openMigratedDb(cliConfig().DATABASE_URL);
}
