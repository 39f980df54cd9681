/**
 * `npm run cli -- progress --period <2026-03|2026-Q1|2026-H1|2026> [--under <unit code>] [--level th] [--indicator TK-01] --json`
 * Each indicator rolled up over the scope against its target. Default --under: every root unit;
 * with several roots, --json prints an array. Exit 2 on a bad period or unknown unit.
 */
import { formatAggregate } from "../../core/officials/export.ts";
import { progressReport, type ProgressReport } from "../../core/officials/progress.ts";
import { runOverScope } from "../officials-scope.ts";

const USAGE = "npm run cli -- progress --period <2026-03|2026-Q1|2026-H1|2026> [--under <mã đơn vị>] [--level th] [--indicator TK-01] --json";

export async function run(args: string[]): Promise<number> {
  return runOverScope(args, USAGE, async ({ db, catalog, opts, roots }) => {
    const results: ProgressReport[] = [];
    for (const under of roots) {
      results.push(await progressReport(db, catalog, { period: opts.period, under, level: opts.level, indicator: opts.indicator }));
    }
    if (opts.json) console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
    else for (const r of results) console.log(describe(r));
    return 0;
  });
}

function describe(r: ProgressReport): string {
  const lines = [`${r.under.name} – ${r.periodLabel}`];
  if (!r.indicators.length) lines.push("Không có chỉ tiêu nào cho kỳ này trong phạm vi đã chọn.");
  for (const i of r.indicators) {
    const verdict = i.meets === null ? "chưa có số liệu" : i.meets ? "ĐẠT" : "CHƯA ĐẠT";
    lines.push(
      `${i.code} ${i.short}: ${formatAggregate(i)} – mục tiêu ${i.threshold.text} – ${verdict}; ` +
        `${i.answered}/${i.expectedUnits} đơn vị trả lời, ${i.meetingShare ?? "–"}% đơn vị đạt.`,
    );
  }
  return lines.join("\n");
}
