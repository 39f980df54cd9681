/**
 * `units import <file.csv|file.xlsx>`: validate every row and import all of them, or none.
 * Prints the summary, or every bad row with its line number (exit code 1).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { openCliDb } from "../db.ts";
import { importUnits } from "../../core/units/import.ts";

const USAGE = "Cách dùng: npm run cli -- units import <tệp.csv|tệp.xlsx>";

export async function run(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== "import" || !file) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`Không tìm thấy tệp "${file}".`);
    return 1;
  }
  const db = await openCliDb();
  try {
    const r = await importUnits(db, file, { source: path.basename(file) });
    if (!r.ok) {
      console.error(`Tệp ${path.basename(file)} có ${r.errors.length} lỗi, chưa nhập đơn vị nào. Sửa các dòng sau rồi nhập lại:`);
      for (const e of r.errors) console.error(`  Dòng ${e.line}: ${e.message}`);
      return 1;
    }
    console.log(`Đã nhập ${r.created + r.updated} đơn vị: ${r.created} đơn vị mới, ${r.updated} đơn vị cập nhật.`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}
