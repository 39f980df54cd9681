/**
 * Personal data through the bot (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): the notice and consent
 * at /start, registration waiting for consent, /dulieu and /xoadulieu. Consent is NOT auto-accepted here.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createQaEngine, type QaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { NOTICE_VERSION } from "../../core/privacy/index.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { allDbTargets } from "../support/db.ts";
import { chat } from "../support/telegram.ts";

let qa: QaEngine;
beforeAll(async () => {
  qa = await createQaEngine({ words: QA_WORDS });
});

const NOTICE = "Thông báo về xử lý dữ liệu cá nhân";

describe("personal data in the bot", () => {
  let tb: TestBot;
  afterEach(async () => tb?.stop());

  it("an invite waits for consent, then registration continues with the same code", async () => {
    tb = await startTestBot({ autoConsent: false, setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.say("/start inv_th_a");
    const notice = await lan.expectReply(NOTICE);
    expect(notice.text).toContain("91/2025/QH15");
    expect(notice.text).toContain("356/2025/NĐ-CP");
    expect(notice.text).toMatch(/số điện thoại/);
    expect(notice.text).toMatch(/2 năm không hoạt động/);
    expect(notice.text).toContain("Sở Giáo dục và Đào tạo");
    expect(notice.text).toContain("/dulieu");
    expect(notice.text).toContain("/xoadulieu");
    expect(notice.text).not.toContain("13/2023");
    await tb.fake.waitForIdle();
    expect(await tb.t.db.membership.count()).toBe(0);
    lan.tap("Đồng ý");
    await lan.expectReply("Đã đăng ký");
    expect(await tb.t.db.membership.count()).toBe(1);
    const user = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "501" }, include: { consents: true } });
    expect(user.consents).toHaveLength(1);
    expect(user.consents[0]).toMatchObject({ decision: "accepted", noticeVersion: NOTICE_VERSION, withdrawnAt: null });
    // a second /start <code> needs no second consent
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký");
    expect(await tb.t.db.consent.count()).toBe(1);
  });

  it("someone who declines can still ask about the plans, and cannot register without consenting", async () => {
    tb = await startTestBot({ qa, autoConsent: false, setup: async (t) => void (await seedSmallProvince(t)) });
    const dan = chat(tb.fake, { id: 901, first_name: "Dân" });
    dan.say("/start");
    await dan.expectReply(NOTICE);
    dan.tap("Không đồng ý");
    await dan.expectReply("không đồng ý");
    const user = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "901" }, include: { consents: true } });
    expect(user.name).toBeNull();
    expect(user.consents[0]).toMatchObject({ decision: "declined" });
    dan.say("Các trường phải báo cáo hằng tháng trước ngày nào?");
    await dan.expectReply(/ngày 20/);
    // a registration attempt asks again; nothing is registered until "Đồng ý"
    dan.say("/start inv_th_a");
    await dan.expectReply(NOTICE);
    await tb.fake.waitForIdle();
    expect(await tb.t.db.membership.count()).toBe(0);
    dan.tap("Đồng ý");
    await dan.expectReply("Đã đăng ký");
    expect(await tb.t.db.membership.count()).toBe(1);
  });

  it("'Đồng ý' or 'khong dong y' typed under the notice counts as the button; the same words with no notice are only an acknowledgement", async () => {
    tb = await startTestBot({ qa, autoConsent: false, setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 521, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply(NOTICE);
    lan.say("Đồng ý ạ");
    await lan.expectReply("Đã đăng ký");
    expect(await tb.t.db.membership.count()).toBe(1);
    const lanUser = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "521" }, include: { consents: true } });
    expect(lanUser.consents).toMatchObject([{ decision: "accepted", noticeVersion: NOTICE_VERSION }]);
    // answered: typed again, it is only an acknowledgement (no second consent, no plan quotes)
    lan.say("đồng ý");
    const ack = await lan.expectReply(/Rất vui/);
    expect(ack.text).not.toContain("Trích dẫn");
    await tb.fake.waitForIdle();
    expect(await tb.t.db.consent.count()).toBe(1);

    const dan = chat(tb.fake, { id: 921, first_name: "Dân" });
    dan.say("/start");
    await dan.expectReply(NOTICE);
    // a question that merely contains the words is a question, and the notice still waits
    dan.say("Ai đồng ý phê duyệt kế hoạch chuyển đổi số của Ninh Bình?");
    await dan.expectReply(/./);
    await tb.fake.waitForIdle();
    expect(await tb.t.db.consent.count()).toBe(1);
    dan.say("khong dong y");
    await dan.expectReply("không đồng ý");
    const danUser = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "921" }, include: { consents: true } });
    expect(danUser.consents).toMatchObject([{ decision: "declined" }]);
    expect(danUser.name).toBeNull();
  });

  it("a shared phone waits for consent; declining keeps nothing", async () => {
    tb = await startTestBot({ autoConsent: false, setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 511, first_name: "Lan" });
    lan.contact("0900000101");
    await lan.expectReply(NOTICE);
    lan.tap("Không đồng ý");
    await lan.expectReply("không đồng ý");
    await tb.fake.waitForIdle();
    expect(await tb.t.db.user.count({ where: { phone: { not: null } } })).toBe(0);
    expect(await tb.t.db.session.count({ where: { value: { contains: "0900000101" } } })).toBe(0);
    lan.contact("0900000101");
    await lan.expectReply(NOTICE);
    lan.tap("Đồng ý");
    await lan.expectReply("Trường Tiểu học Sao Mai");
    expect(await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "511" } })).toMatchObject({ phone: "0900000101" });
    await tb.fake.waitForIdle();
  });

  it("/dulieu shows what the bot holds about this person only", async () => {
    tb = await startTestBot({ setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    const minh = chat(tb.fake, { id: 502, first_name: "Minh" });
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký");
    minh.say("/start inv_xa_a");
    await minh.expectReply("Đã đăng ký");
    const { db } = tb.t;
    const lanUser = await db.user.findUniqueOrThrow({ where: { telegramId: "501" } });
    const unit = await db.unit.findUniqueOrThrow({ where: { code: "TH-A" } });
    const report = await db.report.create({
      data: { unitId: unit.id, period: "2026-03", periodKind: "month", planId: "NB-27-2025", deadline: new Date("2026-03-20T00:00:00Z") },
    });
    await db.answer.create({ data: { reportId: report.id, indicatorCode: "NB-05", value: 90, raw: "45/50", answeredById: lanUser.id } });
    lan.say("/dulieu");
    const shown = await lan.expectReply("Dữ liệu bot đang giữ về bạn");
    expect(shown.text).toContain("Lan");
    expect(shown.text).toContain("501");
    expect(shown.text).toContain("Trường Tiểu học Sao Mai");
    expect(shown.text).toContain("đã đồng ý");
    expect(shown.text).toMatch(/câu trả lời báo cáo bạn đã nhập: 1 câu/);
    expect(shown.text).not.toContain("Minh");
    expect(shown.text).not.toContain("502");
    await tb.fake.waitForIdle();
  });

  for (const { target, skip } of allDbTargets())
  it.skipIf(skip)(`/xoadulieu removes the person and keeps the unit's reports (${target})`, async () => {
    tb = await startTestBot({ target, setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.contact("0900000101");
    await lan.expectReply("Trường Tiểu học Sao Mai");
    const { db } = tb.t;
    const before = await db.user.findUniqueOrThrow({ where: { telegramId: "501" } });
    const unit = await db.unit.findUniqueOrThrow({ where: { code: "TH-A" } });
    const report = await db.report.create({
      data: {
        unitId: unit.id, period: "2026-03", periodKind: "month", planId: "NB-27-2025", status: "submitted", revision: 1,
        deadline: new Date("2026-03-20T00:00:00Z"), submittedById: before.id, submittedAt: new Date(),
      },
    });
    await db.answer.create({ data: { reportId: report.id, indicatorCode: "NB-05", value: 90, raw: "45/50", answeredById: before.id } });
    await db.reportRevision.create({ data: { reportId: report.id, revision: 1, userId: before.id, onTime: true, answersJson: "{}" } });

    lan.say("/xoadulieu");
    await lan.expectReply("Xóa dữ liệu cá nhân?");
    lan.tap("Giữ nguyên");
    await lan.expectReply("Đã giữ nguyên");
    expect(await db.user.findUniqueOrThrow({ where: { id: before.id } })).toMatchObject({ telegramId: "501", erasedAt: null });

    lan.say("/xoadulieu");
    await lan.expectReply("Xóa dữ liệu cá nhân?");
    lan.tap("Xóa dữ liệu của tôi");
    await lan.expectReply("Đã xóa dữ liệu cá nhân");
    await tb.fake.waitForIdle();

    const after = await db.user.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({ name: null, phone: null, role: "citizen", officialUnitId: null });
    expect(after.telegramId).not.toContain("501");
    expect(after.erasedAt).not.toBeNull();
    expect(await db.membership.count({ where: { userId: before.id } })).toBe(0);
    // the unit's report stays, pointing at the anonymized row
    expect(await db.report.findUniqueOrThrow({ where: { id: report.id } })).toMatchObject({ status: "submitted", submittedById: before.id });
    expect(await db.answer.findFirstOrThrow({ where: { reportId: report.id } })).toMatchObject({ value: 90, answeredById: before.id });
    expect(await db.reportRevision.count({ where: { reportId: report.id } })).toBe(1);
    // the imported focal phone, sessions and audit details no longer hold the person
    expect(await db.unit.findUniqueOrThrow({ where: { id: unit.id } })).toMatchObject({ focalPhone: null, focalName: null });
    expect(await db.session.count({ where: { key: { contains: "501" } } })).toBe(0);
    const audit = await db.auditLog.findMany();
    expect(audit.some((a) => a.action === "privacy.erase" && a.entityId === String(before.id))).toBe(true);
    // the registration event stays in the audit trail, without the phone
    expect(audit.find((a) => a.action === "user.register_phone")?.details).toContain("[đã xóa]");
    for (const a of audit) {
      expect(a.details ?? "").not.toContain("0900000101");
      expect(a.details ?? "").not.toContain("501");
    }
    expect((await db.consent.findMany({ where: { userId: before.id } })).every((c) => c.withdrawnAt !== null)).toBe(true);
  });
});
