/**
 * Long polling that confirms an update to Telegram only after it was handled.
 *
 * grammY's runner (`run(bot)`) advances getUpdates' `offset` as soon as a batch is fetched, while
 * its updates are still being handled concurrently: an update in flight when the process dies was
 * already confirmed, and Telegram never sends it again (a "Gửi báo cáo" tap lost at a kill).
 * bot.start() confirms after handling but handles one update at a time for the whole bot.
 *
 * This keeps the runner's concurrent sink and source (so per-chat `sequentialize` and concurrency
 * work as before) with our own update supplier: the offset sent to Telegram is the lowest update
 * still being handled, so everything below it is handled; updates fetched again while still in
 * flight are not handed out twice. After a kill, Telegram delivers every unhandled update again and
 * the once-only claims (bot/update-guard.ts) skip the ones that finished.
 *
 * An update whose handling failed is tried again in this process (it stays unconfirmed meanwhile):
 * until its claim is released or goes stale when another instance holds it (UpdateInFlightError),
 * up to 3 times for other errors, then it is logged and confirmed.
 *
 *   const runner = runPolling(bot);   …   await runner.stop();
 */
import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from "@grammyjs/runner";
import { BotError, GrammyError, type Bot, type Context } from "grammy";
import type { Update } from "grammy/types";
import { UpdateInFlightError } from "./update-guard.ts";

export interface PollingOptions {
  /** Updates handled at once (default 500, as the runner). */
  concurrency?: number;
  /** Long-polling timeout in seconds (default 30). */
  timeoutSeconds?: number;
  /** Where a failure is reported (default console.error). */
  onError?: (msg: string, err: unknown) => void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function runPolling<C extends Context>(bot: Bot<C>, opts: PollingOptions = {}): RunnerHandle {
  const report = opts.onError ?? ((msg, err) => console.error(msg, err));
  /** Fetched and not yet handled (their ids keep the offset down). */
  const inFlight = new Set<number>();
  /** The highest update_id handed to the sink (-1: none yet). */
  let maxSeen = -1;
  let wake: (() => void) | null = null;
  const settled = (id: number) => {
    inFlight.delete(id);
    wake?.();
    wake = null;
  };
  /** Telegram forgets every update below the offset we send: only handled ones may be below it. */
  const offset = () => (inFlight.size > 0 ? Math.min(...inFlight) : maxSeen + 1);

  const supplier = {
    async supply(batchSize: number, signal: { aborted: boolean }): Promise<Update[]> {
      await bot.init();
      let retryIn = 100;
      for (;;) {
        let updates: Update[];
        try {
          updates = await bot.api.getUpdates(
            { offset: maxSeen < 0 ? 0 : offset(), limit: Math.max(1, Math.min(batchSize, 100)), timeout: opts.timeoutSeconds ?? 30 },
            signal as never,
          );
          retryIn = 100;
        } catch (e) {
          if (signal.aborted) throw e;
          // a wrong token or another poller (409) will not get better by retrying
          if (e instanceof GrammyError && (e.error_code === 401 || e.error_code === 409)) throw e;
          report("getUpdates failed; retrying", e);
          await sleep(retryIn);
          retryIn = Math.min(retryIn * 2, 15_000);
          continue;
        }
        const fresh = updates.filter((u) => u.update_id > maxSeen);
        for (const u of fresh) inFlight.add(u.update_id);
        if (fresh.length > 0) {
          maxSeen = fresh[fresh.length - 1]!.update_id;
          return fresh;
        }
        if (signal.aborted) return [];
        // Only updates still being handled came back: wait for one to finish before asking again.
        if (updates.length > 0) await new Promise<void>((r) => ((wake = r), setTimeout(r, 1000)));
      }
    },
  };

  const handle = async (update: Update, attempt = 1): Promise<void> => {
    try {
      await bot.handleUpdate(update);
      settled(update.update_id);
    } catch (err) {
      const cause = err instanceof BotError ? err.error : err;
      const inFlightElsewhere = cause instanceof UpdateInFlightError;
      if (inFlightElsewhere || attempt < 3) {
        // keep it unconfirmed and try again later (the sink moves on meanwhile)
        setTimeout(() => void handle(update, attempt + 1), inFlightElsewhere ? 3_000 : 1_000 * attempt).unref();
        return;
      }
      settled(update.update_id);
      try {
        await bot.errorHandler(err as BotError<C>);
      } catch (e) {
        report("update failed", e);
      }
    }
  };

  const source = createSource(supplier);
  const sink = createConcurrentSink<Update>({ consume: (u) => handle(u) }, async (e) => report("update failed", e), {
    concurrency: opts.concurrency ?? 500,
  });
  const runner = createRunner(source, sink);
  runner.start();
  return runner;
}
