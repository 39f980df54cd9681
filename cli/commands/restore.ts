/**
 * `restore <file> [--force]`: puts a backup made by `backup` back. Stop the bot first. On SQLite it
 * refuses while the database is open elsewhere (its `-shm` file exists); `--force` when a crashed
 * process left that file behind. On PostgreSQL it runs pg_restore --clean in one transaction.
 */
import "dotenv/config";
import { loadConfig } from "../../core/config.ts";
import { restoreDatabase } from "../../core/privacy/backup.ts";
import { toolFailureText } from "../../bot/messages/errors.ts";

export async function run(args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) {
    console.error("Cách dùng: npm run cli -- restore <tệp sao lưu> [--force]");
    return 2;
  }
  const r = await restoreDatabase(loadConfig().DATABASE_URL, file, { force: args.includes("--force") });
  if (r.ok) {
    console.log(`Đã khôi phục cơ sở dữ liệu từ ${r.file}. Khởi động lại bot.`);
    return 0;
  }
  const why: Record<typeof r.problem, string> = {
    no_file: `Không có tệp ${file}.`,
    not_a_backup: `Tệp ${file} không phải bản sao lưu của bot (hoặc đã hỏng); cơ sở dữ liệu không bị thay đổi.`,
    in_use: "Cơ sở dữ liệu đang được mở (bot hoặc lệnh khác đang chạy). Dừng bot rồi chạy lại; nếu chắc chắn không còn gì chạy, thêm --force.",
    tool_failed: `pg_restore báo lỗi; cơ sở dữ liệu không bị thay đổi:\n${r.problem === "tool_failed" ? toolFailureText(r) : ""}`,
  };
  console.error(why[r.problem]);
  return 1;
}
