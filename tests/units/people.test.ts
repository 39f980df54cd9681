import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importUnits } from "../../core/units/import.ts";
import {
  addOfficial,
  createInvite,
  inviteLink,
  newInviteCode,
  redeemInvite,
  registerByPhone,
  scopeOf,
  START_PAYLOAD,
  unitsOf,
} from "../../core/units/people.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

/** A small fictional tree; Người Thử Ba (0900000403) is the focal point of two schools. */
const ROWS = [
  { code: "SO-P", name: "Sở GDĐT P (giả lập)", level: "Sở GDĐT" },
  { code: "XA-P", name: "UBND xã P (giả lập)", level: "UBND xã", parent_code: "SO-P" },
  { code: "TH-P", name: "Trường Tiểu học P (giả lập)", level: "Tiểu học", parent_code: "XA-P", focal_name: "Người Thử Ba", focal_phone: "0900000403" },
  { code: "MN-P", name: "Trường Mầm non P (giả lập)", level: "Mầm non", parent_code: "XA-P", focal_name: "Người Thử Ba", focal_phone: "+84 900 000 403" },
  { code: "THCS-P", name: "Trường THCS P (giả lập)", level: "THCS", parent_code: "XA-P", focal_name: "Người Thử Bốn", focal_phone: "0900000404" },
];

describe("invite codes", () => {
  it("are 10 random base32 characters, valid Telegram start payloads, and differ", () => {
    const codes = new Set(Array.from({ length: 200 }, () => newInviteCode()));
    expect(codes.size).toBe(200);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-7]{10}$/);
      expect(START_PAYLOAD.test(c)).toBe(true);
    }
    expect(inviteLink("@demo_bot", "abc")).toBe("https://t.me/demo_bot?start=abc");
  });
});

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`people (${target})`, () => {
    let t: TestDb;
    beforeEach(async () => {
      t = await freshDb(target);
      const r = await importUnits(t.db, ROWS);
      expect(r.ok).toBe(true);
    });
    afterEach(() => t.close());

    it("redeems a focal invite once; a second person is refused; the same person again is fine", async () => {
      const inv = await createInvite(t.db, "th-p");
      if (inv.status !== "ok") throw new Error(inv.status);
      expect(inv.unit.code).toBe("TH-P");
      const r = await redeemInvite(t.db, inv.code.toUpperCase(), { id: "1001", name: "Cô Thử" });
      expect(r.status).toBe("ok");
      if (r.status !== "ok") return;
      expect(r).toMatchObject({ role: "focal", unit: { code: "TH-P" }, user: { telegramId: "1001", role: "focal", name: "Cô Thử" } });
      expect((await unitsOf(t.db, r.user.id)).map((x) => [x.unit.code, x.role])).toEqual([["TH-P", "focal"]]);
      expect(await redeemInvite(t.db, inv.code, { id: "1002" })).toEqual({ status: "used" });
      expect((await redeemInvite(t.db, inv.code, { id: "1001" })).status).toBe("ok");
      expect(await redeemInvite(t.db, "khongcoma", { id: "1002" })).toEqual({ status: "unknown" });
      expect(await redeemInvite(t.db, "bad code!", { id: "1002" })).toEqual({ status: "unknown" });
      expect(await t.db.auditLog.count({ where: { action: "invite.redeem" } })).toBe(2);
      expect(await t.db.user.count({ where: { telegramId: "1002" } })).toBe(0);
    });

    it("refuses an invite for an unknown unit or role", async () => {
      expect(await createInvite(t.db, "KHONG-CO")).toEqual({ status: "unit_not_found", unitCode: "KHONG-CO" });
      expect(await createInvite(t.db, "TH-P", "boss")).toEqual({ status: "bad_role", role: "boss" });
    });

    it("a deputy invite adds a deputy membership next to the focal point", async () => {
      const focal = await createInvite(t.db, "TH-P", "focal");
      const deputy = await createInvite(t.db, "TH-P", "deputy");
      if (focal.status !== "ok" || deputy.status !== "ok") throw new Error("invite");
      await redeemInvite(t.db, focal.code, { id: "2001" });
      const r = await redeemInvite(t.db, deputy.code, { id: "2002" });
      expect(r).toMatchObject({ status: "ok", role: "deputy", user: { role: "focal" } });
      const ms = await t.db.membership.findMany({ where: { unit: { code: "TH-P" } }, include: { user: true }, orderBy: { id: "asc" } });
      expect(ms.map((m) => [m.user.telegramId, m.role])).toEqual([["2001", "focal"], ["2002", "deputy"]]);
    });

    it("an official invite binds the user to a node; scopeOf shows it", async () => {
      const inv = await createInvite(t.db, "XA-P", "official");
      if (inv.status !== "ok") throw new Error(inv.status);
      const r = await redeemInvite(t.db, inv.code, { id: "3001" });
      if (r.status !== "ok") throw new Error(r.status);
      expect(r.user).toMatchObject({ role: "official", officialUnitId: inv.unit.id });
      expect(await scopeOf(t.db, r.user)).toEqual({ role: "official", unitCodes: [], under: "XA-P" });
    });

    it("an admin invite makes an admin; unknown users are citizens", async () => {
      const inv = await createInvite(t.db, "SO-P", "admin");
      if (inv.status !== "ok") throw new Error(inv.status);
      const r = await redeemInvite(t.db, inv.code, { id: "4001" });
      if (r.status !== "ok") throw new Error(r.status);
      expect(await scopeOf(t.db, r.user)).toEqual({ role: "admin", unitCodes: [], under: "SO-P" });
      expect(await scopeOf(t.db, null)).toEqual({ role: "citizen", unitCodes: [], under: null });
      expect(await scopeOf(t.db, { id: 99999 })).toEqual({ role: "citizen", unitCodes: [], under: null });
    });

    it("register by phone binds every unit of that focal point, whatever the phone format", async () => {
      for (const [i, phone] of ["84900000403", "+84 900 000 403", "0900.000.403", "0900 000 403"].entries()) {
        const r = await registerByPhone(t.db, { id: `500${i}`, name: "Người Thử Ba" }, phone);
        if (r.status !== "ok") throw new Error(`${phone}: ${r.status}`);
        expect(r.units.map((u) => u.code)).toEqual(["MN-P", "TH-P"]);
        expect(r.user).toMatchObject({ role: "focal", phone: "0900000403" });
        expect(await scopeOf(t.db, r.user)).toEqual({ role: "focal", unitCodes: ["MN-P", "TH-P"], under: null });
      }
      expect(await registerByPhone(t.db, { id: "5100" }, "0900000499")).toEqual({ status: "not_found", phone: "0900000499" });
      expect(await registerByPhone(t.db, { id: "5100" }, "12")).toEqual({ status: "invalid_phone" });
      expect(await t.db.user.count({ where: { telegramId: "5100" } })).toBe(0);
    });

    it("one person serves two units through two invites", async () => {
      const a = await createInvite(t.db, "TH-P");
      const b = await createInvite(t.db, "THCS-P");
      if (a.status !== "ok" || b.status !== "ok") throw new Error("invite");
      await redeemInvite(t.db, a.code, { id: "6001" });
      const r = await redeemInvite(t.db, b.code, { id: "6001" });
      if (r.status !== "ok") throw new Error(r.status);
      expect((await scopeOf(t.db, r.user)).unitCodes).toEqual(["TH-P", "THCS-P"]);
      expect(await t.db.user.count()).toBe(1);
    });

    it("officials add: by Telegram id at once; by phone pending until that phone registers", async () => {
      const byId = await addOfficial(t.db, "7001", "so-p");
      expect(byId).toMatchObject({ status: "ok", user: { telegramId: "7001", role: "official", reachable: false } });
      const user7001 = await t.db.user.findUniqueOrThrow({ where: { telegramId: "7001" } });
      expect((await scopeOf(t.db, user7001)).under).toBe("SO-P");

      const pending = await addOfficial(t.db, "+84 900 000 488", "XA-P");
      expect(pending).toMatchObject({ status: "pending", phone: "0900000488" });
      // the pending binding cannot be redeemed as a deep link
      expect(await redeemInvite(t.db, "phone:0900000488:XA-P", { id: "9" })).toEqual({ status: "unknown" });
      const r = await registerByPhone(t.db, { id: "7002", name: "Cán bộ Thử" }, "0900000488");
      if (r.status !== "ok") throw new Error(r.status);
      expect(r.units).toEqual([]);
      expect(r.officialOf?.code).toBe("XA-P");
      expect(await scopeOf(t.db, r.user)).toEqual({ role: "official", unitCodes: [], under: "XA-P" });

      // a phone of an already registered user binds at once; focal memberships stay
      await registerByPhone(t.db, { id: "7003" }, "0900000404");
      const now = await addOfficial(t.db, "0900000404", "XA-P");
      expect(now.status).toBe("ok");
      const u = await t.db.user.findUniqueOrThrow({ where: { telegramId: "7003" } });
      expect(await scopeOf(t.db, u)).toEqual({ role: "official", unitCodes: ["THCS-P"], under: "XA-P" });

      expect(await addOfficial(t.db, "7001", "KHONG-CO")).toEqual({ status: "unit_not_found", unitCode: "KHONG-CO" });
      expect((await addOfficial(t.db, "0123", "XA-P")).status).toBe("invalid");
      expect((await addOfficial(t.db, "abc", "XA-P")).status).toBe("invalid");
    });
  });
}
