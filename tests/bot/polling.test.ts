/**
 * Polling confirms an update to Telegram only after it was handled (issue 11 §4): an update still
 * being handled when the process dies is delivered again to the next process. Real grammY bots
 * polling the fake Bot API over HTTP; the "kill" is a poller abandoned mid-update.
 */
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot } from "grammy";
import { afterEach, expect, it } from "vitest";
import { runPolling } from "../../bot/polling.ts";
import { startFakeTelegram, type FakeBotApi } from "../support/telegram.ts";

const LAN = { id: 601, first_name: "Lan" };
const MINH = { id: 602, first_name: "Minh" };

let fake: FakeBotApi | undefined;
const runners: RunnerHandle[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) if (r.isRunning()) await r.stop().catch(() => undefined);
  await fake?.stop();
});

/** A bot whose handler of "chậm" never finishes (the process dies during it); records what it saw. */
function botSeeing(seen: string[]): Bot {
  const bot = new Bot(fake!.token, { client: { apiRoot: fake!.apiRoot }, botInfo: { id: 1, is_bot: true, first_name: "b", username: "b_bot" } as never });
  bot.on("message:text", async (ctx) => {
    seen.push(ctx.message.text);
    if (ctx.message.text === "chậm") await new Promise(() => undefined);
  });
  return bot;
}

async function until(cond: () => boolean, what: string, ms = 8000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Abandon the first poller with "chậm" in flight and later updates handled, then start a second one. */
async function killAndRestart(start: (bot: Bot) => RunnerHandle): Promise<string[]> {
  fake = await startFakeTelegram();
  const first: string[] = [];
  runners.push(start(botSeeing(first)));
  fake.userSays(LAN, "chậm");
  await until(() => first.includes("chậm"), "the slow update");
  fake.userSays(MINH, "nhanh");
  await until(() => first.includes("nhanh"), "a later update handled meanwhile");
  // let the first poller ask Telegram for more (an offset past "chậm" would confirm it)
  await new Promise((r) => setTimeout(r, 300));
  await runners[runners.length - 1]!.stop(); // the process dies: "chậm" never finished
  const second: string[] = [];
  runners.push(start(botSeeing(second)));
  fake.userSays(MINH, "sau");
  await until(() => second.includes("sau"), "the next update");
  return second;
}

it("an update being handled at a kill is delivered again (bot/polling.ts); grammY's run() had confirmed it", async () => {
  const ours = await killAndRestart((bot) => runPolling(bot, { timeoutSeconds: 1 }));
  expect(ours).toContain("chậm");
  for (const r of runners.splice(0)) if (r.isRunning()) await r.stop();
  await fake!.stop();
  fake = undefined;
  // the same scenario with the runner's defaults: "chậm" is lost (why bot/polling.ts exists)
  const theirs = await killAndRestart((bot) => run(bot, { runner: { fetch: { timeout: 1 } } }));
  expect(theirs).not.toContain("chậm");
});
