/**
 * Drives REAL grammY bots (runner and bot.start(), auto-retry, conversations v2) against the fake
 * Telegram server over HTTP, so the harness the end-to-end tests rely on is itself checked.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { conversations, createConversation, type Conversation, type ConversationFlavor } from "@grammyjs/conversations";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Bot, Context, GrammyError, InlineKeyboard, InputFile, InputMediaBuilder, Keyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { FakeBotApi, parseMultipart } from "../../bot/local/fake-bot-api.ts";
import { chat, startFakeTelegram } from "../support/telegram.ts";

const LAN = { id: 501, first_name: "Lan", username: "co_lan" };
const MINH = { id: 502, first_name: "Minh" };

/** A PNG header (3×2) followed by bytes that include multipart-looking sequences. */
function fakePng(): Buffer {
  const head = Buffer.from("89504e470d0a1a0a0000000d49484452000000030000000208060000", "hex");
  const noise = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
  return Buffer.concat([head, noise, Buffer.from("\r\n--boundary\r\n\r\n"), noise]);
}
const PNG = fakePng();
const DOC = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(3000, 0x0d), Buffer.from("\r\n\r\n--x--")]);

/** The tiny bot used by these tests. */
function tinyBot(fake: FakeBotApi): Bot {
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.command("start", (ctx) =>
    ctx.reply(`<b>Chào</b> ${ctx.from?.first_name}! Mã: <code>${ctx.match || "-"}</code>`, {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Giữ như kỳ trước", "keep").text("Bỏ qua", "skip"),
    }),
  );
  bot.callbackQuery(/^(keep|skip)$/, async (ctx) => {
    await ctx.answerCallbackQuery({ text: "Đã ghi" });
    await ctx.editMessageText(`Bạn chọn: ${ctx.match[1]}`);
  });
  bot.command("files", async (ctx) => {
    await ctx.replyWithPhoto(new InputFile(PNG, "bieu-do.png"), { caption: "Biểu đồ tiến độ" });
    await ctx.replyWithDocument(new InputFile(DOC, "Báo cáo tháng 10.docx"), {
      reply_markup: new InlineKeyboard().text("Tải lại", "again"),
    });
  });
  bot.command("phone", (ctx) => ctx.reply("Bấm nút để chia sẻ số", { reply_markup: new Keyboard().requestContact("Chia sẻ số điện thoại").oneTime() }));
  bot.on("message:contact", (ctx) => ctx.reply(`SĐT: ${ctx.message.contact.phone_number} (của ${ctx.message.contact.user_id})`));
  return bot;
}

let fake: FakeBotApi;
let runner: RunnerHandle | undefined;
let started: Bot | undefined;

afterEach(async () => {
  if (runner?.isRunning()) await runner.stop();
  if (started) await started.stop();
  runner = undefined;
  started = undefined;
  await fake?.stop();
});

describe("FakeBotApi with @grammyjs/runner", () => {
  it("delivers commands, keyboards, callback edits, uploads and contacts", async () => {
    fake = await startFakeTelegram();
    const bot = tinyBot(fake);
    await bot.api.setMyCommands([{ command: "start", description: "Bắt đầu" }, { command: "files", description: "Tệp" }]);
    expect(fake.commands.map((c) => c.command)).toEqual(["start", "files"]);
    expect(await bot.api.getMyCommands()).toHaveLength(2);
    await bot.api.setMyCommands([{ command: "baocao", description: "Nộp báo cáo" }], { scope: { type: "all_private_chats" } });
    expect(fake.commandsFor({ type: "all_private_chats" })).toEqual([{ command: "baocao", description: "Nộp báo cáo" }]);
    await expect(bot.api.setMyCommands([{ command: "/start", description: "x" }])).rejects.toMatchObject({ description: "Bad Request: BOT_COMMAND_INVALID" });
    runner = run(bot);
    const lan = chat(fake, LAN);

    lan.say("/start TK-HOAMAI");
    const hello = await lan.expectReply("Chào Lan! Mã: `TK-HOAMAI`");
    expect(hello.text).toBe("<b>Chào</b> Lan! Mã: <code>TK-HOAMAI</code>");
    expect(lan.lastButtons().map((b) => b.text)).toEqual(["Giữ như kỳ trước", "Bỏ qua"]);

    lan.tap("Bỏ qua");
    const edited = await lan.expectReply("Bạn chọn: skip");
    expect(edited.message_id).toBe(hello.message_id);
    const stored = fake.messages(LAN.id).find((m) => m.message_id === hello.message_id)!;
    expect(stored.text).toBe("Bạn chọn: skip");
    expect(stored.reply_markup).toBeUndefined(); // editMessageText without markup removes the keyboard
    expect(stored.edits[0]?.text).toContain("<b>Chào</b>");
    expect(fake.callbackAnswers.at(-1)).toMatchObject({ chat_id: LAN.id, text: "Đã ghi" });
    expect(() => lan.tap("Bỏ qua")).toThrow(/no such button/);

    lan.say("/files");
    const photo = await lan.expectReply("Biểu đồ tiến độ");
    expect(photo.photo?.bytes.equals(PNG)).toBe(true);
    expect(photo.photo).toMatchObject({ width: 3, height: 2, mime_type: "image/png", file_name: "bieu-do.png" });
    const doc = await fake.waitFor(LAN.id, (m) => m.document !== undefined);
    expect(doc.document?.file_name).toBe("Báo cáo tháng 10.docx");
    expect(doc.document?.bytes.equals(DOC)).toBe(true);
    expect(doc.reply_markup).toEqual({ inline_keyboard: [[{ text: "Tải lại", callback_data: "again" }]] });

    lan.say("/phone");
    const ask = await lan.expectReply("chia sẻ số");
    expect(ask.reply_markup).toMatchObject({ keyboard: [[{ text: "Chia sẻ số điện thoại", request_contact: true }]] });
    lan.contact("+84912000111");
    await lan.expectReply(`SĐT: +84912000111 (của ${LAN.id})`);

    const ids = fake.messages(LAN.id).map((m) => m.message_id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(fake.maxRate({ chatId: LAN.id, windowMs: 60_000 })).toBe(5);
  });

  it("retries once after a 429 with auto-retry, and surfaces 403 for a blocked chat", async () => {
    fake = await startFakeTelegram();
    const bot = tinyBot(fake);
    bot.api.config.use(autoRetry());
    runner = run(bot);
    fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const t0 = Date.now();
    chat(fake, LAN).say("/start");
    await fake.waitFor(LAN.id, (m) => /Chào/.test(m.text ?? ""), { timeout: 8000 });
    const sends = fake.calls.filter((c) => c.method === "sendMessage");
    expect(sends.map((c) => c.status)).toEqual([429, 200]);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeLessThan(5000);

    fake.blockChat(MINH.id);
    const blocked = await bot.api.sendMessage(MINH.id, "Nhắc nộp báo cáo").catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(GrammyError);
    expect(blocked).toMatchObject({ error_code: 403, description: "Forbidden: bot was blocked by the user" });

    fake.neverStarted(777);
    await expect(bot.api.sendMessage(777, "x")).rejects.toMatchObject({ error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" });
  });

  it("answers Telegram's errors for bad HTML, unchanged edits and unknown methods", async () => {
    fake = await startFakeTelegram();
    const bot = tinyBot(fake);
    await expect(bot.api.sendMessage(LAN.id, "Tỉ lệ < 50%", { parse_mode: "HTML" })).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining("can't parse entities") });
    await expect(bot.api.sendMessage(LAN.id, "<b>đậm <i>nghiêng</b></i>", { parse_mode: "HTML" })).rejects.toMatchObject({ error_code: 400 });
    await expect(bot.api.sendMessage(LAN.id, "")).rejects.toMatchObject({ description: "Bad Request: message text is empty" });
    await expect(bot.api.sendMessage(LAN.id, "x".repeat(4097))).rejects.toMatchObject({ description: "Bad Request: message is too long" });
    await expect(bot.api.sendMessage(LAN.id, "x", { reply_markup: new InlineKeyboard().text("A", "d".repeat(65)) })).rejects.toMatchObject({ description: "Bad Request: BUTTON_DATA_INVALID" });
    const m = await bot.api.sendMessage(LAN.id, "Tỉ lệ &lt; 50%", { parse_mode: "HTML" });
    expect(m.text).toBe("Tỉ lệ < 50%");
    await expect(bot.api.editMessageText(LAN.id, m.message_id, "Tỉ lệ &lt; 50%", { parse_mode: "HTML" })).rejects.toMatchObject({ description: expect.stringContaining("message is not modified") });
    await expect(bot.api.answerCallbackQuery("nope")).rejects.toMatchObject({ error_code: 400 });

    const album = await bot.api.sendMediaGroup(LAN.id, [InputMediaBuilder.photo(new InputFile(PNG, "a.png")), InputMediaBuilder.photo(new InputFile(PNG, "b.png"), { caption: "Hai biểu đồ" })]);
    expect(album).toHaveLength(2);
    const photos = fake.messages(LAN.id).filter((x) => x.photo);
    expect(photos.map((x) => [x.photo?.file_name, x.photo?.bytes.equals(PNG), x.caption])).toEqual([["a.png", true, undefined], ["b.png", true, "Hai biểu đồ"]]);

    const upload = fake.sendDocumentFromUser(LAN, { fileName: "ke-hoach.txt", bytes: Buffer.from("Kế hoạch 27/KH") });
    const fileId = (upload.message as { document: { file_id: string } }).document.file_id;
    const info = await bot.api.getFile(fileId);
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${info.file_path}`);
    expect(await download.text()).toBe("Kế hoạch 27/KH");
    expect(download.headers.get("content-type")).toBe("text/plain");

    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendPigeon`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
    const wrong = await fetch(`${fake.apiRoot}/bot1:WRONG/getMe`);
    expect(wrong.status).toBe(401);
  });

  it("accepts urlencoded bodies and query strings, parsing JSON fields", async () => {
    fake = await startFakeTelegram();
    const markup = JSON.stringify({ inline_keyboard: [[{ text: "Có", callback_data: "yes" }]] });
    const body = new URLSearchParams({ chat_id: String(LAN.id), text: "Xác nhận?", reply_markup: markup });
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: "POST", body });
    expect(await res.json()).toMatchObject({ ok: true, result: { text: "Xác nhận?", reply_markup: { inline_keyboard: [[{ text: "Có" }]] } } });
    const q = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage?chat_id=${LAN.id}&text=${encodeURIComponent("Chào")}`);
    expect(await q.json()).toMatchObject({ ok: true, result: { message_id: 2, text: "Chào", chat: { id: LAN.id, type: "private" } } });
    expect(fake.messages(LAN.id).map((m) => m.text)).toEqual(["Xác nhận?", "Chào"]);
  });

  it("parses multipart with quoted and unquoted filenames", () => {
    const body = Buffer.from(
      '--b1\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n5\r\n--b1\r\nContent-Disposition: form-data; name="f1"; filename="a b.txt"\r\nContent-Type: text/plain\r\n\r\nhi\r\n\r\n--b1\r\n' +
        "content-disposition:form-data;name=\"f2\";filename=Báo cáo.docx\r\ncontent-type:application/octet-stream\r\n\r\nxy\r\n--b1--\r\n",
    );
    const parts = parseMultipart(body, "b1");
    expect(parts.map((p) => [p.name, p.filename, p.bytes.toString()])).toEqual([
      ["chat_id", undefined, "5"],
      ["f1", "a b.txt", "hi\r\n"],
      ["f2", "Báo cáo.docx", "xy"],
    ]);
  });
});

describe("FakeBotApi long polling", () => {
  it("holds getUpdates until an update arrives or the timeout elapses, and confirms by offset", async () => {
    fake = await startFakeTelegram();
    const url = (q: string) => `${fake.apiRoot}/bot${fake.token}/getUpdates?${q}`;
    let t = Date.now();
    expect(await (await fetch(url("timeout=1"))).json()).toEqual({ ok: true, result: [] });
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);

    t = Date.now();
    const held = fetch(url("timeout=10")).then((r) => r.json() as Promise<{ result: Array<{ update_id: number }> }>);
    setTimeout(() => fake.userSays(LAN, "xin chào"), 200);
    const got = await held;
    expect(Date.now() - t).toBeLessThan(2000);
    expect(got.result).toHaveLength(1);
    const id = got.result[0]!.update_id;
    expect((await (await fetch(url(`offset=${id}`))).json()) as object).toMatchObject({ result: [{ update_id: id }] });
    expect(await (await fetch(url(`offset=${id + 1}`))).json()).toEqual({ ok: true, result: [] });

    t = Date.now();
    const release = fetch(url("timeout=30")).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 100));
    await fake.stop();
    expect(await release).toEqual({ ok: true, result: [] });
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("works with bot.start() and stops cleanly", async () => {
    fake = await startFakeTelegram();
    const bot = tinyBot(fake);
    started = bot;
    await new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
    const minh = chat(fake, MINH);
    minh.say("/start");
    await minh.expectReply("Chào Minh");
    minh.tap("keep");
    await minh.expectReply("Bạn chọn: keep");
    const t = Date.now();
    await bot.stop();
    started = undefined;
    await fake.stop();
    expect(Date.now() - t).toBeLessThan(3000);
    expect(fake.calls.filter((c) => c.method === "getMe")).toHaveLength(1);
  });

  it("reports idleness and times out with the last messages shown", async () => {
    fake = await startFakeTelegram();
    runner = run(tinyBot(fake));
    fake.userSays(LAN, "/start");
    await fake.waitForIdle({ quietMs: 200 });
    expect(fake.messages(LAN.id)).toHaveLength(1);
    await expect(fake.waitFor(LAN.id, (m) => m.text === "never", { timeout: 200 })).rejects.toThrow(/Last bot messages:[\s\S]*Chào[\s\S]*Giữ như kỳ trước/);
  });
});

describe("FakeBotApi with the conversations plugin (v2)", () => {
  type Ctx = ConversationFlavor<Context>;

  it("asks two questions and answers with what the user typed", async () => {
    fake = await startFakeTelegram();
    const bot = new Bot<Ctx>(fake.token, { client: { apiRoot: fake.apiRoot } });
    // The runner handles updates concurrently: without this, a reply typed right after the bot's
    // question can be handled before the conversation has saved its state, and is then lost.
    bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
    bot.use(conversations());
    async function survey(conversation: Conversation<Ctx, Context>, ctx: Context) {
      await ctx.reply("Tên trường của thầy/cô?");
      const name = await conversation.form.text();
      await ctx.reply("Trường có bao nhiêu học sinh?", { reply_markup: new InlineKeyboard().text("Không rõ", "unknown") });
      const answer = await conversation.wait();
      if (answer.callbackQuery) await answer.answerCallbackQuery();
      const count = answer.message?.text ?? "không rõ";
      await ctx.reply(`Đã ghi: ${name}, ${count} học sinh`);
    }
    bot.use(createConversation(survey, "survey"));
    bot.command("khaosat", (ctx) => ctx.conversation.enter("survey"));
    runner = run(bot);

    const lan = chat(fake, LAN);
    lan.say("/khaosat");
    await lan.expectReply("Tên trường");
    lan.say("TH Hoa Mai");
    await lan.expectReply("bao nhiêu học sinh");
    lan.say("412");
    await lan.expectReply("Đã ghi: TH Hoa Mai, 412 học sinh");

    const minh = chat(fake, MINH);
    minh.say("/khaosat");
    await minh.expectReply("Tên trường");
    minh.say("THCS Tân Kỳ");
    await minh.expectReply("bao nhiêu");
    minh.tap("Không rõ");
    await minh.expectReply("Đã ghi: THCS Tân Kỳ, không rõ học sinh");
    expect(fake.callbackAnswers.map((a) => a.chat_id)).toEqual([MINH.id]);
  });
});
