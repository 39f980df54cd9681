/**
 * A job queue with one interface and two engines (QUEUE in core/config.ts):
 *
 *   memory  in this process (SQLite mode: one process). Jobs waiting at shutdown are dropped; the
 *           next reminder scan finds them again (the Reminder table keeps each reminder once).
 *   bullmq  BullMQ 6 on its PostgreSQL backend, in the bot's own database (schema "bullmq", or
 *           "<schema>_jobs" when DATABASE_URL names a schema). Every instance runs a worker on
 *           the same queue: a job is taken by one of them, the limiter and 429 pauses are shared.
 *
 * Either way:
 *   - a job id is given by the caller (no ":"; BullMQ refuses it): adding an id already known is a no-op;
 *   - at most `ratePerSecond` jobs start per second (across instances with bullmq), spaced evenly in memory;
 *   - a handler that throws {@link RateLimited} pauses the whole queue for that long (Telegram's
 *     retry_after) and the job runs again without using up an attempt; {@link Postpone} delays
 *     only that job;
 *   - any other error retries the job with exponential backoff, `attempts` times in all; the handler
 *     is told when it runs for the last time (`final`) so it can record the failure instead;
 *   - `schedule(key, cron)` runs a job on a cron pattern read in Asia/Ho_Chi_Minh time;
 *   - `close()` stops taking jobs and waits for the ones running (SIGTERM).
 *
 *   const q = await createJobQueue<Data>({ engine: "memory", name: "reminders" });
 *   q.work(async (data, job) => { … });
 *   await q.add([{ id: "r-1-2-2026-03-before-3", name: "send", data }]);
 */
import { CronExpressionParser } from "cron-parser";

export const QUEUE_TZ = "Asia/Ho_Chi_Minh";

export interface JobSpec<T> {
  /** Unique per piece of work: letters, digits, "_", "-" and "." only. */
  id: string;
  name: string;
  data: T;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface JobInfo {
  id: string;
  name: string;
  /** 1 for the first run. */
  attempt: number;
  /** No retry follows if this run throws. */
  final: boolean;
}

export type JobHandler<T> = (data: T, job: JobInfo) => Promise<void>;

/** Thrown by a handler when Telegram answered 429: every worker of the queue waits `ms`, then the job runs again. */
export class RateLimited extends Error {
  override name = "RateLimited";
  constructor(readonly ms: number) {
    super(`rate limited for ${ms} ms`);
  }
}

/** Thrown by a handler that must wait (e.g. the chat got a message less than a second ago): the job runs again after `ms`, no attempt used. */
export class Postpone extends Error {
  override name = "Postpone";
  constructor(readonly ms: number) {
    super(`postponed for ${ms} ms`);
  }
}

export interface JobQueueOptions {
  engine: "memory" | "bullmq";
  name: string;
  /** bullmq: the PostgreSQL DATABASE_URL (the queue's tables go in their own schema of that database). */
  databaseUrl?: string;
  /** Jobs started per second (default 25: Telegram allows about 30 messages/s per bot). */
  ratePerSecond?: number;
  /** Jobs running at once per worker (default 5). */
  concurrency?: number;
  /** Runs per job in all, first included (default 6). */
  attempts?: number;
  /** First retry delay; doubles each time (default 1000 ms). */
  backoffMs?: number;
  /** Where worker errors go (never personal data). */
  log?: (level: "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

export interface JobQueue<T> {
  readonly engine: "memory" | "bullmq";
  add(jobs: Array<JobSpec<T>>): Promise<void>;
  /** Process jobs in this process (one worker per call). */
  work(handler: JobHandler<T>): void;
  /** Add `job` on the cron `pattern`, read in Vietnam time (idempotent per key across instances). */
  schedule(key: string, pattern: string, job: Omit<JobSpec<T>, "id" | "delayMs">): Promise<void>;
  /** Jobs waiting, delayed (incl. retries and the next scheduled run) or running. */
  depth(): Promise<number>;
  /** Stop taking jobs; resolves when the running ones have finished. */
  close(): Promise<void>;
}

const ID_RE = /^[A-Za-z0-9_.-]{1,200}$/;

export function assertJobId(id: string): void {
  if (!ID_RE.test(id)) throw new Error(`job id "${id}" may only contain letters, digits, "_", "-" and "."`);
}

/** The next time `pattern` fires after `from`, in Vietnam time (throws on an invalid pattern). */
export function nextCronRun(pattern: string, from: Date = new Date()): Date {
  return CronExpressionParser.parse(pattern, { tz: QUEUE_TZ, currentDate: from }).next().toDate();
}

export async function createJobQueue<T>(opts: JobQueueOptions): Promise<JobQueue<T>> {
  const settings = {
    ratePerSecond: opts.ratePerSecond ?? 25,
    concurrency: opts.concurrency ?? 5,
    attempts: opts.attempts ?? 6,
    backoffMs: opts.backoffMs ?? 1000,
  };
  if (opts.engine === "memory") return new MemoryQueue<T>(settings, opts.log);
  if (!opts.databaseUrl) throw new Error("the bullmq queue needs a PostgreSQL databaseUrl");
  return createBullQueue<T>(opts.name, opts.databaseUrl, settings, opts.log);
}

type Settings = { ratePerSecond: number; concurrency: number; attempts: number; backoffMs: number };
type Waiting<T> = { spec: JobSpec<T>; attempt: number; readyAt: number };

/** In-process engine: one worker, jobs in memory, ids remembered for a day. */
class MemoryQueue<T> implements JobQueue<T> {
  readonly engine = "memory" as const;
  private readonly known = new Map<string, number>();
  private readonly waiting: Array<Waiting<T>> = [];
  private active = 0;
  private pausedUntil = 0;
  private nextStart = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly crons = new Set<NodeJS.Timeout>();
  private handler: JobHandler<T> | undefined;
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly s: Settings,
    private readonly log?: JobQueueOptions["log"],
  ) {}

  async add(jobs: Array<JobSpec<T>>): Promise<void> {
    if (this.closed) throw new Error("queue is closed");
    const now = Date.now();
    for (const spec of jobs) {
      assertJobId(spec.id);
      if (this.known.has(spec.id)) continue;
      this.known.set(spec.id, now);
      this.waiting.push({ spec, attempt: 1, readyAt: now + (spec.delayMs ?? 0) });
    }
    if (this.known.size > 50_000) for (const [id, at] of this.known) if (now - at > 24 * 3600_000) this.known.delete(id);
    this.pump();
  }

  work(handler: JobHandler<T>): void {
    this.handler = handler;
    this.pump();
  }

  async schedule(key: string, pattern: string, job: Omit<JobSpec<T>, "id" | "delayMs">): Promise<void> {
    const arm = () => {
      if (this.closed) return;
      const at = nextCronRun(pattern);
      const t = setTimeout(() => {
        this.crons.delete(t);
        void this.add([{ ...job, id: `${key}-${at.getTime()}` }]).catch(() => undefined);
        arm();
      }, Math.max(0, at.getTime() - Date.now()));
      t.unref();
      this.crons.add(t);
    };
    nextCronRun(pattern); // invalid pattern: throw now
    arm();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.active;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const t of this.crons) clearTimeout(t);
    this.crons.clear();
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (!this.handler || this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.active < this.s.concurrency && this.waiting.length > 0) {
      const now = Date.now();
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++) if (this.waiting[i]!.readyAt < this.waiting[best]!.readyAt) best = i;
      const at = Math.max(this.pausedUntil, this.nextStart, this.waiting[best]!.readyAt);
      if (at > now) {
        this.timer = setTimeout(() => this.pump(), at - now);
        this.timer.unref();
        return;
      }
      const [job] = this.waiting.splice(best, 1);
      this.nextStart = now + 1000 / this.s.ratePerSecond;
      this.active++;
      void this.run(job!);
    }
  }

  private async run(job: Waiting<T>): Promise<void> {
    const { spec, attempt } = job;
    try {
      await this.handler!(spec.data, { id: spec.id, name: spec.name, attempt, final: attempt >= this.s.attempts });
    } catch (e) {
      const now = Date.now();
      if (e instanceof RateLimited) {
        this.pausedUntil = Math.max(this.pausedUntil, now + e.ms);
        this.waiting.push({ ...job, readyAt: now });
      } else if (e instanceof Postpone) {
        this.waiting.push({ ...job, readyAt: now + e.ms });
      } else if (attempt < this.s.attempts) {
        this.waiting.push({ spec, attempt: attempt + 1, readyAt: now + this.s.backoffMs * 2 ** (attempt - 1) });
      } else {
        this.log?.("error", "job failed", { job: spec.name, err: e });
      }
    } finally {
      this.active--;
      if (this.closed && this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.pump();
    }
  }
}

/** The queue's tables: "bullmq", or "<schema>_jobs" beside a schema named in DATABASE_URL (tests isolate themselves so). */
export function bullConnection(databaseUrl: string): { connectionString: string; schema: string } {
  const u = new URL(databaseUrl);
  const schema = u.searchParams.get("schema");
  u.searchParams.delete("schema");
  if (schema && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`Tên schema PostgreSQL không hợp lệ: "${schema}"`);
  return { connectionString: u.toString(), schema: schema && schema !== "public" ? `${schema}_jobs` : "bullmq" };
}

/** Create or upgrade BullMQ's tables (idempotent, safe when several instances start at once). */
export async function migrateJobQueue(databaseUrl: string): Promise<number> {
  const { runMigrations } = await import("bullmq");
  const pg = (await import("pg")).default;
  const { connectionString, schema } = bullConnection(databaseUrl);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await runMigrations(client, schema);
  } finally {
    await client.end();
  }
}

/** Drop the queue's schema (tests). */
export async function dropJobQueue(databaseUrl: string): Promise<void> {
  const pg = (await import("pg")).default;
  const { connectionString, schema } = bullConnection(databaseUrl);
  if (schema === "bullmq") throw new Error("refusing to drop the production queue schema");
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function createBullQueue<T>(name: string, databaseUrl: string, s: Settings, log?: JobQueueOptions["log"]): Promise<JobQueue<T>> {
  const { Queue, Worker, DelayedError, createPostgresBackend } = await import("bullmq");
  await migrateJobQueue(databaseUrl);
  const connection = bullConnection(databaseUrl);
  const queue = new Queue(
    name,
    {
      connection,
      defaultJobOptions: {
        attempts: s.attempts,
        backoff: { type: "exponential", delay: s.backoffMs },
        // finished jobs are kept a while so their ids still deduplicate; the Reminder table is the lasting record
        removeOnComplete: { age: 2 * 24 * 3600, count: 50_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    },
    createPostgresBackend,
  );
  queue.on("error", (err) => log?.("error", "job queue error", { err }));
  const workers: Array<{ close(): Promise<void> }> = [];
  return {
    engine: "bullmq",
    async add(jobs) {
      for (const j of jobs) assertJobId(j.id);
      if (jobs.length === 0) return;
      await queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.data as object, opts: { jobId: j.id, ...(j.delayMs ? { delay: j.delayMs } : {}) } })));
    },
    work(handler) {
      const worker = new Worker(
        name,
        async (job, token) => {
          const attempt = job.attemptsMade + 1;
          try {
            await handler(job.data as T, { id: job.id!, name: job.name, attempt, final: attempt >= s.attempts });
          } catch (e) {
            if (e instanceof RateLimited) {
              await queue.rateLimit(e.ms); // every worker of the queue, on every instance, waits
              throw Worker.RateLimitError(); // back to waiting, no attempt used
            }
            if (e instanceof Postpone) {
              await job.moveToDelayed(Date.now() + e.ms, token);
              throw new DelayedError(); // delayed, no attempt used
            }
            throw e;
          }
        },
        { connection, concurrency: s.concurrency, limiter: { max: s.ratePerSecond, duration: 1000 } },
        createPostgresBackend,
      );
      worker.on("error", (err) => log?.("error", "job worker error", { err }));
      worker.on("failed", (job, err) => {
        if (job && job.attemptsMade >= s.attempts) log?.("error", "job failed", { job: job.name, err });
      });
      workers.push(worker);
    },
    async schedule(key, pattern, job) {
      nextCronRun(pattern);
      await queue.upsertJobScheduler(key, { pattern, tz: QUEUE_TZ }, { name: job.name, data: job.data as object });
    },
    async depth() {
      const c = await queue.getJobCounts("waiting", "delayed", "active", "prioritized");
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
    },
  };
}
