/**
 * Cost of the re-ask loop: k invalid answers in a row through a
 * real bot (createBot with Telegram's flood limits on, as in production) on a fake Bot API, timing
 * each answer from the user's message to the bot's re-ask. Flat means the k-th answer costs about
 * what the first does: replayed API calls must not wait out the per-chat limit again.
 *
 *   npx tsx scripts/bench-replay.ts [--answers 8]
 * Prints one line per answer, then one JSON line.
 */
import { pathToFileURL } from "node:url";
import { seedSmallProvince, startTestBot } from "../tests/support/bot.ts";
import { chat } from "../tests/support/telegram.ts";

/** The most messages the bot sent the chat within any second during the last run (Telegram allows 1). */
export let perChatRate = 0;

export async function measureReplay(answers = 8, opts: { throttle?: boolean } = {}): Promise<number[]> {
  const tb = await startTestBot({ now: () => new Date("2026-03-10T03:00:00Z"), throttle: opts.throttle ?? true, setup: async (t) => void (await seedSmallProvince(t)) });
  try {
    const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply("Đã đăng ký", 20_000);
    lan.say("/baocao");
    await lan.expectReply("Chọn kỳ báo cáo", 20_000);
    lan.tap("tháng 3/2026");
    await lan.expectReply("Câu 1/7", 20_000);
    // Telegram's per-chat limit (1 message/s) applies to the setup's own replies: let it settle.
    await new Promise((r) => setTimeout(r, 1500));
    const times: number[] = [];
    for (let k = 0; k < answers; k++) {
      const t0 = performance.now();
      lan.say(`${55 + k}/50`); // more than the whole: invalid, re-asked
      await lan.expectReply(/không thể lớn hơn/, 60_000);
      times.push(performance.now() - t0);
      // the user reads the hint and types again a little later (the per-chat limit is 1 message/s)
      await new Promise((r) => setTimeout(r, 1100));
    }
    perChatRate = tb.fake.maxRate({ chatId: 501 });
    return times;
  } finally {
    await tb.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--answers");
  const n = i > 0 ? Number(process.argv[i + 1]) : 12;
  const times = await measureReplay(n);
  times.forEach((ms, k) => console.log(`invalid answer ${k + 1}: ${ms.toFixed(0)} ms`));
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  console.log(JSON.stringify({ answers: n, first_ms: Math.round(first), last_ms: Math.round(last), ratio_last_first: Number((last / Math.max(1, first)).toFixed(2)), ms: times.map(Math.round), max_messages_per_chat_per_s: perChatRate }));
  process.exit(0);
}
