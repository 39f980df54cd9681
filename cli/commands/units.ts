/**
 * `units import <file.csv|file.xlsx>`: validate every row and import all of them, or none.
 * Prints the summary, or every bad row with its line number (exit code 1), then names the units
 * left with no plan in force for the current period.
 * `units plan <unit code> <planId> [--from <period>]`: assign a plan to a unit's subtree.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { openCliDb } from "../db.ts";
import { importUnits } from "../../core/units/import.ts";
import { unitImportErrorText } from "../../bot/messages/units.ts";
import { assignPlan, loadCatalogFromDb, unitsWithoutPlan } from "../../core/plans/index.ts";
import { currentPeriod } from "../../core/reporting/periods.ts";
import { noPlanLines, openPlansDb, option, positional } from "../plans-db.ts";
import { planPeriodProblemText } from "../../bot/messages/drafts.ts";

const USAGE = "Cách dùng: npm run cli -- units import <tệp.csv|tệp.xlsx> | units plan <mã đơn vị> <mã kế hoạch> [--from <kỳ>] [--to <kỳ>]";

async function planCommand(args: string[]): Promise<number> {
  const [unitCode, planId] = positional(args, ["--from", "--to"]);
  if (!unitCode || !planId) {
    console.error(USAGE);
    return 2;
  }
  const db = await openPlansDb();
  try {
    const r = await assignPlan({ db }, { unitCode, planId, from: option(args, "--from"), to: option(args, "--to") });
    if (!r.ok) {
      const msg = {
        unknown_unit: `Không tìm thấy đơn vị có mã "${r.detail}".`,
        unknown_plan: `Không có kế hoạch "${r.detail}". Xem các kế hoạch: npm run cli -- catalog list`,
        bad_period: planPeriodProblemText({ kind: "invalid", key: r.detail }),
      }[r.problem];
      console.error(msg);
      return 2;
    }
    console.log(`Đã gắn kế hoạch ${r.planId} cho ${r.unit.name} và các đơn vị trực thuộc${r.validFrom ? `, từ kỳ ${r.validFrom}` : ""}.`);
    const left = await unitsWithoutPlan(db, await loadCatalogFromDb(db), currentPeriod("month"));
    for (const line of noPlanLines(left)) console.log(line);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

export async function run(args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub === "plan") return planCommand(args.slice(1));
  if (sub !== "import" || !file) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`Không tìm thấy tệp "${file}".`);
    return 1;
  }
  const db = await openPlansDb();
  try {
    const r = await importUnits(db, file, { source: path.basename(file) });
    if (!r.ok) {
      console.error(`Tệp ${path.basename(file)} có ${r.errors.length} lỗi, chưa nhập đơn vị nào. Sửa các dòng sau rồi nhập lại:`);
      for (const e of r.errors) console.error(`  Dòng ${e.line}: ${unitImportErrorText(e)}`);
      return 1;
    }
    console.log(`Đã nhập ${r.created + r.updated} đơn vị: ${r.created} đơn vị mới, ${r.updated} đơn vị cập nhật.`);
    for (const line of noPlanLines(r.withoutPlan ?? [])) console.log(line);
    return 0;
  } finally {
    await db.$disconnect();
  }
}
