/**
 * Test driver on top of the fake Telegram server: a started {@link FakeBotApi} and a small "chat"
 * object that plays one human. Each action (say/tap/contact) moves the chat's cursor to "now", and
 * `expectReply` waits for the first bot message or edit after the cursor that matches, then moves
 * the cursor past it — so replies are consumed in order and never matched twice.
 *
 * @example
 * const fake = await startFakeTelegram();
 * const lan = chat(fake, { id: 501, first_name: "Lan" });
 * lan.say("/start");
 * await lan.expectReply(/Xin chào/);
 * lan.tap("Bỏ qua");
 */
import { FakeBotApi, inlineButtons, plainText, type BotMessage, type FakeBotApiOptions, type FakeUser, type Update } from "../../bot/local/fake-bot-api.ts";

import { watchInternalCodes } from "./internal-codes.ts";

export { FakeBotApi, type BotMessage, type FakeUser } from "../../bot/local/fake-bot-api.ts";

/** Starts a fake Telegram server; stop it with `await fake.stop()` (after stopping the bot). */
export async function startFakeTelegram(options?: FakeBotApiOptions): Promise<FakeBotApi> {
  const fake = new FakeBotApi(options);
  await fake.start();
  // Every message the bot sends is scanned for internal codes; stopping the fake fails the test that showed one.
  const check = watchInternalCodes(fake);
  const stop = fake.stop.bind(fake);
  fake.stop = async () => {
    await stop();
    await check();
  };
  return fake;
}

/** One human in a private chat with the bot. */
export interface TestChat {
  user: FakeUser;
  chatId: number;
  say(text: string): Update;
  /** Taps an inline button of the latest bot message that has buttons, by visible text or callback data. */
  tap(buttonTextOrData: string): Update;
  contact(phone: string): Update;
  /** Waits for the next bot message (or edit) whose text/caption contains `matcher`. */
  expectReply(matcher: string | RegExp, timeout?: number): Promise<BotMessage>;
  /** The inline buttons of the latest bot message that has any. */
  lastButtons(): Array<{ text: string; callback_data?: string; url?: string }>;
  /** All bot messages in this chat. */
  messages(): BotMessage[];
}

/** A {@link TestChat} for `user` on `fake`. */
export function chat(fake: FakeBotApi, user: FakeUser): TestChat {
  let cursor = fake.seq;
  const act = (update: Update) => {
    cursor = Math.max(cursor, fake.seq);
    return update;
  };
  const withButtons = () => [...fake.messages(user.id)].reverse().find((m) => !m.deleted && inlineButtons(m.reply_markup).length > 0);
  return {
    user,
    chatId: user.id,
    say: (text) => act(fake.userSays(user, text)),
    contact: (phone) => act(fake.shareContact(user, phone)),
    tap(wanted) {
      const msg = withButtons();
      const buttons = msg ? inlineButtons(msg.reply_markup) : [];
      const hit =
        buttons.find((b) => b.text === wanted) ??
        buttons.find((b) => b.callback_data === wanted) ??
        buttons.find((b) => b.text.toLowerCase().includes(wanted.toLowerCase()));
      if (!msg || !hit?.callback_data) {
        throw new Error(`tap(${JSON.stringify(wanted)}): no such button. Latest buttons: ${buttons.map((b) => JSON.stringify(b.text)).join(", ") || "(none)"}`);
      }
      return act(fake.tapButton(user, hit.callback_data, msg.message_id));
    },
    async expectReply(matcher, timeout = 5000) {
      const test = (m: BotMessage) => {
        const texts = [plainText(m), m.text ?? m.caption ?? ""];
        return texts.some((t) => (typeof matcher === "string" ? t.includes(matcher) : matcher.test(t)));
      };
      let seq = cursor;
      const found = await fake.waitFor(user.id, (m, e) => test(m) && ((seq = e.seq), true), { timeout, since: cursor });
      cursor = Math.max(cursor, seq);
      return found;
    },
    lastButtons: () => {
      const msg = withButtons();
      return msg ? inlineButtons(msg.reply_markup) : [];
    },
    messages: () => fake.messages(user.id),
  };
}
