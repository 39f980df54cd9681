/**
 * Progress of a scope against the plan's targets for one period, indicator by indicator.
 *
 *   const p = await progressReport(db, catalog, { period: "2026-Q1", under: "XA-TANKY" });
 *   p.indicators[0] // { code: "TK-03", value: 75, meets: false, gap: 15, missing: 9, change: 5, below: [...] }
 *
 * Each indicator rolls up as the catalog says (core/catalog/schema.ts, Rollup):
 *  - sum_ratio:     Σ numerators ÷ Σ denominators × 100 — never the average of the units' percentages
 *  - share_yes:     % of answering units that said yes
 *  - count_yes:     number of units that said yes
 *  - sum:           Σ values
 *  - share_meeting: % of answering units whose own answer meets the unit threshold (Answer.meetsTarget)
 * Only submitted reports count; skipped answers do not.
 *
 * Cost: loadScope + one GROUP BY over the answers of two periods (this and the previous one) —
 * O(units in scope × indicators × 2) rows reached through the ("period","status") index, then
 * "Answer"'s ("reportId","indicatorCode") unique index; independent of how many other periods
 * are stored. The below-target list (on request) is one query per indicator over one period,
 * reaching each report's answer through the ("reportId","indicatorCode") unique index.
 */
import { Prisma } from "../../generated/sqlite/client.ts";
import type { Db } from "../db/client.ts";
import type { Catalog, CatalogTarget as CatalogEntry, Rollup, Threshold } from "../catalog/index.ts";
import { formatPeriod, KIND_FREQUENCY, parsePeriod, previousPeriod } from "../reporting/periods.ts";
import { meetsThreshold, numeratorNoun } from "../reporting/check.ts";
import { progressCells } from "./aggregates.ts";
import { cachedScope } from "./tree-cache.ts";
import { indicatorsResolver, inScopeSql, percent, round1, UNITS_BY_ID, unitsWithNoPlan, type ScopeUnit } from "./scope.ts";

export interface ProgressOptions {
  period: string;
  under: string;
  /** One indicator code or several; default: every indicator asked in the scope. */
  indicator?: string | string[];
  /** School level (mn, th, thcs, thpt, gdtx): only units of that level and its indicators. */
  level?: string;
  /**
   * How many below-target units to list per indicator (lowest values first). Default: 100 when
   * `indicator` is given, else 0 (no list; belowCount is always filled). One indexed query per
   * listed indicator.
   */
  belowLimit?: number;
  /** Count only reports an official has approved (DHIS2: approved data only). Default: every submitted report. */
  approvedOnly?: boolean;
  /**
   * The from-scratch computation: aggregate the answers now instead of reading the precomputed
   * aggregates, and select below-target units by path rather than by unit id (tests and benchmarks compare both).
   */
  live?: boolean;
}

/** A unit whose own answer does not meet the unit threshold. */
export interface BelowUnit {
  unit: ScopeUnit;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** The unit threshold's value (e.g. 90 for "≥ 90%", 1 for "yes"). */
  target: number | null;
  /** How far the value is from the target (percentage points, count, level). */
  gap: number | null;
  /** Ratios: how many more (numerator items) the unit needs, e.g. 6 more teachers. */
  missing: number | null;
  /** What `missing` counts, from the catalog entry's words: "giáo viên" (null when missing is). */
  missingUnit: string | null;
  /** The focal point's reason for being below target. */
  reason: string | null;
  /** Set when the figure looks wrong rather than low (see outlierOf). */
  outlier: OutlierFlag | null;
}

/**
 * Outlier flags on a unit's answer: "drop" — fell by half or more (≥ 20 points) since last
 * period; "denominator_jump" — the denominator (teachers, pupils) changed by more than
 * half since last period, which usually means a typing mistake.
 */
export type OutlierFlag = "drop" | "denominator_jump";

export interface PeriodAggregate {
  period: string;
  answered: number;
  numerator: number | null;
  denominator: number | null;
  /** The rolled-up value: % for sum_ratio/share_yes/share_meeting, a count for count_yes/sum. */
  value: number | null;
  meetingUnits: number;
}

export interface IndicatorProgress {
  code: string;
  /** The plan the target belongs to, as officials know it (never its id); bot/messages/officials.ts planNameText words it. */
  plan: PlanRef | null;
  /** The Target version the figures are measured against (absent for catalogs built from files). */
  targetId?: number;
  version?: number;
  short: string;
  target: string;
  rollup: Rollup;
  measure: CatalogEntry["measure"]["type"];
  threshold: Threshold;
  /** What one unit must reach (null for a pure sum). */
  unitThreshold: Threshold | null;
  /** Units in scope asked this indicator this period. */
  expectedUnits: number;
  /** Units whose submitted report answers it. */
  answered: number;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  meets: boolean | null;
  /** Distance still to cover to reach the threshold (0 when met, null without data). */
  gap: number | null;
  /** sum_ratio: numerator items still needed; share_yes/count_yes: units still needed. */
  missing: number | null;
  /** What `missing` counts: the numerator's noun for sum_ratio ("giáo viên"), the count's unit for sum, else "đơn vị". */
  missingUnit: string;
  /** Count measures: the unit of one answer ("bài giảng"); null otherwise. */
  countUnit: string | null;
  meetingUnits: number;
  /** Share of answering units meeting their own target, %. */
  meetingShare: number | null;
  previous: PeriodAggregate | null;
  /** value − previous value (null when either is missing). */
  change: number | null;
  belowCount: number;
  below: BelowUnit[];
}

export interface ProgressReport {
  period: string;
  periodLabel: string;
  previousPeriod: string;
  under: { code: string; name: string };
  level: string | null;
  indicators: IndicatorProgress[];
  /** "no_plan": no plan is in force for the units of the scope in this period (see withoutPlan). */
  status: "ok" | "no_plan";
  /** Units (schools and other leaves) with no plan in force: fix with `units plan <unit code> <planId>`. */
  withoutPlan: Array<{ code: string; name: string }>;
}

interface AggRow {
  code: string;
  period: string;
  answered: number | bigint;
  num: number | null;
  den: number | null;
  yes: number | bigint | null;
  total: number | null;
  meeting: number | bigint | null;
  /** The latest Target version the period's answers were checked against. */
  targetId: number | bigint | null;
}

interface BelowRow {
  code: string;
  unitId: number | bigint;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  reason: string | null;
  prevValue: number | null;
  prevDenominator: number | null;
}

const n = (x: number | bigint | null | undefined): number => (x === null || x === undefined ? 0 : Number(x));

/** Indicators asked in a scope (code → units asked, code → version in force), by scope object and level. */
const askedMemo = new WeakMap<ScopeUnit[], Map<string, { expectedCount: Map<string, number>; inForce: Map<string, CatalogEntry> }>>();

/** Aggregate the answers of `under`'s subtree for a period against each indicator's threshold. */
export async function progressReport(db: Db, catalog: Catalog, options: ProgressOptions): Promise<ProgressReport> {
  const period = parsePeriod(options.period);
  const prev = previousPeriod(period);
  const scope = await cachedScope(db, options.under, { catalog, period: period.key });
  const level = options.level?.toLowerCase() || undefined;
  const wanted = options.indicator === undefined ? null : new Set([options.indicator].flat());
  const indicatorsOf = indicatorsResolver(catalog, KIND_FREQUENCY[period.kind], period.key);

  // Which indicators are asked in scope, and of how many units; the target version in force.
  // Memoized per scope object (tree-cache.ts: one per catalog, root and period, rebuilt when the
  // tree or an assignment changes) and level: a province walks 10,000 units for it.
  let asked = options.live ? undefined : askedMemo.get(scope.units)?.get(level ?? "");
  if (!asked) {
    asked = { expectedCount: new Map(), inForce: new Map() };
    for (const u of scope.units) {
      if (level && !u.levels.includes(level)) continue;
      for (const e of indicatorsOf(u)) {
        if (level && !e.levels.includes(level as never)) continue;
        asked.expectedCount.set(e.code, (asked.expectedCount.get(e.code) ?? 0) + 1);
        asked.inForce.set(e.code, e);
      }
    }
    if (!options.live) {
      let byLevel = askedMemo.get(scope.units);
      if (!byLevel) askedMemo.set(scope.units, (byLevel = new Map()));
      byLevel.set(level ?? "", asked);
    }
  }
  const { expectedCount, inForce } = asked;
  const order = new Map(catalog.entries.map((e, i) => [e.code, i]));
  const codes = wanted ? [...wanted].filter((c) => inForce.has(c) || catalog.byCode.has(c)) : [...inForce.keys()];
  codes.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));

  const levelLike = level ? `%,${level},%` : "%";
  const approvalLike = options.approvedOnly ? "approved" : "%";
  // The precomputed aggregates of the scope root (aggregates.ts) when usable, else the answers.
  const cells = options.live ? null : await progressCells(db, scope.root.id, [period.key, prev.key], { level, approvedOnly: options.approvedOnly });
  const rows: AggRow[] = cells ?? await db.$queryRaw<AggRow[]>`
    SELECT a."indicatorCode" AS "code", r."period" AS "period",
      COUNT(*) AS "answered",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN a."numerator" END) AS "num",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN a."denominator" END) AS "den",
      SUM(CASE WHEN a."value" <> 0 THEN 1 ELSE 0 END) AS "yes",
      SUM(a."value") AS "total",
      SUM(CASE WHEN a."meetsTarget" THEN 1 ELSE 0 END) AS "meeting",
      MAX(a."targetId") AS "targetId"
    FROM "Answer" a
      JOIN "Report" r ON r."id" = a."reportId"
      JOIN "Unit" u ON u."id" = r."unitId"
    WHERE r."period" IN (${period.key}, ${prev.key}) AND r."status" = 'submitted' AND r."approvalStatus" LIKE ${approvalLike}
      AND a."skipped" = false AND (a."value" IS NOT NULL OR a."numerator" IS NOT NULL)
      AND u."path" LIKE ${scope.pathLike} ESCAPE '\\'
      AND (',' || REPLACE(u."levels", ' ', '') || ',') LIKE ${levelLike}
    GROUP BY a."indicatorCode", r."period"`;
  const agg = new Map(rows.map((r) => [`${r.period}|${r.code}`, r]));
  // Measure each indicator against the version its answers were checked against (a later
  // correction never changes a past period), else the version in force for the period.
  const entries = codes.map((code) => {
    const id = agg.get(`${period.key}|${code}`)?.targetId;
    const answeredAgainst = id === null || id === undefined ? undefined : catalog.byTargetId(Number(id));
    return answeredAgainst ?? inForce.get(code) ?? catalog.byCode.get(code)!;
  });

  // Below-target units: listed for the indicators asked about, or for all when belowLimit is set.
  const limit = Math.max(0, Math.floor(options.belowLimit ?? (wanted ? 100 : 0)));
  const belowRows: BelowRow[] = [];
  // A small scope names its units (reports reached through the ("unitId","period") unique index).
  const unitFilter = inScopeSql(scope, Prisma.sql`r."unitId"`, options.live);
  // Several targets of a scope that names its units: ONE query numbering each target's rows in the
  // same order (a commune's 20 lists in one round trip). A large scope keeps one query per target,
  // which walks the target's answers in value order ("Answer" index (indicatorCode, value)) and stops
  // at the limit. `live` keeps the query per target (tests compare both).
  const batched = limit > 0 && !options.live && entries.length > 1 && scope.units.length <= UNITS_BY_ID;
  if (batched) {
    belowRows.push(
      ...(await db.$queryRaw<BelowRow[]>`
      SELECT x."code", x."unitId", x."value", x."numerator", x."denominator", x."reason", x."prevValue", x."prevDenominator" FROM (
        SELECT a."indicatorCode" AS "code", u."id" AS "unitId", a."value" AS "value", a."numerator" AS "numerator", a."denominator" AS "denominator",
          a."reason" AS "reason", pa."value" AS "prevValue", pa."denominator" AS "prevDenominator",
          ROW_NUMBER() OVER (PARTITION BY a."indicatorCode" ORDER BY a."value" ASC, u."code" ASC) AS "rn"
        FROM "Report" r
          JOIN "Answer" a ON a."reportId" = r."id" AND a."indicatorCode" IN (${Prisma.join(entries.map((e) => e.code))})
          JOIN "Unit" u ON u."id" = r."unitId"
          LEFT JOIN "Report" pr ON pr."unitId" = r."unitId" AND pr."period" = ${prev.key} AND pr."status" = 'submitted'
          LEFT JOIN "Answer" pa ON pa."reportId" = pr."id" AND pa."indicatorCode" = a."indicatorCode" AND pa."skipped" = false
        WHERE r."period" = ${period.key} AND r."status" = 'submitted' AND r."approvalStatus" LIKE ${approvalLike}
          AND a."skipped" = false AND a."meetsTarget" = false
          AND ${unitFilter}
          AND (',' || REPLACE(u."levels", ' ', '') || ',') LIKE ${levelLike}
      ) x
      WHERE x."rn" <= ${limit}
      ORDER BY x."code", x."rn"`),
    );
  }
  for (const e of limit && !batched ? entries : []) {
    belowRows.push(
      ...(await db.$queryRaw<BelowRow[]>`
      SELECT a."indicatorCode" AS "code", u."id" AS "unitId", a."value", a."numerator", a."denominator", a."reason",
        pa."value" AS "prevValue", pa."denominator" AS "prevDenominator"
      FROM "Report" r
        JOIN "Answer" a ON a."reportId" = r."id" AND a."indicatorCode" = ${e.code}
        JOIN "Unit" u ON u."id" = r."unitId"
        LEFT JOIN "Report" pr ON pr."unitId" = r."unitId" AND pr."period" = ${prev.key} AND pr."status" = 'submitted'
        LEFT JOIN "Answer" pa ON pa."reportId" = pr."id" AND pa."indicatorCode" = ${e.code} AND pa."skipped" = false
      WHERE r."period" = ${period.key} AND r."status" = 'submitted' AND r."approvalStatus" LIKE ${approvalLike}
        AND a."skipped" = false AND a."meetsTarget" = false
        AND ${unitFilter}
        AND (',' || REPLACE(u."levels", ' ', '') || ',') LIKE ${levelLike}
      ORDER BY a."value" ASC, u."code" ASC
      LIMIT ${limit}`),
    );
  }
  const belowBy = new Map<string, BelowRow[]>();
  for (const b of belowRows) {
    let list = belowBy.get(b.code);
    if (!list) belowBy.set(b.code, (list = []));
    list.push(b);
  }

  const indicators = entries.map((e): IndicatorProgress => {
    const cur = aggregate(e, period.key, agg.get(`${period.key}|${e.code}`));
    const before = agg.get(`${prev.key}|${e.code}`);
    const previous = before ? aggregate(e, prev.key, before) : null;
    const unitTh = unitThreshold(e);
    const value = cur.value;
    const below = (belowBy.get(e.code) ?? [])
      .map((b) => belowUnit(scope.byId.get(Number(b.unitId)), b, unitTh, e))
      .filter((b): b is BelowUnit => b !== null)
      .sort((a, b) => (b.gap ?? 0) - (a.gap ?? 0) || a.unit.code.localeCompare(b.unit.code));
    return {
      code: e.code,
      plan: planRefOf(catalog, e.plan),
      ...(e.targetId !== undefined ? { targetId: e.targetId, version: e.version } : {}),
      short: e.short,
      target: e.target,
      rollup: e.rollup,
      measure: e.measure.type,
      threshold: e.threshold,
      unitThreshold: unitTh,
      expectedUnits: expectedCount.get(e.code) ?? 0,
      answered: cur.answered,
      numerator: cur.numerator,
      denominator: cur.denominator,
      value,
      meets: value === null ? null : meets(e.threshold, value),
      gap: value === null ? null : gapTo(e.threshold, value),
      missing: missingToTarget(e, cur),
      missingUnit: e.rollup === "sum_ratio" && e.measure.type === "ratio" ? numeratorNoun(e.measure.denominator) : e.rollup === "sum" && e.measure.type === "count" ? e.measure.unit : "đơn vị",
      countUnit: e.measure.type === "count" ? e.measure.unit : null,
      meetingUnits: cur.meetingUnits,
      meetingShare: percent(cur.meetingUnits, cur.answered),
      previous,
      change: value !== null && previous?.value != null ? round1(value - previous.value) : null,
      belowCount: Math.max(0, cur.answered - cur.meetingUnits),
      below,
    };
  });

  return {
    period: period.key,
    periodLabel: formatPeriod(period),
    previousPeriod: prev.key,
    under: { code: scope.root.code, name: scope.root.name },
    level: level ?? null,
    indicators,
    ...noPlanOf(scope, level, expectedCount.size),
  };
}

/** What names a plan to officials: its document type, number, issuer and title (never its id). */
export interface PlanRef {
  /** "Kế hoạch", "Quyết định"…; null when the catalog does not say. */
  docType: string | null;
  /** "27/KH-SGDĐT"; null when the plan has none. */
  number: string | null;
  issuer: string;
  title: string;
  /** As written in the plan ("19/9/2025"); null when the catalog does not say. */
  date: string | null;
}

/** The plan's naming data, or null when the plan is not in the catalog. */
export function planRefOf(catalog: Catalog, planId: string): PlanRef | null {
  const p = catalog.plan(planId);
  if (!p) return null;
  return { docType: (p as { docType?: string }).docType ?? null, number: p.number ?? null, issuer: p.issuer, title: p.title, date: p.date || null };
}

function noPlanOf(scope: Parameters<typeof unitsWithNoPlan>[0], level: string | undefined, asked: number) {
  const withoutPlan = unitsWithNoPlan(scope)
    .filter((u) => !level || u.levels.includes(level))
    .map((u) => ({ code: u.code, name: u.name }));
  return { status: asked === 0 && withoutPlan.length > 0 ? ("no_plan" as const) : ("ok" as const), withoutPlan };
}

/** Roll one period's sums up into the indicator's value. */
function aggregate(e: CatalogEntry, period: string, row: AggRow | undefined): PeriodAggregate {
  const answered = n(row?.answered);
  const num = row?.num ?? null;
  const den = row?.den ?? null;
  const yes = n(row?.yes);
  const meetingUnits = n(row?.meeting);
  let value: number | null = null;
  if (answered > 0) {
    if (e.rollup === "sum_ratio") value = den && den > 0 ? round1(((num ?? 0) / den) * 100) : null;
    else if (e.rollup === "share_yes") value = percent(yes, answered);
    else if (e.rollup === "count_yes") value = yes;
    else if (e.rollup === "sum") value = round1(row?.total ?? 0);
    else value = percent(meetingUnits, answered);
  }
  return {
    period,
    answered,
    numerator: e.rollup === "sum_ratio" ? num : null,
    denominator: e.rollup === "sum_ratio" ? den : null,
    value,
    meetingUnits,
  };
}

/** Whether a value satisfies a threshold ("≥ 90" etc.). */
export function meets(t: Threshold, value: number): boolean {
  return meetsThreshold(value, t);
}

/** Distance left to the threshold: 0 when met. */
export function gapTo(t: Threshold, value: number): number {
  if (meets(t, value)) return 0;
  if (t.op === "<=" || t.op === "<") return round1(Math.max(0, value - t.value));
  return round1(Math.abs(t.value - value));
}

/**
 * What one unit must reach: the catalog's unitThreshold, else "yes" for yes/no questions,
 * else the plan's threshold when it is per unit in nature (%, level); null for sums.
 */
export function unitThreshold(e: CatalogEntry): Threshold | null {
  if (e.unitThreshold) return e.unitThreshold;
  if (e.measure.type === "boolean") return { op: "=", value: 1, unit: "count", text: "Có" };
  if (e.rollup === "sum" || e.rollup === "count_yes") return null;
  return e.threshold;
}

/** The smallest whole count out of `total` that meets a % threshold: "> 50%" of 40 is 21, "≥ 50%" of 40 is 20. */
function wholeNeeded(th: Pick<Threshold, "op" | "value">, total: number): number {
  const exact = (th.value / 100) * total;
  return th.op === ">" ? Math.floor(exact + 1e-9) + 1 : Math.ceil(exact - 1e-9);
}

/** How many more items (sum_ratio) or units (share_yes, count_yes) are needed to meet the target. */
function missingToTarget(e: CatalogEntry, a: PeriodAggregate): number | null {
  if (a.value === null || meets(e.threshold, a.value)) return a.value === null ? null : 0;
  const t = e.threshold.value;
  if (e.rollup === "sum_ratio" && a.denominator) {
    return Math.max(0, wholeNeeded(e.threshold, a.denominator) - (a.numerator ?? 0));
  }
  if (e.rollup === "count_yes") return Math.max(0, Math.ceil(t - a.value));
  if (e.rollup === "share_yes" || e.rollup === "share_meeting") {
    const have = e.rollup === "share_yes" ? Math.round((a.value / 100) * a.answered) : a.meetingUnits;
    return Math.max(0, wholeNeeded(e.threshold, a.answered) - have);
  }
  return null;
}

function belowUnit(unit: ScopeUnit | undefined, b: BelowRow, th: Threshold | null, e: CatalogEntry): BelowUnit | null {
  if (!unit) return null;
  const value =
    b.value ?? (b.numerator !== null && b.denominator ? round1((b.numerator / b.denominator) * 100) : null);
  const gap = th && value !== null ? gapTo(th, value) : null;
  let missing: number | null = null;
  if (th && th.unit === "%" && b.numerator !== null && b.denominator) {
    missing = Math.max(0, wholeNeeded(th, b.denominator) - b.numerator);
  }
  return {
    unit,
    value,
    numerator: b.numerator,
    denominator: b.denominator,
    target: th?.value ?? null,
    gap,
    missing,
    missingUnit: missing !== null && e.measure.type === "ratio" ? numeratorNoun(e.measure.denominator) : null,
    reason: b.reason ?? null,
    outlier: outlierOf(b),
  };
}

/** The outlier flag of an answer given last period's (see OutlierFlag). */
export function outlierOf(b: { value: number | null; denominator: number | null; prevValue: number | null; prevDenominator: number | null }): OutlierFlag | null {
  if (b.denominator !== null && b.prevDenominator !== null && b.prevDenominator > 0 && Math.abs(b.denominator - b.prevDenominator) / b.prevDenominator > 0.5) {
    return "denominator_jump";
  }
  if (b.value !== null && b.prevValue !== null && b.prevValue - b.value >= 20 && b.value <= b.prevValue / 2) return "drop";
  return null;
}
