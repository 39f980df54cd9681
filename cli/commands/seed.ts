/**
 * `seed`: fill an empty database with the fictional demo province and print the demo invite codes.
 * Refuses (exit 1) when the database already has units, with or without --force.
 */
import { cliConfig, openCliDb } from "../db.ts";
import { seedDemo } from "../../core/seed/demo.ts";
import { inviteLink } from "../../core/units/people.ts";

export async function run(args: string[]): Promise<number> {
  const db = await openCliDb();
  try {
    const summary = await seedDemo(db);
    if (!summary) {
      console.error(
        args.includes("--force")
          ? "Cơ sở dữ liệu đã có đơn vị; --force không ghi đè dữ liệu thật. Dùng một cơ sở dữ liệu trống (đặt DATABASE_URL khác) để tạo dữ liệu mẫu."
          : "Cơ sở dữ liệu đã có đơn vị nên không tạo dữ liệu mẫu.",
      );
      return 1;
    }
    const bot = cliConfig().BOT_USERNAME || "your_bot";
    console.log(`Đã tạo tỉnh mẫu: ${summary.units} đơn vị (${summary.schools} trường), ${summary.reports} báo cáo mẫu${summary.periods.length ? ` (${summary.periods.join(", ")})` : ""}.`);
    console.log("Mã mời dùng thử (dùng lại được; gõ /start <mã> hoặc mở đường dẫn):");
    for (const i of summary.invites) console.log(`  ${i.code.padEnd(18)} ${i.description}  ${inviteLink(bot, i.code)}`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}
