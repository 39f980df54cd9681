/**
 * `npm run cli -- late --period <2026-03|2026-Q1|2026> [--under <unit code>] [--level th] --json`
 * Late and missing units with DHIS2 reporting rates. Default --under: every root unit (no parent);
 * with several roots, --json prints an array. Exit 2 on a bad period or unknown unit.
 */
import { loadCatalog } from "../../core/catalog/index.ts";
import { openDb } from "../../core/db/client.ts";
import { parseOfficialArgs } from "../../core/officials/command.ts";
import { lateReport, type LateReport } from "../../core/officials/late.ts";
import { rootUnits, UnknownUnitError } from "../../core/officials/scope.ts";
import { formatVietnamDate } from "../../core/reporting/periods.ts";

const USAGE = "npm run cli -- late --period <2026-03|2026-Q1|2026> [--under <mã đơn vị>] [--level th] --json";

export async function run(args: string[]): Promise<number> {
  const opts = parseOfficialArgs(args, USAGE);
  if ("error" in opts) {
    console.error(opts.error);
    return 2;
  }
  const db = await openDb(process.env.DATABASE_URL ?? "file:./data/app.db");
  try {
    const catalog = loadCatalog();
    const roots = opts.under ? [opts.under] : (await rootUnits(db)).map((u) => u.code);
    if (!roots.length) {
      console.error("Chưa có đơn vị nào trong cơ sở dữ liệu. Nhập danh sách đơn vị: npm run cli -- units import <tệp>.");
      return 2;
    }
    const results: LateReport[] = [];
    for (const under of roots) results.push(await lateReport(db, catalog, { period: opts.period, under, level: opts.level }));
    if (opts.json) console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
    else for (const r of results) console.log(describe(r));
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

function describe(r: LateReport): string {
  const lines = [
    `${r.under.name} – ${r.periodLabel} (hạn: trước ${formatVietnamDate(r.deadline)})`,
    `Phải báo cáo: ${r.expected}; đã nộp: ${r.submitted} (${r.reportingRate ?? "–"}%); đúng hạn: ${r.onTime} (${r.onTimeRate ?? "–"}%).`,
    `Trễ hạn (${r.late.length}):`,
    ...r.late.map((u) => `  - ${u.code} ${u.name} (nộp ${formatVietnamDate(u.submittedAt, true)})`),
    `Chưa nộp (${r.missing.length}):`,
    ...r.missing.map((u) => `  - ${u.code} ${u.name}${u.status === "draft" ? " (đang nhập dở)" : ""}`),
  ];
  return lines.join("\n");
}
