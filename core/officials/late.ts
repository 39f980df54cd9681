/**
 * Who has not reported, who reported late, and the reporting rates of a scope for one period.
 *
 *   const late = await lateReport(db, catalog, { period: "2026-03", under: "XA-TANKY", now: new Date() });
 *   late.missing.map((u) => u.name); late.reportingRate // 87.5
 *
 * Rates follow DHIS2's data set reporting metrics (DHIS2 Analytics, "Data set reporting rates":
 * REPORTING_RATE, REPORTING_RATE_ON_TIME, ACTUAL_REPORTS, ACTUAL_REPORTS_ON_TIME, EXPECTED_REPORTS):
 *  - Reporting rate         = actual reports ÷ expected reports × 100
 *  - Reporting rate on time = actual reports submitted on time ÷ expected reports × 100
 *    (the denominator is EXPECTED reports, not actual ones).
 * Expected reports: units in scope whose effective plan asks their levels at least one
 * indicator of the period's frequency (DHIS2: org units assigned the data set). Actual reports:
 * submitted reports of those units. On time: the first submission came before the deadline.
 *
 * Cost: one query — the subtree's "Unit" rows (path prefix) LEFT JOINed to the period's report
 * through the unique ("unitId","period") index: O(units in scope) rows and index probes,
 * independent of how many periods are stored.
 */
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import {
  deadlineOf,
  formatPeriod,
  KIND_FREQUENCY,
  parsePeriod,
  type Period,
} from "../reporting/periods.ts";
import { indicatorsResolver, percent, unitsWithNoPlan, type ScopeUnit } from "./scope.ts";
import { cachedScope } from "./tree-cache.ts";

export interface LateOptions {
  /** "2026-03" | "2026-Q1" | "2026" */
  period: string;
  /** Unit code whose subtree is looked at. */
  under: string;
  /** Reference time (deadline passed or not); defaults to now. */
  now?: Date;
  /** Restrict to one school level (mn, th, thcs, thpt, gdtx). */
  level?: string;
}

export interface LateUnit extends ScopeUnit {
  deadline: Date;
  /** First submission time. */
  submittedAt: Date;
}

export interface MissingUnit extends ScopeUnit {
  deadline: Date | null;
  /** "draft" when answers were started but not submitted, "none" when nothing was started. */
  status: "draft" | "none";
}

/** Counts and rates of one group of units (a commune, a level, the whole scope). */
export interface RateGroup {
  key: string;
  label: string;
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: number;
  /** actual ÷ expected × 100 (null when nothing is expected). */
  reportingRate: number | null;
  /** on time ÷ expected × 100. */
  onTimeRate: number | null;
}

/** Status of one expected unit, for exports and lists. */
export interface UnitStatus {
  unit: ScopeUnit;
  status: "on_time" | "late" | "missing";
  submittedAt: Date | null;
  deadline: Date | null;
  /** For a submitted report: pending (waiting for approval) | approved | returned; null when missing. */
  approval: ApprovalStatus | null;
}

export type ApprovalStatus = "pending" | "approved" | "returned";

export interface LateReport {
  /**
   * "no_plan": nothing is expected because no plan is in force for the units of the scope in this
   * period (see `withoutPlan`): never read it as "everyone reported". "ok" otherwise.
   */
  status: "ok" | "no_plan";
  /** Units (schools and other leaves) with no plan in force for the period: fix with `units plan <unit code> <planId>`. */
  withoutPlan: Array<{ code: string; name: string }>;
  period: string;
  periodLabel: string;
  under: { code: string; name: string };
  /** Deadline of the scope root's plan for this period (units may have other plans). */
  deadline: Date;
  deadlinePassed: boolean;
  expected: number;
  submitted: number;
  onTime: number;
  late: LateUnit[];
  missing: MissingUnit[];
  reportingRate: number | null;
  onTimeRate: number | null;
  /**
   * byParent: by the unit's parent (a school's commune); byArea: by the child of the scope root
   * that contains the unit (a commune with its schools, for a department-wide view); byLevel:
   * by school level (a multi-level school counts in each).
   */
  groups: { byParent: RateGroup[]; byArea: RateGroup[]; byLevel: RateGroup[] };
  /** Every expected unit with its status, in path order. */
  statuses: UnitStatus[];
  /** Submitted reports by approval status. */
  approval: Record<ApprovalStatus, number>;
}

interface ReportRow {
  /** null when the unit has no report for the period (LEFT JOIN). */
  status: string | null;
  approvalStatus: string | null;
  onTime: boolean | number | null;
  firstSubmittedAt: Date | string | null;
  submittedAt: Date | null;
  /** Null for on-time reports (not needed; fewer dates to decode). */
  deadline: Date | string | null;
}

/** Vietnamese names of levels and offices, for groups and charts. */
export const LEVEL_LABEL: Record<string, string> = {
  mn: "Mầm non",
  th: "Tiểu học",
  thcs: "THCS",
  thpt: "THPT",
  gdtx: "GDTX",
  so: "Sở GDĐT",
  phong: "Phòng GD&ĐT",
  xa: "UBND xã/phường",
};

/** Late and missing units and DHIS2 reporting rates of `under`'s subtree for `period`. */
export async function lateReport(db: Db, catalog: Catalog, options: LateOptions): Promise<LateReport> {
  const period = parsePeriod(options.period);
  const now = options.now ?? new Date();
  // The unit tree and effective plans come from memory (tree-cache.ts, reloaded when a unit or an
  // assignment changes); the database is asked only for the period's reports, one text column a
  // row (the driver adapter's cost is per value: 5 columns × 10,000 rows cost 3-5× one column).
  const scope = await cachedScope(db, options.under, { catalog, period: period.key });
  const everyUnit = scope.allUnits ? 1 : 0;
  const packed = await db.$queryRaw<Array<{ x: string }>>`
    SELECT CAST(r."unitId" AS TEXT) || '|' || r."status" || '|' || r."approvalStatus" || '|' || COALESCE(CAST(r."onTime" AS TEXT), '')
      || '|' || COALESCE(CAST(r."submittedAt" AS TEXT), '')
      || CASE WHEN r."onTime" THEN '' ELSE '|' || COALESCE(CAST(r."firstSubmittedAt" AS TEXT), '') || '|' || COALESCE(CAST(r."deadline" AS TEXT), '') END AS "x"
    FROM "Report" r WHERE r."period" = ${period.key}
      AND (${everyUnit} = 1 OR r."unitId" IN (SELECT u."id" FROM "Unit" u WHERE u."path" LIKE ${scope.pathLike} ESCAPE '\\'))`;
  const reports = new Map<number, ReportRow>();
  for (const { x } of packed) {
    const [unitId, status, approvalStatus, onTime, submittedAt, firstSubmittedAt, deadline] = x.split("|");
    reports.set(Number(unitId), {
      status: status!,
      approvalStatus: approvalStatus!,
      onTime: onTime === "" || onTime === undefined ? null : onTime === "1" || onTime === "true",
      submittedAt: dbDate(submittedAt),
      firstSubmittedAt: dbDate(firstSubmittedAt),
      deadline: dbDate(deadline),
    });
  }
  const indicatorsOf = indicatorsResolver(catalog, KIND_FREQUENCY[period.kind], period.key);
  const expected = scope.units.filter(
    (u) => indicatorsOf(u).length > 0 && (!options.level || u.levels.includes(options.level)),
  );
  const reportOf = (unitId: number): ReportRow | undefined => reports.get(unitId);

  const deadlineFor = (unit: ScopeUnit): Date => planDeadline(catalog, unit.planId, period);
  const statuses: UnitStatus[] = [];
  const late: LateUnit[] = [];
  const missing: MissingUnit[] = [];
  const approvalCounts: Record<ApprovalStatus, number> = { pending: 0, approved: 0, returned: 0 };
  for (const unit of expected) {
    const r = reportOf(unit.id);
    if (r && r.status === "submitted") {
      const first = toDate(r.firstSubmittedAt) ?? r.submittedAt;
      const deadline = toDate(r.deadline) ?? deadlineFor(unit);
      const onTime = r.onTime === null ? first !== null && first.getTime() < deadline.getTime() : Boolean(r.onTime);
      const approval = (r.approvalStatus ?? "pending") as ApprovalStatus;
      approvalCounts[approval] = (approvalCounts[approval] ?? 0) + 1;
      statuses.push({ unit, status: onTime ? "on_time" : "late", submittedAt: r.submittedAt, deadline, approval });
      // r.deadline is only read for reports not known to be on time (see the query).
      if (!onTime) late.push({ ...unit, deadline, submittedAt: first ?? deadline });
    } else {
      const deadline = toDate(r?.deadline ?? null) ?? deadlineFor(unit);
      statuses.push({ unit, status: "missing", submittedAt: null, deadline, approval: null });
      missing.push({ ...unit, deadline, status: r ? "draft" : "none" });
    }
  }

  const total = summarize("all", scope.root.name, statuses);
  const deadline = planDeadline(catalog, scope.root.planId ?? expected[0]?.planId ?? null, period);
  const withoutPlan = unitsWithNoPlan(scope)
    .filter((u) => !options.level || u.levels.includes(options.level))
    .map((u) => ({ code: u.code, name: u.name }));
  return {
    status: total.expected === 0 && withoutPlan.length > 0 ? "no_plan" : "ok",
    withoutPlan,
    period: period.key,
    periodLabel: formatPeriod(period),
    under: { code: scope.root.code, name: scope.root.name },
    deadline,
    deadlinePassed: now.getTime() >= deadline.getTime(),
    expected: total.expected,
    submitted: total.submitted,
    onTime: total.onTime,
    late,
    missing,
    reportingRate: total.reportingRate,
    onTimeRate: total.onTimeRate,
    groups: {
      byParent: groupBy(statuses, byParentKey),
      byArea: groupBy(statuses, areaKey(scope.root, scope.byId)),
      byLevel: groupByLevel(statuses),
    },
    statuses,
    approval: approvalCounts,
  };
}

/**
 * A date cast to text: SQLite stores ISO text ("2026-03-15T01:30:00.000+00:00") or epoch
 * milliseconds; PostgreSQL prints a timestamp without zone ("2026-03-15 01:30:00.123"), which
 * Prisma writes in UTC.
 */
function dbDate(s: string | undefined): Date | null {
  if (!s) return null;
  if (/^\d+(\.\d+)?$/.test(s)) return new Date(Number(s));
  const iso = s.includes("T") ? s : s.replace(" ", "T");
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

/** A computed column comes back as an ISO string from SQLite and as a Date from PostgreSQL. */
function toDate(x: Date | string | null): Date | null {
  if (x === null || x === undefined) return null;
  return x instanceof Date ? x : new Date(x);
}

/** Deadline of a period under a plan's reporting rules (default rules when the plan is unknown). */
export function planDeadline(catalog: Catalog, planId: string | null, period: Period): Date {
  const rules = (planId ? catalog.plan(planId)?.reporting : undefined) ?? {
    monthlyBeforeDay: 20,
    quarterlyBeforeDay: 20,
    yearlyBefore: { day: 10, month: 12 },
  };
  return deadlineOf(period, rules);
}

function summarize(key: string, label: string, items: UnitStatus[]): RateGroup {
  const onTime = items.filter((s) => s.status === "on_time").length;
  const late = items.filter((s) => s.status === "late").length;
  const expected = items.length;
  const submitted = onTime + late;
  return {
    key,
    label,
    expected,
    submitted,
    onTime,
    late,
    missing: expected - submitted,
    reportingRate: percent(submitted, expected),
    onTimeRate: percent(onTime, expected),
  };
}

function byParentKey(s: UnitStatus): [string, string] {
  return [s.unit.parentCode ?? s.unit.code, s.unit.parentName ?? s.unit.name];
}

/** The root's child on the unit's path (or the root itself for the root). */
function areaKey(root: ScopeUnit, byId: Map<number, ScopeUnit>): (s: UnitStatus) => [string, string] {
  const nameOf = new Map<string, string>();
  for (const u of byId.values()) nameOf.set(u.code, u.name);
  const start = root.path.length;
  return (s) => {
    const end = s.unit.path.indexOf("/", start);
    const code = end > start ? s.unit.path.slice(start, end) : root.code;
    return [code, nameOf.get(code) ?? code];
  };
}

function groupBy(items: UnitStatus[], keyOf: (s: UnitStatus) => [string, string]): RateGroup[] {
  const groups = new Map<string, { label: string; items: UnitStatus[] }>();
  for (const s of items) {
    const [key, label] = keyOf(s);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label, items: [] }));
    g.items.push(s);
  }
  return [...groups].map(([key, g]) => summarize(key, g.label, g.items));
}

/** A multi-level school (liên cấp) counts in each of its levels. */
function groupByLevel(items: UnitStatus[]): RateGroup[] {
  const groups = new Map<string, UnitStatus[]>();
  for (const s of items) {
    for (const level of s.unit.levels) {
      let g = groups.get(level);
      if (!g) groups.set(level, (g = []));
      g.push(s);
    }
  }
  const order = Object.keys(LEVEL_LABEL);
  return [...groups]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([level, g]) => summarize(level, LEVEL_LABEL[level] ?? level, g));
}
