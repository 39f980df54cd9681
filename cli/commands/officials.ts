/**
 * `officials add <telegram id or phone> <unit code>`: make someone an official of a unit.
 * A phone with no registered user yet is kept pending and activates when that phone registers.
 */
import { openCliDb } from "../db.ts";
import { addOfficial } from "../../core/units/people.ts";

const USAGE = "Cách dùng: npm run cli -- officials add <Telegram id hoặc số điện thoại> <mã đơn vị>";

export async function run(args: string[]): Promise<number> {
  const [sub, who, unitCode] = args;
  if (sub !== "add" || !who || !unitCode) {
    console.error(USAGE);
    return 2;
  }
  const db = await openCliDb();
  try {
    const r = await addOfficial(db, who, unitCode);
    switch (r.status) {
      case "ok":
        console.log(`Đã giao quyền cán bộ quản lý ${r.unit.name} (${r.unit.code}) cho người dùng Telegram ${r.user.telegramId}.`);
        return 0;
      case "pending":
        console.log(
          `Chưa có ai đăng ký với số ${r.phone}. Quyền cán bộ quản lý ${r.unit.name} (${r.unit.code}) sẽ được giao khi người đó mở bot và chia sẻ số điện thoại này.`,
        );
        return 0;
      case "unit_not_found":
        console.error(`Không có đơn vị mã "${r.unitCode}".`);
        return 1;
      case "invalid":
        console.error(`"${r.input}" không phải Telegram id (chỉ gồm chữ số) hay số điện thoại hợp lệ (ví dụ 0912345678).`);
        return 1;
    }
  } finally {
    await db.$disconnect();
  }
}
