/**
 * Proof of issue 7 §4 in the bot, end to end, on SQLite and PostgreSQL:
 *  1. an admin sends a .docx plan as a document; the bot replies with a draft summary
 *     (N targets, where each came from) — the time from sending to the summary is printed;
 *  2. the admin edits one threshold, drops one target, adds one typed as a sentence, survives a
 *     restart mid-review, and publishes the plan for the current year to a commune;
 *  3. a focal point of a school there gets the new questions in /baocao and submits;
 *  4. the commune official's /tiendo shows the new targets with the edited threshold.
 * Also: nothing reaches the focal point before publishing; others sending a file get a polite
 * refusal; bad files get their message; no internal code or period key in anything sent.
 */
import JSZip from "jszip";
import { afterEach, describe, expect, it } from "vitest";
import { vietnamTime } from "../../core/reporting/periods.ts";
import { allDbTargets, type TestDb } from "../support/db.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { chat, type TestChat } from "../support/telegram.ts";

/** 10/2/2027 09:00 in Vietnam: the current year is 2027. */
const NOW = () => vietnamTime(2027, 2, 10, 9);

const PLAN_PARAGRAPHS = [
  "ỦY BAN NHÂN DÂN XÃ AN BÌNH",
  "Số: 21/KH-UBND",
  "An Bình, ngày 05 tháng 01 năm 2027",
  "KẾ HOẠCH",
  "Chuyển đổi số ngành Giáo dục xã An Bình năm 2027",
  "I. MỤC ĐÍCH, YÊU CẦU",
  "Đẩy mạnh ứng dụng công nghệ thông tin trong các trường học trên địa bàn xã.",
  "II. MỤC TIÊU",
  "1. Mục tiêu chung",
  "Nâng cao năng lực số của đội ngũ giáo viên và học sinh.",
  "2. Chỉ tiêu cụ thể",
  "- 100% trường tiểu học và trung học cơ sở sử dụng học bạ số.",
  "- Phấn đấu tỷ lệ giáo viên được cấp và sử dụng chữ ký số đạt từ 85% trở lên.",
  "- Tối thiểu 90% giáo viên được tập huấn kỹ năng số.",
  "III. TỔ CHỨC THỰC HIỆN",
  "Các trường báo cáo định kỳ hằng tháng trước ngày 20.",
];

/** A minimal Word document (what mammoth reads: word/document.xml with its relationships). */
async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  );
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
  );
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs
      .map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`)
      .join("")}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: "nodebuffer" });
}

/** SO-P (a shipped plan) → XA-AB "UBND xã An Bình" → TH-AB; an admin, the commune's official, the school's focal point. */
async function province(t: TestDb) {
  const { db } = t;
  const so = await db.unit.create({ data: { code: "SO-P", name: "Sở GDĐT tỉnh Thử", kind: "department", levels: "so", path: "/SO-P/", planId: "NB-27-2025" } });
  const xa = await db.unit.create({ data: { code: "XA-AB", name: "UBND xã An Bình", kind: "commune", levels: "xa", parentId: so.id, path: "/SO-P/XA-AB/" } });
  const th = await db.unit.create({ data: { code: "TH-AB", name: "Trường Tiểu học An Bình", kind: "school", levels: "th", parentId: xa.id, path: "/SO-P/XA-AB/TH-AB/" } });
  await db.user.create({ data: { telegramId: "801", name: "Quản trị", role: "admin" } });
  await db.user.create({ data: { telegramId: "802", name: "Cán bộ xã", role: "official", officialUnitId: xa.id } });
  const focal = await db.user.create({ data: { telegramId: "803", name: "Đầu mối", role: "focal" } });
  await db.membership.create({ data: { userId: focal.id, unitId: th.id } });
}

/** Internal codes and period keys must never reach a user (issue 8 §3). */
const INTERNAL = [/\b[A-Z]{2,4}-\d{2,3}\b/, /\b20\d\d-(0[1-9]|1[0-2]|Q[1-4]|H[12])\b/, /\b[A-Z]{2,4}-20\d\d\b/];

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`a plan file reviewed and published in the bot (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    it("docx in → draft summary → edit, drop, add → publish for this year to a commune → /baocao → /tiendo", async () => {
      tb = await startTestBot({ target, now: NOW, setup: province });
      const admin = chat(tb.fake, { id: 801, first_name: "Quản trị" });
      const focal = chat(tb.fake, { id: 803, first_name: "Đầu mối" });
      const official = chat(tb.fake, { id: 802, first_name: "Cán bộ xã" });

      // 1. the admin sends the plan as a .docx document
      const docx = await makeDocx(PLAN_PARAGRAPHS);
      const sentAt = performance.now();
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "ke-hoach-chuyen-doi-so-2027.docx", bytes: docx });
      // an admin is asked what the file is: a plan with targets (this one) or a reference document
      const kind = await admin.expectReply("Bạn muốn dùng tệp này thế nào?", 20_000);
      expect(kind.text).toContain("Tệp có vẻ là một kế hoạch.");
      admin.tap("Kế hoạch có chỉ tiêu");
      const summary = await admin.expectReply("Tìm thấy", 20_000);
      const draftMs = performance.now() - sentAt;
      console.log(`[plan-review ${target}] plan file sent → draft summary: ${draftMs.toFixed(0)} ms`);
      expect(summary.text).toContain("Kế hoạch số 21/KH-UBND");
      expect(summary.text).toContain("<b>3 chỉ tiêu</b>");
      expect(summary.text).toMatch(/Chữ ký số|chữ ký số/i);
      expect(summary.text).toMatch(/\(mục [^)]+\)/); // where each came from

      // nothing reaches focal points before publishing
      // nothing reaches focal points before publishing: the school still reports the department's plan
      focal.say("/baocao");
      await focal.expectReply("Chọn kỳ báo cáo");
      focal.tap("quý I/2027");
      const before = await focal.expectReply(/Câu 1\//);
      expect(before.text).not.toMatch(/sổ điểm|92%/);
      await cancel(focal);

      // 2. step through: keep, edit a threshold, drop one, add one
      admin.tap("Rà soát từng chỉ tiêu");
      const first = await admin.expectReply("Chỉ tiêu 1/3");
      expect(first.text).toMatch(/học bạ số/i);
      admin.tap("Giữ");
      const second = await admin.expectReply("Chỉ tiêu 2/3");
      expect(second.text).toMatch(/chữ ký số/i);
      expect(second.text).toContain("≥ 85%");
      admin.tap("Mức chỉ tiêu");
      await admin.expectReply("Gõ mức chỉ tiêu mới");
      admin.say("tu 92% tro len"); // typed without diacritics
      await admin.expectReply("Đã sửa mức chỉ tiêu");
      const edited = await admin.expectReply("Chỉ tiêu 2/3");
      expect(edited.text).toContain("≥ 92%");

      // the bot restarts mid-review: the draft and the position survive
      await tb.restart();
      admin.tap("Giữ");
      const third = await admin.expectReply("Chỉ tiêu 3/3");
      expect(third.text).toMatch(/tập huấn/i);
      admin.tap("Bỏ");
      await admin.expectReply("Đã bỏ chỉ tiêu");
      await admin.expectReply("Kế hoạch áp dụng cho kỳ nào");

      admin.tap("Thêm chỉ tiêu");
      await admin.expectReply("Gõ chỉ tiêu còn thiếu");
      admin.say("Phấn đấu 100% giáo viên sử dụng sổ điểm điện tử.");
      await admin.expectReply("Đã thêm chỉ tiêu");
      const added = await admin.expectReply("Chỉ tiêu 3/3");
      expect(added.text).toMatch(/sổ điểm điện tử/i);
      admin.tap("Kỳ báo cáo");
      await admin.expectReply("bao lâu một lần");
      admin.tap("hằng tháng");
      await admin.expectReply("Kỳ báo cáo: hằng tháng");
      await admin.expectReply("Chỉ tiêu 3/3");
      admin.tap("Giữ");

      // periods in force: the current year; units: the commune named as issuer, by name
      await admin.expectReply("Kế hoạch áp dụng cho kỳ nào");
      admin.tap("Năm 2027");
      const units = await admin.expectReply("Kế hoạch áp dụng cho");
      expect(units.text).toContain("UBND xã An Bình");
      expect(units.text).toContain("1 đơn vị trực thuộc");
      admin.tap("Đúng");
      const confirm = await admin.expectReply("Công bố");
      expect(confirm.text).toContain("năm 2027");
      expect(confirm.text).toContain("3 chỉ tiêu");
      admin.tap("📢 Công bố");
      const published = await admin.expectReply("Đã công bố");
      expect(published.text).toContain("3 chỉ tiêu");

      // 3. the school's focal point gets the new questions and submits
      focal.say("/baocao");
      const opened = await focal.expectReply(/Chọn kỳ báo cáo|Câu 1/);
      if (opened.text?.includes("Chọn kỳ báo cáo")) focal.tap("tháng 2/2027");
      // answer every question of the report until its summary: ratios 30/30, yes/no "có"
      const asked: string[] = [(await focal.expectReply(/Câu 1\//)).text ?? ""];
      while (!asked[asked.length - 1]!.includes("Tóm tắt")) {
        expect(asked.length, "too many questions").toBeLessThan(10);
        focal.say(focal.lastButtons().some((b) => b.text === "Có") ? "có" : "30/30");
        asked.push((await focal.expectReply(/Câu \d+\/|Tóm tắt/)).text ?? "");
      }
      const all = asked.join("\n");
      expect(all).toMatch(/chữ ký số/i);
      expect(all).toMatch(/sổ điểm điện tử/i);
      expect(all).not.toMatch(/tập huấn kỹ năng số/i); // dropped
      expect(all).not.toMatch(/CBQL-GV-NV/); // the department's plan is not asked in 2027 any more
      focal.tap("Gửi");
      await focal.expectReply("Đã nộp báo cáo");

      // 4. the commune official sees the new targets with the edited threshold
      official.say("/tiendo");
      const progress = await official.expectReply(/Tiến độ/, 10_000);
      expect(progress.text).toMatch(/chữ ký số/i);
      expect(progress.text).toContain("92%");
      expect(progress.text).not.toContain("85%");
      expect(progress.text).toMatch(/sổ điểm điện tử/i);
      await official.expectReply("vạch đen: mức chỉ tiêu", 20_000); // the chart photo that follows

      for (const c of [admin, focal, official]) {
        for (const m of c.messages()) {
          const text = `${m.text ?? m.caption ?? ""}`;
          for (const re of INTERNAL) expect(text, `internal code in: ${text}`).not.toMatch(re);
        }
      }
    }, 90_000);

    it("an official reviews their own unit's plan: levels, question, a typed period range, a unit typed by name, /kehoach after a restart", async () => {
      tb = await startTestBot({ target, now: NOW, setup: province });
      const official = chat(tb.fake, { id: 802, first_name: "Cán bộ xã" });
      tb.fake.sendDocumentFromUser(official.user, { fileName: "ke-hoach-xa.docx", bytes: await makeDocx(PLAN_PARAGRAPHS) });
      await official.expectReply("Tìm thấy", 20_000);
      official.tap("Rà soát từng chỉ tiêu");
      await official.expectReply("Chỉ tiêu 1/3");
      official.tap("Cấp áp dụng");
      await official.expectReply("Chọn các cấp");
      official.tap("THCS"); // untick THCS: primary schools only
      official.tap("Xong");
      await official.expectReply("Áp dụng cho: Tiểu học.");
      await official.expectReply("Chỉ tiêu 1/3");
      official.tap("Câu hỏi");
      await official.expectReply("Gõ câu hỏi mới");
      official.say("Trường đã dùng học bạ số cho tất cả các lớp chưa?");
      await official.expectReply("Đã sửa câu hỏi");
      const card = await official.expectReply("Chỉ tiêu 1/3");
      expect(card.text).toContain("Trường đã dùng học bạ số cho tất cả các lớp chưa?");
      expect(card.text).toContain("Áp dụng cho: Tiểu học\n");

      // a restart, then /kehoach picks the review up where it was
      await tb.restart();
      official.say("/kehoach");
      await official.expectReply("Chỉ tiêu 1/3");
      official.tap("Chọn kỳ và công bố");
      await official.expectReply("Kế hoạch áp dụng cho kỳ nào");
      official.say("chữ ký số là gì?"); // a question is not a period: it goes to the plan Q&A
      official.say("giai doan 2027-2028");
      const units = await official.expectReply("Kế hoạch áp dụng cho");
      expect(units.text).toContain("UBND xã An Bình");
      official.tap("Chọn đơn vị khác");
      await official.expectReply("Gõ tên đơn vị");
      official.say("Sở GDĐT"); // outside the official's unit
      await official.expectReply("Không tìm thấy đơn vị nào");
      official.say("truong tieu hoc an binh");
      const confirm = await official.expectReply("Công bố");
      expect(confirm.text).toContain("từ năm 2027 đến năm 2028");
      expect(official.messages().some((m) => (m.text ?? "").includes("Chưa đọc được kỳ áp dụng"))).toBe(false);
      expect(confirm.text).toContain("Trường Tiểu học An Bình");
      official.tap("📢 Công bố");
      await official.expectReply("Đã công bố");
      const plan = await tb.t.db.plan.findFirstOrThrow({ where: { number: "21/KH-UBND" } });
      expect([plan.status, plan.validFrom, plan.validTo]).toEqual(["published", "2027", "2028"]);
      const school = await tb.t.db.unit.findUniqueOrThrow({ where: { code: "TH-AB" } });
      expect((await tb.t.db.planAssignment.findMany({ where: { planId: plan.id } })).map((a) => a.unitId)).toEqual([school.id]);
      // a published plan is no longer under review
      official.say("/kehoach");
      await official.expectReply("Không có kế hoạch nào đang rà soát");
      for (const m of official.messages()) for (const re of INTERNAL) expect(m.text ?? m.caption ?? "").not.toMatch(re);
    }, 60_000);

    it("others sending a file get a polite explanation; bad files get their message; nothing is stored", async () => {
      tb = await startTestBot({ target, now: NOW, setup: province });
      const focal = chat(tb.fake, { id: 803, first_name: "Đầu mối" });
      tb.fake.sendDocumentFromUser(focal.user, { fileName: "ke-hoach.docx", bytes: await makeDocx(PLAN_PARAGRAPHS) });
      await focal.expectReply("chỉ nhận tệp kế hoạch từ quản trị viên");

      const admin = chat(tb.fake, { id: 801, first_name: "Quản trị" });
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "bang-diem.xls", bytes: Buffer.from("xx") });
      await admin.expectReply("Chưa đọc được loại tệp này");
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "trong.txt", bytes: Buffer.from("   \n") });
      await admin.expectReply("không có nội dung chữ");
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "hong.docx", bytes: Buffer.from("not a zip at all") });
      await admin.expectReply(/Không đọc được tệp|không phải văn bản/);
      expect(await tb.t.db.plan.count({ where: { status: "draft" } })).toBe(0);

      // the commune's official may send their own unit's plan
      const official = chat(tb.fake, { id: 802, first_name: "Cán bộ xã" });
      tb.fake.sendDocumentFromUser(official.user, { fileName: "kh-21.docx", bytes: await makeDocx(PLAN_PARAGRAPHS) });
      await official.expectReply("Tìm thấy", 20_000);
      // the same file again is recognised
      tb.fake.sendDocumentFromUser(admin.user, { fileName: "kh-21-ban-sao.docx", bytes: await makeDocx(PLAN_PARAGRAPHS) });
      await admin.expectReply("đã được gửi trước đây");
    }, 60_000);
  });
}

async function cancel(c: TestChat) {
  c.say("/huy");
  await c.expectReply(/Đã dừng/);
}
