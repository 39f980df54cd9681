/**
 * Runs the terminal chat on piped text against a tiny real grammY bot served by the fake Telegram,
 * and checks what a person would read: keyboards as numbered choices, tapping by number, persona
 * switching, contact sharing and photos saved to the outbox.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot, InlineKeyboard, InputFile, Keyboard } from "grammy";
import { afterEach, beforeEach, expect, it } from "vitest";
import { FakeBotApi } from "../../bot/local/fake-bot-api.ts";
import { htmlToText, markdownToText } from "../../bot/local/render.ts";
import { DEFAULT_PERSONAS, runTerminalChat } from "../../bot/local/terminal-chat.ts";

const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d4948445200000010000000100806000000", "hex"), Buffer.alloc(500, 7)]);

let fake: FakeBotApi;
let runner: RunnerHandle;
let outbox: string;

beforeEach(async () => {
  fake = new FakeBotApi();
  await fake.start();
  const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bot.command("start", (ctx) =>
    ctx.reply(`Chào <b>${ctx.from?.first_name}</b>! Tháng này trường có thay đổi không?`, {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text("Giữ như kỳ trước", "keep").text("Bỏ qua", "skip").row().url("Xem kế hoạch", "https://example.edu.vn/kh"),
    }),
  );
  bot.callbackQuery(/^(keep|skip)$/, async (ctx) => {
    await ctx.answerCallbackQuery({ text: "Đã ghi nhận" });
    await ctx.editMessageText(ctx.match[1] === "keep" ? "✅ Giữ như kỳ trước." : "⏭ Đã bỏ qua.");
  });
  bot.command("bieudo", (ctx) => ctx.replyWithPhoto(new InputFile(PNG, "tien-do.png"), { caption: "Tiến độ <i>tháng 10</i>", parse_mode: "HTML" }));
  bot.command("sdt", (ctx) => ctx.reply("Chia sẻ số điện thoại để xác minh:", { reply_markup: new Keyboard().requestContact("📱 Chia sẻ số").resized() }));
  bot.on("message:contact", (ctx) => ctx.reply(`Đã nhận số ${ctx.message.contact.phone_number}`, { reply_markup: { remove_keyboard: true } }));
  bot.on("message:text", (ctx) => ctx.reply(`Bạn (${ctx.from.first_name}) viết: ${ctx.message.text}`));
  bot.on("message:document", async (ctx) => {
    const file = await ctx.getFile();
    const bytes = Buffer.from(await (await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`)).arrayBuffer());
    await ctx.reply(`Đã nhận tệp ${ctx.message.document.file_name}: ${bytes.length} byte, bắt đầu “${bytes.toString("utf8").slice(0, 8)}”`);
  });
  runner = run(bot);
  outbox = mkdtempSync(path.join(os.tmpdir(), "outbox-"));
});

afterEach(async () => {
  if (runner.isRunning()) await runner.stop();
  await fake.stop();
  rmSync(outbox, { recursive: true, force: true });
});

/** Pipes `lines` into the terminal chat and returns everything it printed. */
async function session(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (d: Buffer) => (printed += d.toString("utf8")));
  input.end(lines.map((l) => `${l}\n`).join(""));
  await runTerminalChat({ fake, personas: DEFAULT_PERSONAS, input, output, outboxDir: outbox, quietMs: 150, replyWaitMs: 600 });
  return printed;
}

it("shows keyboards as numbered choices and taps them by number", async () => {
  const out = await session(["/start", "2", "!thoat", "this line is never read"]);
  expect(out).toMatch(/^Trò chuyện thử với bot @cds_demo_bot\. Bạn đang là «focal»/);
  expect(out).toContain("🤖 Chào Lan! Tháng này trường có thay đổi không?");
  expect(out).toContain("[1] Giữ như kỳ trước  [2] Bỏ qua\n   [3] Xem kế hoạch ↗ https://example.edu.vn/kh");
  expect(out).toContain("💬 Đã ghi nhận");
  expect(out).toMatch(/✏️ {2}\(sửa tin #\d+\) ⏭ Đã bỏ qua\./);
  expect(out.trimEnd().endsWith("Tạm biệt.")).toBe(true);
  expect(fake.updates).toHaveLength(2); // the line after !thoat was not sent
  expect(fake.updates[1]).toMatchObject({ callback_query: { data: "skip", from: { id: DEFAULT_PERSONAS.focal!.id } } });
});

it("sends a file with !tep, which the bot downloads", async () => {
  const file = path.join(outbox, "ke-hoach.txt");
  writeFileSync(file, "Kế hoạch chuyển đổi số năm 2027");
  const out = await session([`!tep ${file}`, "!tep khong-co.txt"]);
  expect(out).toContain(`Đã nhận tệp ke-hoach.txt: ${Buffer.byteLength("Kế hoạch chuyển đổi số năm 2027")} byte, bắt đầu “Kế hoạch”`);
  expect(out).toContain("Cách dùng: !tep <đường dẫn tệp>");
});

it("sends a bare number as text once the keyboard is no longer the latest message", async () => {
  const out = await session(["/start", "xin chào", "1"]);
  expect(out).toContain("Bạn (Lan) viết: xin chào");
  expect(out).toContain("Bạn (Lan) viết: 1");
  expect(fake.updates.some((u) => "callback_query" in u)).toBe(false);
});

it("switches persona, shares a contact and saves photos to the outbox", async () => {
  const out = await session(["!nguoi official", "/start", "!nguoi khach", "/sdt", "1", "!persona citizen", "!lienhe 0912 345 678", "/bieudo", "!giup", "!abc"]);
  expect(out).toContain("👥 Bây giờ bạn là «official»: Trần Văn Minh @cb_minh");
  expect(out).toContain("🤖 Chào Minh!");
  expect(out).toContain("Không có vai «khach»");
  expect(out).toContain("[1] 📱 Chia sẻ số (gửi số điện thoại)");
  expect(out).toContain(`Đã nhận số ${DEFAULT_PERSONAS.official!.phone}`);
  expect(out).toContain("👥 Bây giờ bạn là «citizen»");
  expect(out).toContain("Đã nhận số 0912345678");
  expect(out).toContain("!nguoi <vai>         đổi người dùng (vai: focal|official|citizen|admin)");
  expect(out).toContain("Không hiểu lệnh «!abc»");
  const saved = readdirSync(outbox);
  expect(saved).toHaveLength(1);
  expect(saved[0]).toMatch(/^citizen-\d+-tien-do\.png$/);
  expect(readFileSync(path.join(outbox, saved[0]!)).equals(PNG)).toBe(true);
  expect(out).toMatch(/🖼 {2}Ảnh đã lưu: .*tien-do\.png\n {3}Tiến độ tháng 10/);
  expect(fake.messages(DEFAULT_PERSONAS.official!.id).length).toBeGreaterThan(0);
  expect(fake.messages(DEFAULT_PERSONAS.focal!.id)).toHaveLength(0);
});

it("prints messages the bot sends to other personas with who they went to", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (d: Buffer) => (printed += d.toString("utf8")));
  const done = runTerminalChat({ fake, personas: DEFAULT_PERSONAS, input, output, outboxDir: outbox, quietMs: 150, replyWaitMs: 300 });
  await fake.waitForIdle({ quietMs: 50 });
  const reminder = fake.waitFor(DEFAULT_PERSONAS.official!.id, () => true);
  await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: DEFAULT_PERSONAS.official!.id, text: "Nhắc: <b>3 trường</b> chưa nộp", parse_mode: "HTML" }),
  });
  await reminder;
  input.end("!thoat\n");
  await done;
  expect(printed).toContain("📨 [tới official] Nhắc: 3 trường chưa nộp");
});

it("renders Telegram HTML as plain text", () => {
  expect(htmlToText('<b>Hạn</b>: <a href="https://x.vn/a?b=1&amp;c=2">xem</a> &lt;50% <code>NB-03</code>')).toBe("Hạn: xem (https://x.vn/a?b=1&c=2) <50% `NB-03`");
  expect(htmlToText("<pre>a\nb</pre>")).toBe("    a\n    b");
  expect(htmlToText("<blockquote>Trích kế hoạch</blockquote>")).toBe("│ Trích kế hoạch");
  expect(htmlToText("<b>x</b>", { ansi: true })).toBe("\x1b[1mx\x1b[22m");
  expect(markdownToText("*Hạn nộp* ngày 05\\.11 \\- xem [kế hoạch](https://x.vn)")).toBe("Hạn nộp ngày 05.11 - xem kế hoạch (https://x.vn)");
});
