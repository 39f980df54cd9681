/**
 * The first middleware of every update: log scope (update_id; user id once known; core/log.ts), metrics
 * (outcome, latency) and the once-only claim (core/updates/claims.ts).
 *
 * An error that reaches here (the feature error boundary already answered the user for errors
 * inside features; these are session, storage or database failures) releases the claim and is
 * rethrown: the webhook answers 500 and Telegram redelivers; the runner logs it.
 * A duplicate is skipped silently; an update in flight elsewhere throws UpdateInFlightError (the
 * webhook answers 500, so Telegram delivers it again later and it is then skipped or handled).
 */
import type { Context, MiddlewareFn } from "grammy";
import { logScope, scopeLogger, setLogScope } from "../core/log.ts";
import { metrics } from "../core/metrics.ts";
import { claimUpdate, finishUpdate, releaseUpdate } from "../core/updates/claims.ts";
import type { Logger } from "pino";
import type { Db } from "../core/db/client.ts";

export class UpdateInFlightError extends Error {
  override name = "UpdateInFlightError";
  constructor(readonly updateId: number) {
    super(`update ${updateId} is being handled elsewhere; Telegram will deliver it again`);
  }
}

/** Updates between receipt and finish, in this process. */
let inFlight = 0;
const idleWaiters: Array<() => void> = [];

/**
 * Resolves when no update is being handled (or after timeoutMs). The runner's stop() does not wait
 * for updates already handed to its sink, so shutdown waits here.
 */
export function updatesIdle(timeoutMs = 30_000): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    idleWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function leave() {
  inFlight--;
  if (inFlight === 0) for (const w of idleWaiters.splice(0)) w();
}

/** The outcome counters, looked up once (not by label on every update). */
const outcome = {
  ok: metrics.updatesHandled.labels("ok"),
  error: metrics.updatesHandled.labels("error"),
  duplicate: metrics.updatesHandled.labels("duplicate"),
  in_flight: metrics.updatesHandled.labels("in_flight"),
};

export function updateGuard<C extends Context>(opts: { db: Db; logger: Logger; dedupe: boolean; claimStaleMs?: number }): MiddlewareFn<C> {
  return async (ctx, next) => {
    inFlight++;
    try {
      await guarded(ctx, next);
    } finally {
      leave();
    }
  };
  async function guarded(ctx: C, next: () => Promise<void>) {
    const scope = logScope(opts.logger, { update_id: ctx.update.update_id });
    setLogScope(ctx, scope);
    const id = ctx.update.update_id;
    const stop = metrics.handlerSeconds.startTimer();
    if (opts.dedupe) {
      const claim = await claimUpdate(opts.db, id, new Date(), opts.claimStaleMs);
      if (claim === "duplicate") {
        outcome.duplicate.inc();
        scopeLogger(scope).info("duplicate update skipped");
        return;
      }
      if (claim === "in_flight") {
        outcome.in_flight.inc();
        throw new UpdateInFlightError(id);
      }
    }
    try {
      await next();
    } catch (e) {
      outcome.error.inc();
      stop();
      scopeLogger(scope).warn({ err: e }, "update failed; claim released for redelivery");
      if (opts.dedupe) await releaseUpdate(opts.db, id).catch(() => undefined);
      throw e;
    }
    if (opts.dedupe) await finishUpdate(opts.db, id);
    outcome.ok.inc();
    const seconds = stop();
    if (opts.logger.isLevelEnabled("debug")) scopeLogger(scope).debug({ ms: Math.round(seconds * 1000) }, "update handled");
  }
}
