/**
 * Telegram's limits through the real bot (issue 11 §4): a summary too long for one message pages and
 * is still submitted; a 5,000-character unit name breaks nothing; over-long texts are split on line
 * boundaries with well-formed HTML; replays in the re-ask loop stay flat with the throttler on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat, type BotMessage } from "../support/telegram.ts";
import { htmlProblem, splitMessage } from "../../bot/telegram-text.ts";
import { inlineButtons } from "../../bot/local/fake-bot-api.ts";
import { measureReplay } from "../../scripts/bench-replay.ts";

const MARCH_25 = () => new Date("2026-03-25T03:00:00Z");
const LONG_NAME = `Trường Tiểu học ${"Sao Mai Rất Dài ".repeat(330)}`.trim(); // ≈ 5,000 characters

/** Every message the bot sent fits Telegram, and no call was refused. */
function expectAllFit(tb: TestBot) {
  const refused = tb.fake.calls.filter((c) => c.status !== 200 && c.method !== "getUpdates");
  expect(refused.map((c) => `${c.method} ${c.status}`)).toEqual([]);
  for (const c of tb.fake.calls) {
    const text = c.params.text ?? c.params.caption;
    if (typeof text === "string") {
      expect(text.length, `${c.method}`).toBeLessThanOrEqual(c.params.caption !== undefined ? 1024 : 4096);
      if (c.params.parse_mode === "HTML") expect(htmlProblem(text), text.slice(0, 200)).toBeUndefined();
    }
    for (const b of inlineButtons(c.params.reply_markup)) {
      expect(b.text.length).toBeLessThanOrEqual(64);
      if (b.callback_data) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  }
}

describe("splitMessage", () => {
  it("cuts on line boundaries, each part within the limit and well-formed HTML", () => {
    const html = `<b>Tiêu đề</b>\n<i>${Array.from({ length: 40 }, (_, i) => `${i}. <b>mục</b> ${"chữ &amp; số ".repeat(40)}`).join("\n")}</i>`;
    const parts = splitMessage(html, { html: true });
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(htmlProblem(p)).toBeUndefined();
    }
    // cut after whole lines: every part but the last ends a line
    for (const p of parts.slice(0, -1)) expect(p.replace(/(<\/[a-z]+>)+$/, "")).toMatch(/\n$/);
    expect(splitMessage("a".repeat(9000)).map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});

describe("Telegram's limits through the bot", () => {
  let tb: TestBot;
  afterEach(async () => tb?.stop());

  it("a summary over 4,096 characters pages with buttons, and the report is submitted", async () => {
    tb = await startTestBot({
      now: MARCH_25,
      setup: async (t) => {
        const { th } = await seedSmallProvince(t);
        await t.db.unit.update({ where: { id: th.id }, data: { name: LONG_NAME } });
      },
    });
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký");
    lan.say("/baocao");
    await lan.expectReply("Chọn kỳ báo cáo");
    lan.tap("tháng 3/2026");
    await lan.expectReply("Câu 1/7");
    const answers = ["5/50", "chưa", "chưa", "3/32", "chưa", "chưa", "5/50"];
    let reasons = 0;
    let last: BotMessage | null = null;
    for (const [i, a] of answers.entries()) {
      lan.say(a);
      last = await lan.expectReply(/lý do chưa đạt|Câu \d\/7|Tóm tắt/);
      if (/lý do chưa đạt/.test(last.text ?? "")) {
        reasons++;
        lan.say(`Lý do ${i + 1}: ${"thiếu thiết bị và kinh phí, giáo viên chưa được tập huấn đầy đủ; ".repeat(8)}`.slice(0, 500));
        last = await lan.expectReply(i === answers.length - 1 ? "Tóm tắt" : `Câu ${i + 2}/7`);
      }
    }
    expect(reasons).toBeGreaterThanOrEqual(6);
    const stored = await tb.t.db.answer.findMany({ where: { reason: { not: null } } });
    const fullLength = stored.reduce((n, a) => n + (a.reason?.length ?? 0), 0);
    expect(fullLength).toBeGreaterThan(3000); // with the questions and the header: over 4,096 in one message
    const page1 = last!;
    expect(page1.text).toContain("Tóm tắt (trang 1/");
    expect(page1.text).toContain(stored[0]!.reason!); // reasons shown whole, not cut
    lan.tap("Trang 2 ▶️");
    const page2 = await lan.expectReply("Tóm tắt (trang 2/");
    expect(page2.text).toContain(stored[stored.length - 1]!.reason!);
    expect(inlineButtons(page2.reply_markup).map((b) => b.text)).toContain("✅ Gửi báo cáo");
    lan.tap("Gửi báo cáo");
    await lan.expectReply(/Đã nộp báo cáo tháng 3\/2026/);
    expect((await tb.t.db.report.findFirstOrThrow()).status).toBe("submitted");
    expectAllFit(tb);
  });

  it("a 5,000-character unit name breaks neither /trehan, /tiendo, the chart, nor buttons", async () => {
    tb = await startTestBot({
      now: MARCH_25,
      setup: async (t) => {
        const { th, xa } = await seedSmallProvince(t);
        await t.db.unit.update({ where: { id: th.id }, data: { name: LONG_NAME } });
        await t.db.unit.create({ data: { code: "TH-B", name: `${LONG_NAME} Hai`, kind: "school", levels: "th", parentId: xa.id, path: "/SO-TEST/XA-A/TH-B/" } });
      },
    });
    const errors: string[] = [];
    tb.deps.log = (level, msg) => void (level === "error" && errors.push(msg));
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký");
    lan.say("/baocao");
    await lan.expectReply("Chọn kỳ báo cáo");
    lan.tap("tháng 3/2026");
    await lan.expectReply("Câu 1/7");
    lan.say("5/50");
    await lan.expectReply("lý do");
    // a reason cut at 500 characters never cuts an emoji in half (a lone surrogate cannot be stored)
    lan.say(`${"x".repeat(499)}😀 và hơn nữa`);
    await lan.expectReply("Câu 2/7");
    const reason = (await tb.t.db.answer.findFirstOrThrow({ where: { reason: { not: null } } })).reason!;
    expect(reason).toBe("x".repeat(499));
    const minh = chat(tb.fake, { id: 601, first_name: "Minh" });
    minh.say("/start inv_xa_a");
    await minh.expectReply("Đã đăng ký");
    minh.say("/trehan");
    await minh.expectReply("Tình hình báo cáo");
    minh.say("/tiendo");
    await minh.expectReply("Tiến độ chỉ tiêu");
    minh.say("trường nào chưa đạt chỉ tiêu chữ ký số tháng 3");
    await tb.fake.waitForIdle({ quietMs: 500, timeout: 30_000 });
    // the nudge names the unit too (the fuzz run found a 5,071-character nudge)
    minh.say("/nhac");
    // the preview is one message with its buttons: the name is cut as in /trehan
    const preview = await minh.expectReply("Sẽ gửi nhắc");
    expect(preview.text!.length).toBeLessThan(600);
    minh.tap("Gửi nhắc");
    await minh.expectReply("Kết quả nhắc", 15_000);
    const nudge = tb.fake.messages(501).find((m) => m.text?.includes("chưa nộp báo cáo tháng 3/2026"));
    expect(nudge?.text).toContain("Trường Tiểu học Sao Mai");
    expect(nudge!.text!.length).toBeLessThan(400);
    expect(errors).toEqual([]);
    expectAllFit(tb);
  });

  it("replays stay flat: the 6th invalid answer in a row costs about what the 1st does (throttler on)", async () => {
    const times = await measureReplay(6);
    // before: the k-th waited about k-1 seconds (5 s for the 6th); now each is one real reply
    expect(Math.max(...times)).toBeLessThan(1500);
  }, 60_000);
});
