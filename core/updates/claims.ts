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
 * Cost: claim and finish run on every update, so the usual path is plain SQL sent straight to the
 * driver (core/db/sql.ts: tens of µs of CPU each instead of Prisma's 0.4–1 ms, `npm run bench:sql`),
 * and the updates that claim (or finish) in the same turn of the event loop share ONE statement
 * (group commit: up to GROUP ids per statement, each still awaited by its own update before it goes
 * on). Under load that is a fraction of a statement and of a commit per update instead of one each
 * (issue 11); alone, an update's statement is the single-row one, as before. Nothing else changes:
 * a claim is still committed before its handler runs, and "done" is still written after the reply,
 * before the webhook answers. The rare paths (a duplicate, a stale claim, a release) use the ORM.
 */

/** Ids per grouped statement; a smaller group repeats its first id (one prepared statement per shape). */
const GROUP = 8;

interface Pending<I> {
  items: I[];
  settle: Array<{ resolve: (inserted: Set<bigint>) => void; reject: (e: unknown) => void }>;
}

/**
 * Collects the calls made in one turn of the event loop per database and runs them together
 * (flush on setImmediate), in groups of at most GROUP. Each caller gets the flush's result.
 */
function grouped<I>(run: (db: Db, items: I[]) => Promise<Set<bigint>>) {
  const pending = new WeakMap<Db, Pending<I>>();
  return (db: Db, item: I): Promise<Set<bigint>> =>
    new Promise((resolve, reject) => {
      let p = pending.get(db);
      if (!p) {
        const batch: Pending<I> = (p = { items: [], settle: [] });
        pending.set(db, batch);
        setImmediate(() => {
          pending.delete(db);
          for (let i = 0; i < batch.items.length; i += GROUP) {
            const settle = batch.settle.slice(i, i + GROUP);
            run(db, batch.items.slice(i, i + GROUP)).then(
              (r) => settle.forEach((s) => s.resolve(r)),
              (e) => settle.forEach((s) => s.reject(e)),
            );
          }
        });
      }
      p.items.push(item);
      p.settle.push({ resolve, reject });
    });
}

/** `ids` padded to GROUP by repeating its first (a repeated id changes nothing in either statement). */
function padded<T>(items: T[]): T[] {
  const out = items.slice();
  while (out.length < GROUP) out.push(items[0]!);
  return out;
}

/** Insert the claims; the ids actually inserted (the primary key decides: an id already there is not). */
const insertClaims = grouped<{ id: bigint; at: Date }>(async (db, claims) => {
  if (claims.length === 1) {
    const [c] = claims;
    const n = await sql(db).execute`INSERT INTO "UpdateClaim" ("updateId", "claimedAt") VALUES (${c!.id}, ${c!.at}) ON CONFLICT ("updateId") DO NOTHING`;
    return new Set(n === 1 ? [c!.id] : []);
  }
  const [a, b, c, d, e, f, g, h] = padded(claims) as [{ id: bigint; at: Date }, ...Array<{ id: bigint; at: Date }>];
  const rows = await sql(db).query<{ updateId: bigint | number | string }>`
    INSERT INTO "UpdateClaim" ("updateId", "claimedAt")
    VALUES (${a.id}, ${a.at}), (${b!.id}, ${b!.at}), (${c!.id}, ${c!.at}), (${d!.id}, ${d!.at}), (${e!.id}, ${e!.at}), (${f!.id}, ${f!.at}), (${g!.id}, ${g!.at}), (${h!.id}, ${h!.at})
    ON CONFLICT ("updateId") DO NOTHING RETURNING "updateId"`;
  return new Set(rows.map((r) => BigInt(r.updateId)));
});

/** Mark the claims done (at the latest of their times). */
const markDone = grouped<{ id: bigint; at: Date }>(async (db, done) => {
  const at = new Date(Math.max(...done.map((x) => x.at.getTime())));
  if (done.length === 1) {
    await sql(db).execute`UPDATE "UpdateClaim" SET "doneAt" = ${at} WHERE "updateId" = ${done[0]!.id}`;
    return new Set();
  }
  const [a, b, c, d, e, f, g, h] = padded(done.map((x) => x.id));
  await sql(db).execute`UPDATE "UpdateClaim" SET "doneAt" = ${at} WHERE "updateId" IN (${a}, ${b}, ${c}, ${d}, ${e}, ${f}, ${g}, ${h})`;
  return new Set();
});

export async function claimUpdate(db: Db, updateId: number, now: Date = new Date(), staleMs = STALE_CLAIM_MS): Promise<ClaimResult> {
  const id = BigInt(updateId);
  // grouped with the other claims of this turn; of two deliveries of one id in a group, only the first may take it
  const group = await insertClaims(db, { id, at: now });
  if (group.delete(id)) return "claimed";
  for (let attempt = 0; attempt < 2; attempt++) {
    const row = await db.updateClaim.findUnique({ where: { updateId: id } });
    if (!row) {
      // released meanwhile: try to claim again
      const inserted = await sql(db).execute`INSERT INTO "UpdateClaim" ("updateId", "claimedAt") VALUES (${id}, ${now}) ON CONFLICT ("updateId") DO NOTHING`;
      if (inserted === 1) return "claimed";
      continue;
    }
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
  await markDone(db, { id: BigInt(updateId), at: now });
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
