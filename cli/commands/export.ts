/**
 * `npm run cli -- export --period <2026-03|2026-Q1|2026-H1|2026> [--under <unit code>] --out <file.xlsx|file.csv>`
 * Writes the workbook ("Đơn vị" + "Tổng hợp") or, for a .csv name, the units table as CSV.
 * Default --under: the root unit (with several roots, one file per root: <name>-<code>.<ext>).
 */
import { writeFileSync } from "node:fs";
import { parseOfficialArgs } from "../../core/officials/command.ts";
import { officialArgsProblemText, SHEET_WORDS } from "../../bot/messages/officials.ts";
import { exportPeriod } from "../../core/officials/export.ts";
import { runOverScope } from "../officials-scope.ts";

const USAGE = "npm run cli -- export --period <2026-03|2026-Q1|2026-H1|2026> [--under <mã đơn vị>] --out <tệp.xlsx|tệp.csv>";

export async function run(args: string[]): Promise<number> {
  if (!args.includes("--out") && !args.some((a) => a.startsWith("--out="))) {
    const parsed = parseOfficialArgs(args);
    console.error("problem" in parsed ? officialArgsProblemText(parsed, USAGE) : `Thiếu --out (tệp .xlsx hoặc .csv).\nCách dùng: ${USAGE}`);
    return 2;
  }
  return runOverScope(args, USAGE, async ({ db, catalog, opts, roots }) => {
    const out = opts.out!;
    const format = out.toLowerCase().endsWith(".csv") ? "csv" : "xlsx";
    for (const under of roots) {
      const file = await exportPeriod(db, catalog, { period: opts.period, under, format }, SHEET_WORDS);
      const target = roots.length === 1 ? out : out.replace(/(\.[^.]+)?$/, `-${under}$1`);
      writeFileSync(target, file.buffer);
      console.log(`Đã ghi ${target} (${file.buffer.length} byte).`);
    }
    return 0;
  });
}
