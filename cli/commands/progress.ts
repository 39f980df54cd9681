/**
 * `npm run cli -- progress --period <2026-03|2026-Q1|2026-H1|2026> [--under <unit code>] [--level th] [--indicator TK-01] --json`
 * Each indicator rolled up over the scope against its target. Default --under: every root unit;
 * with several roots, --json prints an array. Exit 2 on a bad period or unknown unit.
 */
import type { ProgressReport } from "../../core/officials/progress.ts";
import { scopedProgress } from "../../core/officials/access.ts";
import { refusalMessage, runOverScope } from "../officials-scope.ts";
import type { Db } from "../../core/db/client.ts";
import { aggregateText, planNameText } from "../../bot/messages/officials.ts";

const USAGE = "npm run cli -- progress --period <2026-03|2026-Q1|2026-H1|2026> [--under <mã đơn vị>] [--level th] [--indicator TK-01] [--as <telegram id>] [--approved] --json";

export async function run(args: string[], db?: Db): Promise<number> {
  return runOverScope(args, USAGE, async ({ db, catalog, opts, scopes, area }) => {
    const results: ProgressReport[] = [];
    for (const scope of scopes) {
      const r = await scopedProgress({ db, catalog }, scope, { period: opts.period, area, level: opts.level, indicator: opts.indicator, approvedOnly: opts.approvedOnly });
      if (!r.ok) {
        console.error(refusalMessage(r));
        return 2;
      }
      results.push(r.report);
    }
    // `planName` kept beside `plan` for scripts that read the earlier JSON shape
    const json = results.map((r) => ({ ...r, indicators: r.indicators.map((i) => ({ ...i, planName: i.plan ? planNameText(i.plan) : null })) }));
    if (opts.json) console.log(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    else for (const r of results) console.log(describe(r));
    return 0;
  }, db);
}

function describe(r: ProgressReport): string {
  const lines = [`${r.under.name} – ${r.periodLabel}`];
  if (!r.indicators.length) lines.push("Không có chỉ tiêu nào cho kỳ này trong phạm vi đã chọn.");
  for (const i of r.indicators) {
    const verdict = i.meets === null ? "chưa có số liệu" : i.meets ? "ĐẠT" : "CHƯA ĐẠT";
    lines.push(
      `${i.code} ${i.short}: ${aggregateText(i)} – mục tiêu ${i.threshold.text} – ${verdict}; ` +
        `${i.answered}/${i.expectedUnits} đơn vị trả lời, ${i.meetingShare ?? "–"}% đơn vị đạt.`,
    );
  }
  return lines.join("\n");
}
