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
 * independent of how many periods are stored. A computed list is cached until a report of the
 * period changes ("ReportStamp", bumped by triggers): then one indexed read per call.
 */
import { Prisma } from "../../generated/sqlite/client.ts";
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import {
  deadlineOf,
  formatPeriod,
  KIND_FREQUENCY,
  parsePeriod,
  type Period,
} from "../reporting/periods.ts";
import { indicatorsResolver, inScopeSql, percent, unitsWithNoPlan, type Scope, type ScopeUnit } from "./scope.ts";
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

/**
 * What a scope's late lists reuse from one call to the next (per scope object of tree-cache.ts,
 * which is rebuilt when the tree, an assignment or the catalog changes): the expected units per
 * level filter, each unit's area, the units with no plan.
 */
interface ScopeMemo {
  expected: Map<string, ScopeUnit[]>;
  /** The root's child on each unit's path: [code, name]. */
  area: Map<number, [string, string]>;
  withoutPlan: ScopeUnit[];
  /** The largest unit id in the scope. */
  maxId: number;
  /** Computed lists by level filter ("" = all), with the period's report stamp they were read at. */
  lists: Map<string, { stamp: number; report: LateReport }>;
}
const memos = new WeakMap<ScopeUnit[], ScopeMemo>();

function memoOf(scope: Scope, catalog: Catalog, period: Period): ScopeMemo {
  let memo = memos.get(scope.units);
  if (memo) return memo;
  const nameOf = new Map<string, string>();
  for (const u of scope.units) nameOf.set(u.code, u.name);
  const start = scope.root.path.length;
  const area = new Map<number, [string, string]>();
  const keys = new Map<string, [string, string]>();
  for (const u of scope.units) {
    const end = u.path.indexOf("/", start);
    const code = end > start ? u.path.slice(start, end) : scope.root.code;
    let key = keys.get(code);
    if (!key) keys.set(code, (key = [code, nameOf.get(code) ?? code]));
    area.set(u.id, key);
  }
  const indicatorsOf = indicatorsResolver(catalog, KIND_FREQUENCY[period.kind], period.key);
  let maxId = 0;
  for (const u of scope.units) if (u.id > maxId) maxId = u.id;
  memo = { expected: new Map(), area, withoutPlan: unitsWithNoPlan(scope), maxId, lists: new Map() };
  memo.expected.set("", scope.units.filter((u) => indicatorsOf(u).length > 0));
  memos.set(scope.units, memo);
  return memo;
}

/** A counting group of the rates (RateGroup before the rates). */
interface Tally {
  label: string;
  expected: number;
  onTime: number;
  late: number;
}

/**
 * The period's report stamp: grows (database triggers, migration 20261130223000_late_cache) on every
 * insert, delete or change of a report of the period in a column the late list reads; 0 before any.
 */
async function reportStamp(db: Db, period: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ v: number | bigint }>>`SELECT "version" AS "v" FROM "ReportStamp" WHERE "period" = ${period}`;
  return rows.length ? Number(rows[0]!.v) : 0;
}

/**
 * Late and missing units and DHIS2 reporting rates of `under`'s subtree for `period`.
 *
 * Cached (DHIS2 keeps its analytics tables current; here one indexed read tells whether anything
 * changed): a list is kept per scope (tree-cache.ts: rebuilt when the tree, an assignment or the
 * catalog changes) and level, with the period's report stamp read BEFORE its reports, and reused
 * while the stamp is unchanged. Only `deadlinePassed` depends on `now`. `fresh` skips the cache.
 */
export async function lateReport(db: Db, catalog: Catalog, options: LateOptions & { fresh?: boolean }): Promise<LateReport> {
  const period = parsePeriod(options.period);
  const now = options.now ?? new Date();
  // The unit tree and effective plans come from memory (tree-cache.ts, reloaded when a unit or an
  // assignment changes); the database is asked only for the period's reports, packed into ONE text
  // value: the driver adapter's cost is per value (10,000 one-column rows cost ~4× one row), and the
  // on-time/late/draft classification is done by the query.
  const scope = await cachedScope(db, options.under, { catalog, period: period.key });
  const memo = memoOf(scope, catalog, period);
  const stamp = await reportStamp(db, period.key);
  const key = options.level ?? "";
  const hit = options.fresh ? undefined : memo.lists.get(key);
  const report = hit && hit.stamp === stamp ? hit.report : await computeLate(db, catalog, scope, memo, period, options.level);
  if (!options.fresh && hit?.report !== report) memo.lists.set(key, { stamp, report });
  // a copy: callers may sort or extend the lists; the cached one stays as computed
  return {
    ...report,
    deadlinePassed: now.getTime() >= report.deadline.getTime(),
    withoutPlan: [...report.withoutPlan],
    late: [...report.late],
    missing: [...report.missing],
    statuses: [...report.statuses],
    groups: { byParent: [...report.groups.byParent], byArea: [...report.groups.byArea], byLevel: [...report.groups.byLevel] },
    approval: { ...report.approval },
  };
}

async function computeLate(
  db: Db,
  catalog: Catalog,
  scope: Scope & { allUnits: boolean },
  memo: ScopeMemo,
  period: Period,
  level: string | undefined,
): Promise<LateReport> {
  const options = { level };
  const everyUnit = scope.allUnits ? 1 : 0;
  // One report: "<unitId>|<o|l|?|d><approvalStatus>|<submittedAt>[|<firstSubmittedAt>|<deadline>]"
  // o on time, l late, ? submitted with onTime unknown, d not submitted; the last two dates only
  // for reports not known to be on time (fewer dates to decode).
  const packed = await db.$queryRaw<Array<{ x: string | null }>>`
    SELECT string_agg(CAST(r."unitId" AS TEXT) || '|'
      || CASE WHEN r."status" <> 'submitted' THEN 'd' WHEN r."onTime" IS NULL THEN '?' WHEN r."onTime" THEN 'o' ELSE 'l' END
      || r."approvalStatus" || '|' || COALESCE(CAST(r."submittedAt" AS TEXT), '')
      || CASE WHEN r."onTime" THEN '' ELSE '|' || COALESCE(CAST(r."firstSubmittedAt" AS TEXT), '') || '|' || COALESCE(CAST(r."deadline" AS TEXT), '') END, ';') AS "x"
    FROM "Report" r WHERE r."period" = ${period.key}
      AND ${everyUnit ? Prisma.sql`1 = 1` : inScopeSql(scope, Prisma.sql`r."unitId"`)}`;
  // Offset (+1) of each unit's token in `text`, by unit id (ids above the scope's largest are
  // outside it): no substring or object per report.
  const text = packed[0]?.x ?? "";
  const at = new Int32Array(memo.maxId + 1);
  for (let i = 0; i < text.length; ) {
    let id = 0;
    let c = text.charCodeAt(i);
    for (; c >= 48 && c <= 57; c = text.charCodeAt(++i)) id = id * 10 + (c - 48);
    if (id <= memo.maxId) at[id] = i + 2; // past the "|"
    const next = text.indexOf(";", i);
    i = next < 0 ? text.length : next + 1;
  }

  let expected = memo.expected.get(options.level ?? "");
  if (!expected) {
    expected = memo.expected.get("")!.filter((u) => u.levels.includes(options.level!));
    memo.expected.set(options.level!, expected);
  }
  const planDeadlines = new Map<string | null, Date>();
  const deadlineFor = (unit: ScopeUnit): Date => {
    let d = planDeadlines.get(unit.planId);
    if (!d) planDeadlines.set(unit.planId, (d = planDeadline(catalog, unit.planId, period)));
    return d;
  };
  const statuses: UnitStatus[] = new Array(expected.length);
  const late: LateUnit[] = [];
  const missing: MissingUnit[] = [];
  const approvalCounts: Record<ApprovalStatus, number> = { pending: 0, approved: 0, returned: 0 };
  const byParent = new Map<string, Tally>();
  const byArea = new Map<string, Tally>();
  const byLevel = new Map<string, Tally>();
  const tally = (groups: Map<string, Tally>, key: string, label: string, status: UnitStatus["status"]) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label, expected: 0, onTime: 0, late: 0 }));
    g.expected++;
    if (status === "on_time") g.onTime++;
    else if (status === "late") g.late++;
  };
  const total: Tally = { label: scope.root.name, expected: 0, onTime: 0, late: 0 };
  for (let k = 0; k < expected.length; k++) {
    const unit = expected[k]!;
    const p = at[unit.id]! - 1;
    let st: UnitStatus;
    if (p >= 0 && text.charCodeAt(p) !== 100 /* d */) {
      const kind = text[p]!;
      const cut = text.indexOf("|", p);
      const approval = text.slice(p + 1, cut) as ApprovalStatus;
      const end = endOf(text, cut + 1);
      const submittedAt = dbDate(text.slice(cut + 1, end.at));
      let onTime = kind === "o";
      if (kind === "o") {
        st = { unit, status: "on_time", submittedAt, deadline: deadlineFor(unit), approval };
      } else {
        const first = dbDate(text.slice(end.at + 1, end.second)) ?? submittedAt;
        const deadline = dbDate(text.slice(end.second + 1, end.next)) ?? deadlineFor(unit);
        onTime = kind === "?" ? first !== null && first.getTime() < deadline.getTime() : false;
        st = { unit, status: onTime ? "on_time" : "late", submittedAt, deadline, approval };
        if (!onTime) late.push({ ...unit, deadline, submittedAt: first ?? deadline });
      }
      approvalCounts[approval] = (approvalCounts[approval] ?? 0) + 1;
    } else {
      let deadline = deadlineFor(unit);
      if (p >= 0) {
        // a draft: "<d><approval>|<submittedAt>|<firstSubmittedAt>|<deadline>"
        const cut = text.indexOf("|", p);
        const end = endOf(text, cut + 1);
        deadline = dbDate(text.slice(end.second + 1, end.next)) ?? deadline;
      }
      st = { unit, status: "missing", submittedAt: null, deadline, approval: null };
      missing.push({ ...unit, deadline, status: p >= 0 ? "draft" : "none" });
    }
    statuses[k] = st;
    total.expected++;
    if (st.status === "on_time") total.onTime++;
    else if (st.status === "late") total.late++;
    tally(byParent, unit.parentCode ?? unit.code, unit.parentName ?? unit.name, st.status);
    const area = memo.area.get(unit.id)!;
    tally(byArea, area[0], area[1], st.status);
    for (const level of unit.levels) tally(byLevel, level, LEVEL_LABEL[level] ?? level, st.status);
  }

  const sum = rates("all", total);
  const deadline = planDeadline(catalog, scope.root.planId ?? expected[0]?.planId ?? null, period);
  const withoutPlan = memo.withoutPlan
    .filter((u) => !options.level || u.levels.includes(options.level))
    .map((u) => ({ code: u.code, name: u.name }));
  const order = Object.keys(LEVEL_LABEL);
  return {
    status: sum.expected === 0 && withoutPlan.length > 0 ? "no_plan" : "ok",
    withoutPlan,
    period: period.key,
    periodLabel: formatPeriod(period),
    under: { code: scope.root.code, name: scope.root.name },
    deadline,
    deadlinePassed: false, // set by lateReport for its `now`
    expected: sum.expected,
    submitted: sum.submitted,
    onTime: sum.onTime,
    late,
    missing,
    reportingRate: sum.reportingRate,
    onTimeRate: sum.onTimeRate,
    groups: {
      byParent: [...byParent].map(([key, g]) => rates(key, g)),
      byArea: [...byArea].map(([key, g]) => rates(key, g)),
      // a multi-level school (liên cấp) counts in each of its levels
      byLevel: [...byLevel].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([key, g]) => rates(key, g)),
    },
    statuses,
    approval: approvalCounts,
  };
}

/**
 * Focal point name and phone of these units (whom to call about a missing report), by unit id: one
 * raw query with the ids written inline (integers only), as many as a national list holds, without
 * the query compiler's cost per distinct list length.
 */
export async function unitContacts(db: Db, ids: number[]): Promise<Map<number, { focalName: string | null; focalPhone: string | null }>> {
  const out = new Map<number, { focalName: string | null; focalPhone: string | null }>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const list = ids.slice(i, i + 10_000).map((id) => String(Math.trunc(id))).join(",");
    if (!list) continue;
    const rows = await db.$queryRaw<Array<{ id: number | bigint; focalName: string | null; focalPhone: string | null }>>`
      SELECT "id", "focalName", "focalPhone" FROM "Unit" WHERE "id" IN (${Prisma.raw(list)})`;
    for (const r of rows) out.set(Number(r.id), { focalName: r.focalName, focalPhone: r.focalPhone });
  }
  return out;
}

/** Ends of the fields after a token's submittedAt (which starts at `from`): at, second, next. */
function endOf(text: string, from: number): { at: number; second: number; next: number } {
  let next = text.indexOf(";", from);
  if (next < 0) next = text.length;
  let at = text.indexOf("|", from);
  if (at < 0 || at > next) at = next;
  let second = at < next ? text.indexOf("|", at + 1) : next;
  if (second < 0 || second > next) second = next;
  return { at, second, next };
}

/**
 * A date cast to text: SQLite stores ISO text ("2026-03-15T01:30:00.000+00:00") or epoch
 * milliseconds; PostgreSQL prints a timestamp without zone ("2026-03-15 01:30:00.123"), which
 * Prisma writes in UTC.
 */
function dbDate(s: string | undefined): Date | null {
  if (!s) return null;
  if (s.charCodeAt(4) !== 45 /* "-": not a date text */ && /^\d+(\.\d+)?$/.test(s)) return new Date(Number(s));
  const fast = isoMs(s);
  if (fast !== null) return new Date(fast);
  const iso = s.charCodeAt(10) === 84 /* T */ ? s : s.replace(" ", "T");
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

/**
 * Epoch ms of "YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|±HH:MM]" (no zone = UTC), without Date's string
 * parser (10,000 dates a province list); null for any other shape (Date parses those).
 */
function isoMs(s: string): number | null {
  const sep = s.charCodeAt(10);
  if (s.length < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    let count = 0;
    for (i++; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++, count++) if (count < 3) ms = ms * 10 + (s.charCodeAt(i) - 48);
    if (count === 0) return null;
    for (let d = Math.min(count, 3); d < 3; d++) ms *= 10;
  }
  let offset = 0;
  if (i < s.length) {
    const z = s.charCodeAt(i);
    if (z === 90 /* Z */ && i === s.length - 1) offset = 0;
    else if ((z === 43 || z === 45) && s.length === i + 6 && s.charCodeAt(i + 3) === 58) offset = (z === 45 ? -1 : 1) * (digits(s, i + 1, 2) * 60 + digits(s, i + 4, 2));
    else return null;
  }
  if (digits(s, 0, 4) < 1000) return null; // Date.UTC reads years 0–99 as 19xx
  const t = Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2), ms) - offset * 60_000;
  return Number.isNaN(t) ? null : t;
}

/** The number written by `len` digits of `s` from `from` (NaN for a non-digit). */
function digits(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
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

function rates(key: string, g: Tally): RateGroup {
  const submitted = g.onTime + g.late;
  return {
    key,
    label: g.label,
    expected: g.expected,
    submitted,
    onTime: g.onTime,
    late: g.late,
    missing: g.expected - submitted,
    reportingRate: percent(submitted, g.expected),
    onTimeRate: percent(g.onTime, g.expected),
  };
}
