/**
 * `db migrate`: apply the pending migrations (the bot does it at start too), and on PostgreSQL with
 * QUEUE=bullmq (the default there) create or upgrade the job queue's tables (schema "bullmq").
 * `db status`: which migrations are applied and which are pending (exit 1 when some are pending).
 */
import { loadConfig } from "../../core/config.ts";
import { createDb, migrate, migrationStatus } from "../../core/db/client.ts";
import { migrateJobQueue } from "../../core/jobs/queue.ts";

const USAGE = "Cách dùng: npm run cli -- db migrate | db status";

export async function run(args: string[]): Promise<number> {
  const [sub] = args;
  const config = loadConfig();
  const url = config.DATABASE_URL;
  if (sub === "migrate") {
    const applied = await migrate(url);
    // the job queue's tables (BullMQ, PostgreSQL only); the bot also creates them at start
    if (config.queue === "bullmq") await migrateJobQueue(url);
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
