/**
 * Personal data outside the chat: the admin CLI (privacy export|erase|retention, backup, restore)
 * spawned as a child process, retention in core, and backup/restore compared table by table on
 * SQLite (online backup) and on PostgreSQL (pg_dump/pg_restore into a fresh database).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sqliteFile } from "../../core/db/target.ts";
import { applyRetention, eraseUser, recordConsent } from "../../core/privacy/index.ts";
import { backupDatabase, pgDumpTarget, restoreDatabase } from "../../core/privacy/backup.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import { Api } from "grammy";
import { startReminders, type Reminders } from "../../bot/reminders.ts";
import type { BotDeps } from "../../bot/context.ts";
import { createDb, type Db } from "../../core/db/client.ts";
import { dropJobQueue } from "../../core/jobs/queue.ts";
import { startFakeTelegram } from "../support/telegram.ts";
import { seedSmallProvince } from "../support/bot.ts";
import { freshDb, type TestDb } from "../support/db.ts";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

async function cli(url: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [TSX, "cli/main.ts", ...args], { env: { ...process.env, DATABASE_URL: url, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A province with one registered focal point (Lan, fictional) who answered and submitted a report. */
async function seedPeople(t: TestDb) {
  const { db } = t;
  await seedShippedPlans(db);
  const { th } = await seedSmallProvince(t);
  const lan = await db.user.create({ data: { telegramId: "700501", name: "Lan", phone: "0900000101", role: "focal" } });
  await db.membership.create({ data: { userId: lan.id, unitId: th.id } });
  await recordConsent(db, lan.id, "accepted");
  const report = await db.report.create({
    data: {
      unitId: th.id, period: "2026-03", periodKind: "month", planId: "NB-27-2025", status: "submitted", revision: 1,
      deadline: new Date("2026-03-20T00:00:00Z"), submittedById: lan.id, submittedAt: new Date("2026-03-12T03:00:00Z"),
    },
  });
  await db.answer.create({ data: { reportId: report.id, indicatorCode: "NB-05", value: 90, numerator: 45, denominator: 50, raw: "45/50", answeredById: lan.id } });
  await db.reportRevision.create({ data: { reportId: report.id, revision: 1, userId: lan.id, onTime: true, answersJson: '{"NB-05":90}' } });
  await db.session.create({ data: { key: "s:700501", value: "{}" } });
  return { lan, th, report };
}

/** Every table of a SQLite file, rows in rowid order. */
function sqliteTables(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    return Object.fromEntries(names.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}

describe("privacy CLI (spawned)", () => {
  it("exports one person's data, erases it keeping the unit's report, and refuses unknown people", async () => {
    const t = await freshDb("sqlite");
    try {
      const { lan, report } = await seedPeople(t);
      const exported = await cli(t.url, ["privacy", "export", "0900000101", "--json"]);
      expect(exported.stderr).toBe("");
      expect(exported.code).toBe(0);
      const data = JSON.parse(exported.stdout);
      expect(data).toMatchObject({ telegramId: "700501", name: "Lan", phone: "0900000101", role: "focal", answersGiven: 1, submissions: 1 });
      expect(data.units).toEqual([{ name: "Trường Tiểu học Sao Mai", role: "focal" }]);
      expect(data.consent).toMatchObject({ state: "accepted", noticeVersion: "1" });

      const text = await cli(t.url, ["privacy", "export", "700501"]);
      expect(text.stdout).toContain("Trường Tiểu học Sao Mai");

      const erased = await cli(t.url, ["privacy", "erase", "700501"]);
      expect(erased.code).toBe(0);
      expect(erased.stdout).toContain("giữ 1 câu trả lời");
      const after = await t.db.user.findUniqueOrThrow({ where: { id: lan.id } });
      expect(after).toMatchObject({ name: null, phone: null, role: "citizen" });
      expect(after.erasedAt).not.toBeNull();
      expect(await t.db.answer.count({ where: { reportId: report.id, answeredById: lan.id } })).toBe(1);
      expect(await t.db.session.count()).toBe(0);
      const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "privacy.erase" } });
      expect(JSON.parse(audit.details!)).toMatchObject({ reason: "admin" });

      const again = await cli(t.url, ["privacy", "export", "700501"]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("Không có người dùng");
      const bad = await cli(t.url, ["privacy", "erase", "abc"]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("không phải Telegram id");
    } finally {
      await t.close();
    }
  }, 120_000);

  it("retention --dry-run lists, retention anonymizes users inactive longer than PERSONAL_DATA_RETENTION_DAYS", async () => {
    const t = await freshDb("sqlite");
    try {
      const { lan } = await seedPeople(t);
      const old = new Date(Date.now() - 100 * 86_400_000);
      await t.db.user.update({ where: { id: lan.id }, data: { lastSeenAt: old, createdAt: old } });
      await t.db.answer.updateMany({ data: { updatedAt: old } });
      await t.db.reportRevision.updateMany({ data: { createdAt: old } });
      const fresh = await t.db.user.create({ data: { telegramId: "700502", name: "Minh", lastSeenAt: new Date() } });
      const env = { PERSONAL_DATA_RETENTION_DAYS: "60" };
      const dry = await cli(t.url, ["privacy", "retention", "--dry-run", "--json"], env);
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({ days: 60, dryRun: true, users: 1, userIds: [lan.id] });
      expect(await t.db.user.findUniqueOrThrow({ where: { id: lan.id } })).toMatchObject({ erasedAt: null, name: "Lan" });
      const real = await cli(t.url, ["privacy", "retention"], env);
      expect(real.code).toBe(0);
      expect(real.stdout).toContain("Đã ẩn danh dữ liệu cá nhân của 1 người dùng");
      expect(await t.db.user.findUniqueOrThrow({ where: { id: lan.id } })).toMatchObject({ name: null, phone: null });
      expect(await t.db.user.findUniqueOrThrow({ where: { id: fresh.id } })).toMatchObject({ name: "Minh", erasedAt: null });
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe("retention (core)", () => {
  it("counts answers and submissions as activity, keeps configured admins, and is idempotent", async () => {
    const t = await freshDb("sqlite");
    try {
      const { lan } = await seedPeople(t);
      const now = new Date("2028-06-01T00:00:00Z");
      const long = new Date("2026-01-01T00:00:00Z");
      // never seen (lastSeenAt null), created long ago, but answered recently: kept
      await t.db.user.update({ where: { id: lan.id }, data: { createdAt: long, lastSeenAt: null } });
      await t.db.answer.updateMany({ data: { updatedAt: new Date("2028-05-01T00:00:00Z") } });
      const admin = await t.db.user.create({ data: { telegramId: "700900", name: "Quản trị", role: "admin", createdAt: long, lastSeenAt: long } });
      const idle = await t.db.user.create({ data: { telegramId: "700901", name: "Khách", createdAt: long, lastSeenAt: long } });
      const r = await applyRetention(t.db, { days: 365, now, keepTelegramIds: ["700900"] });
      expect(r.userIds).toEqual([idle.id]);
      expect(await t.db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ name: "Quản trị" });
      expect(await t.db.user.findUniqueOrThrow({ where: { id: idle.id } })).toMatchObject({ name: null, telegramId: `erased-${idle.id}` });
      expect((await applyRetention(t.db, { days: 365, now, keepTelegramIds: ["700900"] })).userIds).toEqual([]);
      expect((await eraseUser(t.db, idle.id, { reason: "admin" })).erased).toBe(false);
    } finally {
      await t.close();
    }
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;

describe("retention job (bot process: a job of the reminder queue, in every mode)", () => {
  /** Start `n` instances' queues with retention due 50 ms after start; returns their logs and a stop. */
  async function instances(t: TestDb, engine: "memory" | "bullmq", n: number) {
    const fake = await startFakeTelegram();
    const logs: string[] = [];
    const started: Reminders[] = [];
    const dbs: Db[] = [];
    for (let k = 0; k < n; k++) {
      const db = k === 0 ? t.db : await createDb(t.url);
      if (k > 0) dbs.push(db);
      const deps: BotDeps = {
        db,
        catalog: createCatalogStore(db),
        config: { ADMIN_TELEGRAM_IDS: [], QA_RATE_PER_MINUTE: 10, BOT_USERNAME: "x", llm: null },
        qa: null,
        now: () => new Date(),
        log: (_l, msg) => void logs.push(msg),
      };
      const api = new Api(fake.token, { apiRoot: fake.apiRoot });
      started.push(await startReminders(api, deps, { engine, databaseUrl: t.url, cron: null, retention: { days: 730, keepTelegramIds: [], firstDelayMs: 50 } }));
    }
    return {
      logs,
      async stop() {
        for (const r of started) await r.close();
        for (const db of dbs) await db.$disconnect();
        if (engine === "bullmq") await dropJobQueue(t.url);
        await fake.stop();
      },
    };
  }

  async function idleUser(t: TestDb) {
    const long = new Date(Date.now() - 1000 * 86_400_000);
    return t.db.user.create({ data: { telegramId: "700911", name: "Khách", createdAt: long, lastSeenAt: long } });
  }

  it("SQLite, in-memory queue: runs soon after start and anonymizes an inactive user", async () => {
    const t = await freshDb("sqlite");
    try {
      const idle = await idleUser(t);
      const run = await instances(t, "memory", 1);
      try {
        await expect.poll(async () => (await t.db.user.findUniqueOrThrow({ where: { id: idle.id } })).erasedAt, { timeout: 10_000 }).not.toBeNull();
      } finally {
        await run.stop();
      }
      expect(run.logs).toContain("retention anonymized inactive users");
    } finally {
      await t.close();
    }
  });

  it.skipIf(!pgUrl)("PostgreSQL, BullMQ shared by two instances: one run for both (one erasure, one log line)", async () => {
    const t = await freshDb("postgresql");
    try {
      const idle = await idleUser(t);
      const run = await instances(t, "bullmq", 2);
      try {
        await expect.poll(async () => (await t.db.user.findUniqueOrThrow({ where: { id: idle.id } })).erasedAt, { timeout: 30_000 }).not.toBeNull();
        await new Promise((r) => setTimeout(r, 1500)); // room for a second run, if there were one
      } finally {
        await run.stop();
      }
      expect(run.logs.filter((m) => m === "retention anonymized inactive users")).toHaveLength(1);
      expect(await t.db.auditLog.count({ where: { action: "privacy.erase" } })).toBe(1);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe("backup and restore (SQLite, spawned CLI)", () => {
  it("backs up while the database is open, refuses to restore over an open database, then restores every table exactly", async () => {
    const t = await freshDb("sqlite");
    const file = path.join(os.tmpdir(), `cds-backup-${randomUUID()}.db`);
    try {
      await seedPeople(t);
      // the database stays open (as with a running bot) during the backup
      const backup = await cli(t.url, ["backup", file]);
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain("Đã sao lưu");
      const before = sqliteTables(sqliteFile(t.url));
      expect(Object.keys(before)).toEqual(expect.arrayContaining(["User", "Consent", "Report", "Answer", "Plan", "Target", "AuditLog", "_prisma_migrations"]));
      expect(sqliteTables(file)).toEqual(before);

      await t.db.user.updateMany({ data: { name: "đổi sau sao lưu" } });
      await t.db.answer.deleteMany();
      const refused = await cli(t.url, ["restore", file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("đang được mở");

      await t.db.$disconnect(); // the bot is stopped
      const notBackup = await cli(t.url, ["restore", "package.json"]);
      expect(notBackup.code).toBe(1);
      expect(notBackup.stderr).toContain("không phải bản sao lưu");
      const restored = await cli(t.url, ["restore", file]);
      expect(restored.code).toBe(0);
      const after = sqliteTables(sqliteFile(t.url));
      for (const [table, rows] of Object.entries(before)) expect({ table, rows: after[table] }).toEqual({ table, rows });
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    } finally {
      rmSync(file, { force: true });
      await t.close();
    }
  }, 120_000);
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("backup and restore (PostgreSQL: pg_dump / pg_restore into a fresh database)", () => {
  it("restores every table of the schema with identical rows", async () => {
    const t = await freshDb("postgresql");
    const file = path.join(os.tmpdir(), `cds-backup-${randomUUID()}.dump`);
    const pg = (await import("pg")).default;
    const base = process.env.TEST_DATABASE_URL!;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    const dbName = `restore_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    try {
      await seedPeople(t);
      const { schema } = pgDumpTarget(t.url);
      const b = await backupDatabase(t.url, file);
      expect(b).toMatchObject({ ok: true, provider: "postgresql" });
      await admin.query(`CREATE DATABASE "${dbName}"`);
      const target = new URL(base);
      target.pathname = `/${dbName}`;
      const r = await restoreDatabase(target.toString(), file);
      expect(r).toMatchObject({ ok: true });

      const dump = async (conn: string) => {
        const c = new pg.Client({ connectionString: conn });
        await c.connect();
        try {
          const tables = await c.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
            [schema],
          );
          const out: Record<string, unknown[]> = {};
          for (const { table_name } of tables.rows as Array<{ table_name: string }>) {
            out[table_name] = (await c.query(`SELECT * FROM "${schema}"."${table_name}" ORDER BY 1`)).rows;
          }
          return out;
        } finally {
          await c.end();
        }
      };
      const before = await dump(pgDumpTarget(t.url).conn);
      const after = await dump(target.toString());
      expect(Object.keys(before)).toEqual(expect.arrayContaining(["User", "Consent", "Answer", "Report", "Plan", "Target"]));
      expect(before.User!.length).toBeGreaterThan(0);
      expect(after).toEqual(before);
      // restoring again over the restored (and since changed) database: --clean replaces every table
      const c = new pg.Client({ connectionString: target.toString() });
      await c.connect();
      await c.query(`UPDATE "${schema}"."User" SET "name" = 'đổi'`);
      await c.query(`DELETE FROM "${schema}"."Answer"`);
      await c.end();
      expect(await restoreDatabase(target.toString(), file)).toMatchObject({ ok: true });
      expect(await dump(target.toString())).toEqual(before);
    } finally {
      rmSync(file, { force: true });
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}"`).catch(() => undefined);
      await admin.end();
      await t.close();
    }
  }, 120_000);
});
