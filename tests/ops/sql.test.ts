/**
 * core/db/sql.ts: plain SQL straight to the driver returns what Prisma's $queryRaw returns (types
 * included), runs inside the transaction Prisma opened (committed and rolled back with it), refuses
 * to run on a transaction that has ended, and counts its statements — on SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../core/db/client.ts";
import { firstStatement, sql, transaction } from "../../core/db/sql.ts";
import { metrics } from "../../core/metrics.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

async function statements(): Promise<number> {
  const m = await metrics.dbStatements.get();
  return m.values.reduce((s, v) => s + v.value, 0);
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`sql() (${target})`, () => {
    let t: TestDb;
    let db: Db;
    beforeEach(async () => {
      t = await freshDb(target);
      db = t.db;
      await db.user.create({ data: { telegramId: "900000001", role: "focal", lastSeenAt: new Date("2026-10-05T03:04:05.678Z") } });
      const unit = await db.unit.create({ data: { code: "TH-SQL", name: "Trường thử SQL", kind: "school", levels: "th", path: "/TH-SQL/" } });
      const report = await db.report.create({ data: { unitId: unit.id, period: "2026-10", periodKind: "month", planId: "P", deadline: new Date("2026-11-20T00:00:00Z"), onTime: true } });
      await db.answer.create({ data: { reportId: report.id, indicatorCode: "Q1", value: 12.5, numerator: 45, denominator: 60, skipped: false, raw: "45/60", meetsTarget: false } });
      await db.updateClaim.create({ data: { updateId: 9_007_199_254_740_000n, claimedAt: new Date("2026-10-05T00:00:00Z") } });
    });
    afterEach(async () => {
      await t.close();
    });

    it("returns rows typed as Prisma's $queryRaw returns them", async () => {
      await db.$queryRaw`SELECT 1`; // connected
      // each statement through sql() and through Prisma's $queryRaw
      const pairs: Array<[() => Promise<unknown[]>, () => Promise<unknown[]>]> = [
        [() => sql(db).query`SELECT * FROM "User" WHERE "telegramId" = ${"900000001"}`, () => db.$queryRaw`SELECT * FROM "User" WHERE "telegramId" = ${"900000001"}`],
        [
          () => sql(db).query`SELECT r.*, u."code" AS "u__code" FROM "Report" r JOIN "Unit" u ON u."id" = r."unitId"`,
          () => db.$queryRaw`SELECT r.*, u."code" AS "u__code" FROM "Report" r JOIN "Unit" u ON u."id" = r."unitId"`,
        ],
        [() => sql(db).query`SELECT a.*, 0 AS "prev__" FROM "Answer" a WHERE a."raw" = ${"45/60"}`, () => db.$queryRaw`SELECT a.*, 0 AS "prev__" FROM "Answer" a WHERE a."raw" = ${"45/60"}`],
        [() => sql(db).query`SELECT * FROM "UpdateClaim" WHERE "updateId" = ${9_007_199_254_740_000n}`, () => db.$queryRaw`SELECT * FROM "UpdateClaim" WHERE "updateId" = ${9_007_199_254_740_000n}`],
        [() => sql(db).query`SELECT COUNT(*) AS "n", MAX("createdAt") AS "m" FROM "User"`, () => db.$queryRaw`SELECT COUNT(*) AS "n", MAX("createdAt") AS "m" FROM "User"`],
      ];
      for (const [ours, prisma] of pairs) {
        const rows = await ours();
        expect(rows.length).toBe(1);
        expect(rows).toEqual(await prisma());
      }
      const [user] = await sql(db).query<{ lastSeenAt: Date; reachable: boolean; id: number; name: string | null }>`SELECT * FROM "User"`;
      expect(user!.lastSeenAt).toEqual(new Date("2026-10-05T03:04:05.678Z"));
      expect(user!.reachable).toBe(true);
      expect(typeof user!.id).toBe("number");
      expect(user!.name).toBeNull();
      const [claim] = await sql(db).query<{ updateId: bigint; doneAt: Date | null }>`SELECT * FROM "UpdateClaim"`;
      expect(claim!.updateId).toBe(9_007_199_254_740_000n);
      // an expression: EXISTS is a boolean on PostgreSQL and 0/1 on SQLite, as Prisma returns it
      const [ex] = await sql(db).query<{ e: unknown }>`SELECT EXISTS (SELECT 1 FROM "User") AS "e"`;
      const [exPrisma] = await db.$queryRaw<Array<{ e: unknown }>>`SELECT EXISTS (SELECT 1 FROM "User") AS "e"`;
      expect(ex!.e).toEqual(exPrisma!.e);
    });

    it("writes what Prisma reads back (dates, booleans, bigints) and counts changed rows", async () => {
      const at = new Date("2026-10-06T07:08:09.010Z");
      expect(await sql(db).execute`UPDATE "UpdateClaim" SET "doneAt" = ${at} WHERE "updateId" = ${9_007_199_254_740_000n}`).toBe(1);
      expect(await sql(db).execute`UPDATE "UpdateClaim" SET "doneAt" = ${at} WHERE "updateId" = ${1n}`).toBe(0);
      expect((await db.updateClaim.findFirstOrThrow()).doneAt).toEqual(at);
      expect(await sql(db).execute`UPDATE "User" SET "reachable" = ${false}, "lastSeenAt" = ${at} WHERE "telegramId" = ${"900000001"}`).toBe(1);
      const user = await db.user.findFirstOrThrow();
      expect(user.reachable).toBe(false);
      expect(user.lastSeenAt).toEqual(at);
      // a date written through Prisma compares correctly with one sent by sql()
      const older = await sql(db).query`SELECT "updateId" FROM "UpdateClaim" WHERE "claimedAt" < ${new Date("2026-10-05T00:00:00.001Z")}`;
      expect(older.length).toBe(1);
    });

    it("runs inside the transaction Prisma opened: rolled back and committed with it", async () => {
      await expect(
        transaction(db, async (tx) => {
          await sql(tx).execute`UPDATE "User" SET "name" = ${"Tên thử"} WHERE "telegramId" = ${"900000001"}`;
          await tx.user.update({ where: { telegramId: "900000001" }, data: { role: "official" } });
          const [inside] = await sql(tx).query<{ name: string; role: string }>`SELECT "name", "role" FROM "User"`;
          expect(inside).toEqual({ name: "Tên thử", role: "official" });
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      expect(await db.user.findFirstOrThrow()).toMatchObject({ name: null, role: "focal" });
      await transaction(db, async (tx) => {
        await sql(tx).execute`UPDATE "User" SET "name" = ${"Tên thử"} WHERE "telegramId" = ${"900000001"}`;
      });
      expect((await db.user.findFirstOrThrow()).name).toBe("Tên thử");
    });

    it("runs a transaction of plain SQL once, and one that needs Prisma again inside Prisma's, its first try rolled back", async () => {
      let runs = 0;
      await transaction(db, async (tx) => {
        runs++;
        await sql(tx).execute`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"k1"}, ${"{}"}, ${new Date()})`;
      });
      expect(runs).toBe(1);
      runs = 0;
      const result = await transaction(db, async (tx) => {
        runs++;
        await sql(tx).execute`INSERT INTO "Session" ("key", "value", "updatedAt") VALUES (${"k2"}, ${"{}"}, ${new Date()})`;
        // swallowing the error does not keep the first try: it is rolled back and run again anyway
        await tx.session.count().catch(() => undefined);
        return tx.session.count();
      });
      expect(runs).toBe(2);
      expect(result).toBe(2);
      expect((await db.session.findMany()).map((r) => r.key).sort()).toEqual(["k1", "k2"]);
    });

    it("runs a transaction's first statement once before fn (on PostgreSQL with BEGIN), also when fn needs Prisma, and rolls it back with it", async () => {
      const report = await db.report.findFirstOrThrow();
      const first = () => firstStatement`UPDATE "Report" SET "version" = "version" + 1 WHERE "id" = ${report.id}`;
      const seen = await transaction(db, async (tx) => (await sql(tx).query<{ version: number }>`SELECT "version" FROM "Report" WHERE "id" = ${report.id}`)[0]!.version, { first: first() });
      expect(Number(seen)).toBe(report.version + 1);
      let runs = 0;
      await transaction(
        db,
        async (tx) => {
          runs++;
          return tx.report.count(); // needs Prisma: the first try is rolled back, the first statement runs again in Prisma's
        },
        { first: first() },
      );
      expect(runs).toBe(2);
      expect((await db.report.findFirstOrThrow()).version).toBe(report.version + 2);
      await expect(
        transaction(
          db,
          async () => {
            throw new Error("fn failed");
          },
          { first: first() },
        ),
      ).rejects.toThrow("fn failed");
      expect((await db.report.findFirstOrThrow()).version).toBe(report.version + 2);
      expect(() => firstStatement`SELECT ${1.5 as number}`).toThrow(TypeError);
    });

    it("executeLast: written with the commit (PostgreSQL: sent with COMMIT), in order before any later statement, rolled back with the transaction, its failure failing the commit", async () => {
      const user = await db.user.findFirstOrThrow();
      const tricky = "O'Brien \\ 'x' \\' ; -- DROP TABLE \"User\"; ồ";
      // alone at the end: stored exactly (quotes, backslashes, Vietnamese), with a date and a null
      await transaction(db, async (tx) => {
        await sql(tx).executeLast`UPDATE "User" SET "name" = ${tricky}, "lastSeenAt" = ${new Date("2026-10-06T01:02:03.004Z")}, "phone" = ${null} WHERE "id" = ${user.id}`;
      });
      const stored = await db.user.findFirstOrThrow();
      expect([stored.name, stored.lastSeenAt, stored.phone]).toEqual([tricky, new Date("2026-10-06T01:02:03.004Z"), null]);
      // a statement after it sees it
      const seen = await transaction(db, async (tx) => {
        await sql(tx).executeLast`UPDATE "User" SET "name" = ${"một"} WHERE "id" = ${user.id}`;
        await sql(tx).executeLast`UPDATE "User" SET "name" = "name" || ${" hai"} WHERE "id" = ${user.id}`;
        return (await sql(tx).query<{ name: string }>`SELECT "name" FROM "User" WHERE "id" = ${user.id}`)[0]!.name;
      });
      expect(seen).toBe("một hai");
      // fn fails after it: nothing written
      await expect(
        transaction(db, async (tx) => {
          await sql(tx).executeLast`UPDATE "User" SET "name" = ${"không"} WHERE "id" = ${user.id}`;
          throw new Error("fn failed");
        }),
      ).rejects.toThrow("fn failed");
      // it fails at the commit: the transaction's other writes are rolled back too
      await expect(
        transaction(db, async (tx) => {
          await sql(tx).execute`UPDATE "User" SET "name" = ${"cũng không"} WHERE "id" = ${user.id}`;
          await sql(tx).executeLast`INSERT INTO "UpdateClaim" ("updateId", "claimedAt") VALUES (${9_007_199_254_740_000n}, ${new Date()})`;
        }),
      ).rejects.toThrow();
      expect((await db.user.findFirstOrThrow()).name).toBe("một hai");
    });

    it("refuses a statement on a transaction that has ended", async () => {
      let leaked: Db | undefined;
      await transaction(db, async (tx) => {
        leaked = tx;
      });
      await expect(sql(leaked!).execute`UPDATE "User" SET "name" = ${"sau"} WHERE "id" > ${0}`).rejects.toThrow(/^sql\(\): the transaction is already closed/);
      expect((await db.user.findFirstOrThrow()).name).toBeNull();
    });

    it("counts every statement in cds_db_statements_total", async () => {
      await db.$queryRaw`SELECT 1`;
      const before = await statements();
      await sql(db).query`SELECT * FROM "User"`;
      await sql(db).execute`UPDATE "User" SET "name" = ${null} WHERE "id" = ${-1}`;
      expect((await statements()) - before).toBe(2);
    });
  });
}
