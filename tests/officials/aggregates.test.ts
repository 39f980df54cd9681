/**
 * The precomputed progress aggregates (core/officials/aggregates.ts) equal the from-scratch
 * computation over the answers after submits, edits, approvals, returns, unapprovals, writes that
 * bypass the hook (caught up from the triggers' marks) and tree changes; in every scope, level and
 * the "approved only" view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { progressReport } from "../../core/officials/progress.ts";
import { trendView } from "../../core/dashboard/views.ts";
import { VIEW_WORDS } from "../../web/dashboard/words.ts";
import { applyReportToAggregates, pendingMarks, progressCells, rebuildAggregates, refreshAggregates } from "../../core/officials/aggregates.ts";
import { approveReport, returnReport, unapproveReport } from "../../core/officials/approval.ts";
import { officialScope } from "../../core/officials/access.ts";
import type { Db } from "../../core/db/client.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { seedHierarchy, testCatalog } from "./fixture.ts";

const catalog = testCatalog();
const SCOPES = ["SO-DEMO", "XA-TANKY", "XA-BINHAN", "TH-HOAMAI"];
const PERIODS = ["2026-03", "2026-02"];
const LEVELS = [undefined, "th", "thcs"];

/** Every scope × period × level × view: the aggregates' answer equals the live one. Returns how many lists the limit cut. */
async function expectAgreement(db: Db): Promise<number> {
  let compared = 0;
  let listed = 0;
  let cut = 0;
  for (const under of SCOPES)
    for (const period of PERIODS)
      for (const level of LEVELS)
        for (const approvedOnly of [false, true]) {
          // 100: every below-target unit; 1: the limit cuts each target's list (the batched query's numbering)
          for (const belowLimit of [100, 1]) {
            const opts = { period, under, level, approvedOnly, belowLimit };
            const fast = await progressReport(db, catalog, opts);
            const live = await progressReport(db, catalog, { ...opts, live: true });
            expect(fast.indicators, JSON.stringify(opts)).toEqual(live.indicators);
            listed += fast.indicators.reduce((k, i) => k + i.below.length, 0);
            if (belowLimit === 1) cut += fast.indicators.filter((i) => i.below.length === 1 && i.belowCount > 1).length;
          }
          compared++;
        }
  // the below-target lists (by unit id vs by path) were compared on real entries
  expect(listed).toBeGreaterThan(0);
  // the dashboard's trend: the aggregates per period equal the grouped query over the answers
  let points = 0;
  for (const code of SCOPES) {
    const under = await db.unit.findUniqueOrThrow({ where: { code } });
    for (const e of catalog.entries) {
      const opts = { code: e.code, under, period: PERIODS[0]!, count: 4 };
      const fast = await trendView(db, catalog, opts, VIEW_WORDS);
      expect(fast, JSON.stringify({ code, target: e.code })).toEqual(await trendView(db, catalog, { ...opts, live: true }, VIEW_WORDS));
      points += fast!.points.filter((p) => p.answered > 0).length;
    }
  }
  expect(points).toBeGreaterThan(0);
  expect(compared).toBeGreaterThan(0);
  return cut;
}

/** A submit or an edit as core/reporting does it: answers and report in one transaction, then the hook. */
async function write(db: Db, code: string, period: string, answers: Array<{ code: string; numerator?: number; denominator?: number; value?: number; meetsTarget?: boolean }>, opts: { hook?: boolean } = {}) {
  const unit = await db.unit.findUniqueOrThrow({ where: { code } });
  await db.$transaction(async (tx) => {
    const report = await tx.report.upsert({
      where: { unitId_period: { unitId: unit.id, period } },
      update: { status: "submitted", approvalStatus: "pending", revision: { increment: 1 } },
      create: { unitId: unit.id, period, periodKind: "month", planId: "TK-2026", status: "submitted", revision: 1, deadline: new Date("2026-03-19T17:00:00Z"), submittedAt: new Date(), firstSubmittedAt: new Date(), onTime: true },
    });
    for (const a of answers) {
      const value = a.value ?? (a.numerator !== undefined && a.denominator ? (a.numerator / a.denominator) * 100 : null);
      const data = { value, numerator: a.numerator ?? null, denominator: a.denominator ?? null, raw: String(value), meetsTarget: a.meetsTarget ?? null, skipped: false };
      await tx.answer.upsert({ where: { reportId_indicatorCode: { reportId: report.id, indicatorCode: a.code } }, update: data, create: { reportId: report.id, indicatorCode: a.code, ...data } });
    }
    if (opts.hook !== false) await applyReportToAggregates(tx, report.id);
  });
  return (await db.report.findUniqueOrThrow({ where: { unitId_period: { unitId: unit.id, period } } })).id;
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`progress aggregates (${target})`, () => {
    let t: TestDb;
    let db: Db;
    beforeAll(async () => {
      t = await freshDb(target);
      db = t.db;
      await seedHierarchy(db);
      const so = await db.unit.findUniqueOrThrow({ where: { code: "SO-DEMO" } });
      await db.user.create({ data: { telegramId: "700001", name: "Cán bộ Sở (thử)", role: "official", officialUnitId: so.id } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it("are built from the seeded reports and agree with the answers", async () => {
      expect(await pendingMarks(db)).toBeGreaterThan(0); // the seed wrote around the hook: the triggers marked it
      await expectAgreement(db);
      expect(await pendingMarks(db)).toBe(0);
      const so = await db.unit.findUniqueOrThrow({ where: { code: "SO-DEMO" } });
      const cells = await progressCells(db, so.id, ["2026-03", "2026-02"], {});
      expect(cells?.find((c) => c.code === "TK-01" && c.period === "2026-03")).toMatchObject({ answered: 3, num: 60, den: 111 });
      // a leaf reads its answers live
      const school = await db.unit.findUniqueOrThrow({ where: { code: "TH-HOAMAI" } });
      expect(await progressCells(db, school.id, ["2026-03"], {})).toBeNull();
    });

    it("stay equal after a submit and an edit through the hook (nothing left to catch up)", async () => {
      await write(db, "TH-SAOMAI", "2026-03", [{ code: "TK-01", numerator: 18, denominator: 20, meetsTarget: true }, { code: "TK-02", value: 0, meetsTarget: false }, { code: "TK-04", value: 7 }]);
      expect(await pendingMarks(db)).toBe(0);
      const so = await db.unit.findUniqueOrThrow({ where: { code: "SO-DEMO" } });
      expect((await progressCells(db, so.id, ["2026-03"], {}))?.find((c) => c.code === "TK-01")).toMatchObject({ answered: 4, num: 78, den: 131 });
      await write(db, "THCS-TANKY", "2026-03", [{ code: "TK-01", numerator: 95, denominator: 100, meetsTarget: true }, { code: "TK-03", value: 0, meetsTarget: false }]);
      expect(await pendingMarks(db)).toBe(0);
      // some below-target lists are now longer than the limit of 1: the batched query cuts them like the per-target one
      expect(await expectAgreement(db)).toBeGreaterThan(0);
    });

    it("stay equal through approve, return and unapprove, and in the approved-only view", async () => {
      const scope = (await officialScope(db, await db.user.findUniqueOrThrow({ where: { telegramId: "700001" } })))!;
      const deps = { db, catalog };
      const id = async (code: string) => (await db.report.findFirstOrThrow({ where: { unit: { code }, period: "2026-03" } })).id;
      expect((await approveReport(deps, scope, { reportId: await id("TH-HOAMAI") })).ok).toBe(true);
      expect((await approveReport(deps, scope, { reportId: await id("TH-BINHAN") })).ok).toBe(true);
      expect(await pendingMarks(db)).toBe(0);
      const approved = await progressReport(db, catalog, { period: "2026-03", under: "SO-DEMO", approvedOnly: true });
      expect(approved.indicators.find((i) => i.code === "TK-01")).toMatchObject({ answered: 2, numerator: 10, denominator: 11 });
      await expectAgreement(db);
      expect((await returnReport(deps, scope, { reportId: await id("THCS-TANKY"), reason: "Số liệu chưa khớp sổ sách" })).ok).toBe(true);
      expect((await unapproveReport(deps, scope, { reportId: await id("TH-BINHAN"), reason: "Cần sửa số giáo viên" })).ok).toBe(true);
      expect(await pendingMarks(db)).toBe(0);
      await expectAgreement(db);
    });

    it("catch up writes that bypass the hook, and tree changes", async () => {
      await write(db, "TH-BINHAN", "2026-02", [{ code: "TK-01", numerator: 3, denominator: 4, meetsTarget: false }], { hook: false });
      await db.answer.updateMany({ where: { report: { unit: { code: "TH-HOAMAI" }, period: "2026-03" }, indicatorCode: "TK-04" }, data: { value: 31 } });
      expect(await pendingMarks(db)).toBeGreaterThan(0);
      await expectAgreement(db);
      // a school moves to the other commune; another becomes multi-level; a new unit under a school makes it a node
      const binhAn = await db.unit.findUniqueOrThrow({ where: { code: "XA-BINHAN" } });
      await db.unit.update({ where: { code: "TH-SAOMAI" }, data: { parentId: binhAn.id, path: "/SO-DEMO/XA-BINHAN/TH-SAOMAI/" } });
      await db.unit.update({ where: { code: "THCS-TANKY" }, data: { levels: "th, thcs" } });
      const hoaMai = await db.unit.findUniqueOrThrow({ where: { code: "TH-HOAMAI" } });
      await db.unit.create({ data: { code: "MN-HOAMAI", name: "Điểm trường Mầm non Hoa Mai", kind: "school", levels: "mn", parentId: hoaMai.id, path: "/SO-DEMO/XA-TANKY/TH-HOAMAI/MN-HOAMAI/" } });
      await expectAgreement(db);
    });

    it("a rebuild gives the same cells", async () => {
      const before = await db.progressCell.findMany({ orderBy: [{ nodeId: "asc" }, { period: "asc" }, { indicatorCode: "asc" }, { targetId: "asc" }, { level: "asc" }, { approved: "asc" }] });
      expect(before.length).toBeGreaterThan(0);
      await rebuildAggregates(db);
      const after = await db.progressCell.findMany({ orderBy: [{ nodeId: "asc" }, { period: "asc" }, { indicatorCode: "asc" }, { targetId: "asc" }, { level: "asc" }, { approved: "asc" }] });
      expect(after).toEqual(before);
    });

    it("catch up more marks than one query can bind (a national tree: 536+ nodes with children)", async () => {
      // 1,200 marks of units that do not exist: catchUp reads, skips and clears them all
      await db.aggregateDirty.createMany({ data: Array.from({ length: 1200 }, (_, i) => ({ nodeId: 900_000 + i, period: "2026-01" })) });
      expect(await pendingMarks(db)).toBeGreaterThanOrEqual(1200);
      await refreshAggregates(db);
      expect(await pendingMarks(db)).toBe(0);
      await expectAgreement(db);
    });
  });
}
