/**
 * `backup <file>`: SQLite online backup (safe while the bot runs), or pg_dump --format=custom on
 * PostgreSQL. See core/privacy/backup.ts.
 */
import "dotenv/config";
import { loadConfig } from "../../core/config.ts";
import { backupDatabase } from "../../core/privacy/backup.ts";
import { toolFailureText } from "../../bot/messages/errors.ts";

export async function run(args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) {
    console.error("Cách dùng: npm run cli -- backup <tệp sao lưu>");
    return 2;
  }
  const r = await backupDatabase(loadConfig().DATABASE_URL, file);
  if (!r.ok) {
    console.error(`Không sao lưu được: ${toolFailureText(r)}`);
    return 1;
  }
  console.log(`Đã sao lưu cơ sở dữ liệu (${r.provider === "sqlite" ? "SQLite" : "PostgreSQL"}) vào ${r.file} (${Math.max(1, Math.round(r.bytes / 1024))} KB).`);
  return 0;
}
