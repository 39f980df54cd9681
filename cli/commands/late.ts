/**
 * `npm run cli -- late --period <2026-03|2026-Q1|2026-H1|2026> [--under <unit code>] [--level th] --json`
 * Late and missing units with DHIS2 reporting rates. Default --under: every root unit (no parent);
 * with several roots, --json prints an array. Exit 2 on a bad period or unknown unit.
 */
import type { LateReport } from "../../core/officials/late.ts";
import { scopedLate } from "../../core/officials/access.ts";
import { refusalMessage, runOverScope } from "../officials-scope.ts";
import type { Db } from "../../core/db/client.ts";
import { formatVietnamDate } from "../../core/reporting/periods.ts";
import { noPlanLines } from "../plans-db.ts";

const USAGE = "npm run cli -- late --period <2026-03|2026-Q1|2026-H1|2026> [--under <mã đơn vị>] [--as <telegram id>] [--level th] --json";

export async function run(args: string[], db?: Db): Promise<number> {
  return runOverScope(args, USAGE, async ({ db, catalog, opts, scopes, area }) => {
    const results: LateReport[] = [];
    for (const scope of scopes) {
      const r = await scopedLate({ db, catalog }, scope, { period: opts.period, area, level: opts.level });
      if (!r.ok) {
        console.error(refusalMessage(r));
        return 2;
      }
      results.push(r.report);
    }
    if (opts.json) console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
    else for (const r of results) console.log(describe(r));
    return 0;
  }, db);
}

function describe(r: LateReport): string {
  if (r.status === "no_plan") return [`${r.under.name} – ${r.periodLabel}: không có đơn vị nào phải báo cáo vì chưa có kế hoạch áp dụng.`, ...noPlanLines(r.withoutPlan)].join("\n");
  const lines = [
    `${r.under.name} – ${r.periodLabel} (hạn: trước ${formatVietnamDate(r.deadline)})`,
    `Phải báo cáo: ${r.expected}; đã nộp: ${r.submitted} (${r.reportingRate ?? "–"}%); đúng hạn: ${r.onTime} (${r.onTimeRate ?? "–"}%).`,
    `Trễ hạn (${r.late.length}):`,
    ...r.late.map((u) => `  - ${u.code} ${u.name} (nộp ${formatVietnamDate(u.submittedAt, true)})`),
    `Chưa nộp (${r.missing.length}):`,
    ...r.missing.map((u) => `  - ${u.code} ${u.name}${u.status === "draft" ? " (đang nhập dở)" : ""}`),
    ...noPlanLines(r.withoutPlan),
  ];
  return lines.join("\n");
}
