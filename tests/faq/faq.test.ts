/** Officials' FAQ: only officials write, for their own unit; citizens find published entries through Q&A, apart from plan quotes. */
import { afterEach, describe, expect, it } from "vitest";
import { addFaq, editFaq, listFaq, withdrawFaq } from "../../core/faq/index.ts";
import { createQaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { allDbTargets, freshDb, type DbTarget, type TestDb } from "../support/db.ts";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setup(target: DbTarget) {
  t = await freshDb(target);
  const xa = await t.db.unit.create({ data: { code: "XA-AB", name: "UBND xã An Bình", kind: "commune", levels: "xa", path: "/XA-AB/" } });
  const other = await t.db.unit.create({ data: { code: "XA-CD", name: "UBND xã Cẩm Đông", kind: "commune", levels: "xa", path: "/XA-CD/" } });
  const official = await t.db.user.create({ data: { telegramId: "7001", role: "official", officialUnitId: xa.id } });
  const neighbour = await t.db.user.create({ data: { telegramId: "7002", role: "official", officialUnitId: other.id } });
  const citizen = await t.db.user.create({ data: { telegramId: "7003" } });
  return { db: t.db, official, neighbour, citizen };
}

const ENTRY = {
  question: "Có đóng học phí qua ứng dụng ngân hàng được không?",
  answer: "Có. Từ học kỳ II, các trường trên địa bàn xã nhận học phí qua ứng dụng ngân hàng; phụ huynh xem hướng dẫn trên trang của trường.",
  link: "https://anbinh.example.vn/hoc-phi",
};

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`officials' FAQ (${target})`, () => {
    it("only an official publishes; entries are listed, edited and withdrawn by their own unit", async () => {
      const { db, official, neighbour, citizen } = await setup(target);
      expect(await addFaq(db, citizen, ENTRY)).toEqual({ ok: false, problem: "not_official" });
      expect(await addFaq(db, official, { ...ENTRY, link: "anbinh" })).toEqual({ ok: false, problem: "bad_link" });
      expect(await addFaq(db, official, { question: ENTRY.question, answer: "" })).toEqual({ ok: false, problem: "empty_answer" });
      const added = await addFaq(db, official, ENTRY);
      expect(added).toMatchObject({ ok: true, entry: { unitName: "UBND xã An Bình", status: "published", link: ENTRY.link } });
      expect((await listFaq(db, official)).map((f) => f.question)).toEqual([ENTRY.question]);
      expect(await listFaq(db, neighbour)).toEqual([]);
      expect(await withdrawFaq(db, neighbour, 1)).toEqual({ ok: false, problem: "not_found" }); // not theirs
      const edited = await editFaq(db, official, 1, { question: ENTRY.question, answer: "Có, từ học kỳ II." });
      expect(edited).toMatchObject({ ok: true, entry: { answer: "Có, từ học kỳ II.", link: null } });
      expect(await withdrawFaq(db, official, 1)).toMatchObject({ ok: true, entry: { status: "withdrawn" } });
      expect(await listFaq(db, official)).toEqual([]);
    });

    it("Q&A finds a published entry as 'Giải đáp của <unit> (<date>)', apart from plan quotes, and forgets it once withdrawn", async () => {
      const { db, official } = await setup(target);
      await addFaq(db, official, ENTRY);
      const qa = await createQaEngine({ faqDb: db, words: QA_WORDS });
      const r = await qa.ask("Đóng học phí qua ứng dụng ngân hàng được không?");
      expect(r.status).toBe("answered");
      expect(r.answer.split("\n")[0]).toMatch(/^Giải đáp của UBND xã An Bình \(\d\d\/\d\d\/\d{4}\): Có\. Từ học kỳ II/);
      expect(r.citations[0]).toMatchObject({ file: "faq" });
      // a plan question is still answered from the plans, not from the FAQ
      const plan = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?");
      expect(plan.citations.every((c) => c.file !== "faq")).toBe(true);
      await withdrawFaq(db, official, 1);
      await qa.reload();
      const after = await qa.ask("Đóng học phí qua ứng dụng ngân hàng được không?");
      expect(after.answer).not.toContain("Giải đáp của");
    });
  });
}
