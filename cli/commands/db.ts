/**
 * `db migrate`: apply the pending migrations (the bot does it at start too).
 * `db status`: which migrations are applied and which are pending (exit 1 when some are pending).
 */
import { loadConfig } from "../../core/config.ts";
import { createDb, migrate, migrationStatus } from "../../core/db/client.ts";

const USAGE = "Cách dùng: npm run cli -- db migrate | db status";

export async function run(args: string[]): Promise<number> {
  const [sub] = args;
  const url = loadConfig().DATABASE_URL;
  if (sub === "migrate") {
    const applied = await migrate(url);
    console.log(
      applied.length
        ? `Đã cập nhật cấu trúc cơ sở dữ liệu (${applied.length} bản cập nhật): ${applied.join(", ")}.`
        : "Cơ sở dữ liệu đã ở phiên bản mới nhất, không cần cập nhật.",
    );
    return 0;
  }
  if (sub === "status") {
    const db = await createDb(url);
    try {
      const s = await migrationStatus(db, url);
      console.log(`Đã áp dụng: ${s.applied.length} bản cập nhật. Chưa áp dụng: ${s.pending.length ? s.pending.join(", ") : "không có"}.`);
      if (s.pending.length) console.log("Chạy: npm run cli -- db migrate");
      return s.pending.length ? 1 : 0;
    } finally {
      await db.$disconnect();
    }
  }
  console.error(USAGE);
  return 2;
}
