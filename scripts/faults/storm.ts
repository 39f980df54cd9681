/**
 * Fault part "storm" (npm run test:faults, or on its own: `npx tsx scripts/faults/storm.ts [--quick]`):
 * a reminder run over many units while the fake Bot API answers a random share of sendMessage calls
 * with 429 (retry_after 1 s) or 500/502. Passes when every due reminder arrived exactly once
 * (0 lost, 0 sent twice) and no second ever carried more than 30 messages.
 *
 *   SQLite: one process, the in-memory queue.
 *   PostgreSQL (TEST_DATABASE_URL set): two instances (each its own database client, Bot API client
 *   and BullMQ worker) sharing one BullMQ queue on PostgreSQL. Skipped, and said so, without it.
 *
 * Prints the figures (sent, retried, 429s and 5xx seen, duration, peak rate) and returns them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Api } from "grammy";
import { createDb, migrate, type Db } from "../../core/db/client.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { metrics } from "../../core/metrics.ts";
import { dropJobQueue } from "../../core/jobs/queue.ts";
import { FakeBotApi } from "../../bot/local/fake-bot-api.ts";
import { startReminders, type Reminders } from "../../bot/reminders.ts";
import { dueReminders } from "../../core/reporting/reminders.ts";
import type { BotDeps } from "../../bot/context.ts";

/** 16/3/2026 08:00 Vietnam time: the month's "3 days before" reminders are due. */
const NOW = new Date("2026-03-16T01:00:00Z");

export interface StormInput {
  /** A migrated, empty database (its URL lets each instance open its own client). */
  url: string;
  db: Db;
  engine: "memory" | "bullmq";
  instances: number;
  units: number;
  share429: number;
  share5xx: number;
  /** Seed of the storm's random draws (reproducible runs). */
  seed?: number;
  /** Sends started per second by the queue (default 25). */
  ratePerSecond?: number;
  /** First retry delay after a 5xx (doubles; default 300 ms so a run stays short). */
  backoffMs?: number;
  timeoutMs?: number;
}

export interface StormFigures {
  units: number;
  instances: number;
  /** Reminders due at the run's time (a unit may be due for more than one period kind). */
  due: number;
  sent: number;
  lost: number;
  duplicates: number;
  failed: number;
  retried: number;
  seen429: number;
  seen5xx: number;
  durationMs: number;
  peakPerSecond: number;
  peakPerChatPerSecond: number;
}

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` fictional schools under one department, each with one focal point (chat ids 70000…). */
async function seedUnits(db: Db, n: number): Promise<void> {
  await seedShippedPlans(db);
  const so = await db.unit.create({ data: { code: "SO-STORM", name: "Sở thử bão", kind: "department", levels: "so", path: "/SO-STORM/", planId: "NB-27-2025" } });
  for (let i = 0; i < n; i++) {
    const u = await db.unit.create({ data: { code: `TH-S${i}`, name: `Trường TH Bão ${i}`, kind: "school", levels: "th", parentId: so.id, path: `/SO-STORM/TH-S${i}/` } });
    const user = await db.user.create({ data: { telegramId: String(70000 + i), role: "focal" } });
    await db.membership.create({ data: { userId: user.id, unitId: u.id } });
  }
}

/** One reminder run under a storm; resolves with its figures. */
export async function stormRun(input: StormInput): Promise<StormFigures> {
  await seedUnits(input.db, input.units);
  const fake = new FakeBotApi();
  await fake.start();
  const extraDbs: Db[] = [];
  const instances: Reminders[] = [];
  const retriedBefore = await counterTotal(metrics.remindersRetried);
  try {
    fake.failRandomly({ share429: input.share429, share5xx: input.share5xx, retryAfter: 1, methods: ["sendMessage"], random: prng(input.seed ?? 1) });
    for (let k = 0; k < input.instances; k++) {
      const db = k === 0 ? input.db : await createDb(input.url);
      if (k > 0) extraDbs.push(db);
      const deps: BotDeps = {
        db,
        catalog: createCatalogStore(db),
        config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 10, BOT_USERNAME: "storm_bot", llm: null },
        qa: null,
        now: () => NOW,
        log: (level, msg, extra) => {
          if (level === "error") console.error(msg, extra?.err instanceof Error ? extra.err.message : "");
        },
      };
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      instances.push(await startReminders(api, deps, { engine: input.engine, databaseUrl: input.url, cron: null, backoffMs: input.backoffMs ?? 300, ratePerSecond: input.ratePerSecond }));
    }
    // what is due (every period kind of the plan): each must arrive once
    const expected = (await dueReminders({ db: input.db, catalog: createCatalogStore(input.db) }, NOW)).map((i) => `${i.telegramId}/${i.period}`);
    const t0 = performance.now();
    // every instance asks for the scan (one id: on a shared queue it runs once; in memory, per process)
    for (const r of instances) await r.queue.add([{ id: "scan-storm", name: "scan", data: { type: "scan" } }]);
    const deadline = Date.now() + (input.timeoutMs ?? 180_000);
    let settled = 0;
    while (Date.now() < deadline) {
      settled = await input.db.reminder.count({ where: { status: { in: ["sent", "failed", "unreachable"] } } });
      if (settled >= expected.length && (await Promise.all(instances.map((r) => r.queue.depth()))).every((d) => d === 0)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const durationMs = Math.round(performance.now() - t0);
    // a reminder is told apart by its chat and the period its [Báo cáo ngay] button opens
    const delivered = new Map<string, number>();
    for (const c of fake.calls) {
      if (c.method !== "sendMessage" || c.status !== 200) continue;
      const period = /b:per:\d+:([\w-]+)/.exec(JSON.stringify(c.params.reply_markup ?? ""))?.[1];
      const key = `${c.chatId}/${period}`;
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
    }
    const sent = [...delivered.values()].reduce((a, b) => a + b, 0);
    return {
      units: input.units,
      instances: input.instances,
      due: expected.length,
      sent,
      lost: expected.filter((k) => !delivered.has(k)).length,
      duplicates: [...delivered.values()].reduce((a, n) => a + Math.max(0, n - 1), 0),
      failed: await input.db.reminder.count({ where: { status: "failed" } }),
      retried: (await counterTotal(metrics.remindersRetried)) - retriedBefore,
      seen429: fake.calls.filter((c) => c.status === 429).length,
      seen5xx: fake.calls.filter((c) => c.status >= 500).length,
      durationMs,
      peakPerSecond: fake.maxRate({ methods: ["sendMessage"] }),
      peakPerChatPerSecond: Math.max(0, ...[...new Set([...delivered.keys()].map((k) => Number(k.split("/")[0])))].map((chatId) => fake.maxRate({ chatId, methods: ["sendMessage"] }))),
    };
  } finally {
    for (const r of instances) await r.close();
    for (const db of extraDbs) await db.$disconnect();
    await fake.stop();
  }
}

async function counterTotal(c: { get(): Promise<{ values: Array<{ value: number }> }> }): Promise<number> {
  return (await c.get()).values.reduce((a, v) => a + v.value, 0);
}

/** A throwaway migrated database: a SQLite file, or a fresh schema of TEST_DATABASE_URL. */
async function scratchDb(target: "sqlite" | "postgresql"): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  if (target === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-storm-"));
    const url = `file:${path.join(dir, "storm.db")}`;
    await migrate(url);
    const db = await createDb(url);
    return { url, db, drop: async () => (await db.$disconnect(), rmSync(dir, { recursive: true, force: true })) };
  }
  const u = new URL(process.env.TEST_DATABASE_URL!);
  const schema = `storm_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  u.searchParams.set("schema", schema);
  const url = u.toString();
  await migrate(url);
  const db = await createDb(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await dropJobQueue(url).catch(() => undefined);
      const pg = (await import("pg")).default;
      const base = new URL(process.env.TEST_DATABASE_URL!);
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

export async function run(opts: { quick?: boolean } = {}): Promise<{ name: string; ok: boolean; figures: Record<string, number | string>; lines: string[] }> {
  const units = opts.quick ? 60 : 250;
  const storm = { share429: 0.05, share5xx: 0.1 };
  const lines: string[] = [];
  const figures: Record<string, number | string> = { units, share429: storm.share429, share5xx: storm.share5xx };
  let ok = true;
  const targets: Array<{ target: "sqlite" | "postgresql"; engine: "memory" | "bullmq"; instances: number }> = [{ target: "sqlite", engine: "memory", instances: 1 }];
  if (process.env.TEST_DATABASE_URL) targets.push({ target: "postgresql", engine: "bullmq", instances: 2 });
  else {
    lines.push("storm: TEST_DATABASE_URL is not set: the PostgreSQL/BullMQ run (two instances) is SKIPPED.");
    figures.postgresql = "skipped";
  }
  for (const t of targets) {
    const scratch = await scratchDb(t.target);
    try {
      const f = await stormRun({ url: scratch.url, db: scratch.db, engine: t.engine, instances: t.instances, units, ...storm });
      const pass = f.lost === 0 && f.duplicates === 0 && f.sent === f.due && f.due >= units && f.peakPerSecond <= 30 && f.peakPerChatPerSecond <= 1;
      ok &&= pass;
      lines.push(
        `storm ${t.target} (${t.engine} queue, ${t.instances} instance${t.instances > 1 ? "s" : ""}, ${units} units): ${f.sent}/${f.due} reminders sent, ${f.lost} lost, ${f.duplicates} sent twice, ` +
          `${f.failed} failed; ${f.seen429} × 429 and ${f.seen5xx} × 5xx answered, ${f.retried} sends retried by the queue; ` +
          `${(f.durationMs / 1000).toFixed(1)} s; peak ${f.peakPerSecond} messages/s, ${f.peakPerChatPerSecond}/s per chat — ${pass ? "OK" : "FAIL"}`,
      );
      for (const [k, v] of Object.entries(f)) if (k !== "units") figures[`${t.target}_${k}`] = v;
    } catch (e) {
      ok = false;
      lines.push(`storm ${t.target}: FAIL (${(e as Error).message})`);
    } finally {
      await scratch.drop();
    }
  }
  return { name: "storm", ok, figures, lines };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await run({ quick: process.argv.includes("--quick") });
  for (const l of r.lines) console.log(l);
  console.log(JSON.stringify({ ok: r.ok, storm: r.figures }));
  process.exit(r.ok ? 0 : 1);
}
