/**
 * Prometheus metrics (prom-client), one registry per process, served at GET /metrics (web/server.ts).
 * Counters are incremented where the fact happens: core/reporting (answers stored, reports
 * submitted), bot/update-guard.ts (updates, latency), bot/reminders.ts (reminders), the Bot API
 * transformer in bot/create-bot.ts (429s), the job queue (core/jobs, bot/reminders.ts: retries, depth). No labels carry personal data or unbounded values.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  let depthSource: (() => Promise<number>) | undefined;
  collectDefaultMetrics({ register: registry, prefix: "cds_" });
  return {
    registry,
    updatesHandled: new Counter({
      name: "cds_updates_handled_total",
      help: "Telegram updates by outcome: ok, error (released for redelivery), duplicate (already handled), in_flight (handled elsewhere right now)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    handlerSeconds: new Histogram({
      name: "cds_update_handler_seconds",
      help: "Time to handle one Telegram update, claim to finish",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
      registers: [registry],
    }),
    answersStored: new Counter({ name: "cds_answers_stored_total", help: "Answers stored (draft answers and pending edits)", registers: [registry] }),
    reportsSubmitted: new Counter({ name: "cds_reports_submitted_total", help: "Report submissions (first submissions and confirmed edits)", registers: [registry] }),
    remindersSent: new Counter({ name: "cds_reminders_sent_total", help: "Reminders and nudges delivered", registers: [registry] }),
    remindersFailed: new Counter({
      name: "cds_reminders_failed_total",
      help: "Reminders that could not be delivered (unreachable: the person blocked the bot or never started it)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    remindersRetried: new Counter({
      name: "cds_reminders_retried_total",
      help: "Reminder sends put back in the queue: 429 (after its retry_after) or error (5xx or network, with backoff)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "cds_queue_depth",
      help: "Jobs (reminders, nudges, scans) waiting, delayed or running in the job queue",
      registers: [registry],
      async collect() {
        if (depthSource) this.set(await depthSource().catch(() => NaN));
      },
    }),
    /** Where cds_queue_depth is read from (the running job queue). */
    setQueueDepthSource(fn: (() => Promise<number>) | undefined) {
      depthSource = fn;
    },
    tooManyRequests: new Counter({
      name: "cds_telegram_429_total",
      help: "Bot API answers 429 Too Many Requests (each one, retried or not)",
      labelNames: ["method"] as const,
      registers: [registry],
    }),
    dbStatements: new Counter({
      name: "cds_db_statements_total",
      help: "SQL statements sent to the database through Prisma's driver adapter: read (queries returning rows), write (the others), tx (BEGIN, COMMIT, ROLLBACK)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The process's metrics. */
export const metrics: Metrics = createMetrics();
