/**
 * Approval in chat (issue 10 §2): an official above a school returns its report with a reason, the
 * focal point is told at once with a button, corrects and sends it again; it comes back to the
 * official, who approves it; the approved report is locked for the focal point; the official
 * unapproves it with a reason. Every step is in the audit trail, every notification is checked.
 * Access is decided in core at write time: another commune's official and the school's own node
 * cannot act on it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../core/catalog/index.ts";
import { approvalQueue, approveReport, bulkApprove, returnReport, unapproveReport } from "../../core/officials/approval.ts";
import { officialScope, officialScopeByTelegramId } from "../../core/officials/access.ts";
import { recordAnswer } from "../../core/reporting/answer.ts";
import { submitReport } from "../../core/reporting/reports.ts";
import type { TestDb } from "../support/db.ts";
import { allDbTargets } from "../support/db.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";
import { inlineButtons, type BotMessage } from "../../bot/local/fake-bot-api.ts";

const MARCH_25 = () => new Date("2026-03-25T03:00:00Z");
const catalog = loadCatalog();
const entries = catalog.forUnit("NB-27-2025", ["th"], "monthly");
const SIGNATURE = entries.findIndex((e) => e.code === "NB-11") + 1; // "Giáo viên có chữ ký số"

/** SO-T → XA-A {TH-A1 submitted (signatures 20/40, below target), TH-A2 submitted (all met)} and XA-B {TH-B1}. */
async function province(t: TestDb) {
  const { db } = t;
  const so = await db.unit.create({ data: { code: "SO-T", name: "Sở GDĐT tỉnh Thử", kind: "department", levels: "so", path: "/SO-T/", planId: "NB-27-2025" } });
  const mk = (code: string, name: string, kind: string, levels: string, parent: { id: number; path: string }) =>
    db.unit.create({ data: { code, name, kind, levels, parentId: parent.id, path: `${parent.path}${code}/` } });
  const xaA = await mk("XA-A", "UBND xã An Bình", "commune", "xa", so);
  const xaB = await mk("XA-B", "UBND xã Bình Minh", "commune", "xa", so);
  const a1 = await mk("TH-A1", "Trường TH An Bình Một", "school", "th", xaA);
  const a2 = await mk("TH-A2", "Trường TH An Bình Hai", "school", "th", xaA);
  await mk("TH-B1", "Trường TH Bình Minh Một", "school", "th", xaB);
  await db.invite.create({ data: { code: "inv_off_a", unitId: xaA.id, role: "official" } });
  await db.invite.create({ data: { code: "inv_off_b", unitId: xaB.id, role: "official" } });
  for (const [tg, unit, below] of [[601, a1, true], [602, a2, false]] as const) {
    const user = await db.user.create({ data: { telegramId: String(tg), name: `Đầu mối ${tg}`, role: "focal" } });
    await db.membership.create({ data: { userId: user.id, unitId: unit.id } });
    const report = await db.report.create({
      data: { unitId: unit.id, period: "2026-03", periodKind: "month", planId: "NB-27-2025", status: "submitted", revision: 1, deadline: new Date("2026-03-19T17:00:00Z"), submittedAt: new Date("2026-03-15T03:00:00Z"), firstSubmittedAt: new Date("2026-03-15T03:00:00Z"), onTime: true },
    });
    for (const e of entries) {
      const ratio = e.measure.type === "ratio";
      const num = below && e.code === "NB-11" ? 20 : 40;
      await db.answer.create({
        data: {
          reportId: report.id,
          indicatorCode: e.code,
          raw: ratio ? `${num}/40` : "có",
          value: ratio ? (num / 40) * 100 : 1,
          numerator: ratio ? num : null,
          denominator: ratio ? 40 : null,
          meetsTarget: !(below && e.code === "NB-11"),
          reason: below && e.code === "NB-11" ? "Chờ cấp chứng thư số" : null,
        },
      });
    }
  }
}

/** Tap a button of one given message (not the latest one with buttons). */
function tapOn(tb: TestBot, user: { id: number; first_name: string }, msg: BotMessage, text: string) {
  const hit = inlineButtons(msg.reply_markup).find((b) => b.text.includes(text));
  if (!hit?.callback_data) throw new Error(`no button "${text}"`);
  tb.fake.tapButton(user, hit.callback_data, msg.message_id);
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`approval through the bot (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    it("return with a reason → focal point told with a button → corrected → back in the queue → approved (locked) → unapproved", async () => {
      tb = await startTestBot({ target, now: MARCH_25, setup: province });
      const minh = chat(tb.fake, { id: 701, first_name: "Minh" });
      const lan = chat(tb.fake, { id: 601, first_name: "Lan" });
      minh.say("/start inv_off_a");
      await minh.expectReply("cán bộ quản lý");

      // the queue: both reports, the flagged one with its reason
      minh.say("/duyet");
      await minh.expectReply("Báo cáo chờ duyệt — UBND xã An Bình</b>: 2");
      const item = await minh.expectReply(/Trường TH An Bình Một[\s\S]*Giáo viên có chữ ký số: 20\/40 — lý do: “Chờ cấp chứng thư số”/);
      expect(item.text).toContain("tháng 3/2026");

      // [Trả lại] asks for a reason; a too short one is refused with a next step
      minh.tap("Trả lại");
      await minh.expectReply("ghi lý do trả lại");
      minh.say("ok");
      await minh.expectReply("Lý do cần ít nhất vài chữ");
      minh.say("Số giáo viên có chữ ký số chưa khớp với danh sách");
      await minh.expectReply("Đã trả lại báo cáo tháng 3/2026 của Trường TH An Bình Một");
      const told = await lan.expectReply("bị trả lại để sửa");
      expect(told.text).toContain("Lý do: “Số giáo viên có chữ ký số chưa khớp với danh sách”");

      // the focal point fixes it from the button, and sends it again
      lan.tap("Sửa báo cáo");
      await lan.expectReply("Tóm tắt");
      lan.say(`sửa câu ${SIGNATURE} thành 30/40`);
      await lan.expectReply("Tóm tắt");
      lan.say("gửi");
      await lan.expectReply("lý do sửa");
      lan.say("Bổ sung giáo viên đã được cấp chữ ký số");
      await lan.expectReply("gửi lại để cán bộ quản lý duyệt");
      // back in the official's queue, with a message and its buttons
      const back = await minh.expectReply("Báo cáo đã sửa, chờ duyệt lại");
      expect(back.text).toContain("không có chỉ tiêu nào chưa đạt");

      minh.tap("Duyệt");
      await minh.expectReply("Đã duyệt báo cáo tháng 3/2026 của Trường TH An Bình Một");
      await lan.expectReply("đã được duyệt");

      // locked: the focal point cannot edit it
      tapOn(tb, lan.user, told, "Sửa báo cáo");
      await lan.expectReply("Báo cáo đã được duyệt");
      const report = await tb.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-A1" } } });
      expect(report.approvalStatus).toBe("approved");
      const focal = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "601" } });
      const locked = await recordAnswer({ db: tb.t.db, catalog: tb.deps.catalog }, { reportId: report.id, code: "NB-11", raw: "10/40", userId: focal.id });
      expect(locked.outcome.status).toBe("locked");
      expect((await submitReport({ db: tb.t.db, catalog: tb.deps.catalog }, { reportId: report.id, userId: focal.id, reason: "x" })).status).toBe("locked");

      // /trehan shows the approval status
      minh.say("/trehan");
      await minh.expectReply("Phê duyệt: 1 đã duyệt, 1 chờ duyệt");

      // unapprove with a reason: unlocked, the focal point told with a button
      minh.tap("Bỏ duyệt");
      await minh.expectReply("ghi lý do bỏ duyệt");
      minh.say("Cần bổ sung số liệu tháng 3");
      await minh.expectReply("Đã bỏ duyệt");
      const reopened = await lan.expectReply("đã được mở khóa để sửa");
      expect(reopened.text).toContain("Cần bổ sung số liệu tháng 3");
      tapOn(tb, lan.user, reopened, "Sửa báo cáo");
      await lan.expectReply("Tóm tắt");

      const audit = await tb.t.db.auditLog.findMany({ where: { entity: "Report", entityId: String(report.id) }, orderBy: { id: "asc" } });
      expect(audit.map((a) => a.action)).toEqual(["report.return", "report.edit", "report.approve", "report.unapprove"]);
      expect(JSON.parse(audit[0]!.details!).reason).toBe("Số giáo viên có chữ ký số chưa khớp với danh sách");
    });

    it("an official who chose the daily digest gets one digest a day instead of a message per report", async () => {
      tb = await startTestBot({ target, now: MARCH_25, setup: province }); // 10:00 Vietnam time
      const minh = chat(tb.fake, { id: 701, first_name: "Minh" });
      minh.say("/start inv_off_a");
      await minh.expectReply("cán bộ quản lý");
      minh.say("/duyet");
      await minh.expectReply("từng báo cáo một");
      minh.tap("Nhận tổng hợp mỗi ngày");
      await minh.expectReply("tổng hợp báo cáo chờ duyệt mỗi ngày");
      const { createBot } = await import("../../bot/create-bot.ts");
      const { sendApprovalDigests } = await import("../../bot/features/approval.ts");
      const api = createBot(tb.fake.token, tb.deps, { apiRoot: tb.fake.apiRoot, throttle: false }).api;
      expect(await sendApprovalDigests(api, tb.deps)).toBe(1);
      const digest = await minh.expectReply("Báo cáo chờ duyệt — UBND xã An Bình: 2 báo cáo, trong đó 1 không có chỉ tiêu chưa đạt");
      expect(JSON.stringify(digest.reply_markup)).toContain("Xem từng báo cáo");
      expect(await sendApprovalDigests(api, tb.deps)).toBe(0); // once a day
      // no message per report for a digest official
      const { approversToNotify } = await import("../../core/officials/approval.ts");
      const r1 = await tb.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-A1" } } });
      expect(await approversToNotify(tb.t.db, r1.id)).toEqual([]);
    });

    it("bulk approval takes only reports with no flags; access is decided in core at write time", async () => {
      tb = await startTestBot({ target, now: MARCH_25, setup: province });
      const minh = chat(tb.fake, { id: 701, first_name: "Minh" });
      minh.say("/start inv_off_a");
      await minh.expectReply("cán bộ quản lý");
      const binh = chat(tb.fake, { id: 702, first_name: "Bình" });
      binh.say("/start inv_off_b");
      await binh.expectReply("cán bộ quản lý");
      const deps = { db: tb.t.db, catalog: await tb.deps.catalog.get(), now: MARCH_25() };
      const a = (await officialScopeByTelegramId(tb.t.db, "701"))!;
      const b = (await officialScopeByTelegramId(tb.t.db, "702"))!;
      const r1 = await tb.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-A1" } } });

      // another commune's official: not found (names nothing), for every step
      expect(await approveReport(deps, b, { reportId: r1.id })).toEqual({ ok: false, problem: "not_found" });
      expect(await returnReport(deps, b, { reportId: r1.id, reason: "Không hợp lệ" })).toEqual({ ok: false, problem: "not_found" });
      expect((await approvalQueue(deps, b)).total).toBe(0);
      // a reason is required to return or unapprove
      expect(await returnReport(deps, a, { reportId: r1.id, reason: " " })).toEqual({ ok: false, problem: "reason_required" });
      // a focal point is no official
      const focal = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "601" } });
      expect(await officialScope(tb.t.db, focal)).toBeNull();

      minh.say("/duyet");
      await minh.expectReply("chờ duyệt");
      minh.tap("Duyệt tất cả báo cáo không có chỉ tiêu chưa đạt");
      await minh.expectReply("Đã duyệt 1 báo cáo không có chỉ tiêu chưa đạt. Còn 1 báo cáo");
      expect((await tb.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-A2" } } })).approvalStatus).toBe("approved");
      expect((await tb.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-A1" } } })).approvalStatus).toBe("pending");
      expect(tb.fake.messages(602).some((m) => m.text?.includes("Trường TH An Bình Hai đã được duyệt"))).toBe(true);
      expect((await bulkApprove(deps, a)).approved).toHaveLength(0);
      // the department official above may unapprove what the commune approved; the reason is kept
      const r2 = await tb.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-A2" } } });
      expect(await unapproveReport(deps, a, { reportId: r2.id, reason: "Kiểm tra lại" })).toMatchObject({ ok: true, item: { approval: "pending", approvalReason: "Kiểm tra lại" } });
      // progress from approved reports only: nothing approved now
      const { scopedProgress } = await import("../../core/officials/access.ts");
      const all = await scopedProgress(deps, a, { period: "2026-03" });
      const approved = await scopedProgress(deps, a, { period: "2026-03", approvedOnly: true });
      if (!all.ok || !approved.ok) throw new Error("refused");
      expect(all.report.indicators[0]!.answered).toBe(2);
      expect(approved.report.indicators[0]!.answered).toBe(0);
    });
  });
}
