/** Registration and boundaries through the bot: contact sharing, the command menu, another unit's report. */
import { afterEach, describe, expect, it } from "vitest";
import { publishCommands } from "../../bot/create-bot.ts";
import { createBot } from "../../bot/create-bot.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

describe("registration and boundaries", () => {
  let tb: TestBot;
  afterEach(async () => tb?.stop());

  it("registers a focal point by the phone number they share, whatever its format", async () => {
    tb = await startTestBot({ setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 511, first_name: "Lan" });
    lan.say("/start");
    await lan.expectReply("Chia sẻ số điện thoại");
    lan.contact("+84 900 000 101");
    await lan.expectReply("Trường Tiểu học Sao Mai");
    const user = await tb.t.db.user.findUniqueOrThrow({ where: { telegramId: "511" }, include: { memberships: true } });
    expect(user.memberships).toHaveLength(1);
  });

  it("refuses an unknown number, saying what to do next", async () => {
    tb = await startTestBot({ setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 512, first_name: "Lan" });
    lan.contact("0900000999");
    await lan.expectReply("chưa được khai báo");
    expect(await tb.t.db.membership.count()).toBe(0);
  });

  it("publishes the commands in Telegram's command menu", async () => {
    tb = await startTestBot();
    const bot = createBot(tb.fake.token, tb.deps, { apiRoot: tb.fake.apiRoot, throttle: false });
    await publishCommands(bot);
    expect(tb.fake.commands.map((c) => c.command)).toEqual(expect.arrayContaining(["start", "baocao", "huy", "trogiup"]));
  });

  it("a focal point who no longer serves a unit cannot act on its report", async () => {
    tb = await startTestBot({ now: () => new Date("2026-03-10T03:00:00Z"), setup: async (t) => void (await seedSmallProvince(t)) });
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký");
    lan.say("/baocao 2026-03");
    await lan.expectReply("Câu 1/7");
    await tb.t.db.membership.deleteMany(); // an admin moved the focal role to someone else
    const answered = new Promise((resolve) => tb.fake.onCallbackAnswer(resolve));
    lan.tap("Bỏ qua");
    expect(await answered).toMatchObject({ text: expect.stringContaining("không có quyền"), show_alert: true });
    lan.say("45/50");
    await tb.fake.waitForIdle();
    expect(await tb.t.db.answer.count()).toBe(0);
  });
});
