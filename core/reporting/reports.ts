/**
 * Reports: one unit's answers for one period, stored durably, with revisions and an audit trail.
 *
 * The database is the truth. A report in progress is a draft Report with Answer rows; the next
 * question is always derived from what is stored, so a restart mid-report loses nothing and an
 * answer given twice is stored once (Answer is unique per report and indicator).
 * Edits to a submitted report are kept in Report.pendingJson until confirmed, then applied
 * together as a new ReportRevision — officials never see half-made edits.
 */
import { recordOutbox, submitOutboxKey } from "../notify/outbox.ts";
import { metrics } from "../metrics.ts";
import { withBusyRetry, type Db } from "../db/client.ts";
import { firstStatement, sql, transaction } from "../db/sql.ts";
import type { Catalog, CatalogTarget, Level, ReportingRules } from "../catalog/index.ts";
import { checkAnswer, type AnswerCheck, type CheckContext } from "./check.ts";
import { answerAsText } from "./parse.ts";
import { effectivePlanId, pathCodes } from "../units/tree.ts";
import { fixedCatalogStore, type CatalogStore } from "../plans/store.ts";
import { planResolver, plansInForce, type Assignment } from "../plans/assign.ts";
import { applyReportToAggregates } from "../officials/aggregates.ts";
import {
  KIND_FREQUENCY,
  PERIOD_KINDS,
  currentPeriod,
  deadlineOf,
  isOnTime,
  parsePeriod,
  periodEnd,
  previousPeriod,
  type Period,
  type PeriodKind,
} from "./periods.ts";

/** Entries as the reports see them: catalog entries with their stored version (targetId). */
type CatalogEntry = CatalogTarget;

export interface ReportingDeps {
  db: Db;
  /** The catalog from the database (core/plans/store.ts). */
  catalog: CatalogStore;
  now?: () => Date;
  /** Set by inReportTx on the transaction's deps: the report whose lock this transaction holds. */
  lockedReportId?: number;
}

/**
 * Run fn in ONE transaction that holds the report's write lock, so edits, submits and approvals
 * of one report are serialized (no lost pendingJson edit, no submit whose snapshot differs from
 * its stored answers). The lock is a no-op UPDATE of the report row: on PostgreSQL a row lock
 * held until commit (like SELECT … FOR UPDATE); on SQLite it takes the database write lock at
 * once (BEGIN IMMEDIATE semantics) — and the better-sqlite3 adapter also queues this process's
 * transactions one after another. Called inside such a transaction already (deps.db is the
 * transaction client), it locks and runs in that transaction.
 */
export async function inReportTx<T>(deps: ReportingDeps, reportId: number, fn: (tx: ReportingDeps) => Promise<T>): Promise<T> {
  let catalog = deps.catalog;
  const run = async (db: Db) => {
    await sql(db).execute`UPDATE "Report" SET "version" = "version" WHERE "id" = ${reportId}`;
    return fn({ ...deps, db, catalog, lockedReportId: reportId });
  };
  // inside a transaction that already holds this report's lock (a step storing an answer): nothing more to lock
  if (!isRootClient(deps.db) && deps.lockedReportId === reportId) return fn(deps);
  if (!isRootClient(deps.db)) return run(deps.db);
  // The catalog is read BEFORE the transaction and fixed inside it: its refresh (a stamp query every
  // few seconds) runs on the root client, i.e. needs a second pool connection. On PostgreSQL, with
  // every pool connection held by a transaction waiting for that one refresh, all of them waited
  // until their 20 s timeout (answers refused under load).
  catalog = fixedCatalogStore(await deps.catalog.get());
  // the lock goes first in the transaction (on PostgreSQL with BEGIN, in one round trip)
  const locked = (db: Db) => fn({ ...deps, db, catalog, lockedReportId: reportId });
  return withBusyRetry(() =>
    // the transaction client has every model and raw query of Db, not $transaction: the writes below never nest
    // (core/db/sql.ts: plain SQL inside runs on this very transaction)
    transaction(deps.db, locked, { maxWait: 15_000, timeout: 20_000, first: firstStatement`UPDATE "Report" SET "version" = "version" WHERE "id" = ${reportId}` }),
  );
}

/** The root client (not a transaction client): it can start transactions. */
function isRootClient(db: Db): boolean {
  return typeof (db as { $transaction?: unknown }).$transaction === "function";
}

/** Every write to a report bumps its version (a submit made on an older summary is refused). */
export async function bumpVersion(db: Db, reportId: number): Promise<void> {
  await sql(db).execute`UPDATE "Report" SET "version" = "version" + 1 WHERE "id" = ${reportId}`;
}

type UnitRow = Awaited<ReturnType<Db["unit"]["findUniqueOrThrow"]>>;
type ReportRow = Awaited<ReturnType<Db["report"]["findUniqueOrThrow"]>>;
type AnswerRow = Awaited<ReturnType<Db["answer"]["findUniqueOrThrow"]>>;

/** What is stored for one answer (also the shape of a pending edit). */
export interface StoredAnswer {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  skipped: boolean;
  raw: string;
  meetsTarget: boolean | null;
  reason: string | null;
  /** The Target version the answer was checked against (absent in older pending edits). */
  targetId?: number | null;
  /** A confirmed implausible value (JSON of a Suspicion), shown to officials beside it. */
  flag?: string | null;
}

export const DEFAULT_RULES: ReportingRules = {
  monthlyBeforeDay: 20,
  quarterlyBeforeDay: 20,
  yearlyBefore: { day: 10, month: 12 },
};

export function levelsOf(unit: { levels: string }): Level[] {
  return unit.levels.split(",").map((l) => l.trim()).filter(Boolean) as Level[];
}

export function rulesFor(catalog: Catalog, planId: string): ReportingRules {
  return catalog.plan(planId)?.reporting ?? DEFAULT_RULES;
}

/**
 * Indicators this unit answers for a period (the target versions in force for it), in catalog
 * order. Given only a period kind: the current versions.
 */
export function indicatorsFor(catalog: Catalog, planId: string, unit: { levels: string }, period: Period | PeriodKind): CatalogEntry[] {
  if (typeof period === "string") return catalog.forUnit(planId, levelsOf(unit), KIND_FREQUENCY[period]);
  return catalog.forUnit(planId, levelsOf(unit), KIND_FREQUENCY[period.kind], period.key);
}

/** The period kinds this unit has questions for under a plan (month, quarter, half year, year). */
export function periodKindsFor(catalog: Catalog, planId: string, unit: { levels: string }): PeriodKind[] {
  return PERIOD_KINDS.filter((k) => catalog.forUnit(planId, levelsOf(unit), KIND_FREQUENCY[k]).length > 0);
}

/** A period a focal point may report now. */
export interface OfferedPeriod {
  period: Period;
  planId: string;
  /** Exclusive deadline instant. */
  deadline: Date;
  /** The unit's report for it, if started. */
  report: "submitted" | "draft" | null;
  /** A past period not yet submitted (offered late rather than missing). */
  overdue: boolean;
  /** The deadline has passed (a current period can be past its deadline too). */
  pastDeadline: boolean;
  /** The previous period's report was submitted and this one is not: "keep it unchanged" applies. */
  canKeep: boolean;
}

export type OfferedPeriods =
  | { status: "ok"; periods: OfferedPeriod[] }
  /** No plan is in force for this unit in any of these periods: `units plan <unit code> <planId>`. */
  | { status: "no_plan" }
  /** A plan applies but asks this unit's levels nothing. */
  | { status: "no_questions" };

/**
 * The periods offered to a unit's focal point now: the current month, quarter, half year and year,
 * and last month's, quarter's or half year's while unsubmitted — each only when a plan is in force for it and asks
 * the unit something.
 */
export async function offeredPeriods(deps: ReportingDeps, unitId: number, now: Date): Promise<OfferedPeriods> {
  const { db } = deps;
  const catalog = await deps.catalog.get();
  // the unit and what decides its plans, in one statement (see "opening a report" below)
  const { unit, planOf } = unitPlans(await openRows(db, { unitId }, "", NO_CHAT));
  const current = PERIOD_KINDS.map((k) => currentPeriod(k, now));
  // last month's / quarter's, unless it ended before the unit joined (an imported school owes nothing from before)
  const previous = current
    .filter((p) => p.kind !== "year")
    .map(previousPeriod)
    .filter((p) => periodEnd(p).getTime() > unit.createdAt.getTime());
  const keys = [...current, ...previous].flatMap((p) => [p.key, previousPeriod(p).key]);
  // every key above is of this year or the last two (keys sort by their leading year): one range read
  const since = String(now.getUTCFullYear() - 2);
  const rows = await sql(db).query<{ period: string; status: string; planId: string; deadline: Date }>`
    SELECT "period", "status", "planId", "deadline" FROM "Report" WHERE "unitId" = ${unitId} AND "period" >= ${since}`;
  const reports = rows.filter((r) => keys.includes(r.period));
  const submitted = (p: Period) => reports.find((x) => x.period === p.key)?.status === "submitted";
  let anyPlan = false;
  const offered: OfferedPeriod[] = [];
  for (const period of [...previous, ...current]) {
    const r = reports.find((x) => x.period === period.key);
    const overdue = previous.includes(period);
    if (overdue && r?.status === "submitted") continue;
    const planId = r?.planId ?? (await planOf(deps, catalog, period));
    if (!planId) continue;
    anyPlan = true;
    if (!r && indicatorsFor(catalog, planId, unit, period).length === 0) continue;
    const deadline = r?.deadline ?? deadlineOf(period, rulesFor(catalog, planId));
    offered.push({
      period,
      planId,
      deadline,
      report: r ? (r.status === "submitted" ? "submitted" : "draft") : null,
      overdue,
      pastDeadline: now.getTime() >= deadline.getTime(),
      canKeep: !submitted(period) && submitted(previousPeriod(period)),
    });
  }
  // last month's / quarter's only alongside a current period of its kind that has questions
  const periods = offered.filter((o) => !o.overdue || offered.some((c) => !c.overdue && c.period.kind === o.period.kind));
  if (periods.length) return { status: "ok", periods };
  return anyPlan ? { status: "no_questions" } : { status: "no_plan" };
}

/** Get or create the report of a unit for a period (against the plan in force for that period). */
export async function openReport(deps: ReportingDeps, unitId: number, period: Period): Promise<ReportRow> {
  return (await openReportFor(deps, unitId, period)).report;
}

export interface ReportState extends StateBase {
  /** Effective answers: stored answers with pending edits applied. */
  answers: Map<string, StoredAnswer>;
  /** The first question that still needs an answer (skipped ones excluded), or null. */
  next: CatalogEntry | null;
}

export function isComplete(a: StoredAnswer | undefined): boolean {
  return !!a && !a.skipped && (a.meetsTarget !== false || !!a.reason);
}

/** Just the stored fields of an Answer row (or of a pending edit). */
function toStored(a: StoredAnswer): StoredAnswer {
  const { value, numerator, denominator, skipped, raw, meetsTarget, reason, targetId, flag } = a;
  return { value, numerator, denominator, skipped, raw, meetsTarget, reason, targetId: targetId ?? null, flag: flag ?? null };
}

function parsePending(json: string | null): Map<string, StoredAnswer> {
  if (!json) return new Map();
  return new Map(Object.entries(JSON.parse(json) as Record<string, StoredAnswer>));
}

/**
 * Everything about a report the conversation needs, in two plain SQL reads (this runs on every
 * answer: straight to the driver, core/db/sql.ts, still returning typed rows).
 */
export async function loadReportState(deps: ReportingDeps, reportId: number, head?: ReportHead | null): Promise<ReportState> {
  const { db } = deps;
  // the report and its unit in one statement (the unit's columns prefixed u__, see splitUnit), unless
  // the caller read them already in this transaction with nothing written since (core/reporting/steps.ts)
  const [row] = head && Number(head.id) === reportId ? [head] : await sql(db).query<ReportHead>`
    SELECT r.*, u."id" AS "u__id", u."code" AS "u__code", u."name" AS "u__name", u."kind" AS "u__kind", u."levels" AS "u__levels",
      u."parentId" AS "u__parentId", u."path" AS "u__path", u."planId" AS "u__planId", u."focalName" AS "u__focalName",
      u."focalPhone" AS "u__focalPhone", u."createdAt" AS "u__createdAt"
    FROM "Report" r JOIN "Unit" u ON u."id" = r."unitId" WHERE r."id" = ${reportId}`;
  if (!row) throw new ReportNotFoundError(reportId);
  const { report, unit } = splitUnit(row);
  return reportStateOf(deps, report, unit);
}

/** A report's state from its row and its unit's: one statement (its answers and last period's). */
export async function reportStateOf(deps: ReportingDeps, report: ReportRow, unit: UnitRow): Promise<ReportState> {
  const { db } = deps;
  const catalog = await deps.catalog.get();
  const reportId = report.id;
  const period = parsePeriod(report.period);
  // this report's answers and last period's submitted ones, in one statement
  const both = await sql(db).query<AnswerRow & { prev__: number | bigint }>`
    SELECT a.*, 0 AS "prev__" FROM "Answer" a WHERE a."reportId" = ${reportId}
    UNION ALL
    SELECT a.*, 1 AS "prev__" FROM "Answer" a JOIN "Report" r ON r."id" = a."reportId"
    WHERE r."unitId" = ${report.unitId} AND r."period" = ${previousPeriod(period).key} AND r."status" = 'submitted'`;
  const rows = both.filter((a) => Number(a.prev__) === 0);
  const previous = new Map(both.filter((a) => Number(a.prev__) === 1 && !a.skipped).map((a) => [a.indicatorCode, toStored(a)]));
  return deriveState({
    report,
    unit,
    period,
    indicators: indicatorsFor(catalog, report.planId, unit, period),
    stored: new Map(rows.map((a) => [a.indicatorCode, toStored(a)])),
    pending: parsePending(report.pendingJson),
    previous,
  });
}

/** Every column of Unit, as loadReportState selects it beside the report's (a new column fails typecheck here). */
const UNIT_COLUMNS = ["id", "code", "name", "kind", "levels", "parentId", "path", "planId", "focalName", "focalPhone", "createdAt"] as const;
type UnitColumns = { [K in (typeof UNIT_COLUMNS)[number] as `u__${K}`]: UnitRow[K] };
/** A Report row with its unit's columns prefixed u__, as loadReportState reads it. */
export type ReportHead = ReportRow & UnitColumns;
const allUnitColumns: Exclude<keyof UnitRow, (typeof UNIT_COLUMNS)[number]> extends never ? true : never = true;
void allUnitColumns;

function splitUnit(row: ReportRow & UnitColumns): { report: ReportRow; unit: UnitRow } {
  // copied key by key, never `delete` (an object that lost keys turns slow for every later read)
  const report: Record<string, unknown> = {};
  for (const k in row) if (!k.startsWith("u__")) report[k] = (row as Record<string, unknown>)[k];
  const unit: Record<string, unknown> = {};
  for (const c of UNIT_COLUMNS) unit[c] = row[`u__${c}`];
  return { report: report as ReportRow, unit: unit as UnitRow };
}

interface StateBase {
  report: ReportRow;
  unit: UnitRow;
  period: Period;
  indicators: CatalogEntry[];
  /** Answers as stored in Answer rows. */
  stored: Map<string, StoredAnswer>;
  /** Edits to a submitted report not yet confirmed. */
  pending: Map<string, StoredAnswer>;
  /** Last period's submitted answers, for "keep last period's value". */
  previous: Map<string, StoredAnswer>;
}

/** Everything derived from what is stored: effective answers, next question, skipped ones. */
function deriveState(base: StateBase): ReportState {
  const { indicators, stored, pending, report } = base;
  const answers = new Map(stored);
  for (const [code, a] of pending) answers.set(code, a);
  const next =
    report.status === "submitted"
      ? null // edits are chosen by the user, not asked in order
      : (indicators.find((e) => {
          const a = answers.get(e.code);
          return !a || (!a.skipped && !isComplete(a));
        }) ?? null);
  return { ...base, answers, next };
}

/** The state after storing one answer (as saveAnswer stored it), without reading the database again. */
export function withAnswer(state: ReportState, code: string, answer: StoredAnswer): ReportState {
  const stored = new Map(state.stored);
  const pending = new Map(state.pending);
  if (state.report.status === "submitted") pending.set(code, answer);
  else stored.set(code, answer);
  return deriveState({ ...state, stored, pending });
}

/** Denominators already given this period, by denominatorKey, for the consistency check. */
export function checkContextFor(state: ReportState, exceptCode: string): CheckContext {
  const denominators: NonNullable<CheckContext["denominators"]> = {};
  state.indicators.forEach((e, i) => {
    if (e.code === exceptCode || e.measure.type !== "ratio" || !e.measure.denominatorKey) return;
    const a = state.answers.get(e.code);
    if (a && !a.skipped && a.denominator != null) {
      denominators[e.measure.denominatorKey] = { value: a.denominator, indicatorCode: e.code, question: { number: i + 1, short: e.short } };
    }
  });
  return { denominators };
}

/** Store an answer (or a pending edit when the report is already submitted). Idempotent per indicator. */
export async function saveAnswer(
  deps: ReportingDeps,
  input: {
    reportId: number;
    code: string;
    userId: number | null;
    raw: string;
    check: Extract<AnswerCheck, { ok: true }> | null;
    reason?: string | null;
    /** Kept for callers; the status is read again under the report's lock. */
    status?: string;
    /** The Target version the answer was checked against. */
    targetId?: number | null;
    /** A confirmed implausible value (JSON). */
    flag?: string | null;
  },
): Promise<StoredAnswer> {
  return inReportTx(deps, input.reportId, async (tx) => (await saveAnswerLocked(tx, input)).stored);
}

/** saveAnswer, also returning the report's version after the write (so the caller need not read it again). */
export async function saveAnswerWithVersion(deps: ReportingDeps, input: Parameters<typeof saveAnswer>[1]): Promise<{ stored: StoredAnswer; version: number }> {
  return inReportTx(deps, input.reportId, (tx) => saveAnswerLocked(tx, input));
}

async function saveAnswerLocked(deps: ReportingDeps, input: Parameters<typeof saveAnswer>[1]): Promise<{ stored: StoredAnswer; version: number }> {
  const { db } = deps;
  const stored: StoredAnswer = input.check
    ? {
        value: input.check.value,
        numerator: input.check.numerator,
        denominator: input.check.denominator,
        skipped: false,
        raw: input.raw,
        meetsTarget: input.check.meetsTarget,
        reason: input.reason ?? null,
        targetId: input.targetId ?? null,
        flag: input.flag ?? null,
      }
    : { value: null, numerator: null, denominator: null, skipped: true, raw: "", meetsTarget: null, reason: null, targetId: input.targetId ?? null };
  // the version bump and the status, read under the lock (a status the caller read before, input.status,
  // may be outdated by a submit), in one statement
  const [bumped] = await sql(db).query<{ status: string; version: number | bigint }>`
    UPDATE "Report" SET "version" = "version" + 1 WHERE "id" = ${input.reportId} RETURNING "status", "version"`;
  if (!bumped) throw new ReportNotFoundError(input.reportId);
  const status = bumped.status;
  const version = Number(bumped.version);
  if (status === "submitted") {
    const report = await db.report.findUniqueOrThrow({ where: { id: input.reportId } });
    if (isLocked(report)) throw new ReportLockedError(report.id);
    const pending = Object.fromEntries(parsePending(report.pendingJson));
    pending[input.code] = stored;
    await db.report.update({ where: { id: report.id }, data: { pendingJson: JSON.stringify(pending) } });
    metrics.answersStored.inc();
    return { stored, version };
  }
  // One statement on both SQLite and PostgreSQL (this runs on every answer).
  const a = stored;
  await sql(db).execute`
    INSERT INTO "Answer" ("reportId", "indicatorCode", "value", "numerator", "denominator", "skipped", "raw", "meetsTarget", "reason", "answeredById", "targetId", "flag", "updatedAt")
    VALUES (${input.reportId}, ${input.code}, ${a.value}, ${a.numerator}, ${a.denominator}, ${a.skipped}, ${a.raw}, ${a.meetsTarget}, ${a.reason}, ${input.userId}, ${a.targetId ?? null}, ${a.flag ?? null}, ${new Date()})
    ON CONFLICT ("reportId", "indicatorCode") DO UPDATE SET
      "value" = excluded."value", "numerator" = excluded."numerator", "denominator" = excluded."denominator",
      "skipped" = excluded."skipped", "raw" = excluded."raw", "meetsTarget" = excluded."meetsTarget",
      "reason" = excluded."reason", "answeredById" = excluded."answeredById", "targetId" = excluded."targetId", "flag" = excluded."flag", "updatedAt" = excluded."updatedAt"`;
  metrics.answersStored.inc();
  return { stored, version };
}

/** Attach the reason for a below-target answer. */
export async function saveReason(deps: ReportingDeps, reportId: number, code: string, reason: string): Promise<void> {
  return inReportTx(deps, reportId, (tx) => saveReasonLocked(tx, reportId, code, reason));
}

async function saveReasonLocked(deps: ReportingDeps, reportId: number, code: string, reason: string): Promise<void> {
  const { db } = deps;
  await bumpVersion(db, reportId);
  const [report] = await sql(db).query<{ id: number; status: string; approvalStatus: string; pendingJson: string | null }>`
    SELECT "id", "status", "approvalStatus", "pendingJson" FROM "Report" WHERE "id" = ${reportId}`;
  if (!report) throw new ReportNotFoundError(reportId);
  if (isLocked(report)) throw new ReportLockedError(report.id);
  if (report.status === "submitted") {
    const pending = Object.fromEntries(parsePending(report.pendingJson));
    const current = pending[code] ?? toStored(await db.answer.findUniqueOrThrow({ where: { reportId_indicatorCode: { reportId, indicatorCode: code } } }));
    pending[code] = { ...current, reason };
    await db.report.update({ where: { id: reportId }, data: { pendingJson: JSON.stringify(pending) } });
    return;
  }
  const changed = await sql(db).execute`UPDATE "Answer" SET "reason" = ${reason}, "updatedAt" = ${new Date()} WHERE "reportId" = ${reportId} AND "indicatorCode" = ${code}`;
  if (changed !== 1) throw new Error(`no answer ${code} in report ${reportId} to attach a reason to`);
}

/** Forget unconfirmed edits of a submitted report (/huy). */
export async function discardPendingEdits(deps: ReportingDeps, reportId: number): Promise<void> {
  await inReportTx(deps, reportId, async ({ db }) => {
    await db.report.update({ where: { id: reportId }, data: { pendingJson: null } });
    await bumpVersion(db, reportId);
  });
}

export type SubmitResult =
  | { status: "submitted"; revision: number; onTime: boolean; submittedAt: Date; /** it was returned for correction: back in the approval queue */ resubmitted?: boolean }
  /** Approved by an official: locked until the approver unapproves it (core/officials/approval.ts). */
  | { status: "locked" }
  | { status: "incomplete"; missing: CatalogEntry[] }
  | { status: "nothing_to_change" };

/**
 * Submit a draft (revision 1) or confirm pending edits of a submitted report (revision n+1).
 * Records who, when and why in ReportRevision and AuditLog. on-time is decided by the first submission.
 */
export async function submitReport(
  deps: ReportingDeps,
  input: { reportId: number; userId: number | null; reason?: string | null },
): Promise<SubmitResult> {
  const result = await inReportTx(deps, input.reportId, (tx) => submitLocked(tx, input));
  if (result.status === "submitted") metrics.reportsSubmitted.inc();
  return result;
}

/**
 * The submit itself, under the report's lock: the snapshot and the stored answers come from the
 * same read, and no edit can slip in between.
 */
async function submitLocked(deps: ReportingDeps, input: { reportId: number; userId: number | null; reason?: string | null }): Promise<SubmitResult> {
  const now = deps.now?.() ?? new Date();
  const state = await loadReportState(deps, input.reportId);
  const missing = state.indicators.filter((e) => !isComplete(state.answers.get(e.code)));
  if (missing.length > 0) return { status: "incomplete", missing };
  const { report } = state;
  if (isLocked(report)) return { status: "locked" };
  if (report.status === "submitted" && state.pending.size === 0) return { status: "nothing_to_change" };

  const first = report.status !== "submitted";
  const onTime = first ? isOnTime(state.period, rulesFor(await deps.catalog.get(), report.planId), now) : (report.onTime ?? false);
  const revision = report.revision + 1;
  const snapshot = Object.fromEntries(state.indicators.map((e) => [e.code, state.answers.get(e.code)]));

  const tx = deps.db;
  {
    for (const [code, a] of state.pending) {
      await tx.answer.upsert({
        where: { reportId_indicatorCode: { reportId: report.id, indicatorCode: code } },
        update: { ...a, answeredById: input.userId },
        create: { reportId: report.id, indicatorCode: code, ...a, answeredById: input.userId },
      });
    }
    await tx.report.update({
      where: { id: report.id },
      data: {
        status: "submitted",
        revision,
        submittedAt: now,
        firstSubmittedAt: report.firstSubmittedAt ?? now,
        onTime,
        submittedById: input.userId,
        pendingJson: null,
        // a new or corrected submission waits for approval again
        approvalStatus: "pending",
      },
    });
    await tx.reportRevision.create({
      data: { reportId: report.id, revision, userId: input.userId, reason: input.reason ?? null, onTime, answersJson: JSON.stringify(snapshot), createdAt: now },
    });
    await tx.auditLog.create({
      data: {
        actorId: input.userId,
        action: first ? "report.submit" : "report.edit",
        entity: "Report",
        entityId: String(report.id),
        details: JSON.stringify({ period: report.period, unit: state.unit.code, revision, onTime, reason: input.reason ?? null, changed: [...state.pending.keys()] }),
        at: now,
      },
    });
    await applyReportToAggregates(tx, report.id);
    // the approvers' notification, owed from this commit on (delivered after it, or by the sweep)
    await recordOutbox(tx, { key: submitOutboxKey(report.id, revision), kind: "approvers", reportId: report.id, payload: { revision } });
  }
  await bumpVersion(tx, report.id);
  return { status: "submitted", revision, onTime, submittedAt: now, ...(report.approvalStatus === "returned" ? { resubmitted: true } : {}) };
}

/** An approved report is locked for its focal points: no answer, reason or revision is stored. */
export function isLocked(report: { status: string; approvalStatus?: string | null }): boolean {
  return report.status === "submitted" && report.approvalStatus === "approved";
}

/** Is this report approved (locked for its focal points)? */
export async function reportIsLocked(deps: Pick<ReportingDeps, "db">, reportId: number): Promise<boolean> {
  const report = await deps.db.report.findUnique({ where: { id: reportId }, select: { status: true, approvalStatus: true } });
  return !!report && isLocked(report);
}

/*
 * The errors below carry data and a message for the logs only: callers check first (offeredPeriods,
 * isLocked, the cursor's report), so a user never reads them; the bot answers its generic apology.
 */

/** Thrown by the write functions below when the report is approved (callers check isLocked first). */
export class ReportLockedError extends Error {
  constructor(readonly reportId: number) {
    super(`report ${reportId} is approved (locked)`);
    this.name = "ReportLockedError";
  }
}

/** openReport: no plan in force for the unit in that period (callers check offeredPeriods first). */
export class NoPlanInForceError extends Error {
  constructor(
    readonly unitId: number,
    readonly periodKey: string,
  ) {
    super(`no plan in force for unit ${unitId} in ${periodKey}`);
    this.name = "NoPlanInForceError";
  }
}

/** loadReportState: no report with that id (e.g. deleted under a stale cursor). */
export class ReportNotFoundError extends Error {
  constructor(readonly reportId: number) {
    super(`report ${reportId} not found`);
    this.name = "ReportNotFoundError";
  }
}

export { effectivePlanId };

export type KeepPreviousResult =
  | {
      status: "kept";
      /** Answers copied from the previous period (unanswered questions only; the user's own answers stay). */
      copied: number;
      /** Copied answers below this period's target that carried their reason over. */
      belowWithReason: number;
      /** Questions still to answer: new this period, not valid against this period's targets, or below target with no reason. */
      stillOpen: number;
      previousPeriod: Period;
    }
  | { status: "no_previous"; previousPeriod: Period }
  | { status: "already_submitted" };

/**
 * "Giữ nguyên như tháng trước": copy every answer of the previous period's submitted report, with
 * its reason, into this draft — each checked again against THIS period's targets (a value that no
 * longer passes stays unanswered). Questions the user already answered this period are not touched.
 */
export async function keepPreviousReport(
  deps: ReportingDeps,
  input: { reportId: number; userId: number | null },
): Promise<KeepPreviousResult> {
  return inReportTx(deps, input.reportId, (tx) => keepPreviousLocked(tx, input));
}

async function keepPreviousLocked(deps: ReportingDeps, input: { reportId: number; userId: number | null }): Promise<KeepPreviousResult> {
  let state = await loadReportState(deps, input.reportId);
  const prevPeriod = previousPeriod(state.period);
  if (state.report.status === "submitted") return { status: "already_submitted" };
  if (state.previous.size === 0) return { status: "no_previous", previousPeriod: prevPeriod };
  let copied = 0;
  let belowWithReason = 0;
  for (const entry of state.indicators) {
    const prev = state.previous.get(entry.code);
    const current = state.answers.get(entry.code);
    if (!prev || (current && !current.skipped)) continue;
    const raw = answerAsText(entry, prev);
    const check = checkAnswer(entry, raw, checkContextFor(state, entry.code));
    if (!check.ok) continue;
    const reason = check.meetsTarget === false ? prev.reason : null;
    const stored = await saveAnswer(deps, { reportId: input.reportId, code: entry.code, userId: input.userId, raw, check, reason, status: state.report.status });
    state = withAnswer(state, entry.code, stored);
    copied++;
    if (reason) belowWithReason++;
  }
  const stillOpen = state.indicators.filter((e) => !isComplete(state.answers.get(e.code))).length;
  return { status: "kept", copied, belowWithReason, stillOpen, previousPeriod: prevPeriod };
}

// ---------------------------------------------------------------- opening a report (/baocao, the reminder's button)
/*
 * Opening a report took about 20 statements through Prisma: the report, the unit, the plan in force
 * (the unit, its ancestors, their PlanAssignment rows — once per offered period in the picker), a
 * five-statement upsert. Here one plain-SQL read (openRows) returns the report of the period if it
 * exists, the unit, the unit's ancestors with their own planId and their PlanAssignment rows (the
 * plan in force is then resolved in memory by planResolver, as plansInForce does) and, for a chat,
 * its cursor and the user's membership of the unit; a new report is one INSERT.
 *
 * Cached in-process: only the catalog (core/plans/store.ts — plans and target versions, with
 * forUnit memoized per plan, levels, frequency and period). It is safe across instances because a
 * plan or target version published by another process (the CLI, a second bot) changes the stamp
 * that every instance checks at most every 5 s, and the cache reloads; publishing in this process
 * invalidates it at once. Units, assignments and memberships are deliberately NOT cached: `units
 * import`, `units plan` or a removed focal point elsewhere change them with no stamp to notice, and
 * a report created against a stale plan would stay against it; they cost one statement here.
 */

type Nullable<T> = { [K in keyof T]: T[K] | null };
/** The chat's cursor, as openRows reads it (ReportCursor's columns, prefixed c__). */
const CURSOR_COLUMNS = ["chatId", "userId", "reportId", "code", "awaiting", "pass", "value", "version", "seq", "updateId"] as const;
type OpenRow = Nullable<ReportRow> &
  UnitColumns & { [K in (typeof CURSOR_COLUMNS)[number] as `c__${K}`]: unknown } & {
    member__: unknown;
    a__code: string;
    a__planId: string | null;
    a__depth: number | bigint;
    pa__id: number | bigint | null;
    pa__planId: string | null;
    pa__validFrom: string | null;
    pa__validTo: string | null;
  };

/** No chat: openRows reads no cursor ("" is no chat id) and no membership (0 is no user id). */
const NO_CHAT = { chatId: "", userId: 0 };

/**
 * For the unit `of.unitId` — or for every unit `of.userId` is a focal point or deputy of — one row
 * per (the unit or an ancestor, its PlanAssignment), by unit code, nearest ancestor first; the
 * report of `periodKey` (null columns when none, or for periodKey ""), the unit, the chat's cursor
 * and the membership repeat on every row of the unit. Ancestors follow parentId (primary-key
 * lookups); unitPlans checks them against the unit's path.
 */
async function openRows(db: Db, of: { unitId: number } | { userId: number }, periodKey: string, chat: { chatId: string; userId: number }): Promise<OpenRow[]> {
  // ids start at 1: 0 matches nothing
  const unitId = "unitId" in of ? of.unitId : 0;
  const ofUser = "userId" in of ? of.userId : 0;
  return sql(db).query<OpenRow>`
    WITH RECURSIVE "anc" ("root", "id", "code", "planId", "parentId", "depth") AS (
      -- two index lookups, not "id = $1 OR id IN (…)": PostgreSQL cannot use an index for that OR, so it
      -- scanned every unit and, misjudging the rows, hashed the whole table twice more per open (bench:webhook:
      -- a burst of openings held the pool and answers' p99 rose from 0.12 to 0.6–0.9 s)
      SELECT u0."id", u0."id", u0."code", u0."planId", u0."parentId", 0 FROM "Unit" u0 WHERE u0."id" = ${unitId}
      UNION
      SELECT u1."id", u1."id", u1."code", u1."planId", u1."parentId", 0 FROM "Membership" m JOIN "Unit" u1 ON u1."id" = m."unitId" WHERE m."userId" = ${ofUser}
      UNION ALL
      SELECT "anc"."root", p."id", p."code", p."planId", p."parentId", "anc"."depth" + 1 FROM "Unit" p JOIN "anc" ON p."id" = "anc"."parentId" WHERE "anc"."depth" < 64
    )
    SELECT r.*, u."id" AS "u__id", u."code" AS "u__code", u."name" AS "u__name", u."kind" AS "u__kind", u."levels" AS "u__levels",
      u."parentId" AS "u__parentId", u."path" AS "u__path", u."planId" AS "u__planId", u."focalName" AS "u__focalName",
      u."focalPhone" AS "u__focalPhone", u."createdAt" AS "u__createdAt",
      c."chatId" AS "c__chatId", c."userId" AS "c__userId", c."reportId" AS "c__reportId", c."code" AS "c__code", c."awaiting" AS "c__awaiting",
      c."pass" AS "c__pass", c."value" AS "c__value", c."version" AS "c__version", c."seq" AS "c__seq", c."updateId" AS "c__updateId",
      EXISTS (SELECT 1 FROM "Membership" m WHERE m."userId" = ${chat.userId} AND m."unitId" = u."id") AS "member__",
      "anc"."code" AS "a__code", "anc"."planId" AS "a__planId", "anc"."depth" AS "a__depth",
      pa."id" AS "pa__id", pa."planId" AS "pa__planId", pa."validFrom" AS "pa__validFrom", pa."validTo" AS "pa__validTo"
    FROM "anc"
    JOIN "Unit" u ON u."id" = "anc"."root"
    LEFT JOIN "PlanAssignment" pa ON pa."unitId" = "anc"."id"
    LEFT JOIN "Report" r ON r."unitId" = u."id" AND r."period" = ${periodKey}
    LEFT JOIN "ReportCursor" c ON c."chatId" = ${chat.chatId}
    ORDER BY u."code", u."id", "anc"."depth", pa."id"`;
}

/** The unit of openRows, and the plan in force for it in a period (its assignments resolved in memory). */
function unitPlans(rows: OpenRow[]): { unit: UnitRow; planOf(deps: ReportingDeps, catalog: Catalog, period: Period): Promise<string | null> } {
  const first = rows[0];
  if (!first) throw new UnitNotFoundError();
  const unit = Object.fromEntries(UNIT_COLUMNS.map((c) => [c, first[`u__${c}`]])) as UnitRow;
  const own = new Map<string, string | null>();
  const assignments = new Map<string, Assignment[]>();
  for (const r of rows) {
    own.set(r.a__code, r.a__planId);
    if (r.pa__id === null || r.pa__planId === null) continue;
    let list = assignments.get(r.a__code);
    if (!list) assignments.set(r.a__code, (list = []));
    list.push({ id: Number(r.pa__id), planId: r.pa__planId, validFrom: r.pa__validFrom, validTo: r.pa__validTo });
  }
  // the parentId chain read is the unit's path (always, as units are written): else resolve as plansInForce does
  const chain = [...own.keys()].reverse();
  const codes = pathCodes(unit.path);
  const consistent = chain.length === codes.length && chain.every((c, i) => c === codes[i]);
  return {
    unit,
    async planOf(deps, catalog, period) {
      if (!consistent) return (await plansInForce(deps.db, unit.id, period, catalog))?.planId ?? null;
      return planResolver(catalog, assignments, (c) => own.get(c), period.key)(unit.path)?.planId ?? null;
    },
  };
}

export interface OpenedReport {
  report: ReportRow;
  unit: UnitRow;
  /** This report was created just now (it has no answers). */
  created: boolean;
  /** The chat's ReportCursor row as read (columns as in the table), or null. */
  cursor: Record<(typeof CURSOR_COLUMNS)[number], unknown> | null;
  /** The user is a focal point or deputy of the unit (read with the report). */
  member: boolean;
}

/**
 * Get or create the report of a unit for a period (against the plan in force for that period), with
 * its unit and, for a chat, the chat's cursor and the user's membership: one statement for an
 * existing report, two for a new one (two taps at once still create one report: the INSERT does
 * nothing on the second, which reads the first's).
 */
export async function openReportFor(deps: ReportingDeps, unitId: number, period: Period, chat = NO_CHAT): Promise<OpenedReport> {
  return openFromRows(deps, await openRows(deps.db, { unitId }, period.key, chat), period, chat);
}

/**
 * The units `chat.userId` reports for (focal point or deputy, by code, as unitsOfUser) and, when
 * there is exactly one, its report for the period opened (created if need be) as openReportFor
 * does: for /baocao <period>, one statement for what took two.
 */
export async function openReportOfUser(
  deps: ReportingDeps,
  period: Period,
  chat: { chatId: string; userId: number },
): Promise<{ units: Array<{ id: number; code: string; name: string }>; opened: OpenedReport | null }> {
  const rows = await openRows(deps.db, { userId: chat.userId }, period.key, chat);
  const units = new Map<number, { id: number; code: string; name: string }>();
  for (const r of rows) {
    const id = Number(r.u__id);
    if (!units.has(id)) units.set(id, { id, code: r.u__code, name: r.u__name });
  }
  const list = [...units.values()];
  return { units: list, opened: list.length === 1 ? await openFromRows(deps, rows, period, chat) : null };
}

async function openFromRows(deps: ReportingDeps, rows: OpenRow[], period: Period, chat: { chatId: string; userId: number }): Promise<OpenedReport> {
  const { db } = deps;
  const { unit, planOf } = unitPlans(rows);
  const unitId = unit.id;
  const first = rows[0]!;
  const cursor = first.c__chatId === null ? null : (Object.fromEntries(CURSOR_COLUMNS.map((c) => [c, first[`c__${c}`]])) as OpenedReport["cursor"]);
  const member = first.member__ === true || Number(first.member__) === 1;
  if (first.id !== null) {
    const report = Object.fromEntries(REPORT_COLUMNS.map((c) => [c, first[c]])) as ReportRow;
    return { report, unit, created: false, cursor, member };
  }
  const catalog = await deps.catalog.get();
  const planId = await planOf(deps, catalog, period);
  if (!planId) throw new NoPlanInForceError(unitId, period.key);
  const report = newReportRow(unitId, period, planId, deadlineOf(period, rulesFor(catalog, planId)), new Date());
  const [inserted] = await sql(db).query<{ id: number | bigint }>`
    INSERT INTO "Report" ("unitId", "period", "periodKind", "planId", "status", "revision", "deadline", "approvalStatus", "version", "createdAt", "updatedAt")
    VALUES (${unitId}, ${report.period}, ${report.periodKind}, ${planId}, ${report.status}, ${report.revision}, ${report.deadline}, ${report.approvalStatus}, ${report.version}, ${report.createdAt}, ${report.updatedAt})
    ON CONFLICT ("unitId", "period") DO NOTHING RETURNING "id"`;
  // another tap created it in between: open that one
  if (!inserted) return openReportFor(deps, unitId, period, chat);
  return { report: { ...report, id: Number(inserted.id) }, unit, created: true, cursor, member };
}

/** A new draft as the INSERT above stores it (the schema's defaults, written out). */
function newReportRow(unitId: number, period: Period, planId: string, deadline: Date, now: Date): ReportRow {
  return {
    id: 0,
    unitId,
    period: period.key,
    periodKind: period.kind,
    planId,
    status: "draft",
    revision: 0,
    deadline,
    firstSubmittedAt: null,
    submittedAt: null,
    onTime: null,
    submittedById: null,
    pendingJson: null,
    approvalStatus: "pending",
    approvalById: null,
    approvalAt: null,
    approvalReason: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
  };
}
/** Every Report column (a new column fails typecheck in newReportRow), as openRows reads them from r.*. */
const REPORT_COLUMNS = Object.keys(newReportRow(0, { key: "", kind: "month" } as Period, "", new Date(0), new Date(0))) as Array<keyof ReportRow>;

/** openReportFor: no unit with that id. */
export class UnitNotFoundError extends Error {
  constructor() {
    super("unit not found");
    this.name = "UnitNotFoundError";
  }
}
