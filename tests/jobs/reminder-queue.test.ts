/**
 * The job queue for reminders and nudges: the in-memory engine (SQLite mode) and BullMQ on
 * PostgreSQL shared by two instances, each under a storm of 429 and 5xx answers from the fake Bot
 * API: every due reminder arrives exactly once, within 30 messages/s and 1/s per chat.
 * The PostgreSQL variants need TEST_DATABASE_URL (skipped, and reported as skipped, without it).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createJobQueue, dropJobQueue, nextCronRun, Postpone, RateLimited, type JobInfo } from "../../core/jobs/queue.ts";
import { loadConfig } from "../../core/config.ts";
import { stormRun } from "../../scripts/faults/storm.ts";
import { freshDb, type TestDb } from "../support/db.ts";

const pgUrl = process.env.TEST_DATABASE_URL;
if (!pgUrl) console.log("[PostgreSQL] TEST_DATABASE_URL is not set: the BullMQ-on-PostgreSQL queue tests are SKIPPED.");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("memory job queue", () => {
  it("runs each id once, spaces starts at the rate, pauses everything on RateLimited and retries errors until the final run", async () => {
    const q = await createJobQueue<{ n: number }>({ engine: "memory", name: "t", ratePerSecond: 20, concurrency: 5, attempts: 3, backoffMs: 50 });
    const starts: Array<{ n: number; at: number; job: JobInfo }> = [];
    let limited = false;
    let postponed = false;
    q.work(async (d, job) => {
      starts.push({ n: d.n, at: Date.now(), job });
      if (d.n === 3 && !limited) {
        limited = true;
        throw new RateLimited(400);
      }
      if (d.n === 4 && !postponed) {
        postponed = true;
        throw new Postpone(100);
      }
      if (d.n === 5) throw new Error("always 5xx");
    });
    await expect(q.add([{ id: "a:b", name: "x", data: { n: 0 } }])).rejects.toThrow(/job id/);
    await q.add(Array.from({ length: 10 }, (_, n) => ({ id: `j-${n}`, name: "x", data: { n } })));
    await q.add([{ id: "j-1", name: "x", data: { n: 1 } }]); // known id: ignored
    const t0 = Date.now();
    while ((await q.depth()) > 0 && Date.now() - t0 < 10_000) await sleep(20);
    await q.close();
    const runs = (n: number) => starts.filter((s) => s.n === n);
    for (const n of [0, 1, 2, 6, 7, 8, 9]) expect(runs(n)).toHaveLength(1);
    expect(runs(3)).toHaveLength(2); // 429: run again, no attempt used
    expect(runs(3).map((r) => r.job.attempt)).toEqual([1, 1]);
    expect(runs(4).map((r) => r.job.attempt)).toEqual([1, 1]); // postponed: no attempt used
    expect(runs(5).map((r) => [r.job.attempt, r.job.final])).toEqual([[1, false], [2, false], [3, true]]);
    // nothing started during the 400 ms pause after the 429
    const pausedAt = runs(3)[0]!.at;
    expect(starts.filter((s) => s.at > pausedAt + 5 && s.at < pausedAt + 380)).toEqual([]);
    // starts at most 20/s: at least ~50 ms apart
    const times = starts.map((s) => s.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45);
  });

  it("reads cron patterns in Vietnam time", () => {
    // 08:00 in Hanoi is 01:00 UTC
    expect(nextCronRun("0 8 * * *", new Date("2026-03-16T00:00:00Z")).toISOString()).toBe("2026-03-16T01:00:00.000Z");
  });

  it("QUEUE: auto is memory on SQLite and bullmq on PostgreSQL; bullmq on SQLite is refused with the variable's name", () => {
    expect(loadConfig({}).queue).toBe("memory");
    expect(loadConfig({ DATABASE_URL: "postgresql://u@h/db" }).queue).toBe("bullmq");
    expect(loadConfig({ DATABASE_URL: "postgresql://u@h/db", QUEUE: "memory" }).queue).toBe("memory");
    expect(() => loadConfig({ QUEUE: "bullmq" })).toThrow(/QUEUE/);
    expect(() => loadConfig({ QUEUE: "redis" })).toThrow(/QUEUE/);
    expect(() => loadConfig({ REMINDER_CRON: "every day" })).toThrow(/REMINDER_CRON/);
    expect(loadConfig({ REMINDER_CRON: "off" }).reminderCron).toBeNull();
    expect(loadConfig({ REMINDER_INTERVAL_SECONDS: "0" }).reminderCron).toBeNull();
    expect(loadConfig({}).reminderCron).toBe("*/5 * * * *");
  });
});

describe("reminder run through the in-memory queue (sqlite)", () => {
  let t: TestDb | undefined;
  afterEach(async () => t?.close());

  it("under a storm of 429 and 5xx: every reminder once, ≤ 30/s, ≤ 1/s per chat", async () => {
    t = await freshDb("sqlite");
    const f = await stormRun({ url: t.url, db: t.db, engine: "memory", instances: 1, units: 25, share429: 0.1, share5xx: 0.15, seed: 7, backoffMs: 200 });
    expect(f.seen429 + f.seen5xx).toBeGreaterThan(0);
    expect(f.retried).toBeGreaterThan(0);
    expect(f).toMatchObject({ lost: 0, duplicates: 0, failed: 0 });
    expect(f.sent).toBe(f.due);
    expect(f.peakPerSecond).toBeLessThanOrEqual(30);
    expect(f.peakPerChatPerSecond).toBeLessThanOrEqual(1);
  }, 120_000);
});

describe.skipIf(!pgUrl)("reminder run through BullMQ on PostgreSQL, two instances", () => {
  let t: TestDb | undefined;
  afterEach(async () => {
    if (t) await dropJobQueue(t.url);
    await t?.close();
    t = undefined;
  });

  it("share the queue: each reminder once, and the limiter holds for the pair together", async () => {
    t = await freshDb("postgresql");
    // no storm; a low rate (4/s) so the two workers (concurrency 5 each, their own throttlers at 25/s)
    // could easily exceed it: only the limiter they share in PostgreSQL keeps them to it
    const f = await stormRun({ url: t.url, db: t.db, engine: "bullmq", instances: 2, units: 20, share429: 0, share5xx: 0, ratePerSecond: 4 });
    console.log("two BullMQ instances at 4/s:", JSON.stringify(f));
    expect(f).toMatchObject({ lost: 0, duplicates: 0, failed: 0, instances: 2 });
    expect(f.sent).toBe(f.due);
    expect(f.durationMs).toBeGreaterThan(((f.due - 8) / 4) * 1000); // cannot finish faster than the rate allows
    expect(f.peakPerSecond).toBeLessThanOrEqual(10); // BullMQ counts per fixed window: 2 × 4 across a window edge, plus network jitter
    expect(f.peakPerChatPerSecond).toBeLessThanOrEqual(1);
  }, 180_000);

  it("under a storm of 429 and 5xx: every reminder once", async () => {
    t = await freshDb("postgresql");
    const f = await stormRun({ url: t.url, db: t.db, engine: "bullmq", instances: 2, units: 25, share429: 0.1, share5xx: 0.15, seed: 11, backoffMs: 200 });
    expect(f.seen429).toBeGreaterThan(0);
    expect(f.seen5xx).toBeGreaterThan(0);
    expect(f).toMatchObject({ lost: 0, duplicates: 0, failed: 0 });
    expect(f.sent).toBe(f.due);
    expect(f.peakPerChatPerSecond).toBeLessThanOrEqual(1);
  }, 180_000);
});
