/**
 * The Telegram user behind an update: found (or created on first contact) on every update, so it
 * runs plain SQL for the common case. The bot's layer calls this; it never queries users itself.
 */
import type { Db } from "./db/client.ts";
import { sql } from "./db/sql.ts";
import { effectivePlanId } from "./units/tree.ts";
import { cursorFromPrefixed, type Cursor, type PrefixedCursor } from "./reporting/steps.ts";

export type DbUser = Awaited<ReturnType<Db["user"]["findUniqueOrThrow"]>>;

/**
 * The user with this Telegram id, created with only the id on first contact (the name comes with
 * registration). An admin id gets the admin role; a user seen again is reachable again.
 */
export async function userForTelegram(db: Db, telegramId: string, { isAdmin }: { isAdmin: boolean }): Promise<DbUser> {
  // plain SQL: this runs on every update
  const [user] = await sql(db).query<DbUser>`SELECT * FROM "User" WHERE "telegramId" = ${telegramId}`;
  if (!user) return db.user.create({ data: { telegramId, role: isAdmin ? "admin" : "citizen" } });
  if ((isAdmin && user.role !== "admin") || !user.reachable) {
    return db.user.update({ where: { id: user.id }, data: { reachable: true, ...(isAdmin ? { role: "admin" } : {}) } });
  }
  return user;
}

/**
 * userForTelegram, and the Session row `sessionKey` read in the same statement (every update needs
 * both: one query instead of two). `session` is the stored JSON, undefined when there is none.
 */
export async function userAndSessionForTelegram(
  db: Db,
  telegramId: string,
  sessionKey: string,
  { isAdmin }: { isAdmin: boolean },
): Promise<{ user: DbUser; session: string | undefined }> {
  const [row] = await sql(db).query<Partial<DbUser> & { one__?: unknown; session__: string | null }>`
    SELECT u.*, s."value" AS "session__" FROM (SELECT 1 AS "one__") x
    LEFT JOIN "User" u ON u."telegramId" = ${telegramId} LEFT JOIN "Session" s ON s."key" = ${sessionKey}`;
  const session = row?.session__ ?? undefined;
  if (!row || row.id == null) return { user: await db.user.create({ data: { telegramId, role: isAdmin ? "admin" : "citizen" } }), session };
  const { one__: _one, session__: _session, ...found } = row;
  const user = found as DbUser;
  if ((isAdmin && user.role !== "admin") || !user.reachable) {
    return { user: await db.user.update({ where: { id: user.id }, data: { reachable: true, ...(isAdmin ? { role: "admin" } : {}) } }), session };
  }
  return { user, session };
}

/**
 * userAndSessionForTelegram, and also the chat's report cursor with whether this user is a member of
 * its report's unit (as readCursorOf returns them), in the same statement: a typed answer needs all
 * three (one statement instead of two). `cursor` is undefined when the user was created or changed
 * here (read it again then); { cursor: null } when the chat has no report open.
 */
export async function userSessionAndCursorForTelegram(
  db: Db,
  telegramId: string,
  sessionKey: string,
  chatId: string,
  { isAdmin }: { isAdmin: boolean },
): Promise<{ user: DbUser; session: string | undefined; cursor?: { cursor: Cursor | null; member: boolean } }> {
  const [row] = await sql(db).query<Partial<DbUser> & PrefixedCursor & { session__: string | null }>`
    SELECT u.*, s."value" AS "session__",
      c."chatId" AS "c__chatId", c."userId" AS "c__userId", c."reportId" AS "c__reportId", c."code" AS "c__code", c."awaiting" AS "c__awaiting",
      c."pass" AS "c__pass", c."value" AS "c__value", c."version" AS "c__version", c."seq" AS "c__seq", c."updateId" AS "c__updateId",
      EXISTS (SELECT 1 FROM "Membership" m JOIN "Report" r ON r."unitId" = m."unitId" WHERE r."id" = c."reportId" AND m."userId" = u."id") AS "member__"
    FROM (SELECT 1 AS "one__") x
    LEFT JOIN "User" u ON u."telegramId" = ${telegramId} LEFT JOIN "Session" s ON s."key" = ${sessionKey} LEFT JOIN "ReportCursor" c ON c."chatId" = ${chatId}`;
  const session = row?.session__ ?? undefined;
  if (!row || row.id == null) return { user: await db.user.create({ data: { telegramId, role: isAdmin ? "admin" : "citizen" } }), session };
  // the user's columns, copied (no `delete`: an object that lost keys turns slow)
  const found: Record<string, unknown> = {};
  for (const k in row) if (!k.startsWith("c__") && k !== "member__" && k !== "session__") found[k] = (row as Record<string, unknown>)[k];
  const user = found as unknown as DbUser;
  if ((isAdmin && user.role !== "admin") || !user.reachable) {
    return { user: await db.user.update({ where: { id: user.id }, data: { reachable: true, ...(isAdmin ? { role: "admin" } : {}) } }), session };
  }
  return { user, session, cursor: cursorFromPrefixed(row) };
}

/** The plan of the user's own locality (their unit's, else their node's), to prefer in answers. */
export async function localPlanOf(db: Db, user: Pick<DbUser, "id" | "officialUnitId">): Promise<string | undefined> {
  const unit =
    (await db.unit.findFirst({ where: { memberships: { some: { userId: user.id } } } })) ??
    (user.officialUnitId ? await db.unit.findUnique({ where: { id: user.officialUnitId } }) : null);
  return unit ? ((await effectivePlanId(db, unit)) ?? undefined) : undefined;
}
