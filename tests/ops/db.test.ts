/**
 * The database seams of §1: the PostgreSQL schema generator fails loudly, `db:check` catches a
 * schema that its migrations do not produce, the CLI never migrates behind the admin's back, and a
 * locked SQLite database is retried and then reported in plain Vietnamese.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createDb, DatabaseBusyError, migrate, NotMigratedError, openMigratedDb, withBusyRetry } from "../../core/db/client.ts";
import { postgresSchemaFrom, SchemaSyncError } from "../../core/db/schemas.ts";
import { checkPostgres, checkSqlite } from "../../scripts/db-check.ts";
import { operatorErrorText } from "../../bot/messages/errors.ts";

const SCHEMA = readFileSync("prisma/schema.prisma", "utf8");

describe("PostgreSQL schema generator", () => {
  it("fails when a replacement does not apply, and names it", () => {
    expect(() => postgresSchemaFrom(SCHEMA.replace('provider = "sqlite"', 'provider = "sqlite3"'))).toThrow(SchemaSyncError);
    expect(() => postgresSchemaFrom(SCHEMA.replace('"../generated/sqlite"', '"../gen/sqlite"'))).toThrow(/generator output/);
    expect(() => postgresSchemaFrom(SCHEMA.replace('url      = "file:./data/app.db"', 'url = env("DATABASE_URL")'))).toThrow(/datasource url/);
  });

  it("still applies after `prisma format` realigns the lines", () => {
    const realigned = SCHEMA.replace('provider = "sqlite"', 'provider    = "sqlite"').replace('output     = "../generated/sqlite"', 'output = "../generated/sqlite"');
    const out = postgresSchemaFrom(realigned);
    expect(out).toContain('provider    = "postgresql"');
    expect(out).toContain('output = "../../generated/postgres"');
    expect(out).not.toContain("sqlite");
  });
});

describe("db:check (prisma migrate diff --from-migrations … --exit-code)", () => {
  it("passes on the repository and fails (exit 2) on a model without its migration, on SQLite", async () => {
    expect((await checkSqlite()).ok).toBe(true);
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-drift-"));
    try {
      const schema = path.join(dir, "schema.prisma");
      writeFileSync(schema, `${SCHEMA}\nmodel DriftProbe {\n  id Int @id\n}\n`);
      const drift = await checkSqlite(path.resolve("prisma/migrations"), schema);
      expect(drift.ok).toBe(false);
      expect(drift.code).toBe(2);
      expect(drift.output).toContain("DriftProbe");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)("passes and catches drift on PostgreSQL (throwaway schema)", async () => {
    const url = process.env.TEST_DATABASE_URL!;
    expect((await checkPostgres(url))?.ok).toBe(true);
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-drift-"));
    try {
      const schema = path.join(dir, "schema.prisma");
      writeFileSync(schema, `${readFileSync("prisma/postgres/schema.prisma", "utf8")}\nmodel DriftProbe {\n  id Int @id\n}\n`);
      const drift = await checkPostgres(url, path.resolve("prisma/postgres/migrations"), schema);
      expect(drift?.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("migrations outside the CLI's normal path", () => {
  it("a new database is migrated once; one that is behind says to run db migrate", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-mig-"));
    const url = `file:${path.join(dir, "app.db")}`;
    try {
      const db = await openMigratedDb(url); // fresh: migrated once
      expect(await db.unit.count()).toBe(0);
      await db.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name = (SELECT MAX(migration_name) FROM _prisma_migrations)`);
      await db.$disconnect();
      const err = await openMigratedDb(url).catch((e) => e);
      expect(err).toBeInstanceOf(NotMigratedError);
      expect(operatorErrorText(err)).toBe(
        "Cơ sở dữ liệu chưa được cập nhật cấu trúc (còn 1 bản cập nhật chưa áp dụng).\n" +
          "Chạy: npm run cli -- db migrate   (hoặc khởi động bot bằng npm start, bot tự cập nhật), rồi chạy lại lệnh này.",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("migrate() on an up-to-date database runs no Prisma CLI (fast)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-mig-"));
    const url = `file:${path.join(dir, "app.db")}`;
    try {
      expect((await migrate(url)).length).toBeGreaterThan(0);
      const t0 = performance.now();
      expect(await migrate(url)).toEqual([]);
      expect(performance.now() - t0).toBeLessThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a locked SQLite database", () => {
  it("is retried, and reported in Vietnamese when it stays locked", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cds-busy-"));
    const url = `file:${path.join(dir, "app.db")}`;
    try {
      await migrate(url);
      const db = await createDb(url, { busyTimeoutMs: 50 });
      const other = new Database(path.join(dir, "app.db"));
      const write = () => db.auditLog.create({ data: { action: "probe", entity: "test", entityId: "1" } });
      try {
        other.exec("BEGIN IMMEDIATE"); // another process holds the write lock
        const err = await withBusyRetry(write, { attempts: 2 }).catch((e) => e);
        expect(err).toBeInstanceOf(DatabaseBusyError);
        expect(operatorErrorText(err)).toContain("Cơ sở dữ liệu đang bận");
        // released before the retry: the retry succeeds
        let retries = 0;
        const ok = await withBusyRetry(write, { attempts: 3, onRetry: () => (retries++, other.exec("COMMIT")) });
        expect(ok.action).toBe("probe");
        expect(retries).toBe(1);
      } finally {
        if (other.inTransaction) other.exec("ROLLBACK");
        other.close();
        await db.$disconnect();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
