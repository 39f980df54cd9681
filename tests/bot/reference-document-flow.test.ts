/**
 * Proof of issue 9 §4 "other official documents", end to end on SQLite and PostgreSQL: an admin
 * sends a (fictional) ministry decision, is asked whether it is a plan with targets or a reference
 * document, taps "Tài liệu tham khảo", sees what was read, confirms; a citizen then asks a question
 * only that decision answers and the answer cites it as "Quyết định số … của …" (not as a plan);
 * a question nobody's documents cover is still refused. A citizen cannot add a document.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createQaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { ingestPlans } from "../../core/retrieval/ingest.ts";
import { allDbTargets } from "../support/db.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

const DECISION = readFileSync(new URL("../fixtures/documents/qd-binh-dan-hoc-vu-so.txt", import.meta.url));
const PLANS_DIR = new URL("../../data/plans/", import.meta.url).pathname;
const CITED_AS = "Quyết định số 1468/QĐ-BGDĐT của Bộ Giáo dục và Đào tạo (12/10/2026)";

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`an admin adds a reference document and it is cited (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    it("citizen refused; admin: decision → 'Tài liệu tham khảo' → preview → add; citizen's answer cites the decision by its type", async () => {
      tb = await startTestBot({
        target,
        setup: async (t) => {
          await ingestPlans(t.db, PLANS_DIR); // the shipped plans in the database, as in production
          await t.db.user.create({ data: { telegramId: "811", name: "Quản trị", role: "admin" } });
        },
      });
      tb.deps.qa = await createQaEngine({ db: tb.t.db, words: QA_WORDS });
      const documentsBefore = await tb.t.db.planDocument.count();
      const plansBefore = await tb.t.db.plan.count();

      // a citizen cannot add documents
      const dan = chat(tb.fake, { id: 912, first_name: "Dân" });
      tb.fake.sendDocumentFromUser(dan.user, { fileName: "qd-1468.txt", bytes: DECISION });
      await dan.expectReply("chỉ nhận tệp kế hoạch từ quản trị viên");
      expect(await tb.t.db.planDocument.count()).toBe(documentsBefore);

      // the admin sends it and is asked what it is
      const admin = chat(tb.fake, { id: 811, first_name: "Quản trị" });
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "qd-1468.txt", bytes: DECISION });
      const kind = await admin.expectReply("Bạn muốn dùng tệp này thế nào?", 20_000);
      expect(kind.text).toContain("Tệp có vẻ là một quyết định, không phải kế hoạch.");
      expect(admin.lastButtons().map((b) => b.text)).toEqual(expect.arrayContaining(["📋 Kế hoạch có chỉ tiêu", "📚 Tài liệu tham khảo"]));

      admin.tap("Tài liệu tham khảo");
      const preview = await admin.expectReply("bot đã đọc được", 20_000);
      expect(preview.text).toContain("Loại văn bản: Quyết định");
      expect(preview.text).toContain("Số, ký hiệu: 1468/QĐ-BGDĐT");
      expect(preview.text).toContain("Cơ quan ban hành: BỘ GIÁO DỤC VÀ ĐÀO TẠO");
      expect(preview.text).toContain("Ngày ban hành: 12/10/2026");
      expect(preview.text).toMatch(/Trích yếu: Về việc triển khai phong trào "Bình dân học vụ số"/);
      expect(preview.text).toContain("Số mục, điều: 4");
      expect(preview.text).toContain(CITED_AS);
      // nothing stored before confirming
      expect(await tb.t.db.planDocument.count()).toBe(documentsBefore);

      admin.tap("Thêm vào hỏi đáp");
      const added = await admin.expectReply("Đã thêm", 20_000);
      expect(added.text).toContain(CITED_AS);
      expect(added.text).toContain("không tạo chỉ tiêu");
      expect(await tb.t.db.planDocument.count()).toBe(documentsBefore + 1);
      expect(await tb.t.db.plan.count()).toBe(plansBefore); // a reference document drafts no plan
      expect(await tb.t.db.auditLog.count({ where: { action: "document.add" } })).toBe(1);

      // a question only the decision answers: cited under its own type, the fact first
      dan.say("Tổ hỗ trợ kỹ năng số cộng đồng gồm bao nhiêu thành viên?");
      const answer = await dan.expectReply(/thành viên/);
      const first = answer.text!.split("\n")[0]!;
      expect(first).toMatch(/^Theo Quyết định số 1468\/QĐ-BGDĐT của Bộ Giáo dục và Đào tạo.*từ 3 đến 5 thành viên/);
      expect(first).not.toMatch(/kế hoạch/i);
      expect(answer.text).toContain(`— ${CITED_AS}, Điều 1`);

      // a question no document covers is still refused
      dan.say("Giá vé xe buýt hôm nay bao nhiêu?");
      await dan.expectReply(/không đề cập nội dung này/);

      // the plans are still answered from the same corpus
      dan.say("Các trường phải báo cáo hằng tháng trước ngày nào?");
      const plan = await dan.expectReply(/ngày 20/);
      expect(plan.text).toMatch(/27\/KH-SGDĐT/);

      // sending the same decision again: already there, nothing changes
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "qd-1468.txt", bytes: DECISION });
      await admin.expectReply("Bạn muốn dùng tệp này thế nào?", 20_000);
      admin.tap("Tài liệu tham khảo");
      await admin.expectReply("bot đã đọc được", 20_000);
      admin.tap("Thêm vào hỏi đáp");
      await admin.expectReply("đã có trong phần hỏi đáp từ trước");
      expect(await tb.t.db.planDocument.count()).toBe(documentsBefore + 1);
    }, 90_000);
  });
}
