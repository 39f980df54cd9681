/**
 * The reporting conversation's steps, held in the database (ReportCursor), not in session or
 * conversation state saved after the reply.
 *
 * A chat's cursor says which report is open and what the next typed text (or yes/no button)
 * answers: a question (answer), a yes/no on an implausible value (confirm), a below-target reason
 * (reason), a yes/no on a number typed at the reason prompt (correction), the reason for changing
 * a submitted report (edit_reason), the summary (summary), or nothing after a submit (done).
 *
 * Every step that stores something runs in ONE transaction that (1) holds the report's lock
 * (inReportTx), (2) checks at that moment that the user is still a focal point of the report's
 * unit, (3) stores the answer, reason or submission, and (4) moves the cursor to the next step,
 * recording the Telegram update_id that made the move — all committed before the bot replies.
 * So:
 *   - a restart between the commit and the reply loses nothing: the next text is matched
 *     against the stored cursor, which already points at the next step;
 *   - a redelivered update (same update_id, e.g. after a kill) finds its own update_id on the
 *     cursor and changes nothing: the bot only sends the current step again (status "replayed");
 *   - a typed answer is stored under the cursor's question, read inside the same transaction.
 *
 * Summaries carry the report's version: a submit made on a summary older than the report (a
 * deputy changed an answer meanwhile) is refused with status "changed" and the current summary.
 */
import type { Db } from "../db/client.ts";
import { sql } from "../db/sql.ts";
import type { Measure } from "../catalog/schema.ts";
import { checkAnswer, type Gap } from "./check.ts";
import { recordAnswer, recordReason, type AnswerOutcome, type ReasonProblem } from "./answer.ts";
import type { AnswerProblem } from "./parse.ts";
import type { Period } from "./periods.ts";
import { findSuspicion, type Suspicion } from "./plausibility.ts";
import {
  checkContextFor,
  inReportTx,
  isComplete,
  isLocked,
  keepPreviousReport,
  loadReportState,
  openReportFor,
  openReportOfUser,
  reportStateOf,
  submitReport,
  UnitNotFoundError,
  type ReportHead,
  discardPendingEdits,
  saveAnswer,
  type KeepPreviousResult,
  type OpenedReport,
  type ReportState,
  type ReportingDeps,
  type SubmitResult,
} from "./reports.ts";

export type Awaiting = "answer" | "confirm" | "reason" | "correction" | "edit_reason" | "summary" | "done";
export type Pass = "main" | "resume" | "edit";

export interface Cursor {
  chatId: string;
  userId: number;
  reportId: number;
  code: string | null;
  awaiting: Awaiting;
  pass: Pass;
  /** The value a yes/no is about (confirm, correction). */
  value: string | null;
  /** Report.version this chat last saw (checked by a submit). */
  version: number;
  seq: number;
  updateId: bigint | null;
}

/** Who acts, in which chat, through which Telegram update (null: not from Telegram, e.g. tests). */
export interface Who {
  chatId: string;
  userId: number;
  updateId: number | null;
}

/** A ReportCursor row as raw SQL returns it (SQLite: 0/1 and numbers; PostgreSQL: bigint for updateId). */
interface RawCursor {
  chatId: string;
  userId: number | bigint;
  reportId: number | bigint;
  code: string | null;
  awaiting: string;
  pass: string;
  value: string | null;
  version: number | bigint;
  seq: number | bigint;
  updateId: number | bigint | string | null;
}

function toCursor(row: RawCursor): Cursor {
  return {
    chatId: row.chatId,
    userId: Number(row.userId),
    reportId: Number(row.reportId),
    code: row.code,
    awaiting: row.awaiting as Awaiting,
    pass: row.pass as Pass,
    value: row.value,
    version: Number(row.version),
    seq: Number(row.seq),
    updateId: row.updateId === null ? null : BigInt(row.updateId),
  };
}

const truthy = (v: unknown) => v === true || Number(v) === 1;

/*
 * Cost: the cursor is read on every typed text, and again inside the step's transaction; both reads
 * are plain SQL that also answer "is this user (still) a focal point of the report's unit?" (one
 * statement instead of a Prisma findUnique plus a membership query).
 */

/** Where this chat is, or null when no report is open. */
export async function readCursor(db: Db, chatId: string): Promise<Cursor | null> {
  const [row] = await sql(db).query<RawCursor>`SELECT * FROM "ReportCursor" WHERE "chatId" = ${chatId}`;
  return row ? toCursor(row) : null;
}

/** The chat's cursor and whether `userId` is a member of the unit of the cursor's report (false without a cursor). */
export async function readCursorOf(db: Db, chatId: string, userId: number): Promise<{ cursor: Cursor | null; member: boolean }> {
  const [row] = await sql(db).query<RawCursor & { member__: unknown }>`
    SELECT c.*, EXISTS (SELECT 1 FROM "Membership" m JOIN "Report" r ON r."unitId" = m."unitId" WHERE r."id" = c."reportId" AND m."userId" = ${userId}) AS "member__"
    FROM "ReportCursor" c WHERE c."chatId" = ${chatId}`;
  return row ? { cursor: toCursor(row), member: truthy(row.member__) } : { cursor: null, member: false };
}

/** A cursor read beside other rows, its columns prefixed c__ (see CURSOR_COLUMNS_SQL), and the member__ flag. */
export type PrefixedCursor = { [K in keyof RawCursor as `c__${K}`]: RawCursor[K] | null } & { member__: unknown };

/** The chat's cursor and membership from a row with the c__ columns (null cursor when the chat has none). */
export function cursorFromPrefixed(row: PrefixedCursor | undefined): { cursor: Cursor | null; member: boolean } {
  if (!row || row.c__chatId == null) return { cursor: null, member: false };
  const cursor = toCursor({
    chatId: row.c__chatId,
    userId: row.c__userId!,
    reportId: row.c__reportId!,
    code: row.c__code,
    awaiting: row.c__awaiting!,
    pass: row.c__pass!,
    value: row.c__value,
    version: row.c__version!,
    seq: row.c__seq!,
    updateId: row.c__updateId,
  });
  return { cursor, member: truthy(row.member__) };
}

/**
 * Inside a step's transaction (after the report's lock): the chat's cursor (null when none), whether
 * `userId` is a member of report `reportId`'s unit, and the report with its unit as loadReportState
 * reads them (null when the report does not exist) — one statement instead of two: the step that
 * stores an answer hands `head` to loadReportState.
 */
async function cursorMembershipAndReport(
  db: Db,
  chatId: string,
  reportId: number,
  userId: number,
): Promise<{ cursor: Cursor | null; member: boolean; head: ReportHead | null }> {
  const [row] = await sql(db).query<PrefixedCursor & Partial<ReportHead>>`
    SELECT c."chatId" AS "c__chatId", c."userId" AS "c__userId", c."reportId" AS "c__reportId", c."code" AS "c__code", c."awaiting" AS "c__awaiting",
      c."pass" AS "c__pass", c."value" AS "c__value", c."version" AS "c__version", c."seq" AS "c__seq", c."updateId" AS "c__updateId",
      EXISTS (SELECT 1 FROM "Membership" m WHERE m."unitId" = r."unitId" AND m."userId" = ${userId}) AS "member__",
      r.*, u."id" AS "u__id", u."code" AS "u__code", u."name" AS "u__name", u."kind" AS "u__kind", u."levels" AS "u__levels",
      u."parentId" AS "u__parentId", u."path" AS "u__path", u."planId" AS "u__planId", u."focalName" AS "u__focalName",
      u."focalPhone" AS "u__focalPhone", u."createdAt" AS "u__createdAt"
    FROM (SELECT 1 AS "one__") x
    LEFT JOIN "ReportCursor" c ON c."chatId" = ${chatId}
    LEFT JOIN "Report" r ON r."id" = ${reportId}
    LEFT JOIN "Unit" u ON u."id" = r."unitId"`;
  const { cursor } = cursorFromPrefixed(row);
  const member = truthy(row?.member__);
  if (!row || row.id == null) return { cursor, member, head: null };
  // the report's and unit's columns, copied (no `delete`: an object that lost keys turns slow)
  const head: Record<string, unknown> = {};
  for (const k in row) if (!k.startsWith("c__") && k !== "member__") head[k] = (row as Record<string, unknown>)[k];
  return { cursor, member, head: head as unknown as ReportHead };
}

/** Close the open report in this chat (a /huy, /start, a deleted user…). */
export async function dropCursor(db: Db, chatId: string): Promise<void> {
  await sql(db).execute`DELETE FROM "ReportCursor" WHERE "chatId" = ${chatId}`;
}

/** Did this very update already move the cursor (a redelivery)? */
export function isReplay(cursor: Cursor | null, updateId: number | null): boolean {
  return cursor !== null && updateId !== null && cursor.updateId !== null && cursor.updateId === BigInt(updateId);
}

/** Is this user (still) a focal point or deputy of the report's unit? */
export async function isMemberOfReport(db: Db, reportId: number, userId: number): Promise<boolean> {
  const rows = await sql(db).query<unknown>`
    SELECT 1 FROM "Membership" m JOIN "Report" r ON r."unitId" = m."unitId"
    WHERE r."id" = ${reportId} AND m."userId" = ${userId}`;
  return rows.length > 0;
}

/** The step after the stored state, in this pass: the next question, or the summary. */
export function stepAfter(state: ReportState, pass: Pass): { code: string | null; awaiting: "answer" | "summary" } {
  let next = state.next;
  if (!next && pass === "resume") next = state.indicators.find((e) => !isComplete(state.answers.get(e.code))) ?? null;
  if (next && pass !== "edit") return { code: next.code, awaiting: "answer" };
  return { code: null, awaiting: "summary" };
}

interface Move {
  reportId: number;
  code: string | null;
  awaiting: Awaiting;
  pass: Pass;
  value?: string | null;
  /** The report version the chat sees now (default: keep the cursor's, or the report's for a new cursor). */
  version?: number;
}

/** Write the cursor (one upsert; seq + 1; the update that moved it). */
async function move(db: Db, who: Who, to: Move, prev: Cursor | null): Promise<Cursor> {
  const version = to.version ?? (prev?.reportId === to.reportId ? prev.version : await reportVersion(db, to.reportId));
  const data = {
    userId: who.userId,
    reportId: to.reportId,
    code: to.code,
    awaiting: to.awaiting,
    pass: to.pass,
    value: to.value ?? null,
    version,
    seq: (prev?.seq ?? 0) + 1,
    updateId: who.updateId === null ? null : BigInt(who.updateId),
  };
  // plain SQL (this runs on every answer); the row written is known, nothing is read back. Usually the
  // step's last write: on PostgreSQL it goes with the COMMIT (one round trip fewer; core/db/sql.ts)
  const updatedAt = new Date();
  await sql(db).executeLast`
    INSERT INTO "ReportCursor" ("chatId", "userId", "reportId", "code", "awaiting", "pass", "value", "version", "seq", "updateId", "updatedAt")
    VALUES (${who.chatId}, ${data.userId}, ${data.reportId}, ${data.code}, ${data.awaiting}, ${data.pass}, ${data.value}, ${data.version}, ${data.seq}, ${data.updateId}, ${updatedAt})
    ON CONFLICT ("chatId") DO UPDATE SET "userId" = excluded."userId", "reportId" = excluded."reportId", "code" = excluded."code",
      "awaiting" = excluded."awaiting", "pass" = excluded."pass", "value" = excluded."value", "version" = excluded."version",
      "seq" = excluded."seq", "updateId" = excluded."updateId", "updatedAt" = excluded."updatedAt"`;
  return { chatId: who.chatId, ...data, awaiting: data.awaiting, pass: data.pass };
}

async function reportVersion(db: Db, reportId: number): Promise<number> {
  const rows = await sql(db).query<{ version: number | bigint }>`SELECT "version" FROM "Report" WHERE "id" = ${reportId}`;
  return Number(rows[0]?.version ?? 0);
}

/** Outcomes every writing step may have before it does its own work. */
export type Refusal =
  /** This update already made its move (a redelivery): nothing changed; show the cursor's step again. */
  | { status: "replayed"; cursor: Cursor; state: ReportState }
  /** No longer a focal point of the report's unit: nothing stored, the cursor is dropped. */
  | { status: "not_member" }
  /** The chat moved on since this step was shown (an old button): nothing stored. */
  | { status: "stale" };

/**
 * The frame of every writing step: one transaction with the report's lock, the replay check, the
 * membership check at the moment of writing, and the cursor as it is inside the transaction.
 */
async function step<T>(
  deps: ReportingDeps,
  who: Who,
  reportId: number,
  opts: { expectSeq?: number },
  fn: (tx: ReportingDeps, cursor: Cursor | null, head: ReportHead | null) => Promise<T>,
): Promise<T | Refusal> {
  return inReportTx(deps, reportId, async (tx) => {
    const { cursor, member, head } = await cursorMembershipAndReport(tx.db, who.chatId, reportId, who.userId);
    if (isReplay(cursor, who.updateId)) return { status: "replayed", cursor: cursor!, state: await loadReportState(tx, cursor!.reportId) } as const;
    if (opts.expectSeq !== undefined && cursor?.seq !== opts.expectSeq) return { status: "stale" } as const;
    if (!member) {
      await dropCursor(tx.db, who.chatId);
      return { status: "not_member" } as const;
    }
    return fn(tx, cursor, head);
  });
}

export type AnswerStep =
  | Refusal
  | { status: "locked" }
  | { status: "not_in_report" }
  | { status: "invalid"; problem: AnswerProblem; cursor: Cursor }
  | { status: "suspect"; suspicion: Suspicion; cursor: Cursor }
  /** Stored. The cursor says what comes next: a reason (below target), the next question or the summary. */
  | { status: "saved"; /** null when the question was skipped */ outcome: Extract<AnswerOutcome, { status: "saved" }> | null; state: ReportState; cursor: Cursor };

/**
 * An answer to question `code` of report `reportId` (typed at the cursor's question, a quick-answer
 * button, "keep last period's value", "sửa câu 3 thành …", or a confirmed implausible value).
 * `raw` null skips the question. Stored, and the cursor moved, in one transaction.
 */
export async function answerStep(
  deps: ReportingDeps,
  who: Who,
  input: { reportId: number; code: string; raw: string | null; pass: Pass; confirmed?: boolean; expectSeq?: number },
): Promise<AnswerStep> {
  // `head`: the report as read under the lock with the cursor, nothing written since (one statement saved)
  return step(deps, who, input.reportId, input, async (tx, cursor, head): Promise<AnswerStep> => {
    if (input.raw === null) {
      const state = await loadReportState(tx, input.reportId, head);
      if (isLocked(state.report)) return { status: "locked" };
      if (!state.indicators.some((e) => e.code === input.code)) return { status: "not_in_report" };
      await saveAnswer(tx, { reportId: input.reportId, code: input.code, userId: who.userId, raw: "", check: null, status: state.report.status });
      const after = await loadReportState(tx, input.reportId);
      const pass = input.pass === "resume" ? "main" : input.pass;
      const next = move(tx.db, who, { reportId: input.reportId, ...stepAfter(after, pass), pass, version: after.report.version }, cursor);
      return { status: "saved", outcome: null, state: after, cursor: await next };
    }
    const { outcome, state } = await recordAnswer(tx, { reportId: input.reportId, code: input.code, raw: input.raw, userId: who.userId, confirmed: input.confirmed, head });
    const at = { reportId: input.reportId, code: input.code, pass: input.pass };
    switch (outcome.status) {
      case "locked":
      case "not_in_report":
        return outcome;
      case "invalid":
        // value: the rejected text, so the re-ask can be shown again (after a question, or a redelivery)
        return { ...outcome, cursor: await move(tx.db, who, { ...at, awaiting: "answer", value: input.raw }, cursor) };
      case "suspect":
        return { ...outcome, cursor: await move(tx.db, who, { ...at, awaiting: "confirm", value: input.raw }, cursor) };
      case "saved": {
        const version = state.report.version; // as the save left it (read back by its UPDATE … RETURNING)
        const to: Move =
          outcome.meetsTarget === false ? { ...at, awaiting: "reason", version } : { reportId: input.reportId, ...stepAfter(state, input.pass), pass: input.pass, version };
        return { status: "saved", outcome, state, cursor: await move(tx.db, who, to, cursor) };
      }
    }
  });
}

export type ReasonStep =
  | Refusal
  | { status: "invalid"; problem: ReasonProblem; locked?: true }
  | { status: "saved"; state: ReportState; cursor: Cursor };

/** The reason for the cursor's below-target answer; stored, and the cursor moved on, in one transaction. */
export async function reasonStep(
  deps: ReportingDeps,
  who: Who,
  input: { reportId: number; code: string; reason: string; pass: Pass; expectSeq?: number },
): Promise<ReasonStep> {
  return step(deps, who, input.reportId, input, async (tx, cursor): Promise<ReasonStep> => {
    const saved = await recordReason(tx, { reportId: input.reportId, code: input.code, reason: input.reason });
    if (!saved.ok) return { status: "invalid", problem: saved.problem, ...(saved.locked ? { locked: true as const } : {}) };
    const state = await loadReportState(tx, input.reportId);
    const to: Move = { reportId: input.reportId, ...stepAfter(state, input.pass), pass: input.pass, version: state.report.version };
    return { status: "saved", state, cursor: await move(tx.db, who, to, cursor) };
  });
}

export type SubmitStep =
  | Refusal
  /** Someone else changed the report since this chat's summary: nothing submitted; here is the current state. */
  | { status: "changed"; state: ReportState; cursor: Cursor }
  | { status: "incomplete"; missing: number; state: ReportState; cursor: Cursor }
  | { status: "nothing_to_change" }
  | { status: "locked" }
  | (Extract<SubmitResult, { status: "submitted" }> & { period: string; cursor: Cursor });

/**
 * Submit a draft, or confirm the pending edits of a submitted report with a reason — only when the
 * chat's summary shows the report as it is now.
 */
export async function submitStep(deps: ReportingDeps, who: Who, input: { reportId: number; reason: string | null }): Promise<SubmitStep> {
  return step(deps, who, input.reportId, {}, async (tx, cursor): Promise<SubmitStep> => {
    const current = await reportVersion(tx.db, input.reportId);
    if (!cursor || cursor.reportId !== input.reportId || cursor.version !== current) {
      const state = await loadReportState(tx, input.reportId);
      const pass: Pass = state.report.status === "submitted" ? "edit" : (cursor?.pass ?? "main");
      return { status: "changed", state, cursor: await move(tx.db, who, { reportId: input.reportId, code: null, awaiting: "summary", pass, version: current }, cursor) };
    }
    const result = await submitReport(tx, { reportId: input.reportId, userId: who.userId, reason: input.reason });
    if (result.status === "incomplete") {
      const state = await loadReportState(tx, input.reportId);
      const to: Move = { reportId: input.reportId, ...stepAfter(state, "resume"), pass: "resume", version: state.report.version };
      return { status: "incomplete", missing: result.missing.length, state, cursor: await move(tx.db, who, to, cursor) };
    }
    if (result.status !== "submitted") return result;
    const report = await tx.db.report.findUniqueOrThrow({ where: { id: input.reportId }, select: { period: true, version: true } });
    const done = await move(tx.db, who, { reportId: input.reportId, code: null, awaiting: "done", pass: "edit", value: String(result.revision), version: report.version }, cursor);
    return { ...result, period: report.period, cursor: done };
  });
}

/** "Gửi bản sửa" on a submitted report: the next text is the reason for the change. */
export async function askEditReason(deps: ReportingDeps, who: Who, reportId: number): Promise<Refusal | { status: "ok"; cursor: Cursor }> {
  return step(deps, who, reportId, {}, async (tx, cursor) => {
    const current = await reportVersion(tx.db, reportId);
    const version = cursor?.reportId === reportId ? cursor.version : current;
    return { status: "ok" as const, cursor: await move(tx.db, who, { reportId, code: null, awaiting: "edit_reason", pass: "edit", version }, cursor) };
  });
}

export type KeepAllStep = Refusal | { status: "kept"; kept: Extract<KeepPreviousResult, { status: "kept" }>; state: ReportState; cursor: Cursor } | Exclude<KeepPreviousResult, { status: "kept" }>;

/** "Giữ nguyên như kỳ trước": copy last period's answers and point the chat at the summary, in one transaction. */
export async function keepAllStep(deps: ReportingDeps, who: Who, reportId: number): Promise<KeepAllStep> {
  return step(deps, who, reportId, {}, async (tx, cursor): Promise<KeepAllStep> => {
    const kept = await keepPreviousReport(tx, { reportId, userId: who.userId });
    if (kept.status !== "kept") return kept;
    const state = await loadReportState(tx, reportId);
    return { status: "kept", kept, state, cursor: await move(tx.db, who, { reportId, code: null, awaiting: "summary", pass: "main", version: state.report.version }, cursor) };
  });
}

/**
 * Point the chat at a step without storing an answer (opening a report, a question picked to
 * edit, the summary, a yes/no about a value). Membership is checked here too.
 */
export async function pointStep(
  deps: ReportingDeps,
  who: Who,
  to: Move & { /** when the summary is shown, the chat has now seen the report as it is */ seen?: boolean },
): Promise<Refusal | { status: "ok"; state: ReportState; cursor: Cursor }> {
  return step(deps, who, to.reportId, {}, async (tx, cursor) => {
    const state = await loadReportState(tx, to.reportId);
    const version = to.awaiting === "summary" || to.seen ? state.report.version : to.version;
    return { status: "ok" as const, state, cursor: await move(tx.db, who, { ...to, version }, cursor) };
  });
}

/** Point the chat at the step after the stored answers (the next question or the summary). */
export async function pointNext(deps: ReportingDeps, who: Who, reportId: number, pass: Pass) {
  const state = await loadReportState(deps, reportId);
  return pointStep(deps, who, { reportId, ...stepAfter(state, pass), pass });
}

/** /huy: drop the cursor; unconfirmed edits of a submitted report are discarded. */
export async function cancelStep(deps: ReportingDeps, who: Who): Promise<"nothing_open" | "edits_discarded" | "stopped"> {
  const cursor = await readCursor(deps.db, who.chatId);
  if (!cursor || cursor.awaiting === "done") {
    await dropCursor(deps.db, who.chatId);
    return "nothing_open";
  }
  const r = await step(deps, who, cursor.reportId, {}, async (tx) => {
    const report = await tx.db.report.findUnique({ where: { id: cursor.reportId }, select: { status: true, pendingJson: true } });
    await dropCursor(tx.db, who.chatId);
    if (report?.status === "submitted" && report.pendingJson) {
      await discardPendingEdits(tx, cursor.reportId);
      return "edits_discarded" as const;
    }
    return "stopped" as const;
  });
  return typeof r === "string" ? r : "stopped";
}

/** The gap and last period's reason, to ask for the reason of a below-target answer (also when shown again). */
export function reasonPrompt(state: ReportState, code: string): { below: { measure: Measure; gap: Gap | null } | null; lastReason: string | null } {
  const entry = state.indicators.find((e) => e.code === code);
  const a = state.answers.get(code);
  let below: { measure: Measure; gap: Gap | null } | null = null;
  if (entry && a && !a.skipped) {
    const check = checkAnswer(entry, a.raw, checkContextFor(state, code));
    if (check.ok) below = { measure: entry.measure, gap: check.gap };
  }
  const prev = state.previous.get(code);
  return { below, lastReason: prev?.meetsTarget === false && prev.reason ? prev.reason : null };
}

/** Why a rejected answer was rejected (the re-ask shown again), or null when it is valid now. */
export function problemOf(state: ReportState, code: string, raw: string): AnswerProblem | null {
  const entry = state.indicators.find((e) => e.code === code);
  if (!entry) return null;
  const check = checkAnswer(entry, raw, checkContextFor(state, code));
  return check.ok ? null : check.problem;
}

/** The implausibility a confirm step asks about (shown again after a redelivery). */
export function suspicionOf(state: ReportState, code: string, raw: string): Suspicion | null {
  const entry = state.indicators.find((e) => e.code === code);
  if (!entry) return null;
  const check = checkAnswer(entry, raw, checkContextFor(state, code));
  return check.ok ? findSuspicion(state, entry, check) : null;
}

// ---------------------------------------------------------------- reads for the chat (bot/ only translates)

/** The units this user reports for (focal point or deputy), by code (plain SQL: every /baocao runs it). */
export async function unitsOfUser(db: Db, userId: number): Promise<Array<{ id: number; code: string; name: string }>> {
  const rows = await sql(db).query<{ id: number | bigint; code: string; name: string }>`
    SELECT u."id", u."code", u."name" FROM "Membership" m JOIN "Unit" u ON u."id" = m."unitId" WHERE m."userId" = ${userId} ORDER BY u."code" ASC`;
  return rows.map((u) => ({ id: Number(u.id), code: u.code, name: u.name }));
}

/** Is this user a focal point or deputy of this unit? */
export async function isMemberOfUnit(db: Db, userId: number, unitId: number): Promise<boolean> {
  return (await sql(db).query`SELECT 1 AS "one" FROM "Membership" WHERE "userId" = ${userId} AND "unitId" = ${unitId}`).length > 0;
}

/** A unit's name (for the period picker's header). */
export async function unitName(db: Db, unitId: number): Promise<string> {
  const [unit] = await sql(db).query<{ name: string }>`SELECT "name" FROM "Unit" WHERE "id" = ${unitId}`;
  if (!unit) throw new UnitNotFoundError();
  return unit.name;
}

/** The report's status and period (a submitted report's "Gửi" asks for a reason first). */
export async function reportHeader(db: Db, reportId: number): Promise<{ status: string; period: string } | null> {
  return db.report.findUnique({ where: { id: reportId }, select: { status: true, period: true } });
}

// ---------------------------------------------------------------- opening a report (/baocao, the reminder's button)

export type OpenStep = Refusal | { status: "locked" } | { status: "ok"; state: ReportState; cursor: Cursor };

/**
 * Open (or create) a unit's report for a period and point the chat at its next question — or, for
 * a submitted report, at its summary (edit pass): what openReport + pointNext (or pointStep to the
 * summary) do, in 3 statements for an existing report and 4 for a new one instead of about 20.
 *
 * One read gives the report, its unit, the chat's cursor and the membership (openReportFor); one
 * its answers and last period's (reportStateOf); one writes the cursor (move). No transaction and
 * no report lock: nothing of the report is written (only this chat's cursor, one statement), and
 * a deputy's answer stored meanwhile is one the chat sees at its next step, exactly as if it had
 * come a moment after the open. A redelivered update (the cursor already carries its update_id)
 * or a user who is no longer a member goes through the step frame as before (replayed, not_member).
 */
export async function openStep(deps: ReportingDeps, who: Who, unitId: number, period: Period): Promise<OpenStep> {
  return stepIntoOpened(deps, who, await openReportFor(deps, unitId, period, { chatId: who.chatId, userId: who.userId }));
}

/**
 * /baocao <period>: the user's units, and for a focal point of exactly one unit its report opened
 * as openStep does (the units and the report in one read). Other users get their units (none, or
 * several to choose from).
 */
export async function openStepOfUser(deps: ReportingDeps, who: Who, period: Period): Promise<OpenStep | { status: "units"; units: Array<{ id: number; code: string; name: string }> }> {
  const { units, opened } = await openReportOfUser(deps, period, { chatId: who.chatId, userId: who.userId });
  return opened ? stepIntoOpened(deps, who, opened) : { status: "units", units };
}

async function stepIntoOpened(deps: ReportingDeps, who: Who, opened: OpenedReport): Promise<OpenStep> {
  const { report } = opened;
  if (isLocked(report)) return { status: "locked" };
  const submitted = report.status === "submitted";
  const cursor = opened.cursor ? toCursor(opened.cursor as RawCursor) : null;
  if (isReplay(cursor, who.updateId) || !opened.member) {
    return submitted ? pointStep(deps, who, { reportId: report.id, code: null, awaiting: "summary", pass: "edit" }) : pointNext(deps, who, report.id, "main");
  }
  const state = await reportStateOf(deps, report, opened.unit);
  const to = submitted ? { code: null, awaiting: "summary" as const } : stepAfter(state, "main");
  // as pointStep: the summary is the report as it is now; a question keeps the version the chat saw of this report
  const version = to.awaiting === "summary" || cursor?.reportId !== report.id ? report.version : cursor.version;
  return { status: "ok", state, cursor: await move(deps.db, who, { reportId: report.id, ...to, pass: submitted ? "edit" : "main", version }, cursor) };
}
