/**
 * Approval of submitted reports (DHIS2 data approval): an official ABOVE a unit approves its
 * submitted report, or returns it for correction with a reason; an approved report is locked for
 * the focal point until the approver (or another official above) unapproves it, with a reason.
 * A returned report that is corrected and submitted again goes back to the queue (submitReport
 * sets approvalStatus "pending"). Every step is written to AuditLog. Access is checked here, at
 * the moment of writing, not by the caller.
 *
 *   const q = await approvalQueue({ db, catalog }, scope, { period: "2026-03" });
 *   const r = await approveReport({ db, catalog }, scope, { reportId });
 *   if (r.ok) for (const p of r.notify) …tell p.telegramId that the report was approved
 *   await returnReport(deps, scope, { reportId, reason: "Số giáo viên chưa khớp" });
 *   await bulkApprove(deps, scope, { period: "2026-03" });   // reports with no flags only
 */
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { formatPeriod, parsePeriod } from "../reporting/periods.ts";
import { cutChars, nfc } from "../text.ts";
import type { OfficialDeps, OfficialScope } from "./access.ts";
import type { ApprovalStatus } from "./late.ts";
import { applyReportToAggregates } from "./aggregates.ts";
import { randomUUID } from "node:crypto";
import { recordOutbox } from "../notify/outbox.ts";

export type { ApprovalStatus };

export type ApprovalProblem =
  /** No such report, or it is not under the official's scope (the same answer: names nothing). */
  | "not_found"
  /** The report belongs to the official's own node: only a level above approves it. */
  | "own_unit"
  | "not_submitted"
  | "already_approved"
  | "not_approved"
  | "already_returned"
  | "reason_required";

/** Someone to tell about an approval step. */
export interface Recipient {
  userId: number;
  telegramId: string;
}

/** One flagged answer: below target (with the focal point's reason, if given). */
export interface ApprovalFlag {
  /** The target's short label; null when it has left the catalog (the caller words it). */
  short: string | null;
  raw: string;
  reason: string | null;
}

/** A submitted report as an approver sees it. */
export interface ApprovalItem {
  reportId: number;
  unit: { id: number; code: string; name: string; parentName: string | null };
  period: string;
  periodLabel: string;
  revision: number;
  submittedAt: Date | null;
  onTime: boolean | null;
  approval: ApprovalStatus;
  approvalAt: Date | null;
  approvalReason: string | null;
  /** Answers below target; a report with none may be bulk-approved. */
  flags: ApprovalFlag[];
  answered: number;
}

export type ApprovalResult =
  | {
      ok: true;
      item: ApprovalItem;
      /** The unit's focal points (approve, return, unapprove). */
      notify: Recipient[];
      /** The outbox row of their notification (deliver it: bot/features/approval.ts deliverOutbox). */
      outbox: string;
    }
  | { ok: false; problem: ApprovalProblem };

const REASON_MIN = 3;

type ReportRow = Awaited<ReturnType<Db["report"]["findUniqueOrThrow"]>>;

async function itemsOf(db: Db, catalog: Catalog, reports: Array<ReportRow & { unit: { id: number; code: string; name: string; parentId: number | null } }>): Promise<ApprovalItem[]> {
  if (reports.length === 0) return [];
  const ids = reports.map((r) => r.id);
  const parentIds = [...new Set(reports.map((r) => r.unit.parentId).filter((x): x is number => x !== null))];
  const [answers, parents] = await Promise.all([
    db.answer.findMany({ where: { reportId: { in: ids }, skipped: false }, select: { reportId: true, indicatorCode: true, raw: true, meetsTarget: true, reason: true } }),
    db.unit.findMany({ where: { id: { in: parentIds } }, select: { id: true, name: true } }),
  ]);
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  return reports.map((r) => {
    const own = answers.filter((a) => a.reportId === r.id);
    return {
      reportId: r.id,
      unit: { id: r.unit.id, code: r.unit.code, name: r.unit.name, parentName: r.unit.parentId !== null ? (parentName.get(r.unit.parentId) ?? null) : null },
      period: r.period,
      periodLabel: formatPeriod(parsePeriod(r.period)),
      revision: r.revision,
      submittedAt: r.submittedAt,
      onTime: r.onTime,
      approval: r.approvalStatus as ApprovalStatus,
      approvalAt: r.approvalAt,
      approvalReason: r.approvalReason,
      flags: own
        .filter((a) => a.meetsTarget === false)
        .map((a) => ({ short: catalog.byCode.get(a.indicatorCode)?.short ?? null, raw: a.raw, reason: a.reason })),
      answered: own.length,
    };
  });
}

/** A report the official may act on: submitted, under the scope and strictly below its node. */
async function loadForApproval(db: Db, scope: OfficialScope, reportId: number): Promise<
  { problem: "not_found" | "own_unit"; report?: undefined } | { problem?: undefined; report: NonNullable<Awaited<ReturnType<typeof findReport>>> }
> {
  const report = await findReport(db, reportId);
  if (!report || !report.unit.path.startsWith(scope.root.path)) return { problem: "not_found" };
  if (report.unit.id === scope.root.id) return { problem: "own_unit" };
  return { report };
}

function findReport(db: Db, reportId: number) {
  return db.report.findUnique({ where: { id: reportId }, include: { unit: { select: { id: true, code: true, name: true, parentId: true, path: true } } } });
}

/** The focal points (and deputies) of a unit, to tell them. */
export async function focalRecipients(db: Db, unitId: number): Promise<Recipient[]> {
  const ms = await db.membership.findMany({ where: { unitId }, include: { user: { select: { id: true, telegramId: true } } } });
  return ms.map((m) => ({ userId: m.user.id, telegramId: m.user.telegramId }));
}

async function step(
  deps: OfficialDeps,
  scope: OfficialScope,
  input: { reportId: number; reason?: string | null },
  action: "approve" | "return" | "unapprove",
): Promise<ApprovalResult> {
  const { db } = deps;
  const reason = input.reason ? cutChars(nfc(input.reason).trim(), 500) : "";
  if (action !== "approve" && reason.length < REASON_MIN) return { ok: false, problem: "reason_required" };
  const found = await loadForApproval(db, scope, input.reportId);
  if (found.problem) return { ok: false, problem: found.problem };
  const { report } = found;
  if (report.status !== "submitted") return { ok: false, problem: "not_submitted" };
  if (action === "approve" && report.approvalStatus === "approved") return { ok: false, problem: "already_approved" };
  if (action === "return" && report.approvalStatus === "approved") return { ok: false, problem: "already_approved" };
  if (action === "return" && report.approvalStatus === "returned") return { ok: false, problem: "already_returned" };
  if (action === "unapprove" && report.approvalStatus !== "approved") return { ok: false, problem: "not_approved" };
  const now = deps.now ?? new Date();
  const status: ApprovalStatus = action === "approve" ? "approved" : action === "return" ? "returned" : "pending";
  const outboxKey = `decision-${report.id}-${randomUUID().slice(0, 13)}`;
  // Conditional update: two officials pressing at once cannot both win.
  const changed = await db.$transaction(async (tx) => {
    const c = await tx.report.updateMany({
      where: { id: report.id, status: "submitted", approvalStatus: report.approvalStatus, revision: report.revision },
      // version: a focal point's summary shown before this is out of date (core/reporting/steps.ts)
      data: { approvalStatus: status, approvalById: scope.userId, approvalAt: now, approvalReason: reason || null, version: { increment: 1 } },
    });
    if (c.count > 0) {
      await applyReportToAggregates(tx, report.id);
      // the focal points' notification, owed from this commit on (core/notify/outbox.ts)
      await recordOutbox(tx as unknown as Db, { key: outboxKey, kind: "focal", reportId: report.id, payload: { action, reason: reason || null, actorId: scope.userId } });
    }
    return c;
  });
  if (changed.count === 0) return { ok: false, problem: action === "unapprove" ? "not_approved" : "already_approved" };
  await db.auditLog.create({
    data: {
      actorId: scope.userId,
      action: `report.${action}`,
      entity: "Report",
      entityId: String(report.id),
      details: JSON.stringify({ unit: report.unit.code, period: report.period, revision: report.revision, reason: reason || null }),
      at: now,
    },
  });
  const fresh = await db.report.findUniqueOrThrow({ where: { id: report.id }, include: { unit: { select: { id: true, code: true, name: true, parentId: true } } } });
  const [item] = await itemsOf(db, deps.catalog, [fresh]);
  return { ok: true, item: item!, notify: await focalRecipients(db, report.unitId), outbox: outboxKey };
}

/** Approve a submitted report: it is locked for the focal point from now on. */
export function approveReport(deps: OfficialDeps, scope: OfficialScope, input: { reportId: number }): Promise<ApprovalResult> {
  return step(deps, scope, input, "approve");
}

/** Return a submitted report for correction (reason required); the focal point corrects and submits again. */
export function returnReport(deps: OfficialDeps, scope: OfficialScope, input: { reportId: number; reason: string }): Promise<ApprovalResult> {
  return step(deps, scope, input, "return");
}

/** Unlock an approved report (reason required): back to pending, the focal point may edit it. */
export function unapproveReport(deps: OfficialDeps, scope: OfficialScope, input: { reportId: number; reason: string }): Promise<ApprovalResult> {
  return step(deps, scope, input, "unapprove");
}

/** One report as an approver sees it (null when not under the scope). */
export async function approvalItem(deps: OfficialDeps, scope: OfficialScope, reportId: number): Promise<ApprovalItem | null> {
  const found = await loadForApproval(deps.db, scope, reportId);
  if (found.problem) return null;
  const { report } = found;
  const [item] = await itemsOf(deps.db, deps.catalog, [{ ...report, unit: report.unit }]);
  return item ?? null;
}

/**
 * Submitted reports waiting for approval under the scope (below its node), oldest first.
 * `status` "pending" by default; "approved" or "returned" list the others.
 */
export async function approvalQueue(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: { period?: string; status?: ApprovalStatus; limit?: number } = {},
): Promise<{ items: ApprovalItem[]; total: number }> {
  const where = {
    status: "submitted",
    approvalStatus: opts.status ?? "pending",
    ...(opts.period ? { period: parsePeriod(opts.period).key } : {}),
    unit: { path: { startsWith: scope.root.path }, id: { not: scope.root.id } },
  };
  const [reports, total] = await Promise.all([
    deps.db.report.findMany({
      where,
      include: { unit: { select: { id: true, code: true, name: true, parentId: true } } },
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      take: opts.limit ?? 50,
    }),
    deps.db.report.count({ where }),
  ]);
  return { items: await itemsOf(deps.db, deps.catalog, reports), total };
}

/**
 * Approve every pending report under the scope that has no flags (no answer below target).
 * Returns what was approved (each with its focal points to tell) and how many were left for review.
 */
export async function bulkApprove(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: { period?: string } = {},
): Promise<{ approved: Array<Extract<ApprovalResult, { ok: true }>>; flagged: number }> {
  const queue = await approvalQueue(deps, scope, { period: opts.period, limit: 10_000 });
  const approved: Array<Extract<ApprovalResult, { ok: true }>> = [];
  let flagged = 0;
  for (const item of queue.items) {
    if (item.flags.length > 0) {
      flagged++;
      continue;
    }
    const r = await approveReport(deps, scope, { reportId: item.reportId });
    if (r.ok) approved.push(r);
  }
  return { approved, flagged };
}

/** How an official wants submitted reports: one message each, or a daily digest. */
export type ApprovalNotify = "each" | "digest";

export async function setApprovalNotify(db: Db, userId: number, mode: ApprovalNotify): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { approvalNotify: mode } });
  await db.auditLog.create({ data: { actorId: userId, action: "user.approval_notify", entity: "User", entityId: String(userId), details: JSON.stringify({ mode }) } });
}

export async function approvalNotifyOf(db: Db, userId: number): Promise<ApprovalNotify> {
  const u = await db.user.findUnique({ where: { id: userId }, select: { approvalNotify: true } });
  return u?.approvalNotify === "digest" ? "digest" : "each";
}

/**
 * The officials to tell that a report was submitted (or corrected): the officials of the nearest
 * unit above it that has any, who chose one message per report and can be reached.
 */
export async function approversToNotify(db: Db, reportId: number): Promise<Recipient[]> {
  const report = await db.report.findUnique({ where: { id: reportId }, select: { unit: { select: { id: true, path: true } } } });
  if (!report) return [];
  const codes = report.unit.path.split("/").filter(Boolean).slice(0, -1).reverse();
  const units = await db.unit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
  const idOf = new Map(units.map((u) => [u.code, u.id]));
  for (const code of codes) {
    const unitId = idOf.get(code);
    if (unitId === undefined) continue;
    const officials = await db.user.findMany({
      where: { role: { in: ["official", "admin"] }, officialUnitId: unitId },
      select: { id: true, telegramId: true, approvalNotify: true, reachable: true },
    });
    if (officials.length) return officials.filter((o) => o.reachable && o.approvalNotify !== "digest").map((o) => ({ userId: o.id, telegramId: o.telegramId }));
  }
  return [];
}

/** Officials on the daily digest, each with their scope root (for approvalQueue). */
export async function digestOfficials(db: Db): Promise<Array<Recipient & { unitId: number }>> {
  const users = await db.user.findMany({
    where: { role: { in: ["official", "admin"] }, reachable: true, approvalNotify: "digest", officialUnitId: { not: null } },
    select: { id: true, telegramId: true, officialUnitId: true },
  });
  return users.map((u) => ({ userId: u.id, telegramId: u.telegramId, unitId: u.officialUnitId! }));
}
