/**
 * Reminders and nudges go through a job queue (core/jobs/queue.ts): in memory on SQLite (one
 * process), BullMQ on PostgreSQL (shared by every instance). This file holds the one sending path
 * both use; the queue only decides when a job runs and which worker runs it.
 *
 *   scan  (cron REMINDER_CRON, Vietnam time): approval digests, then every due reminder becomes a
 *         "send" job whose id is built from unit, person, period and reminder slot, so two scans
 *         (or two instances) enqueue it once;
 *   send  claims the reminder in the Reminder table (sent once, even if the job runs twice), sends,
 *         settles it. Telegram's 429 pauses the whole queue for retry_after and runs the job again;
 *         5xx and network errors retry with exponential backoff; 403 marks the person unreachable.
 *
 * Limits: the queue starts at most 25 sends/s (across instances on BullMQ); one person's reminders
 * in one batch are spaced 1.1 s apart, and the Bot API throttler (create-bot.ts) keeps 1 message/s
 * per chat within a process.
 * Nudges (/nhac, the dashboard) are enqueued the same way; `deliver` waits for their outcome in
 * the Reminder table (whichever instance sent them) so the official is told what happened.
 */
import { Api, GrammyError, HttpError, InlineKeyboard, type Transformer } from "grammy";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { formatPeriod, parsePeriod } from "../core/reporting/periods.ts";
import { clip } from "../core/text.ts";
import { deadlineText } from "./messages/report.ts";
import { claimReminderLease, dueReminders, lastMessageTo, reminderKey, reminderStatuses, settleReminder, type ReminderItem } from "../core/reporting/reminders.ts";
import { metrics } from "../core/metrics.ts";
import type { BotDeps } from "./context.ts";
import { markUnreachable } from "../core/officials/access.ts";
import { sendApprovalDigests } from "./features/approval.ts";
import { runRetention } from "./features/privacy.ts";
import { createJobQueue, Postpone, RateLimited, type JobInfo, type JobQueue } from "../core/jobs/queue.ts";

export interface DeliveryResult {
  sent: number;
  failed: number;
  unreachable: string[];
  /** The users Telegram refused (blocked the bot or never pressed Start); now marked unreachable. */
  unreachableUserIds: number[];
  /** Already reminded (or being reminded) before: not sent again. */
  skipped: number;
  /** Still in the queue when `deliver` stopped waiting (they will be sent). */
  pending: number;
}

/** A reminder as stored in a job: no Telegram id (read when sending), the deadline as ISO text. */
export type QueuedReminder = Omit<ReminderItem, "telegramId" | "deadline"> & { deadline: string };
export type ReminderJob = { type: "scan" } | { type: "send"; item: QueuedReminder } | { type: "retention" };

/** When the daily retention run fires (Vietnam time): at night, away from the reminder hours. */
export const RETENTION_CRON = "30 2 * * *";

/** The job id of a reminder: unit, person, period and slot ("nudge:2026-03-16" → "nudge_2026-03-16": no ":" in ids). */
export function reminderJobId(i: Pick<ReminderItem, "unitId" | "userId" | "period" | "kind">): string {
  return `r-${i.unitId}-${i.userId}-${i.period}-${i.kind}`.replace(/[^A-Za-z0-9_.-]/g, "_");
}

/**
 * A reminder states the unit, the period and the deadline, and carries [Báo cáo ngay] and, when the
 * previous period's report exists, [Giữ nguyên như kỳ trước] (which opens the summary): an unchanged
 * report is two taps from a reminder.
 */
export function reminderView(item: Omit<ReminderItem, "telegramId">, now: Date): { text: string; keyboard: InlineKeyboard } {
  const period = parsePeriod(item.period);
  const when = deadlineText(item.deadline, now);
  // names cut as everywhere else in chat (a 5,000-character unit name must not make the reminder unsendable)
  const unit = clip(item.unitName, 120);
  const text = item.from
    ? `⏰ ${clip(item.from, 120)} nhắc: ${unit} chưa nộp báo cáo ${formatPeriod(period)} (${when}).`
    : `⏰ Nhắc báo cáo ${formatPeriod(period)} của ${unit} (${when}).`;
  const keyboard = new InlineKeyboard().text("📝 Báo cáo ngay", `b:per:${item.unitId}:${item.period}`);
  if (item.hasPrevious) keyboard.row().text("↩️ Giữ nguyên như kỳ trước", `b:keep:${item.unitId}:${item.period}`);
  return { text, keyboard };
}


/** The least time between two messages the queue sends to one person (Telegram: about 1 per second per chat). */
const CHAT_GAP_MS = 1200;

/**
 * Send one reminder (the job "send"): claim, send, settle. Returns what happened; throws to have
 * the queue run it again (RateLimited after a 429, the error itself after a 5xx or network error)
 * unless this is the job's last run, which records the failure instead.
 */
export async function sendReminder(api: Api, deps: BotDeps, q: QueuedReminder, job: Pick<JobInfo, "final">): Promise<"sent" | "skipped" | "unreachable" | "failed"> {
  const { db } = deps;
  const claim = await claimReminderLease(db, q);
  // another run holds a live claim (e.g. BullMQ re-ran a job whose process was killed mid-send):
  // wait for its lease; if it was killed, the claim is taken over then and the reminder sent
  if (!claim.claimed && claim.retryInMs !== undefined) throw new Postpone(claim.retryInMs);
  if (!claim.claimed) return "skipped";
  // 1 message/s per chat across instances: another reminder to this person started less than
  // CHAT_GAP_MS ago (seen in the Reminder table) → give the claim back and run again a bit later
  // (a message still in flight on another instance counts as just sent, unless its claim is stale)
  const last = await lastMessageTo(db, q);
  const since = last ? Date.now() - last.at.getTime() : Infinity;
  const gap = last?.inFlight && since < 30_000 ? 0 : since;
  if (gap < CHAT_GAP_MS) {
    await settleReminder(db, q, "retry", "spacing");
    throw new Postpone(CHAT_GAP_MS - Math.max(0, gap) + Math.floor(Math.random() * 300));
  }
  const user = await db.user.findUnique({ where: { id: q.userId }, select: { telegramId: true } });
  if (!user) {
    await settleReminder(db, q, "failed", "user removed");
    metrics.remindersFailed.inc({ reason: "error" });
    return "failed";
  }
  try {
    const view = reminderView({ ...q, deadline: new Date(q.deadline) }, deps.now());
    await api.sendMessage(user.telegramId, view.text, { reply_markup: view.keyboard });
    await settleReminder(db, q, "sent");
    metrics.remindersSent.inc();
    return "sent";
  } catch (e) {
    const code = e instanceof GrammyError ? e.error_code : undefined;
    const message = e instanceof Error ? e.message.slice(0, 200) : "";
    if (code === 403) {
      metrics.remindersFailed.inc({ reason: "unreachable" });
      await settleReminder(db, q, "unreachable", message);
      await markUnreachable(db, q.userId);
      return "unreachable";
    }
    const transient = code === 429 || (code !== undefined && code >= 500) || e instanceof HttpError;
    if (transient && !job.final) {
      await settleReminder(db, q, "retry", message);
      metrics.remindersRetried.inc({ reason: code === 429 ? "429" : "error" });
      if (code === 429) throw new RateLimited(Math.max(1, (e as GrammyError).parameters.retry_after ?? 1) * 1000);
      throw e;
    }
    metrics.remindersFailed.inc({ reason: "error" });
    await settleReminder(db, q, "failed", message);
    return "failed";
  }
}

export interface Reminders {
  readonly queue: JobQueue<ReminderJob>;
  /** Enqueue reminders (ids deduplicate); one person's reminders in this batch are spaced 1.1 s apart. */
  enqueue(items: ReminderItem[]): Promise<void>;
  /** Enqueue and wait (up to waitMs, default 25 s) until each is sent, refused or failed. */
  deliver(items: ReminderItem[], waitMs?: number): Promise<DeliveryResult>;
  /** Stop: no new jobs are taken; the running ones finish. */
  close(): Promise<void>;
}

export interface RemindersOptions {
  engine: "memory" | "bullmq";
  databaseUrl?: string;
  /** Scan cron (Vietnam time); null: no scheduled scans. */
  cron?: string | null;
  daysBefore?: number;
  /** Run a worker in this process (default true). */
  work?: boolean;
  /** Sends started per second (default 25). */
  ratePerSecond?: number;
  /** First retry delay after a 5xx (default 1000 ms, doubling; 6 runs in all). */
  backoffMs?: number;
  /**
   * Personal-data retention (PERSONAL_DATA_RETENTION_DAYS): a job daily on RETENTION_CRON and one
   * `firstDelayMs` (default 60 s) after start, deduplicated per hour across instances starting
   * together; on BullMQ one worker of all instances runs each. Absent: no retention runs.
   */
  retention?: { days: number; keepTelegramIds: string[]; firstDelayMs?: number };
}

/**
 * The Bot API client jobs send with: the bot's token and options, without the bot's autoRetry, so a
 * 429 reaches the queue (which pauses every worker for retry_after) instead of stalling one call
 * while the others keep hitting the flood limit. Throttled to 1 message/s per chat in this process.
 */
function senderApi(api: Api): Api {
  const sender = new Api(api.token, api.options);
  const count429: Transformer = async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (!res.ok && res.error_code === 429) metrics.tooManyRequests.inc({ method });
    return res;
  };
  sender.config.use(count429);
  sender.config.use(apiThrottler({ global: { reservoir: 25, reservoirRefreshAmount: 25, reservoirRefreshInterval: 1000, minTime: 40 } }));
  return sender;
}

/** The queue, its worker (scan and send jobs) and its scan schedule. */
export async function startReminders(botApi: Api, deps: BotDeps, opts: RemindersOptions): Promise<Reminders> {
  const api = senderApi(botApi);
  const queue = await createJobQueue<ReminderJob>({
    engine: opts.engine,
    name: "reminders",
    databaseUrl: opts.databaseUrl,
    ratePerSecond: opts.ratePerSecond ?? 25,
    backoffMs: opts.backoffMs,
    log: deps.log,
  });
  const enqueue = async (items: ReminderItem[]) => {
    const perChat = new Map<number, number>();
    await queue.add(
      items.map((item) => {
        const n = perChat.get(item.userId) ?? 0;
        perChat.set(item.userId, n + 1);
        const { telegramId: _omit, deadline, ...rest } = item;
        return { id: reminderJobId(item), name: "send", data: { type: "send", item: { ...rest, deadline: deadline.toISOString() } }, delayMs: n * 1100 };
      }),
    );
  };
  if (opts.work ?? true) {
    queue.work(async (job, info) => {
      if (job.type === "send") return void (await sendReminder(api, deps, job.item, info));
      if (job.type === "retention") return void (opts.retention && (await runRetention(deps, opts.retention)));
      await sendApprovalDigests(botApi, deps).catch((err) => deps.log("error", "approval digests failed", { err }));
      const items = await dueReminders(deps, deps.now(), opts.daysBefore ?? 3);
      if (items.length) await enqueue(items);
      deps.log("info", "reminder scan", { due: items.length });
    });
  }
  if (opts.cron) {
    await queue.schedule("reminder-scan", opts.cron, { name: "scan", data: { type: "scan" } });
    // one scan soon after start too (deduplicated per 5 minutes across instances starting together)
    await queue.add([{ id: `scan-start-${Math.floor(Date.now() / 300_000)}`, name: "scan", data: { type: "scan" }, delayMs: 5_000 }]);
  }
  if (opts.retention) {
    await queue.schedule("retention", RETENTION_CRON, { name: "retention", data: { type: "retention" } });
    await queue.add([{ id: `retention-start-${Math.floor(Date.now() / 3600_000)}`, name: "retention", data: { type: "retention" }, delayMs: opts.retention.firstDelayMs ?? 60_000 }]);
  }
  metrics.setQueueDepthSource(() => queue.depth());
  return {
    queue,
    enqueue,
    async deliver(items, waitMs = 25_000) {
      const result: DeliveryResult = { sent: 0, failed: 0, unreachable: [], unreachableUserIds: [], skipped: 0, pending: 0 };
      const before = await reminderStatuses(deps.db, items);
      // "sending" (possibly left by a killed process) and "retry" go through the queue again: the claim decides
      const fresh = items.filter((i) => !DONE.has(before.get(reminderKey(i)) ?? ""));
      result.skipped = items.length - fresh.length;
      await enqueue(fresh);
      const deadline = Date.now() + waitMs;
      let open = fresh;
      while (open.length) {
        const now = await reminderStatuses(deps.db, open);
        const still: ReminderItem[] = [];
        for (const item of open) {
          const status = now.get(reminderKey(item));
          if (status === "sent") result.sent++;
          else if (status === "failed") result.failed++;
          else if (status === "unreachable") {
            result.unreachable.push(item.unitName);
            result.unreachableUserIds.push(item.userId);
          } else still.push(item);
        }
        open = still;
        if (!open.length || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      result.pending = open.length;
      return result;
    },
    async close() {
      metrics.setQueueDepthSource(undefined);
      await queue.close();
    },
  };
}

/** A reminder in one of these states is not sent again. */
const DONE = new Set(["sent", "failed", "unreachable"]);

/** Bots built without a queue (tests, scripts): one in-memory queue per dependencies object. */
const fallback = new WeakMap<BotDeps, Promise<Reminders>>();

function remindersOf(api: Api, deps: BotDeps): Promise<Reminders> {
  if (deps.reminders) return Promise.resolve(deps.reminders);
  let r = fallback.get(deps);
  if (!r) fallback.set(deps, (r = startReminders(api, deps, { engine: "memory", cron: null })));
  return r;
}

/** Send reminders or nudges now, through the queue, and report the outcome (the nudge and the dashboard use it). */
export async function deliver(api: Api, deps: BotDeps, items: ReminderItem[], waitMs?: number): Promise<DeliveryResult> {
  return (await remindersOf(api, deps)).deliver(items, waitMs);
}
