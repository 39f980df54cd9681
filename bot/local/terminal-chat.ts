/**
 * A terminal stand-in for the Telegram app: a person types, the fake Telegram server hands it to
 * the bot as a real update, and the bot's messages are printed as readable text — inline keyboards
 * as numbered choices ("[1] Giữ như kỳ trước  [2] Bỏ qua"; type 1 to tap), photos and documents
 * saved to an outbox folder. Meta-commands start with "!" so they never collide with bot commands.
 *
 * Piped input (`printf '/start\n!thoat\n' | npm start`) is read one line at a time, each after the
 * bot has answered the previous one and gone quiet, so a piped session prints the same every time.
 *
 * @example
 * const fake = new FakeBotApi(); await fake.start();
 * const runner = run(createBot(fake.token, { apiRoot: fake.apiRoot }));
 * await runTerminalChat({ fake, personas: DEFAULT_PERSONAS });
 * await runner.stop(); await fake.stop();
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { BotEvent, BotMessage, CallbackAnswer, FakeBotApi, FakeUser, StoredFile } from "./fake-bot-api.ts";
import { formattedToText, keyboardChoices, renderChoices, type Choice } from "./render.ts";

/** A persona: a fake Telegram user; `phone` is shared when they press a "share contact" button. */
export type Persona = FakeUser & { phone?: string };

/** Fictional people for the four roles (ids are only meaningful to the fake Telegram). */
export const DEFAULT_PERSONAS: Record<string, Persona> = {
  focal: { id: 1001, first_name: "Lan", last_name: "Nguyễn Thị", username: "co_lan_hoamai", phone: "+84900000101" },
  official: { id: 1002, first_name: "Minh", last_name: "Trần Văn", username: "cb_minh", phone: "+84900000102" },
  citizen: { id: 1003, first_name: "Hà", last_name: "Lê Thu", phone: "+84900000103" },
  admin: { id: 1004, first_name: "Quản trị", username: "qt_demo", phone: "+84900000104" },
};

/** Options of {@link runTerminalChat}. */
export interface TerminalChatOptions {
  fake: FakeBotApi;
  personas: Record<string, Persona>;
  /** Persona to start as (default: the first one). */
  persona?: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Where photos and documents from the bot are saved (default data/outbox/). */
  outboxDir?: string;
  /** Piped input: how long the bot must stay quiet before the next line is read (default 1000 ms: charts take a moment). */
  quietMs?: number;
  /** Piped input: how long to wait for a first answer to a line (default 5000 ms). */
  replyWaitMs?: number;
}

const HELP = [
  "Các lệnh của khung trò chuyện (bắt đầu bằng !):",
  "  <số>                 bấm nút có số đó trên bàn phím mới nhất của bot",
  "  !chon <số>           bấm nút có số đó, kể cả khi bot đã gửi thêm tin sau bàn phím",
  "  !nguoi <vai>         đổi người dùng (vai: %ROLES%); bí danh: !persona",
  "  !lienhe <số ĐT>      chia sẻ số điện thoại với bot (như nút «Chia sẻ số điện thoại»)",
  "  !tep <đường dẫn>     gửi một tệp cho bot (ví dụ tệp kế hoạch .docx, .pdf, .txt)",
  "  !giup                xem hướng dẫn này",
  "  !thoat               thoát",
  "Mọi dòng khác được gửi cho bot như tin nhắn Telegram (ví dụ /start).",
].join("\n");

interface Keyboard {
  messageId: number;
  choices: Choice[];
  reply: boolean;
}

/** Runs the terminal chat until "!thoat" or the end of input. Does not stop the bot or the fake. */
export async function runTerminalChat(opts: TerminalChatOptions): Promise<void> {
  const { fake, personas, input = process.stdin, output = process.stdout, outboxDir = path.join("data", "outbox"), quietMs = 1000, replyWaitMs = 5000 } = opts;
  const names = Object.keys(personas);
  if (!names.length) throw new Error("runTerminalChat: give at least one persona");
  let current = opts.persona && personas[opts.persona] ? opts.persona : (names[0] ?? "");
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const ansi = Boolean((output as { isTTY?: boolean }).isTTY) && !process.env.NO_COLOR;
  const keyboards = new Map<number, Keyboard>();
  const rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  rl.setPrompt(`${current}> `);
  rl.on("SIGINT", () => rl.close()); // Ctrl+C ends the chat like !thoat

  const me = (): Persona => personas[current] as Persona;
  const write = (text: string) => {
    if (interactive) output.write("\r\x1b[K");
    output.write(`${text}\n`);
    if (interactive) rl.prompt(true);
  };
  const personaOf = (chatId: number) => names.find((n) => personas[n]?.id === chatId);

  const onEvent = (e: BotEvent) => {
    const msg = e.message;
    const isMine = e.chatId === me().id;
    if (e.kind === "deleted") {
      if (isMine) write(`🗑  (bot đã xoá tin #${msg.message_id})`);
      if (keyboards.get(e.chatId)?.messageId === msg.message_id && !keyboards.get(e.chatId)?.reply) keyboards.delete(e.chatId);
      return;
    }
    trackKeyboard(keyboards, e);
    const body = renderMessage(msg, e.kind, { ansi, outboxDir, tag: personaOf(e.chatId) ?? String(e.chatId) });
    if (isMine) write(body);
    else write(`📨 [tới ${personaOf(e.chatId) ?? `chat ${e.chatId}`}] ${body.replace(/^🤖 /, "")}`);
  };
  const onAnswer = (a: CallbackAnswer) => {
    if (a.text && a.chat_id === me().id) write(a.show_alert ? `⚠️  ${a.text}` : `💬 ${a.text}`);
  };
  const offEvent = fake.onEvent(onEvent);
  const offAnswer = fake.onCallbackAnswer(onAnswer);

  /** Piped input: wait until the bot answered (or stayed silent for replyWaitMs) and went quiet. */
  const settle = async (seq: number, answers: number) => {
    if (interactive) return;
    const chatId = me().id;
    // a silent answerCallbackQuery is not a reply: the message it precedes may still be on its way
    const replied = () =>
      fake.events.slice(seq).some((e) => e.chatId === chatId) || fake.callbackAnswers.slice(answers).some((a) => !!a.text);
    await fake.waitForIdle({ quietMs, timeout: 60_000 }).catch(() => undefined);
    if (!replied()) {
      await fake.waitFor(chatId, () => true, { since: seq, timeout: replyWaitMs }).catch(() => undefined);
      await fake.waitForIdle({ quietMs, timeout: 60_000 }).catch(() => undefined);
    }
  };

  const tap = (choice: Choice, kb: Keyboard): unknown => {
    if (choice.kind === "callback") return fake.tapButton(me(), choice.value, kb.messageId);
    if (choice.kind === "text") return fake.userSays(me(), choice.value);
    if (choice.kind === "contact") {
      const phone = me().phone;
      if (phone) return fake.shareContact(me(), phone);
      write("ℹ️  Gõ !lienhe <số điện thoại> để chia sẻ số điện thoại.");
      return undefined;
    }
    if (choice.kind === "url") write(`🔗 Mở liên kết: ${choice.value}`);
    else write("ℹ️  Nút này không dùng được trong khung trò chuyện.");
    return undefined;
  };

  /** Handles one typed line: "quit", "sent" (the bot got an update) or "local" (answered here). */
  const handleLine = (raw: string): "quit" | "sent" | "local" => {
    const line = raw.trim();
    if (!line) return "local";
    if (!interactive) write(`👤 ${current}: ${line}`);
    const number = /^\d{1,2}$/.test(line) ? Number(line) : undefined;
    const meta = /^!(\S+)\s*(.*)$/.exec(line);
    const kb = keyboards.get(me().id);
    if (number !== undefined && kb && isLive(fake, me().id, kb) && number >= 1 && number <= kb.choices.length) {
      return tap(kb.choices[number - 1] as Choice, kb) ? "sent" : "local";
    }
    if (!meta) {
      fake.userSays(me(), line);
      return "sent";
    }
    const [, cmd = "", arg = ""] = meta;
    switch (cmd.toLowerCase()) {
      case "thoat":
      case "quit":
        return "quit";
      case "giup":
      case "help":
        write(HELP.replace("%ROLES%", names.join("|")));
        return "local";
      case "nguoi":
      case "persona": {
        if (!arg) {
          write(`Bạn đang là «${current}». Các vai: ${names.map((n) => `${n} (${describe(personas[n] as Persona)})`).join(", ")}`);
        } else if (!personas[arg]) {
          write(`Không có vai «${arg}». Các vai: ${names.join(", ")}`);
        } else {
          current = arg;
          rl.setPrompt(`${current}> `);
          write(`👥 Bây giờ bạn là «${current}»: ${describe(me())}, Telegram id ${me().id}.`);
        }
        return "local";
      }
      case "lienhe": {
        const phone = arg.replace(/[^\d+]/g, "");
        if (/^\+?\d{8,15}$/.test(phone)) return fake.shareContact(me(), phone) && "sent";
        write("Cách dùng: !lienhe <số điện thoại>, ví dụ !lienhe 0912345678");
        return "local";
      }
      case "tep":
      case "file": {
        const file = arg.trim().replace(/^["']|["']$/g, "");
        if (!file || !existsSync(file) || !statSync(file).isFile()) {
          write("Cách dùng: !tep <đường dẫn tệp>, ví dụ !tep data/plans/ke-hoach.docx");
          return "local";
        }
        fake.sendDocumentFromUser(me(), { fileName: path.basename(file), bytes: readFileSync(file) });
        return "sent";
      }
      case "chon": {
        const n = Number(arg);
        const choice = kb?.choices[n - 1];
        if (kb && choice) return tap(choice, kb) ? "sent" : "local";
        write("Không có nút số đó. Bot chưa gửi bàn phím nào, hoặc số quá lớn.");
        return "local";
      }
      default:
        write(`Không hiểu lệnh «!${cmd}». Gõ !giup để xem các lệnh.`);
        return "local";
    }
  };

  write(`Trò chuyện thử với bot @${fake.botInfo.username}. Bạn đang là «${current}» (${describe(me())}). Gõ tin nhắn như trên Telegram, gõ số để bấm nút, !nguoi <vai> để đổi người, !giup để xem hướng dẫn, !thoat để thoát.`);
  if (interactive) rl.prompt();
  try {
    for await (const line of rl) {
      const seq = fake.seq;
      const answers = fake.callbackAnswers.length;
      const outcome = handleLine(line);
      if (outcome === "quit") break;
      if (outcome === "sent") await settle(seq, answers);
      if (interactive) rl.prompt();
    }
  } finally {
    offEvent();
    offAnswer();
    rl.close();
  }
  output.write("Tạm biệt.\n");
}

function describe(p: Persona): string {
  return [p.last_name, p.first_name].filter(Boolean).join(" ") + (p.username ? ` @${p.username}` : "");
}

/** Remembers the latest keyboard of each chat; an edit that removes it forgets it. */
function trackKeyboard(keyboards: Map<number, Keyboard>, e: BotEvent): void {
  const rm = e.message.reply_markup as { remove_keyboard?: boolean } | undefined;
  const rows = keyboardChoices(rm);
  const known = keyboards.get(e.chatId);
  if (rows.length) {
    keyboards.set(e.chatId, { messageId: e.message.message_id, choices: rows.flat(), reply: !("inline_keyboard" in (rm ?? {})) });
  } else if (rm?.remove_keyboard && known?.reply) {
    keyboards.delete(e.chatId);
  } else if (e.kind === "edited" && known?.messageId === e.message.message_id) {
    keyboards.delete(e.chatId);
  }
}

/** An inline keyboard is tapped by bare number only while it is on the bot's latest message. */
function isLive(fake: FakeBotApi, chatId: number, kb: Keyboard): boolean {
  if (kb.reply) return true;
  const latest = fake.messages(chatId).filter((m) => !m.deleted).at(-1);
  return latest?.message_id === kb.messageId;
}

/** Renders a bot message (saving its photo or document to the outbox). */
function renderMessage(msg: BotMessage, kind: BotEvent["kind"], { ansi, outboxDir, tag }: { ansi: boolean; outboxDir: string; tag: string }): string {
  const lines: string[] = [];
  const text = formattedToText(msg.text ?? msg.caption ?? "", msg.parse_mode, { ansi });
  const prefix = kind === "edited" ? `✏️  (sửa tin #${msg.message_id}) ` : "🤖 ";
  if (msg.photo) lines.push(`🖼  Ảnh đã lưu: ${saveFile(msg.photo, outboxDir, `${tag}-${msg.message_id}`)}`);
  if (msg.document) lines.push(`📎 Tệp «${msg.document.file_name}» đã lưu: ${saveFile(msg.document, outboxDir, `${tag}-${msg.message_id}`)}`);
  if (text) lines.push(text);
  let out = lines.map((l, i) => (i === 0 ? prefix : "   ") + l.split("\n").join("\n   ")).join("\n");
  if (!lines.length) out = `${prefix}(tin trống)`;
  const rows = keyboardChoices(msg.reply_markup);
  if (rows.length) {
    out += `\n   ${renderChoices(rows).split("\n").join("\n   ")}`;
    const hasContact = rows.flat().some((c) => c.kind === "contact");
    out += hasContact ? "\n   (Gõ số để bấm, hoặc !lienhe <số điện thoại> để chia sẻ số khác)" : "\n   (Gõ số để chọn)";
  }
  return out;
}

/** Writes a file the bot sent into the outbox; returns the path to show (relative when inside cwd). */
function saveFile(file: StoredFile, outboxDir: string, stem: string): string {
  mkdirSync(outboxDir, { recursive: true });
  const safe = file.file_name.replace(/[/\\:*?"<>|\x00-\x1f]/g, "_");
  const target = path.join(outboxDir, `${stem}-${safe}`);
  writeFileSync(target, file.bytes);
  const rel = path.relative(process.cwd(), target);
  return rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(target) : rel;
}
