/**
 * `privacy export <telegram id or phone> [--json]`, `privacy erase <telegram id or phone>`,
 * `privacy retention [--dry-run] [--json]`: the data subject's requests served by an admin, and
 * the retention run (PERSONAL_DATA_RETENTION_DAYS). See core/privacy.
 * These verbs connect without migrating (the bot migrates at start), so they work while it runs.
 */
import "dotenv/config";
import { loadConfig } from "../../core/config.ts";
import { createDb } from "../../core/db/client.ts";
import { applyRetention, eraseUser, findPerson, personalDataOf, type FindPersonResult } from "../../core/privacy/index.ts";

const USAGE = [
  "Cách dùng:",
  "  npm run cli -- privacy export <Telegram id hoặc số điện thoại> [--json]",
  "  npm run cli -- privacy erase <Telegram id hoặc số điện thoại>",
  "  npm run cli -- privacy retention [--dry-run] [--json]",
].join("\n");

function notFound(r: Exclude<FindPersonResult, { status: "ok" }>, who: string): number {
  if (r.status === "invalid") console.error(`"${who}" không phải Telegram id (chỉ gồm chữ số) hay số điện thoại hợp lệ (ví dụ 0912345678).`);
  else if (r.status === "ambiguous") console.error(`Có ${r.count} người dùng cùng số điện thoại này; hãy dùng Telegram id.`);
  else console.error(`Không có người dùng nào với "${who}" (hoặc dữ liệu đã được xóa).`);
  return 1;
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const json = rest.includes("--json");
  const positional = rest.filter((a) => !a.startsWith("--"));
  const config = loadConfig();
  if (sub === "retention") {
    const db = await createDb(config.DATABASE_URL);
    try {
      const r = await applyRetention(db, { days: config.PERSONAL_DATA_RETENTION_DAYS, dryRun: rest.includes("--dry-run"), keepTelegramIds: config.ADMIN_TELEGRAM_IDS });
      if (json) console.log(JSON.stringify({ days: config.PERSONAL_DATA_RETENTION_DAYS, cutoff: r.cutoff.toISOString(), dryRun: r.dryRun, users: r.userIds.length, userIds: r.userIds }));
      else
        console.log(
          `${r.dryRun ? "Chạy thử: sẽ ẩn danh" : "Đã ẩn danh"} dữ liệu cá nhân của ${r.userIds.length} người dùng không hoạt động từ ${r.cutoff.toISOString().slice(0, 10)} (${config.PERSONAL_DATA_RETENTION_DAYS} ngày).`,
        );
      return 0;
    } finally {
      await db.$disconnect();
    }
  }
  const who = positional[0];
  if ((sub !== "export" && sub !== "erase") || !who) {
    console.error(USAGE);
    return 2;
  }
  const db = await createDb(config.DATABASE_URL);
  try {
    const found = await findPerson(db, who);
    if (found.status !== "ok") return notFound(found, who);
    if (sub === "erase") {
      const r = await eraseUser(db, found.userId, { reason: "admin" });
      console.log(
        `Đã xóa dữ liệu cá nhân của người dùng #${found.userId}: bỏ ${r.membershipsRemoved} vai trò đầu mối; giữ ${r.answersKept} câu trả lời báo cáo cho đơn vị, không kèm tên.`,
      );
      return 0;
    }
    const d = (await personalDataOf(db, found.userId))!;
    if (json) {
      console.log(
        JSON.stringify(
          {
            ...d,
            consent: d.consent.state === "none" ? { state: "none" } : { ...d.consent, at: d.consent.at.toISOString() },
            createdAt: d.createdAt.toISOString(),
            lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
          },
          null,
          2,
        ),
      );
      return 0;
    }
    console.log(
      [
        `Người dùng #${d.userId}`,
        `  Họ tên: ${d.name ?? "(không lưu)"}`,
        `  Số điện thoại: ${d.phone ?? "(không lưu)"}`,
        `  Telegram id: ${d.telegramId}`,
        `  Vai trò: ${d.role}${d.officialOf ? ` (${d.officialOf})` : ""}`,
        `  Đơn vị phụ trách: ${d.units.map((u) => `${u.name}${u.role === "deputy" ? " (dự phòng)" : ""}`).join(", ") || "không có"}`,
        `  Đồng ý: ${d.consent.state === "none" ? "chưa trả lời" : `${d.consent.state === "accepted" ? "đồng ý" : "không đồng ý"} (phiên bản ${d.consent.noticeVersion}, ${d.consent.at.toISOString()})`}`,
        `  Câu trả lời báo cáo đã nhập: ${d.answersGiven}; lần gửi/sửa báo cáo: ${d.submissions}`,
        `  Bắt đầu: ${d.createdAt.toISOString()}; hoạt động gần nhất: ${d.lastSeenAt?.toISOString() ?? "chưa ghi nhận"}`,
      ].join("\n"),
    );
    return 0;
  } finally {
    await db.$disconnect();
  }
}
