/**
 * Each Telegram update is processed once, even when Telegram delivers it again (a webhook answer
 * that timed out, an instance killed mid-update, a polling restart before the offset was confirmed)
 * and even with several instances behind one webhook URL on one database.
 *
 * How: the UpdateClaim row of update_id is inserted before the update is handled (the primary key
 * decides the winner across instances), marked done after, and deleted if handling fails.
 *
 * The claim commits ON ITS OWN, before the handler runs — it is not part of the update's
 * transactions, and the update's writes are not all idempotent (an answer, a submit). So:
 *   - duplicate of a finished update   → "duplicate": skipped, answered 200;
 *   - duplicate while it is being handled (another instance, or this one after a webhook timeout)
 *                                      → "in_flight": the webhook answers 500 and Telegram retries
 *                                        later, when it is finished (then skipped) or released;
 *   - handler failed (error reached the claim) → the claim is released: the redelivery is handled
 *                                        again from the start, as if new;
 *   - the process died mid-update      → the claim stays "in flight" until it is STALE_CLAIM_MS old;
 *                                        then one redelivery takes it over and handles the update
 *                                        again (UPDATE_CLAIM_STALE_SECONDS).
 *
 * So an update may be handled a second time after a crash between its writes and `doneAt`. The
 * reporting writes are idempotent per update for that reason: each answer, reason, keep-all and
 * submit commits together with the chat's ReportCursor, which records the update_id that made the
 * move (core/reporting/steps.ts); the re-handled update finds its own update_id there, writes
 * nothing and only sends the current step again. Opening a report is an upsert. Other updates
 * (questions about the plans, officials' lists) only read, or are guarded by their own conditional
 * writes (approval: a conditional update on status and revision).
 *
 * Why `finishUpdate` is not folded into the answer's transaction (it would save one statement per
 * answer, issue 11 §5): the claim would then be done BEFORE the reply is sent, and a crash between
 * that commit and the reply would turn the redelivery into a "duplicate" — skipped, so the user
 * never sees the next question. Finished after the reply, the redelivery is handled again, finds
 * its own update_id on the cursor, stores nothing and sends the step again. So: the claim does NOT
 * commit with the update's writes; the writes are idempotent per update_id (above).
 */
import type { Db } from "../db/client.ts";
import { sql } from "../db/sql.ts";

/** Longer than any handler (model calls stop at 20 s; webhook answers at 50 s). */
export const STALE_CLAIM_MS = 90_000;
/** Telegram keeps an undelivered update for 24 hours: older claims can go. */
export const CLAIM_RETENTION_MS = 24 * 3600_000;

export type ClaimResult = "claimed" | "duplicate" | "in_flight";

/*
 * Cost: claim and finish run on every update, so the usual path is two plain SQL statements sent
 * straight to the driver (core/db/sql.ts: tens of µs of CPU each instead of Prisma's 0.4–1 ms,
 * `npm run bench:sql`). The rare paths (a duplicate, a stale claim, a release) use the ORM.
 */
export async function claimUpdate(db: Db, updateId: number, now: Date = new Date(), staleMs = STALE_CLAIM_MS): Promise<ClaimResult> {
  const id = BigInt(updateId);
  for (let attempt = 0; attempt < 2; attempt++) {
    // the primary key decides: 1 row inserted = this process holds the claim
    const inserted = await sql(db).execute`INSERT INTO "UpdateClaim" ("updateId", "claimedAt") VALUES (${id}, ${now}) ON CONFLICT ("updateId") DO NOTHING`;
    if (inserted === 1) return "claimed";
    const row = await db.updateClaim.findUnique({ where: { updateId: id } });
    if (!row) continue; // released meanwhile: try to claim again
    if (row.doneAt) return "duplicate";
    if (now.getTime() - row.claimedAt.getTime() < staleMs) return "in_flight";
    // stale: whoever moves claimedAt first takes it over
    const taken = await db.updateClaim.updateMany({ where: { updateId: id, doneAt: null, claimedAt: row.claimedAt }, data: { claimedAt: now } });
    return taken.count === 1 ? "claimed" : "in_flight";
  }
  return "in_flight";
}

/** The update was handled: later deliveries are duplicates. */
export async function finishUpdate(db: Db, updateId: number, now: Date = new Date()): Promise<void> {
  await sql(db).execute`UPDATE "UpdateClaim" SET "doneAt" = ${now} WHERE "updateId" = ${BigInt(updateId)}`;
}

/** Handling failed: let a redelivery handle the update again. */
export async function releaseUpdate(db: Db, updateId: number): Promise<void> {
  await db.updateClaim.deleteMany({ where: { updateId: BigInt(updateId), doneAt: null } });
}

/** Forget claims older than Telegram's redelivery horizon. Returns how many were removed. */
export async function pruneUpdateClaims(db: Db, now: Date = new Date(), retentionMs = CLAIM_RETENTION_MS): Promise<number> {
  const r = await db.updateClaim.deleteMany({ where: { claimedAt: { lt: new Date(now.getTime() - retentionMs) } } });
  return r.count;
}
