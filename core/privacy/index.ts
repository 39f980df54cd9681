/**
 * Personal data duties (Law 91/2025/QH15 on personal data protection and Decree 356/2025/NĐ-CP,
 * in force since 1/1/2026): the notice and consent, the data subject's access and erasure
 * requests (bot /dulieu, /xoadulieu; cli privacy export|erase) and retention.
 *
 * Erasure keeps the User row (anonymized), because a unit's reports belong to the unit: answers
 * (answeredById), reports (submittedById), revisions (userId) and reminders keep pointing at the
 * anonymized row, which holds no name, phone or Telegram id. Memberships, the official role,
 * sessions, conversation state and pending phone bindings are removed; audit entries that named
 * the phone or Telegram id have those values replaced. A new AuditLog entry records the request
 * with the internal user id only.
 */
import type { Db } from "../db/client.ts";
import { looksLikePhone, normalizePhone } from "../units/phone.ts";
import { fold } from "../text.ts";

/** Bump when the notice's content changes: everyone is asked again. Never shown as a code. */
export const NOTICE_VERSION = "1";

/** Placeholder Telegram id of an erased user (unique, never a real Telegram id: not all digits). */
export const erasedTelegramId = (userId: number) => `erased-${userId}`;

export type ConsentState =
  | { state: "none" }
  | { state: "accepted" | "declined"; noticeVersion: string; at: Date; current: boolean };

/** The user's latest, not withdrawn, decision (current = for the notice version in force). */
export async function consentOf(db: Db, userId: number): Promise<ConsentState> {
  const c = await db.consent.findFirst({ where: { userId, withdrawnAt: null }, orderBy: [{ at: "desc" }, { id: "desc" }] });
  if (!c) return { state: "none" };
  return { state: c.decision as "accepted" | "declined", noticeVersion: c.noticeVersion, at: c.at, current: c.noticeVersion === NOTICE_VERSION };
}

/** True when the user accepted the notice version in force. */
export async function hasConsent(db: Db, userId: number): Promise<boolean> {
  const c = await consentOf(db, userId);
  return c.state === "accepted" && c.current;
}

/** True when the user has not decided on the notice version in force (show the notice). */
export async function needsNotice(db: Db, userId: number): Promise<boolean> {
  const c = await consentOf(db, userId);
  return c.state === "none" || !c.current;
}

/**
 * A decision on the notice typed instead of tapped ("Đồng ý", "dong y a", "tôi không đồng ý", "ko đồng ý"):
 * the whole message must be the decision, so a question that merely contains the words is not one.
 */
export function typedConsent(text: string): "accepted" | "declined" | null {
  const t = fold(text).replace(/[.!,;:)(]+/g, " ").replace(/\s+/g, " ").trim();
  const m = /^(?:(?:toi|em|minh|con|chau) )?(khong |ko |k |chua )?(?:dong y|chap nhan|chap thuan)(?: (?:a|nhe|nha|voi thong bao|thong bao))?$/.exec(t);
  if (!m) return null;
  return m[1] ? "declined" : "accepted";
}

/**
 * Record a decision on the current notice. A citizen who declines keeps only the Telegram id (needed
 * to answer the chat): the stored first name is dropped. `registered`: the user serves a unit or has a role.
 */
export async function recordConsent(
  db: Db,
  userId: number,
  decision: "accepted" | "declined",
  now: Date = new Date(),
): Promise<{ registered: boolean }> {
  return db.$transaction(async (tx) => {
    await tx.consent.create({ data: { userId, noticeVersion: NOTICE_VERSION, decision, at: now } });
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, include: { memberships: true } });
    const registered = user.memberships.length > 0 || user.role !== "citizen";
    if (decision === "declined" && !registered) await tx.user.update({ where: { id: userId }, data: { name: null } });
    await tx.auditLog.create({
      data: { actorId: userId, action: `privacy.consent_${decision}`, entity: "User", entityId: String(userId), details: JSON.stringify({ noticeVersion: NOTICE_VERSION }), at: now },
    });
    return { registered };
  });
}

/** Remember that the user was active (at most one write per hour). */
export async function touchUser(db: Db, user: { id: number; lastSeenAt: Date | null }, now: Date = new Date()): Promise<void> {
  if (user.lastSeenAt && now.getTime() - user.lastSeenAt.getTime() < 3_600_000) return;
  await db.user.update({ where: { id: user.id }, data: { lastSeenAt: now } });
  user.lastSeenAt = now;
}

export interface PersonalData {
  userId: number;
  telegramId: string;
  name: string | null;
  phone: string | null;
  role: string;
  officialOf: string | null;
  units: Array<{ name: string; role: string }>;
  consent: ConsentState;
  /** answers to report questions this person gave (the answers belong to the units) */
  answersGiven: number;
  /** report submissions and edits this person made */
  submissions: number;
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** What the bot holds about one person (never other people's data). */
export async function personalDataOf(db: Db, userId: number): Promise<PersonalData | null> {
  const user = await db.user.findUnique({ where: { id: userId }, include: { memberships: { include: { unit: true } } } });
  if (!user || user.erasedAt) return null;
  const official = user.officialUnitId ? await db.unit.findUnique({ where: { id: user.officialUnitId } }) : null;
  const [answersGiven, submissions, consent] = await Promise.all([
    db.answer.count({ where: { answeredById: userId } }),
    db.reportRevision.count({ where: { userId } }),
    consentOf(db, userId),
  ]);
  return {
    userId: user.id,
    telegramId: user.telegramId,
    name: user.name,
    phone: user.phone,
    role: user.role,
    officialOf: official?.name ?? null,
    units: user.memberships.map((m) => ({ name: m.unit.name, role: m.role })).sort((a, b) => a.name.localeCompare(b.name, "vi")),
    consent,
    answersGiven,
    submissions,
    createdAt: user.createdAt,
    lastSeenAt: user.lastSeenAt,
  };
}

export type FindPersonResult =
  | { status: "ok"; userId: number }
  | { status: "not_found" }
  | { status: "invalid" }
  | { status: "ambiguous"; count: number };

/** The user behind a Telegram id (digits) or a phone number, for the admin CLI. */
export async function findPerson(db: Db, who: string): Promise<FindPersonResult> {
  const input = who.trim();
  if (looksLikePhone(input)) {
    const phone = normalizePhone(input);
    if (!phone) return { status: "invalid" };
    const users = await db.user.findMany({ where: { phone, erasedAt: null }, select: { id: true } });
    if (users.length === 0) return { status: "not_found" };
    if (users.length > 1) return { status: "ambiguous", count: users.length };
    return { status: "ok", userId: users[0]!.id };
  }
  if (!/^\d{3,20}$/.test(input)) return { status: "invalid" };
  const user = await db.user.findUnique({ where: { telegramId: input } });
  return user && !user.erasedAt ? { status: "ok", userId: user.id } : { status: "not_found" };
}

export type ErasureReason = "self" | "admin" | "retention";

export interface ErasureResult {
  erased: boolean;
  /** reports/answers kept for the units, now without the person */
  answersKept: number;
  membershipsRemoved: number;
}

const REDACTED = "[đã xóa]";

/**
 * Erase (anonymize) one person's data. Idempotent: an already erased user gives erased=false.
 * Runs in one transaction; the AuditLog entry carries the internal id and the reason only.
 */
export async function eraseUser(
  db: Db,
  userId: number,
  options: { reason: ErasureReason; actorId?: number | null; now?: Date },
): Promise<ErasureResult> {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user || user.erasedAt) return { erased: false, answersKept: 0, membershipsRemoved: 0 };
    const { telegramId, phone } = user;
    const removed = await tx.membership.deleteMany({ where: { userId } });
    // a private chat's id is the user's Telegram id: its session and conversation state go too
    await tx.session.deleteMany({ where: { key: { in: [`s:${telegramId}`, `c:${telegramId}`] } } });
    await tx.reportCursor.deleteMany({ where: { userId } });
    await tx.consent.updateMany({ where: { userId, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (phone) {
      // the focal phone an official imported for this person, and pending official bindings by phone
      await tx.unit.updateMany({ where: { focalPhone: phone }, data: { focalPhone: null, focalName: null } });
      await tx.invite.deleteMany({ where: { code: { startsWith: `phone:${phone}:` }, usedByUserId: null } });
    }
    // earlier audit entries that named the phone or Telegram id keep their event, not the values
    // (only whole JSON string values: "0900000101", "123456789", never a digit run inside another value)
    for (const value of [phone, telegramId].filter((v): v is string => !!v)) {
      const quoted = JSON.stringify(value);
      const entries = await tx.auditLog.findMany({ where: { details: { contains: quoted } }, select: { id: true, details: true } });
      for (const e of entries) {
        await tx.auditLog.update({ where: { id: e.id }, data: { details: e.details!.split(quoted).join(JSON.stringify(REDACTED)) } });
      }
    }
    await tx.user.update({
      where: { id: userId },
      data: { telegramId: erasedTelegramId(userId), name: null, phone: null, role: "citizen", officialUnitId: null, reachable: false, erasedAt: now },
    });
    const answersKept = await tx.answer.count({ where: { answeredById: userId } });
    await tx.auditLog.create({
      data: {
        at: now,
        actorId: options.actorId ?? null,
        action: "privacy.erase",
        entity: "User",
        entityId: String(userId),
        details: JSON.stringify({ reason: options.reason, membershipsRemoved: removed.count, answersKept }),
      },
    });
    return { erased: true, answersKept, membershipsRemoved: removed.count };
  });
}

export interface RetentionResult {
  cutoff: Date;
  /** internal ids of the users whose data was (or, in a dry run, would be) anonymized */
  userIds: number[];
  dryRun: boolean;
}

/**
 * Anonymize the personal data of users inactive for `days` days: last seen (or, never seen, created)
 * before the cutoff, and no answer or submission of theirs since. `keepTelegramIds` (the configured
 * admins) are never touched.
 */
export async function applyRetention(
  db: Db,
  options: { days: number; now?: Date; dryRun?: boolean; keepTelegramIds?: string[] },
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.days * 86_400_000);
  const users = await db.user.findMany({
    where: {
      erasedAt: null,
      telegramId: { notIn: options.keepTelegramIds ?? [] },
      OR: [{ lastSeenAt: { lt: cutoff } }, { lastSeenAt: null, createdAt: { lt: cutoff } }],
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  // activity before lastSeenAt existed: answers given and submissions made after the cutoff count too
  const candidates = users.map((u) => u.id);
  const [answered, submitted] = await Promise.all([
    db.answer.findMany({ where: { answeredById: { in: candidates }, updatedAt: { gte: cutoff } }, select: { answeredById: true }, distinct: ["answeredById"] }),
    db.reportRevision.findMany({ where: { userId: { in: candidates }, createdAt: { gte: cutoff } }, select: { userId: true }, distinct: ["userId"] }),
  ]);
  const active = new Set([...answered.map((a) => a.answeredById), ...submitted.map((r) => r.userId)]);
  const userIds = candidates.filter((id) => !active.has(id));
  if (!options.dryRun) {
    for (const id of userIds) await eraseUser(db, id, { reason: "retention", now });
  }
  return { cutoff, userIds, dryRun: !!options.dryRun };
}
