/**
 * The outbox: notifications owed for a committed change, written in that change's own transaction
 * (a submit or correction → the report's approvers; an approval, return or unapproval → its focal
 * points), so a process killed after the commit and before the messages went out owes them still.
 *
 *   after commit   the handler delivers its own row at once: deliverOutbox(api, deps, { key })
 *   sweep          every instance, every few seconds: rows pending longer than a grace period (their
 *                  process died, or the update was redelivered after the commit) and rows "sending"
 *                  whose lease ran out (killed mid-delivery)
 *
 * A row is claimed atomically (one UPDATE with its condition), so two instances never deliver it
 * together; each recipient is claimed once in the Reminder table (kind "ob-<row id>", with the
 * reminders' lease), so a row delivered again after a kill skips whoever already got it.
 * Sending (Telegram, texts) is the bot's: bot/features/approval.ts.
 */
import type { Db } from "../db/client.ts";
import { approversToNotify, focalRecipients, type Recipient } from "../officials/approval.ts";

export type OutboxKind = "approvers" | "focal";

/** How long a delivery holds its row before another instance may take it over. */
export const OUTBOX_LEASE_MS = 60_000;
/** Deliveries of one row in all (Telegram down: about a quarter of an hour); after the last, what could not be sent is given up (and logged). */
export const OUTBOX_ATTEMPTS = 6;
/** The wait before a failed delivery is tried again; doubles each time. */
export const OUTBOX_BACKOFF_MS = 30_000;

export interface OutboxRow {
  id: number;
  key: string;
  kind: OutboxKind;
  reportId: number;
  payload: Record<string, unknown>;
  attempts: number;
}

/** The outbox key of a submitted revision: one notification of the approvers per revision. */
export function submitOutboxKey(reportId: number, revision: number): string {
  return `submit-${reportId}-${revision}`;
}

/** Record a notification owed; call it with the transaction client of the change itself. */
export async function recordOutbox(db: Db, e: { key: string; kind: OutboxKind; reportId: number; payload: Record<string, unknown> }): Promise<void> {
  await db.outbox.create({ data: { key: e.key, kind: e.kind, reportId: e.reportId, payload: JSON.stringify(e.payload) } });
}

/**
 * Claim rows to deliver: the one with `key` (just committed), or every row due — pending for more
 * than `graceMs`, or "sending" past its lease. Each claim is one conditional UPDATE.
 */
export async function claimOutbox(db: Db, opts: { key?: string; now?: Date; graceMs?: number; limit?: number; leaseMs?: number } = {}): Promise<OutboxRow[]> {
  const now = opts.now ?? new Date();
  // pending with no "not before" (leaseUntil after a failed delivery: the backoff), or "sending" past its lease
  const claimable = [
    { status: "pending", OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    { status: "sending", leaseUntil: { lt: now } },
  ];
  const rows = await db.outbox.findMany({
    where: opts.key
      ? { key: opts.key, OR: claimable }
      : { OR: [{ ...claimable[0], createdAt: { lt: new Date(now.getTime() - (opts.graceMs ?? 0)) } }, claimable[1]!] },
    orderBy: { id: "asc" },
    take: opts.limit ?? 50,
  });
  const out: OutboxRow[] = [];
  for (const r of rows) {
    const c = await db.outbox.updateMany({
      where: { id: r.id, OR: claimable },
      data: { status: "sending", leaseUntil: new Date(now.getTime() + (opts.leaseMs ?? OUTBOX_LEASE_MS)), attempts: { increment: 1 } },
    });
    if (c.count === 1) out.push({ id: r.id, key: r.key, kind: r.kind as OutboxKind, reportId: r.reportId, payload: JSON.parse(r.payload) as Record<string, unknown>, attempts: r.attempts + 1 });
  }
  return out;
}

/**
 * Done (every recipient told, refused, or no longer concerned), or back to pending for a later
 * sweep, not before OUTBOX_BACKOFF_MS × 2^(attempts−1) (given up after OUTBOX_ATTEMPTS).
 */
export async function settleOutbox(db: Db, row: Pick<OutboxRow, "id" | "attempts">, outcome: "done" | "retry", now: Date = new Date()): Promise<"done" | "retry" | "given_up"> {
  const final = outcome === "done" || row.attempts >= OUTBOX_ATTEMPTS;
  await db.outbox.update({
    where: { id: row.id },
    data: final
      ? { status: "done", leaseUntil: null, doneAt: now }
      : { status: "pending", leaseUntil: new Date(now.getTime() + OUTBOX_BACKOFF_MS * 2 ** (row.attempts - 1)) },
  });
  return outcome === "done" ? "done" : final ? "given_up" : "retry";
}

export interface OutboxTarget {
  report: { id: number; unitId: number; unitName: string; period: string; revision: number };
  recipients: Recipient[];
  /** focal rows: the name of the official who decided (null when unknown or erased) */
  actorName: string | null;
}

/** What a row's messages need, read at delivery: the report as it is now and who is told (null: the report is gone). */
export async function outboxTarget(db: Db, row: OutboxRow): Promise<OutboxTarget | null> {
  const report = await db.report.findUnique({ where: { id: row.reportId }, select: { id: true, unitId: true, period: true, revision: true, unit: { select: { name: true } } } });
  if (!report) return null;
  const recipients = row.kind === "approvers" ? await approversToNotify(db, report.id) : await focalRecipients(db, report.unitId);
  const actorId = typeof row.payload.actorId === "number" ? row.payload.actorId : null;
  const actor = actorId === null ? null : await db.user.findUnique({ where: { id: actorId }, select: { name: true, erasedAt: true } });
  return {
    report: { id: report.id, unitId: report.unitId, unitName: report.unit.name, period: report.period, revision: report.revision },
    recipients,
    actorName: actor && !actor.erasedAt ? actor.name : null,
  };
}

/** Delivered rows older than `keepMs` (default 30 days) are removed (hourly, beside the update claims). */
export async function pruneOutbox(db: Db, now: Date = new Date(), keepMs = 30 * 24 * 3600_000): Promise<number> {
  const r = await db.outbox.deleteMany({ where: { status: "done", createdAt: { lt: new Date(now.getTime() - keepMs) } } });
  return r.count;
}
