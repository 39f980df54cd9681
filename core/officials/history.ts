/**
 * One unit's answers over periods, newest first.
 *
 *   const h = await unitHistory(db, catalog, { unitCode: "TH-HOAMAI", periods: ["2026-02", "2026-03"] });
 *   h.periods[0].answers.find((a) => a.code === "TK-03")?.value
 *
 * Cost: one indexed read of the unit's reports (unique ("unitId","period")) with their answers —
 * O(periods × indicators of that unit).
 */
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { formatPeriod, parsePeriod } from "../reporting/periods.ts";
import { UnknownUnitError } from "./scope.ts";

export interface HistoryOptions {
  unitCode: string;
  /** Period keys to include; default: every period the unit has a report for. */
  periods?: string[];
}

export interface HistoryAnswer {
  code: string;
  /** The target's short name; null when it has left the catalog (the caller words that). */
  short: string | null;
  /** The question's measure ("boolean" answers are stored 1/0) and, for counts, its unit. */
  measure: string | null;
  countUnit: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  meetsTarget: boolean | null;
  skipped: boolean;
  reason: string | null;
}

export interface HistoryPeriod {
  period: string;
  periodLabel: string;
  status: string;
  revision: number;
  submittedAt: Date | null;
  onTime: boolean | null;
  /** pending | approved | returned (meaningful once submitted). */
  approval: string;
  answers: HistoryAnswer[];
}

export interface UnitHistory {
  unit: { code: string; name: string; kind: string; levels: string; planId: string | null };
  periods: HistoryPeriod[];
}

/** A unit's reports and answers, newest period first; answers in catalog order. */
export async function unitHistory(db: Db, catalog: Catalog, options: HistoryOptions): Promise<UnitHistory> {
  const unit = await db.unit.findUnique({ where: { code: options.unitCode } });
  if (!unit) throw new UnknownUnitError(options.unitCode);
  const keys = options.periods?.map((p) => parsePeriod(p).key);
  const reports = await db.report.findMany({
    where: { unitId: unit.id, ...(keys ? { period: { in: keys } } : {}) },
    include: { answers: true },
  });
  const order = new Map(catalog.entries.map((e, i) => [e.code, i]));
  const sortKey = (p: string) => {
    const q = parsePeriod(p);
    // within a year: months, then quarters, then halves at their last month, the year last
    return q.year * 100 + (q.kind === "month" ? q.month! * 3 : q.kind === "quarter" ? q.quarter! * 9 : q.kind === "half" ? q.half! * 18 : 99);
  };
  return {
    unit: { code: unit.code, name: unit.name, kind: unit.kind, levels: unit.levels, planId: unit.planId },
    periods: reports
      .sort((a, b) => sortKey(b.period) - sortKey(a.period) || b.period.localeCompare(a.period))
      .map((r) => ({
        period: r.period,
        periodLabel: formatPeriod(parsePeriod(r.period)),
        status: r.status,
        revision: r.revision,
        submittedAt: r.submittedAt,
        onTime: r.onTime,
        approval: r.approvalStatus,
        answers: r.answers
          .sort((a, b) => (order.get(a.indicatorCode) ?? 1e9) - (order.get(b.indicatorCode) ?? 1e9))
          .map((a) => ({
            code: a.indicatorCode,
            short: catalog.byCode.get(a.indicatorCode)?.short ?? null,
            measure: catalog.byCode.get(a.indicatorCode)?.measure.type ?? null,
            countUnit: ((m) => (m?.type === "count" ? m.unit : null))(catalog.byCode.get(a.indicatorCode)?.measure),
            value: a.value,
            numerator: a.numerator,
            denominator: a.denominator,
            meetsTarget: a.meetsTarget,
            skipped: a.skipped,
            reason: a.reason,
          })),
      })),
  };
}
