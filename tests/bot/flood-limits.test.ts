/**
 * The bot's flood limits (bot/limits.ts, issue 11 §5): a reply to the private chat whose update is
 * being handled goes out at once; every other send keeps 1 message/s per chat and 25/s overall.
 * Timed against grammY's transformer chain with a recording transport (the limits are the unit).
 */
import { describe, expect, it } from "vitest";
import type { Context } from "grammy";
import { floodLimits, isReply, markReplies } from "../../bot/limits.ts";
import { createLogger, withLogContext } from "../../core/log.ts";

type Call = { chat: number; at: number };

function recorder() {
  const calls: Call[] = [];
  const t0 = performance.now();
  const prev = (async (_method: string, payload: { chat_id: number }) => {
    calls.push({ chat: payload.chat_id, at: performance.now() - t0 });
    return { ok: true, result: true };
  }) as never;
  return { calls, prev };
}

/** Run fn as the handling of an update from private chat `chatId`. */
function inUpdateOf(chatId: number, fn: () => Promise<void>): Promise<void> {
  const ctx = { chat: { id: chatId, type: "private" } } as unknown as Context;
  return markReplies()(ctx, fn) as Promise<void>;
}

describe("flood limits", () => {
  it("replies to the update's own chat are not spaced; a send to another chat from the same update is (1/s per chat)", async () => {
    const limits = floodLimits();
    const { calls, prev } = recorder();
    const send = (chat: number) => limits(prev, "sendMessage", { chat_id: chat, text: "x" } as never);
    await inUpdateOf(501, async () => {
      expect(isReply({ chat_id: 501 })).toBe(true);
      expect(isReply({ chat_id: 502 })).toBe(false);
      // five replies in a row: throttled at 1/s per chat they would take ≥ 4 s
      for (let i = 0; i < 5; i++) await send(501);
      // two messages to another chat (an official told of a submit): 1 s apart
      await send(502);
      await send(502);
    });
    const own = calls.filter((c) => c.chat === 501);
    expect(own).toHaveLength(5);
    expect(own[4]!.at - own[0]!.at).toBeLessThan(900);
    const other = calls.filter((c) => c.chat === 502);
    expect(other[1]!.at - other[0]!.at).toBeGreaterThanOrEqual(900);
  }, 20_000);

  it("outside an update (and for groups) every send is throttled: 25/s overall", async () => {
    const limits = floodLimits();
    const { calls, prev } = recorder();
    expect(isReply({ chat_id: 501 })).toBe(false);
    // 11 different chats at once: spaced 40 ms apart, so ≥ 400 ms from the first to the last
    await Promise.all(Array.from({ length: 11 }, (_, i) => limits(prev, "sendMessage", { chat_id: 600 + i, text: "x" } as never)));
    expect(calls).toHaveLength(11);
    const at = calls.map((c) => c.at).sort((a, b) => a - b);
    expect(at[10]! - at[0]!).toBeGreaterThanOrEqual(380);
    // a group's update does not make its sends replies
    const group = { chat: { id: -100, type: "group" } } as unknown as Context;
    await markReplies()(group, async () => expect(isReply({ chat_id: -100 })).toBe(false));
  }, 20_000);

  it("inside the update guard's log context (as in the bot): each concurrent update's replies are its own chat's", async () => {
    const base = createLogger("silent");
    const seen: Array<[number, boolean, boolean]> = [];
    const update = (chat: number, other: number) =>
      withLogContext(base, { update_id: chat }, () =>
        inUpdateOf(chat, async () => {
          await new Promise((r) => setTimeout(r, 5)); // the other update runs meanwhile
          seen.push([chat, isReply({ chat_id: chat }), isReply({ chat_id: other })]);
        }),
      );
    await Promise.all([update(701, 702), update(702, 701)]);
    expect(seen.sort()).toEqual([
      [701, true, false],
      [702, true, false],
    ]);
    // a group's update inside a log context: no replies
    await withLogContext(base, { update_id: 1 }, () =>
      markReplies()({ chat: { id: -100, type: "group" } } as unknown as Context, async () => expect(isReply({ chat_id: -100 })).toBe(false)) as Promise<void>,
    );
  });
});
