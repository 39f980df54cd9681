/**
 * The bot's flood limits (bot/limits.ts, issue 11 §5): a reply to the private chat whose update is
 * being handled goes out at once; every other send keeps 1 message/s per chat and 25/s overall.
 * Timed against grammY's transformer chain with a recording transport (the limits are the unit).
 */
import { describe, expect, it } from "vitest";
import type { Context, Transformer } from "grammy";
import { floodLimits, isReply, markReplies } from "../../bot/limits.ts";

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

type Send = (chat: number) => Promise<unknown>;

/**
 * Run fn as the handling of an update from chat `chatId` (private unless `type` says otherwise):
 * fn gets `send`, a sendMessage through what markReplies installed on the update's Api (as
 * ctx.reply goes), then the limits, then `prev`; and `reply(payload)`: would the limits see that
 * call as a reply (isReply with the signal such a call carries)?
 */
function inUpdateOf(chatId: number, limits: Transformer, prev: never, fn: (send: Send, reply: (payload: unknown) => boolean) => Promise<void>, type = "private"): Promise<void> {
  const installed: Transformer[] = [];
  const ctx = { chat: { id: chatId, type }, api: { config: { use: (...t: Transformer[]) => installed.push(...t) } } } as unknown as Context;
  // what the update's Api does: its transformers (outermost last), then the limits
  const call = (payload: unknown, last: Transformer = limits): Promise<unknown> => {
    let next: (m: string, pl: unknown, sig: unknown) => Promise<unknown> = (m, pl, sig) => last(prev, m as never, pl as never, sig as never) as Promise<unknown>;
    for (const t of installed) {
      const inner = next;
      next = (m, pl, sig) => t(inner as never, m as never, pl as never, sig as never) as Promise<unknown>;
    }
    return next("sendMessage", payload, undefined);
  };
  return markReplies()(ctx, async () => {
    let signal: Parameters<Transformer>[3];
    await call({}, (_p, _m, _pl, sig) => ((signal = sig), Promise.resolve({ ok: true, result: true }) as never));
    await fn((chat) => call({ chat_id: chat, text: "x" }), (payload) => isReply(payload, signal));
  }) as Promise<void>;
}

describe("flood limits", () => {
  it("replies to the update's own chat are not spaced; a send to another chat from the same update is (1/s per chat)", async () => {
    const limits = floodLimits();
    const { calls, prev } = recorder();
    await inUpdateOf(501, limits, prev, async (send, reply) => {
      expect(reply({ chat_id: 501 })).toBe(true);
      expect(reply({ chat_id: 502 })).toBe(false);
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
    // 11 different chats at once: spaced 40 ms apart, so 400 ms from the first to the last (unthrottled: ~0 ms).
    // The bound leaves room for a first send that starts late on a loaded machine (the limiter spaces
    // from when each was scheduled, the recorder stamps when it ran): 380 failed once under load 7.
    await Promise.all(Array.from({ length: 11 }, (_, i) => limits(prev, "sendMessage", { chat_id: 600 + i, text: "x" } as never)));
    expect(calls).toHaveLength(11);
    const at = calls.map((c) => c.at).sort((a, b) => a - b);
    expect(at[10]! - at[0]!).toBeGreaterThanOrEqual(300);
    // a group's update does not make its sends replies
    await inUpdateOf(-100, limits, prev, async (_send, reply) => expect(reply({ chat_id: -100 })).toBe(false), "group");
  }, 20_000);

  it("concurrent updates: each one's replies are its own chat's", async () => {
    const limits = floodLimits();
    const { prev } = recorder();
    const seen: Array<[number, boolean, boolean]> = [];
    const update = (chat: number, other: number) =>
      inUpdateOf(chat, limits, prev, async (_send, reply) => {
        await new Promise((r) => setTimeout(r, 5)); // the other update runs meanwhile
        seen.push([chat, reply({ chat_id: chat }), reply({ chat_id: other })]);
      });
    await Promise.all([update(701, 702), update(702, 701)]);
    expect(seen.sort()).toEqual([
      [701, true, false],
      [702, true, false],
    ]);
  });
});
