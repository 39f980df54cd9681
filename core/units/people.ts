/**
 * People and their units: invites, registration by phone, officials, and what each user may see.
 *
 *   const inv = await createInvite(db, "TH-HOAMAI");               // { status: "ok", code: "k3j9x2m4qa", … }
 *   await redeemInvite(db, inv.code, { id: "123456", name: "Cô Lan" }); // { status: "ok", user, unit, role: "focal" }
 *   await registerByPhone(db, { id: "123456" }, "+84 900 000 001");    // binds every unit with that focal phone
 *   await addOfficial(db, "0900000099", "XA-TANKY");                   // pending until that phone registers
 *   await scopeOf(db, user)   // { role: "official", unitCodes: [], under: "XA-TANKY" }
 *
 * Roles: a focal point (or deputy) serves one or more units; an official oversees a node of the
 * hierarchy (officialUnitId); an admin sees everything; anyone else is a citizen.
 * A user's `role` is the highest they hold (admin > official > focal > citizen); memberships are kept
 * whatever the role, so an official may also report for a school.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.ts";
import { looksLikePhone, normalizePhone } from "./phone.ts";
import { findUnit, normalizeUnitCode, type Unit } from "./tree.ts";
import { officialScope } from "../officials/access.ts";
import { echo } from "../text.ts";

type User = Awaited<ReturnType<Db["user"]["findUniqueOrThrow"]>>;
export type { User, Unit };

export type UserRole = "citizen" | "focal" | "official" | "admin";
export type InviteRole = "focal" | "deputy" | "official" | "admin";
export const INVITE_ROLES: readonly InviteRole[] = ["focal", "deputy", "official", "admin"];

export interface TelegramUser {
  /** Telegram user id, as a string (ids exceed 32 bits). */
  id: string;
  name?: string;
}

const RANK: Record<UserRole, number> = { citizen: 0, focal: 1, official: 2, admin: 3 };

/** The higher of two roles. */
export function higherRole(a: string, b: UserRole): UserRole {
  const current = (a in RANK ? a : "citizen") as UserRole;
  return RANK[current] >= RANK[b] ? current : b;
}

/** Telegram's start parameter: 1–64 characters of A–Z, a–z, 0–9, _ and -. */
export const START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Demo invites (seeded by `seed`) start with this prefix and are reusable: anyone trying the demo
 * may redeem them any number of times. The Invite model has no "reusable" flag, so the prefix is the mark.
 */
export const DEMO_INVITE_PREFIX = "demo_";

/**
 * Pending official bindings by phone are stored as Invites whose code is "phone:<0xxxxxxxxx>:<unit code>".
 * The ":" can never be a Telegram start payload, so such a code cannot be redeemed by a deep link;
 * it is consumed by registerByPhone when that phone registers.
 */
const PENDING_PHONE_PREFIX = "phone:";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** A short unguessable code: `length` base32 characters (5 random bits each) from crypto. */
export function newInviteCode(length = 10): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

/** The t.me deep link for an invite code. */
export function inviteLink(botUsername: string, code: string): string {
  return `https://t.me/${botUsername.replace(/^@/, "")}?start=${code}`;
}

async function audit(db: Db, actorId: number | null, action: string, entity: string, entityId: string, details: object) {
  await db.auditLog.create({ data: { actorId, action, entity, entityId, details: JSON.stringify(details) } });
}

export type CreateInviteResult =
  | { status: "ok"; code: string; role: InviteRole; unit: Unit }
  | { status: "unit_not_found"; unitCode: string }
  | { status: "bad_role"; role: string };

/**
 * Create a single-use invite for a unit. `code` may be given (it must be a valid start payload);
 * otherwise a random 10-character code is made. Codes are lower-case; redeeming is case-insensitive.
 */
export async function createInvite(
  db: Db,
  unitCode: string,
  role: string = "focal",
  options: { actorId?: number | null; code?: string } = {},
): Promise<CreateInviteResult> {
  if (!INVITE_ROLES.includes(role as InviteRole)) return { status: "bad_role", role };
  const unit = await findUnit(db, unitCode);
  if (!unit) return { status: "unit_not_found", unitCode: normalizeUnitCode(unitCode) };
  const code = (options.code ?? newInviteCode()).toLowerCase();
  // a caller's mistake (no user types this code: the CLI never passes one), so not worded for users
  if (!START_PAYLOAD.test(code)) throw new Error(`invalid invite code "${echo(code)}": use a-z, 0-9, _ and -, at most 64 characters`);
  await db.invite.create({ data: { code, unitId: unit.id, role } });
  await audit(db, options.actorId ?? null, "invite.create", "Invite", code, { unit: unit.code, role });
  return { status: "ok", code, role: role as InviteRole, unit };
}

export type RedeemResult =
  | { status: "ok"; user: User; unit: Unit; role: InviteRole }
  | { status: "used" }
  | { status: "unknown" };

/**
 * Redeem an invite for a Telegram user: creates or updates the user, then adds a focal/deputy
 * membership, or makes them an official of the unit, or an admin. Single use (demo_ codes excepted);
 * the same user redeeming their own invite again gets "ok" again (they clicked the link twice).
 */
export async function redeemInvite(db: Db, rawCode: string, telegramUser: TelegramUser): Promise<RedeemResult> {
  const code = rawCode.trim().toLowerCase();
  if (!START_PAYLOAD.test(code)) return { status: "unknown" };
  return db.$transaction(async (tx) => {
    const t = tx as unknown as Db;
    const invite = await t.invite.findUnique({ where: { code }, include: { unit: true } });
    if (!invite) return { status: "unknown" } as const;
    const reusable = code.startsWith(DEMO_INVITE_PREFIX);
    const existing = await t.user.findUnique({ where: { telegramId: telegramUser.id } });
    if (invite.usedByUserId !== null && !reusable && invite.usedByUserId !== existing?.id) return { status: "used" } as const;
    if (!reusable && invite.usedByUserId === null) {
      // Claim atomically: a concurrent redemption of the same code loses.
      const claimed = await t.invite.updateMany({ where: { code, usedByUserId: null }, data: { usedAt: new Date(), usedByUserId: -1 } });
      if (claimed.count === 0) return { status: "used" } as const;
    }
    const role = invite.role as InviteRole;
    const user = await applyRole(t, telegramUser, existing, invite.unit, role);
    await t.invite.update({ where: { code }, data: { usedByUserId: user.id, usedAt: new Date() } });
    await audit(t, user.id, "invite.redeem", "Invite", code, { unit: invite.unit.code, role, telegramId: telegramUser.id });
    return { status: "ok", user, unit: invite.unit, role } as const;
  });
}

/** Create/update the user and give them `role` on `unit`. */
async function applyRole(db: Db, tg: TelegramUser, existing: User | null, unit: Unit, role: InviteRole): Promise<User> {
  const userRole: UserRole = role === "deputy" ? "focal" : role;
  const user = existing
    ? await db.user.update({
        where: { id: existing.id },
        data: { role: higherRole(existing.role, userRole), reachable: true, ...(tg.name ? { name: tg.name } : {}) },
      })
    : await db.user.create({ data: { telegramId: tg.id, name: tg.name ?? null, role: userRole, reachable: true } });
  if (role === "focal" || role === "deputy") {
    await db.membership.upsert({
      where: { userId_unitId: { userId: user.id, unitId: unit.id } },
      create: { userId: user.id, unitId: unit.id, role },
      update: { role },
    });
    return user;
  }
  if (role === "official" || (role === "admin" && user.officialUnitId === null)) {
    return db.user.update({ where: { id: user.id }, data: { officialUnitId: unit.id } });
  }
  return user;
}

export type RegisterResult =
  | { status: "ok"; user: User; units: Unit[]; officialOf: Unit | null }
  | { status: "not_found"; phone: string }
  | { status: "invalid_phone" };

/**
 * Register a Telegram user by the phone number they shared. Binds them as focal point of EVERY unit
 * whose focal phone matches (one person may serve several units), and activates a pending official
 * binding made by `officials add <phone>`. Only pass a phone from the user's own shared contact
 * (Telegram's contact.user_id === from.id): the phone is the proof of identity here.
 */
export async function registerByPhone(db: Db, telegramUser: TelegramUser, phone: string): Promise<RegisterResult> {
  const normalized = normalizePhone(phone);
  if (!normalized) return { status: "invalid_phone" };
  return db.$transaction(async (tx) => {
    const t = tx as unknown as Db;
    const units = await t.unit.findMany({ where: { focalPhone: normalized }, orderBy: { code: "asc" } });
    const pending = await t.invite.findMany({
      where: { code: { startsWith: `${PENDING_PHONE_PREFIX}${normalized}:` }, usedByUserId: null },
      include: { unit: true },
      orderBy: { createdAt: "desc" },
    });
    if (units.length === 0 && pending.length === 0) return { status: "not_found", phone: normalized } as const;
    const existing = await t.user.findUnique({ where: { telegramId: telegramUser.id } });
    let user = existing
      ? await t.user.update({
          where: { id: existing.id },
          data: { phone: normalized, reachable: true, ...(telegramUser.name ? { name: telegramUser.name } : {}) },
        })
      : await t.user.create({ data: { telegramId: telegramUser.id, name: telegramUser.name ?? null, phone: normalized } });
    for (const unit of units) user = await applyRole(t, telegramUser, user, unit, "focal");
    let officialOf: Unit | null = null;
    for (const p of pending) {
      user = await applyRole(t, telegramUser, user, p.unit, "official");
      officialOf ??= p.unit;
      await t.invite.update({ where: { code: p.code }, data: { usedByUserId: user.id, usedAt: new Date() } });
    }
    // applyRole with "official" sets officialUnitId to the last one applied; keep the newest binding.
    if (officialOf) user = await t.user.update({ where: { id: user.id }, data: { officialUnitId: officialOf.id } });
    await audit(t, user.id, "user.register_phone", "User", String(user.id), {
      phone: normalized,
      units: units.map((u) => u.code),
      officialOf: officialOf?.code ?? null,
    });
    return { status: "ok", user, units, officialOf } as const;
  });
}

export type AddOfficialResult =
  | { status: "ok"; user: User; unit: Unit }
  | { status: "pending"; phone: string; unit: Unit }
  | { status: "unit_not_found"; unitCode: string }
  | { status: "invalid"; input: string };

/**
 * Make someone an official of a unit (`cli officials add`). Input is a Telegram id (digits) or a phone
 * (starts with 0 or +, or has spaces/dots). A phone with no user yet becomes a pending binding that
 * activates when that phone registers (see registerByPhone); a Telegram id with no user yet creates the
 * user (reachable = false until they press Start).
 */
export async function addOfficial(
  db: Db,
  telegramIdOrPhone: string,
  unitCode: string,
  options: { actorId?: number | null } = {},
): Promise<AddOfficialResult> {
  const unit = await findUnit(db, unitCode);
  if (!unit) return { status: "unit_not_found", unitCode: normalizeUnitCode(unitCode) };
  const input = telegramIdOrPhone.trim();
  const actorId = options.actorId ?? null;
  if (looksLikePhone(input)) {
    const phone = normalizePhone(input);
    if (!phone) return { status: "invalid", input };
    const byPhone = await db.user.findFirst({ where: { phone } });
    if (!byPhone) {
      const code = `${PENDING_PHONE_PREFIX}${phone}:${unit.code}`;
      await db.invite.upsert({
        where: { code },
        create: { code, unitId: unit.id, role: "official" },
        update: { usedByUserId: null, usedAt: null },
      });
      await audit(db, actorId, "official.pending", "Unit", unit.code, { phone });
      return { status: "pending", phone, unit };
    }
    const user = await db.user.update({
      where: { id: byPhone.id },
      data: { role: higherRole(byPhone.role, "official"), officialUnitId: unit.id },
    });
    await audit(db, actorId, "official.add", "User", String(user.id), { unit: unit.code, phone });
    return { status: "ok", user, unit };
  }
  if (!/^\d{3,20}$/.test(input)) return { status: "invalid", input };
  const existing = await db.user.findUnique({ where: { telegramId: input } });
  const user = existing
    ? await db.user.update({ where: { id: existing.id }, data: { role: higherRole(existing.role, "official"), officialUnitId: unit.id } })
    : await db.user.create({ data: { telegramId: input, role: "official", officialUnitId: unit.id, reachable: false } });
  await audit(db, actorId, "official.add", "User", String(user.id), { unit: unit.code, telegramId: input });
  return { status: "ok", user, unit };
}

/** The units a user serves as focal point or deputy, ordered by code. */
export async function unitsOf(db: Db, userId: number): Promise<Array<{ unit: Unit; role: "focal" | "deputy" }>> {
  const ms = await db.membership.findMany({ where: { userId }, include: { unit: true } });
  return ms
    .map((m) => ({ unit: m.unit, role: m.role === "deputy" ? ("deputy" as const) : ("focal" as const) }))
    .sort((a, b) => a.unit.code.localeCompare(b.unit.code));
}

export interface Scope {
  role: UserRole;
  /** Units the user reports for (focal point or deputy). */
  unitCodes: string[];
  /**
   * For an official or admin: the code of the node they oversee (they see its whole subtree) —
   * exactly core/officials/access.ts officialScope (an admin with no node: the first root unit).
   */
  under: string | null;
}

/** What a user may see and do. Unknown users are citizens with no units. */
export async function scopeOf(db: Db, user: Pick<User, "id"> | null | undefined): Promise<Scope> {
  if (!user) return { role: "citizen", unitCodes: [], under: null };
  const u = await db.user.findUnique({ where: { id: user.id } });
  if (!u) return { role: "citizen", unitCodes: [], under: null };
  const units = await unitsOf(db, u.id);
  const role = (u.role in RANK ? u.role : "citizen") as UserRole;
  const under = (await officialScope(db, u))?.root.code ?? null;
  return { role, unitCodes: units.map((x) => x.unit.code), under };
}
