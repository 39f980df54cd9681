/**
 * `npm run cli -- export --period <2026-03|2026-Q1|2026> [--under <unit code>] --out <file.xlsx|file.csv>`
 * Writes the workbook ("Đơn vị" + "Tổng hợp") or, for a .csv name, the units table as CSV.
 * Default --under: the root unit (with several roots, one file per root: <name>-<code>.<ext>).
 */
import { writeFileSync } from "node:fs";
import { loadCatalog } from "../../core/catalog/index.ts";
import { openDb } from "../../core/db/client.ts";
import { parseOfficialArgs } from "../../core/officials/command.ts";
import { exportPeriod } from "../../core/officials/export.ts";
import { rootUnits, UnknownUnitError } from "../../core/officials/scope.ts";

const USAGE = "npm run cli -- export --period <2026-03|2026-Q1|2026> [--under <mã đơn vị>] --out <tệp.xlsx|tệp.csv>";

export async function run(args: string[]): Promise<number> {
  const opts = parseOfficialArgs(args, USAGE);
  if ("error" in opts) {
    console.error(opts.error);
    return 2;
  }
  if (!opts.out) {
    console.error(`Thiếu --out (tệp .xlsx hoặc .csv).\nCách dùng: ${USAGE}`);
    return 2;
  }
  const format = opts.out.toLowerCase().endsWith(".csv") ? "csv" : "xlsx";
  const db = await openDb(process.env.DATABASE_URL ?? "file:./data/app.db");
  try {
    const catalog = loadCatalog();
    const roots = opts.under ? [opts.under] : (await rootUnits(db)).map((u) => u.code);
    if (!roots.length) {
      console.error("Chưa có đơn vị nào trong cơ sở dữ liệu. Nhập danh sách đơn vị: npm run cli -- units import <tệp>.");
      return 2;
    }
    for (const under of roots) {
      const file = await exportPeriod(db, catalog, { period: opts.period, under, format });
      const target = roots.length === 1 ? opts.out : opts.out.replace(/(\.[^.]+)?$/, `-${under}$1`);
      writeFileSync(target, file.buffer);
      console.log(`Đã ghi ${target} (${file.buffer.length} byte).`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UnknownUnitError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  } finally {
    await db.$disconnect();
  }
}
