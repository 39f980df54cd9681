/**
 * What the dashboard shows, as data: every view is computed by the same core functions the chat
 * and the CLI use (lateReport, progressReport, unitHistory), scoped to the viewer's node, and
 * labelled in Vietnamese (no indicator codes, plan ids or period keys in any label). Unit and
 * target codes travel only as `ref`s for navigation; the screen never prints them. The labels' words
 * come from the caller's {@link ViewWords} (web/dashboard/words.ts VIEW_WORDS): core lays out the data.
 *
 *   const o = await overviewView(db, catalog, viewer, { period: "2026-03", under: "XA-TANKY", now }, VIEW_WORDS);
 *   o.areas[0].label  // "UBND xã Tân Kỳ"
 */
import type { Catalog, CatalogTarget } from "../catalog/index.ts";
import type { Db } from "../db/client.ts";
import { lateReport, progressReport, unitHistory, LEVEL_LABEL } from "../officials/index.ts";
import { unitContacts } from "../officials/late.ts";
import { formatThreshold } from "../reporting/check.ts";
import { aggregateUnit, formatNumber, withUnit } from "../reporting/format.ts";
import {
  currentPeriod,
  formatPeriod,
  formatVietnamDate,
  parsePeriod,
  previousPeriod,
  vietnamParts,
  yearPeriod,
  type Period,
} from "../reporting/periods.ts";
import { breadcrumb, type ScopeNode, type Viewer } from "./access.ts";
import type { NudgePlan } from "../officials/access.ts";
import type { ApprovalItem } from "../officials/approval.ts";
import { planRefOf, type OutlierFlag, type PlanRef } from "../officials/progress.ts";
import { cachedScope } from "../officials/tree-cache.ts";
import { likePrefix } from "../officials/scope.ts";
import { periodCells } from "../officials/aggregates.ts";

export interface PeriodChoice {
  ref: string;
  label: string;
}

/** Periods an official can pick: the last 12 months, 4 quarters and 2 years, newest first. */
export function periodChoices(now: Date): { choices: PeriodChoice[]; current: string } {
  const out: PeriodChoice[] = [];
  let m = currentPeriod("month", now);
  for (let i = 0; i < 12; i++, m = previousPeriod(m)) out.push({ ref: m.key, label: formatPeriod(m) });
  let q = currentPeriod("quarter", now);
  for (let i = 0; i < 4; i++, q = previousPeriod(q)) out.push({ ref: q.key, label: formatPeriod(q) });
  const y = vietnamParts(now).year;
  for (const year of [y, y - 1]) out.push({ ref: String(year), label: formatPeriod(yearPeriod(year)) });
  return { choices: out, current: currentPeriod("month", now).key };
}

/** What the dashboard's views say; the caller words it (web/dashboard/words.ts VIEW_WORDS). */
export interface ViewWords {
  /** A plan's name (never its id); null: a target whose plan is not in the catalog. */
  planName: (plan: PlanRef | null) => string;
  status: Record<"on_time" | "late" | "missing", string>;
  /** A school's report in a period. */
  reportStatus: (r: { submitted: boolean; onTime: boolean | null; approval: string | undefined }) => string;
  /** A missing unit's report: started or not. */
  draft: string;
  notStarted: string;
  skipped: string;
  yes: string;
  no: string;
  /** No value. */
  none: string;
  noData: string;
  level: (value: string) => string;
  /** A target gone from the catalog, in a school's history. */
  targetGone: string;
  /** A below-target answer's target in the approval queue (short null: gone from the catalog). */
  flagTarget: (short: string | null) => string;
  /** What a count of units is counted in ("đơn vị"). */
  unitsNoun: string;
  /** The unit of a gap in percentage points ("điểm %"). */
  percentPoints: string;
  gap: (amount: string) => string;
  /** A change since the previous period, in `unit` ("%": percentage points), e.g. "tăng 3,6 điểm % so với tháng 2/2026". */
  change: (change: number, unit: string | null, previousPeriodLabel: string) => string;
  /** What is still missing to reach the target, e.g. "còn thiếu 12 giáo viên". */
  shortfall: (missing: number, unit: string | null) => string;
  /** The deadline against now, at the head of a line, e.g. "Hạn 19/11/2026 — đã quá 11 ngày". */
  deadline: (deadline: Date, now: Date) => string;
  /** One school's answer from its stored figures, e.g. "45/60", "Có", "12 bài giảng". */
  unitAnswer: (measure: CatalogTarget["measure"]["type"], a: { value: number | null; numerator: number | null; denominator: number | null }, countUnit: string | null) => string;
  outlier: Record<OutlierFlag, string>;
  /** A focal point the bot knows no name for. */
  focalPoint: string;
  lateMark: string;
  approval: Record<"pending" | "approved" | "returned", string>;
}

const planOf = (catalog: Catalog, e: CatalogTarget | undefined): PlanRef | null => (e ? planRefOf(catalog, e.plan) : null);

const pct = (v: number | null): string => (v === null ? "—" : `${formatNumber(v)}%`);

export interface RateRow {
  ref: string;
  label: string;
  /** "area" rows open the next level; "school" rows open the school's report. */
  kind: "area" | "school";
  expected: number;
  submitted: number;
  onTime: number;
  late: number;
  missing: number;
  reportingRate: number | null;
  onTimeRate: number | null;
  /** For schools: "Đúng hạn" | "Trễ hạn" | "Chưa nộp". */
  statusLabel?: string;
  submittedLabel?: string;
}

export interface OverviewView {
  under: { ref: string; label: string };
  crumbs: Array<{ ref: string; label: string }>;
  period: string;
  periodLabel: string;
  deadlineLabel: string;
  totals: { expected: number; submitted: number; onTime: number; late: number; missing: number; reportingRate: number | null; onTimeRate: number | null };
  rows: RateRow[];
  withoutPlan: string[];
}

/** Reporting and on-time rates under one node: one row per area below it, and its own schools. */
export async function overviewView(db: Db, catalog: Catalog, viewer: Viewer, opts: { period: string; under: ScopeNode; now: Date }, words: ViewWords): Promise<OverviewView> {
  const r = await lateReport(db, catalog, { period: opts.period, under: opts.under.code, now: opts.now });
  const rows: RateRow[] = [];
  const schoolsHere = r.statuses.filter((s) => s.unit.parentCode === opts.under.code && s.unit.kind === "school");
  const schoolCodes = new Set(schoolsHere.map((s) => s.unit.code));
  for (const g of r.groups.byArea) {
    if (g.key === opts.under.code || schoolCodes.has(g.key) || g.expected === 0) continue;
    rows.push({ ref: g.key, label: g.label, kind: "area", expected: g.expected, submitted: g.submitted, onTime: g.onTime, late: g.late, missing: g.missing, reportingRate: g.reportingRate, onTimeRate: g.onTimeRate });
  }
  // worst first: the areas to follow up on come first
  rows.sort((a, b) => (a.reportingRate ?? -1) - (b.reportingRate ?? -1) || a.label.localeCompare(b.label, "vi"));
  for (const s of schoolsHere) {
    const submitted = s.status === "missing" ? 0 : 1;
    rows.push({
      ref: s.unit.code,
      label: s.unit.name,
      kind: "school",
      expected: 1,
      submitted,
      onTime: s.status === "on_time" ? 1 : 0,
      late: s.status === "late" ? 1 : 0,
      missing: 1 - submitted,
      reportingRate: submitted * 100,
      onTimeRate: s.status === "on_time" ? 100 : 0,
      statusLabel: words.status[s.status],
      submittedLabel: s.submittedAt ? formatVietnamDate(s.submittedAt, true) : "",
    });
  }
  const deadlineLabel = words.deadline(r.deadline, opts.now);
  return {
    under: { ref: opts.under.code, label: r.under.name },
    crumbs: (await breadcrumb(db, viewer, opts.under)).map((c) => ({ ref: c.code, label: c.name })),
    period: r.period,
    periodLabel: r.periodLabel,
    deadlineLabel,
    totals: { expected: r.expected, submitted: r.submitted, onTime: r.onTime, late: r.late.length, missing: r.missing.length, reportingRate: r.reportingRate, onTimeRate: r.onTimeRate },
    rows,
    withoutPlan: r.withoutPlan.map((u) => u.name),
  };
}

export interface ValueCell {
  text: string;
  numerator: number | null;
  denominator: number | null;
  /** The value in its unit (%, count, level). */
  value: number | null;
  unit: "%" | "count" | "level" | "yes_no";
}

function valueOf(e: CatalogTarget | undefined, a: { value: number | null; numerator: number | null; denominator: number | null; skipped?: boolean }, words: ViewWords): ValueCell {
  const type = e?.measure.type;
  if (a.skipped) return { text: words.skipped, numerator: null, denominator: null, value: null, unit: "count" };
  if (a.numerator !== null && a.denominator !== null && a.denominator > 0) {
    const v = Math.round((a.numerator / a.denominator) * 1000) / 10;
    return { text: `${formatNumber(a.numerator)}/${formatNumber(a.denominator)} (${formatNumber(v)}%)`, numerator: a.numerator, denominator: a.denominator, value: v, unit: "%" };
  }
  if (type === "boolean") return { text: a.value === null ? words.none : a.value ? words.yes : words.no, numerator: null, denominator: null, value: a.value, unit: "yes_no" };
  if (a.value === null) return { text: words.none, numerator: null, denominator: null, value: null, unit: "count" };
  if (type === "percent") return { text: `${formatNumber(a.value)}%`, numerator: null, denominator: null, value: a.value, unit: "%" };
  if (type === "level") return { text: words.level(formatNumber(a.value)), numerator: null, denominator: null, value: a.value, unit: "level" };
  const unit = e?.measure.type === "count" ? ((e.measure as { unit?: string }).unit ?? "") : "";
  return { text: `${formatNumber(a.value)}${unit ? ` ${unit}` : ""}`, numerator: null, denominator: null, value: a.value, unit: "count" };
}

export interface SchoolView {
  unit: { ref: string; label: string; levels: string };
  crumbs: Array<{ ref: string; label: string }>;
  periods: Array<{
    ref: string;
    label: string;
    statusLabel: string;
    submittedLabel: string;
    revisions: number;
    groups: Array<{
      plan: string;
      answers: Array<{ target: string; threshold: string; value: ValueCell; meets: boolean | null; reason: string | null }>;
    }>;
  }>;
}

/** One school's reports, newest period first, answers grouped by plan. */
export async function schoolView(db: Db, catalog: Catalog, viewer: Viewer, unit: ScopeNode, words: ViewWords, opts: { periods?: number } = {}): Promise<SchoolView> {
  const h = await unitHistory(db, catalog, { unitCode: unit.code });
  return {
    unit: { ref: unit.code, label: h.unit.name, levels: h.unit.levels.split(",").map((l) => LEVEL_LABEL[l.trim()] ?? l).join(", ") },
    crumbs: (await breadcrumb(db, viewer, unit)).map((c) => ({ ref: c.code, label: c.name })),
    periods: h.periods.slice(0, opts.periods ?? 12).map((p) => {
      const groups = new Map<string, SchoolView["periods"][number]["groups"][number]>();
      for (const a of p.answers) {
        const e = catalog.byCode.get(a.code);
        const plan = words.planName(planOf(catalog, e));
        let g = groups.get(plan);
        if (!g) groups.set(plan, (g = { plan, answers: [] }));
        g.answers.push({
          target: e?.short ?? a.short ?? words.targetGone,
          threshold: e ? formatThreshold(e.threshold) : "",
          value: valueOf(e, a, words),
          meets: a.skipped ? null : a.meetsTarget,
          reason: a.reason,
        });
      }
      const approval = (p as { approval?: string }).approval;
      const status = words.reportStatus({ submitted: p.status === "submitted", onTime: p.onTime ?? null, approval });
      return {
        ref: p.period,
        label: p.periodLabel,
        statusLabel: status,
        submittedLabel: p.submittedAt ? formatVietnamDate(p.submittedAt, true) : "",
        revisions: Math.max(0, p.revision - 1),
        groups: [...groups.values()],
      };
    }),
  };
}

export interface ProgressRow {
  ref: string;
  label: string;
  targetText: string;
  threshold: string;
  value: ValueCell;
  numerator: number | null;
  denominator: number | null;
  meets: boolean | null;
  answered: number;
  expectedUnits: number;
  meetingUnits: number;
  missing: number | null;
  /** "còn thiếu 12 giáo viên" (empty when nothing is missing). */
  missingLabel: string;
  changeLabel: string;
  belowCount: number;
  below: Array<{ ref: string; label: string; parent: string; value: string; gapLabel: string; gap: number | null; reason: string | null; outlier: string | null }>;
}

export interface ProgressView {
  under: { ref: string; label: string };
  crumbs: Array<{ ref: string; label: string }>;
  period: string;
  periodLabel: string;
  plans: Array<{ plan: string; targets: ProgressRow[] }>;
  withoutPlan: string[];
}

/** Scopes up to this many units list their below-target schools inline; larger ones on request (one query per target). */
export const INLINE_BELOW_UNITS = 300;

/**
 * Progress per target (Σ numerators / Σ denominators), grouped and named by plan, with the schools
 * below target: listed inline for a small scope, on request (`target`) for a large one.
 */
export async function progressView(
  db: Db,
  catalog: Catalog,
  viewer: Viewer,
  opts: { period: string; under: ScopeNode; belowLimit?: number; target?: string },
  words: ViewWords,
): Promise<ProgressView> {
  const size = opts.belowLimit === undefined && !opts.target ? (await cachedScope(db, opts.under.code)).units.length : 0;
  const belowLimit = opts.belowLimit ?? (opts.target || size <= INLINE_BELOW_UNITS ? 20 : 0);
  const r = await progressReport(db, catalog, { period: opts.period, under: opts.under.code, belowLimit, ...(opts.target ? { indicator: opts.target } : {}) });
  const plans = new Map<string, ProgressRow[]>();
  for (const i of r.indicators) {
    const e = catalog.byCode.get(i.code);
    const plan = words.planName(planOf(catalog, e));
    let list = plans.get(plan);
    if (!list) plans.set(plan, (list = []));
    const countUnit = i.rollup === "count_yes" ? words.unitsNoun : undefined;
    const valueText =
      i.value === null
        ? words.noData
        : i.rollup === "sum_ratio" && i.numerator !== null
          ? `${formatNumber(i.numerator)}/${formatNumber(i.denominator ?? 0)} (${pct(i.value)})`
          : i.rollup === "count_yes"
            ? withUnit(i.value, words.unitsNoun)
            : i.rollup === "sum"
              ? withUnit(i.value, i.countUnit)
              : pct(i.value);
    list.push({
      ref: i.code,
      label: i.short,
      targetText: i.target,
      threshold: formatThreshold(i.threshold, countUnit),
      value: { text: valueText, numerator: i.numerator, denominator: i.denominator, value: i.value, unit: i.rollup === "count_yes" || i.rollup === "sum" ? "count" : "%" },
      numerator: i.numerator,
      denominator: i.denominator,
      meets: i.meets,
      answered: i.answered,
      expectedUnits: i.expectedUnits,
      meetingUnits: i.meetingUnits,
      missing: i.missing,
      missingLabel: i.missing ? words.shortfall(i.missing, i.missingUnit) : "",
      changeLabel: i.change === null ? "" : words.change(i.change, aggregateUnit(i.rollup, i.countUnit, words.unitsNoun), formatPeriod(parsePeriod(r.previousPeriod))),
      belowCount: i.belowCount,
      below: i.below.map((b) => {
        const v = words.unitAnswer(i.measure, b, i.countUnit);
        const gapLabel = b.missing ? words.shortfall(b.missing, b.missingUnit) : b.gap !== null && i.measure !== "boolean" ? words.gap(withUnit(b.gap, i.unitThreshold?.unit === "%" ? words.percentPoints : i.countUnit)) : "";
        const extra = b as { reason?: string | null; outlier?: OutlierFlag | null };
        return {
          ref: b.unit.code,
          label: b.unit.name,
          parent: b.unit.parentName ?? "",
          value: v,
          gapLabel,
          gap: b.gap,
          reason: extra.reason ?? null,
          outlier: extra.outlier ? words.outlier[extra.outlier] : null,
        };
      }),
    });
  }
  return {
    under: { ref: opts.under.code, label: r.under.name },
    crumbs: (await breadcrumb(db, viewer, opts.under)).map((c) => ({ ref: c.code, label: c.name })),
    period: r.period,
    periodLabel: r.periodLabel,
    plans: [...plans].map(([plan, targets]) => ({ plan, targets })),
    withoutPlan: r.withoutPlan.map((u) => u.name),
  };
}


export interface TrendView {
  target: string;
  plan: string;
  threshold: string;
  under: string;
  points: Array<{ label: string; value: number | null; text: string; answered: number }>;
}

/**
 * One target over the last `count` periods of the same kind (oldest first): the precomputed
 * aggregates of `under` (core/officials/aggregates.ts), else (a school, a large backlog, or
 * `live`, which tests compare) one grouped query over the answers.
 */
export async function trendView(db: Db, catalog: Catalog, opts: { code: string; under: ScopeNode; period: string; count?: number; live?: boolean }, words: ViewWords): Promise<TrendView | null> {
  const e = catalog.byCode.get(opts.code);
  if (!e) return null;
  const periods: Period[] = [];
  let p = parsePeriod(opts.period);
  for (let i = 0; i < (opts.count ?? 6); i++, p = previousPeriod(p)) periods.unshift(p);
  // the periods of one kind between the first and the last (keys of one kind sort in time order)
  const first = periods[0]!.key;
  const last = periods[periods.length - 1]!.key;
  const kind = periods[0]!.kind;
  const cells = opts.live ? null : await periodCells(db, opts.under.id, opts.code, periods.map((per) => per.key));
  const rows = cells ?? await db.$queryRaw<Array<{ period: string; answered: number | bigint; num: number | null; den: number | null; yes: number | bigint | null; total: number | null; meeting: number | bigint | null }>>`
    SELECT r."period" AS "period", COUNT(*) AS "answered",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN a."numerator" END) AS "num",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN a."denominator" END) AS "den",
      SUM(CASE WHEN a."value" <> 0 THEN 1 ELSE 0 END) AS "yes",
      SUM(a."value") AS "total",
      SUM(CASE WHEN a."meetsTarget" THEN 1 ELSE 0 END) AS "meeting"
    FROM "Report" r
      JOIN "Answer" a ON a."reportId" = r."id" AND a."indicatorCode" = ${opts.code}
      JOIN "Unit" u ON u."id" = r."unitId"
    WHERE r."period" >= ${first} AND r."period" <= ${last} AND r."periodKind" = ${kind} AND r."status" = 'submitted'
      AND a."skipped" = false AND (a."value" IS NOT NULL OR a."numerator" IS NOT NULL)
      AND u."path" LIKE ${likePrefix(opts.under.path)} ESCAPE '\\'
    GROUP BY r."period"`;
  const by = new Map(rows.map((r) => [r.period, r]));
  const n = (x: number | bigint | null | undefined) => (x === null || x === undefined ? 0 : Number(x));
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const countLike = e.rollup === "count_yes" || e.rollup === "sum";
  return {
    target: e.short,
    plan: words.planName(planOf(catalog, e)),
    threshold: formatThreshold(e.threshold, e.rollup === "count_yes" ? words.unitsNoun : undefined),
    under: opts.under.name,
    points: periods.map((per) => {
      const row = by.get(per.key);
      const answered = n(row?.answered);
      let value: number | null = null;
      if (row && answered > 0) {
        if (e.rollup === "sum_ratio") value = row.den ? r1(((row.num ?? 0) / row.den) * 100) : null;
        else if (e.rollup === "share_yes") value = r1((n(row.yes) / answered) * 100);
        else if (e.rollup === "count_yes") value = n(row.yes);
        else if (e.rollup === "sum") value = r1(row.total ?? 0);
        else value = r1((n(row.meeting) / answered) * 100);
      }
      return { label: formatPeriod(per), value, text: value === null ? words.none : countLike ? formatNumber(value) : pct(value), answered };
    }),
  };
}

export interface LateView {
  under: { ref: string; label: string };
  period: string;
  periodLabel: string;
  deadlineLabel: string;
  missing: Array<{ ref: string; label: string; parent: string; state: string; focal: string; phone: string }>;
  late: Array<{ ref: string; label: string; parent: string; submittedLabel: string }>;
  totals: OverviewView["totals"];
}

/** The late and missing units under a node, with whom to call. */
export async function lateView(db: Db, catalog: Catalog, opts: { period: string; under: ScopeNode; now: Date }, words: ViewWords): Promise<LateView> {
  const r = await lateReport(db, catalog, { period: opts.period, under: opts.under.code, now: opts.now });
  const byId = await unitContacts(db, r.missing.map((u) => u.id));
  return {
    under: { ref: opts.under.code, label: r.under.name },
    period: r.period,
    periodLabel: r.periodLabel,
    deadlineLabel: words.deadline(r.deadline, opts.now),
    missing: r.missing.map((u) => ({
      ref: u.code,
      label: u.name,
      parent: u.parentName ?? "",
      state: u.status === "draft" ? words.draft : words.notStarted,
      focal: byId.get(u.id)?.focalName ?? "",
      phone: byId.get(u.id)?.focalPhone ?? "",
    })),
    late: r.late.map((u) => ({ ref: u.code, label: u.name, parent: u.parentName ?? "", submittedLabel: formatVietnamDate(u.submittedAt, true) })),
    totals: { expected: r.expected, submitted: r.submitted, onTime: r.onTime, late: r.late.length, missing: r.missing.length, reportingRate: r.reportingRate, onTimeRate: r.onTimeRate },
  };
}


export interface NudgePreview {
  periodLabel: string;
  from: string;
  /** Units with at least one focal point the bot can message, and who gets it. */
  reach: Array<{ unit: string; people: string[] }>;
  /** Units nobody can be messaged for: whom to call instead. */
  unreachable: Array<{ unit: string; focal: string; phone: string }>;
  messages: number;
}

/** What a nudge would do (core/officials nudgePlan), worded for the confirmation screen. */
export function nudgePreview(plan: NudgePlan, words: ViewWords): NudgePreview {
  const reach = new Map<string, string[]>();
  for (const i of plan.items) {
    const people = reach.get(i.unitName) ?? [];
    people.push(plan.contacts.get(i.userId)?.name ?? words.focalPoint);
    reach.set(i.unitName, people);
  }
  return {
    periodLabel: plan.report.periodLabel,
    from: plan.report.under.name,
    reach: [...reach].map(([unit, people]) => ({ unit, people })),
    unreachable: plan.unreachable.map((c) => ({ unit: c.unitName, focal: c.name ?? "", phone: c.phone ?? "" })),
    messages: plan.items.length,
  };
}

export interface QueueView {
  periodLabel: string;
  total: number;
  items: Array<{
    ref: number;
    unitRef: string;
    unit: string;
    parent: string;
    periodLabel: string;
    submittedLabel: string;
    statusLabel: string;
    flags: Array<{ target: string; answer: string; reason: string | null }>;
    answered: number;
  }>;
}

/** The approval queue (core/officials approvalQueue), worded for the screen. */
export function queueView(q: { items: ApprovalItem[]; total: number }, periodLabel: string, words: ViewWords): QueueView {
  return {
    periodLabel,
    total: q.total,
    items: q.items.map((i) => ({
      ref: i.reportId,
      unitRef: i.unit.code,
      unit: i.unit.name,
      parent: i.unit.parentName ?? "",
      periodLabel: i.periodLabel,
      submittedLabel: i.submittedAt ? `${formatVietnamDate(i.submittedAt, true)}${i.onTime === false ? ` ${words.lateMark}` : ""}` : "",
      statusLabel: words.approval[i.approval as keyof ViewWords["approval"]] ?? "",
      flags: i.flags.map((f) => ({ target: words.flagTarget(f.short), answer: f.raw, reason: f.reason })),
      answered: i.answered,
    })),
  };
}
