/**
 * The late list (core/officials/late.ts: one packed string_agg query, the tree and plans from the
 * in-memory cache, per-scope memos) equals a from-scratch computation written here: the subtree
 * loaded by loadScope (no cache), the period's reports read through Prisma (its own date
 * decoding), each expected unit classified one by one. Over a seeded random tree with every report
 * state (none, draft, reopened draft, on time, late, on-time flag unknown, extended deadline,
 * each approval status), every scope, period and level, before and after writes that change the
 * reports and the tree.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lateReport, LEVEL_LABEL, planDeadline, type LateReport } from "../../core/officials/late.ts";
import { expectedIndicators, loadScope, percent, unitsWithNoPlan } from "../../core/officials/scope.ts";
import { KIND_FREQUENCY, parsePeriod } from "../../core/reporting/periods.ts";
import type { Db } from "../../core/db/client.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { testCatalog } from "./fixture.ts";

const catalog = testCatalog();
const now = new Date("2026-04-02T03:00:00Z");
const PERIODS = ["2026-03", "2026-02", "2026-Q1"];
const LEVELS = [undefined, "th", "thcs"];

/** mulberry32: the same tree and reports on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vn = (iso: string) => new Date(`${iso}+07:00`);

async function seed(db: Db): Promise<string[]> {
  const r = rng(7);
  const ids = new Map<string, { id: number; path: string }>();
  const add = async (code: string, name: string, kind: string, levels: string, parent: string | null, planId: string | null = null) => {
    const p = parent ? ids.get(parent)! : null;
    const path = `${p?.path ?? "/"}${code}/`;
    const u = await db.unit.create({ data: { code, name, kind, levels, path, parentId: p?.id ?? null, planId } });
    ids.set(code, { id: u.id, path });
  };
  await add("SO-T", "Sở GDĐT Thử", "department", "so", null, "TK-2026");
  await add("SO-KHONG", "Sở không kế hoạch", "department", "so", null);
  await add("TH-KHONG", "Trường chưa có kế hoạch", "school", "th", "SO-KHONG");
  const scopes = ["SO-T", "SO-KHONG"];
  for (let c = 1; c <= 4; c++) {
    const commune = `XA-T${c}`;
    await add(commune, `UBND xã Thử ${c}`, "commune", "xa", "SO-T");
    scopes.push(commune);
    for (let s = 1; s <= 7; s++) {
      const levels = s % 5 === 0 ? "th, thcs" : s % 2 ? "th" : "thcs";
      const code = `TR-T${c}-${s}`;
      await add(code, `Trường Thử ${c}.${s}`, "school", levels, commune, c === 2 && s === 3 ? "XX-0000" : null);
      if (s === 1) scopes.push(code);
    }
  }
  for (const [, { id }] of ids) {
    for (const period of ["2026-03", "2026-02"]) {
      const roll = r();
      if (roll < 0.15) continue; // no report at all
      const month = Number(period.slice(5));
      const planDeadline = vn(`2026-0${month}-20T00:00:00`);
      const deadline = r() < 0.15 ? vn(`2026-0${month}-27T00:00:00`) : planDeadline; // an extended deadline
      const when = new Date(planDeadline.getTime() + Math.round((r() - 0.7) * 10 * 86_400_000) + Math.floor(r() * 1000));
      const draft = roll < 0.3;
      const reopened = draft && r() < 0.3; // a draft that had been submitted once
      const unknownOnTime = !draft && r() < 0.2; // older rows: on-time flag not stored
      const first = !draft && r() < 0.1 ? null : when;
      await db.report.create({
        data: {
          unitId: id,
          period,
          periodKind: "month",
          planId: "TK-2026",
          status: draft ? "draft" : "submitted",
          revision: draft ? 0 : 1,
          deadline,
          firstSubmittedAt: draft && !reopened ? null : first,
          submittedAt: draft && !reopened ? null : new Date(when.getTime() + (r() < 0.3 ? 3 * 86_400_000 : 0)),
          onTime: draft ? (reopened ? when < deadline : null) : unknownOnTime ? null : when < deadline,
          approvalStatus: draft ? "pending" : (["pending", "approved", "returned"] as const)[Math.floor(r() * 3)],
        },
      });
    }
  }
  return scopes;
}

/** The late list computed from scratch, one unit at a time. */
async function reference(db: Db, under: string, period: string, level?: string) {
  const p = parsePeriod(period);
  const scope = await loadScope(db, under, { catalog, period: p.key });
  const reports = new Map(
    (await db.report.findMany({ where: { period: p.key, unitId: { in: scope.units.map((u) => u.id) } } })).map((r) => [r.unitId, r]),
  );
  const expected = scope.units.filter(
    (u) => expectedIndicators(catalog, u, KIND_FREQUENCY[p.kind], p.key).length > 0 && (!level || u.levels.includes(level)),
  );
  const statuses = expected.map((unit) => {
    const r = reports.get(unit.id);
    const planDl = planDeadline(catalog, unit.planId, p);
    if (r?.status === "submitted") {
      const first = r.firstSubmittedAt ?? r.submittedAt;
      const onTime = r.onTime ?? (first !== null && first < r.deadline);
      return { unit, status: onTime ? "on_time" : "late", submittedAt: r.submittedAt, deadline: r.onTime === true ? planDl : r.deadline, approval: r.approvalStatus, first };
    }
    return { unit, status: "missing", submittedAt: null, deadline: r && r.onTime !== true ? r.deadline : planDl, approval: null, draft: r !== undefined };
  });
  const group = (keyOf: (s: (typeof statuses)[number]) => Array<[string, string]>) => {
    const groups = new Map<string, { label: string; n: number; on: number; late: number }>();
    for (const s of statuses)
      for (const [key, label] of keyOf(s)) {
        const g = groups.get(key) ?? { label, n: 0, on: 0, late: 0 };
        groups.set(key, g);
        g.n++;
        if (s.status === "on_time") g.on++;
        if (s.status === "late") g.late++;
      }
    return [...groups].map(([key, g]) => ({ key, label: g.label, expected: g.n, submitted: g.on + g.late, onTime: g.on, late: g.late, missing: g.n - g.on - g.late, reportingRate: percent(g.on + g.late, g.n), onTimeRate: percent(g.on, g.n) }));
  };
  const areaOf = (path: string): [string, string] => {
    const code = path.slice(scope.root.path.length).split("/")[0] || scope.root.code;
    return [code, scope.units.find((u) => u.code === code)?.name ?? code];
  };
  const order = Object.keys(LEVEL_LABEL);
  const submitted = statuses.filter((s) => s.status !== "missing");
  return {
    expected: statuses.length,
    submitted: submitted.length,
    onTime: statuses.filter((s) => s.status === "on_time").length,
    late: statuses.filter((s) => s.status === "late").map((s) => ({ code: s.unit.code, submittedAt: s.first ?? s.deadline, deadline: s.deadline })),
    missing: statuses.filter((s) => s.status === "missing").map((s) => ({ code: s.unit.code, status: s.draft ? "draft" : "none", deadline: s.deadline })),
    statuses: statuses.map((s) => ({ code: s.unit.code, status: s.status, submittedAt: s.submittedAt, deadline: s.deadline, approval: s.approval })),
    approval: {
      pending: submitted.filter((s) => s.approval === "pending").length,
      approved: submitted.filter((s) => s.approval === "approved").length,
      returned: submitted.filter((s) => s.approval === "returned").length,
    },
    groups: {
      byParent: group((s) => [[s.unit.parentCode ?? s.unit.code, s.unit.parentName ?? s.unit.name]]),
      byArea: group((s) => [areaOf(s.unit.path)]),
      byLevel: group((s) => s.unit.levels.map((l): [string, string] => [l, LEVEL_LABEL[l] ?? l])).sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key)),
    },
    withoutPlan: unitsWithNoPlan(scope).filter((u) => !level || u.levels.includes(level)).map((u) => u.code),
  };
}

function shape(r: LateReport) {
  return {
    expected: r.expected,
    submitted: r.submitted,
    onTime: r.onTime,
    late: r.late.map((u) => ({ code: u.code, submittedAt: u.submittedAt, deadline: u.deadline })),
    missing: r.missing.map((u) => ({ code: u.code, status: u.status, deadline: u.deadline })),
    statuses: r.statuses.map((s) => ({ code: s.unit.code, status: s.status, submittedAt: s.submittedAt, deadline: s.deadline, approval: s.approval })),
    approval: r.approval,
    groups: r.groups,
    withoutPlan: r.withoutPlan.map((u) => u.code),
  };
}

async function expectAgreement(db: Db, scopes: string[]): Promise<{ compared: number; states: Set<string> }> {
  let compared = 0;
  const states = new Set<string>();
  for (const under of scopes)
    for (const period of PERIODS)
      for (const level of LEVELS) {
        const fast = await lateReport(db, catalog, { period, under, level, now });
        const ref = await reference(db, under, period, level);
        expect(shape(fast), JSON.stringify({ under, period, level })).toEqual(ref);
        for (const s of fast.statuses) states.add(`${s.status}/${s.approval}`);
        for (const m of fast.missing) states.add(`missing/${m.status}`);
        compared++;
      }
  return { compared, states };
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`late list: fast path = from-scratch computation (${target})`, () => {
    let t: TestDb;
    let scopes: string[];
    beforeAll(async () => {
      t = await freshDb(target);
      scopes = await seed(t.db);
    });
    afterAll(async () => {
      await t?.close();
    });

    it("agrees in every scope, period and level, with every report state present", async () => {
      const { compared, states } = await expectAgreement(t.db, scopes);
      expect(compared).toBe(scopes.length * PERIODS.length * LEVELS.length);
      // the data exercise each branch of the classification
      for (const s of ["on_time/pending", "on_time/approved", "on_time/returned", "late/pending", "late/approved", "late/returned", "missing/draft", "missing/none"]) {
        expect(states, s).toContain(s);
      }
      const r = await lateReport(t.db, catalog, { period: "2026-03", under: "SO-T", now });
      expect(r.late.length).toBeGreaterThan(2);
      expect(r.expected).toBeGreaterThan(r.submitted);
    });

    it("still agrees after reports and the tree change (no stale memo)", async () => {
      const before = await lateReport(t.db, catalog, { period: "2026-03", under: "XA-T1", now });
      // a missing school submits late, an on-time report is returned, a school moves to another commune
      const missing = before.missing.find((m) => m.kind === "school" && m.code !== "TR-T1-2")!;
      await t.db.report.upsert({
        where: { unitId_period: { unitId: missing.id, period: "2026-03" } },
        create: { unitId: missing.id, period: "2026-03", periodKind: "month", planId: "TK-2026", status: "submitted", revision: 1, deadline: missing.deadline!, firstSubmittedAt: vn("2026-03-29T10:00:00"), submittedAt: vn("2026-03-29T10:00:00"), onTime: false },
        update: { status: "submitted", firstSubmittedAt: vn("2026-03-29T10:00:00"), submittedAt: vn("2026-03-29T10:00:00"), onTime: false },
      });
      const onTime = before.statuses.find((s) => s.status === "on_time")!;
      await t.db.report.update({ where: { unitId_period: { unitId: onTime.unit.id, period: "2026-03" } }, data: { approvalStatus: "returned" } });
      const mover = await t.db.unit.findUniqueOrThrow({ where: { code: "TR-T1-2" } });
      const to = await t.db.unit.findUniqueOrThrow({ where: { code: "XA-T3" } });
      await t.db.unit.update({ where: { id: mover.id }, data: { parentId: to.id, path: `${to.path}TR-T1-2/` } });
      const after = await lateReport(t.db, catalog, { period: "2026-03", under: "XA-T1", now });
      expect(after.late.map((u) => u.code)).toContain(missing.code);
      expect(after.statuses.map((s) => s.unit.code)).not.toContain("TR-T1-2");
      expect((await lateReport(t.db, catalog, { period: "2026-03", under: "XA-T3", now })).statuses.map((s) => s.unit.code)).toContain("TR-T1-2");
      await expectAgreement(t.db, scopes);
    });

    it("the cached list follows every report change alone (the period's stamp), through Prisma and raw SQL", async () => {
      await expectAgreement(t.db, scopes); // every list cached
      const a = await lateReport(t.db, catalog, { period: "2026-03", under: "SO-T", now });
      const b = await lateReport(t.db, catalog, { period: "2026-03", under: "SO-T", now });
      expect(b.statuses[0]).toBe(a.statuses[0]); // served from the cache, not recomputed
      expect(b.statuses).not.toBe(a.statuses); // each caller gets its own arrays
      const cur = () => lateReport(t.db, catalog, { period: "2026-03", under: "SO-T", now, fresh: true });
      const changes: Array<[string, () => Promise<unknown>]> = [
        ["a draft is started", async () => {
          const none = (await cur()).missing.find((m) => m.status === "none")!;
          await t.db.report.create({ data: { unitId: none.id, period: "2026-03", periodKind: "month", planId: "TK-2026", status: "draft", deadline: none.deadline! } });
        }],
        ["a draft is submitted late", async () => {
          const draft = (await cur()).missing.find((m) => m.status === "draft")!;
          await t.db.report.update({ where: { unitId_period: { unitId: draft.id, period: "2026-03" } }, data: { status: "submitted", submittedAt: vn("2026-03-30T08:00:00"), firstSubmittedAt: vn("2026-03-30T08:00:00"), onTime: false } });
        }],
        ["a report is approved", async () => {
          const s = (await cur()).statuses.find((x) => x.approval === "pending")!;
          await t.db.report.update({ where: { unitId_period: { unitId: s.unit.id, period: "2026-03" } }, data: { approvalStatus: "approved" } });
        }],
        ["a late report's deadline is extended (on-time flag unknown)", async () => {
          const l = (await cur()).late[0]!;
          await t.db.$executeRaw`UPDATE "Report" SET "onTime" = NULL, "deadline" = ${vn("2026-04-30T00:00:00")} WHERE "unitId" = ${l.id} AND "period" = '2026-03'`;
        }],
        ["a first submission time is corrected (raw SQL)", async () => {
          const s = (await cur()).statuses.find((x) => x.status === "on_time")!;
          await t.db.$executeRaw`UPDATE "Report" SET "onTime" = NULL, "firstSubmittedAt" = ${vn("2026-04-01T08:00:00")} WHERE "unitId" = ${s.unit.id} AND "period" = '2026-03'`;
        }],
        ["a submission time changes", async () => {
          const s = (await cur()).statuses.find((x) => x.status === "late")!;
          await t.db.report.update({ where: { unitId_period: { unitId: s.unit.id, period: "2026-03" } }, data: { submittedAt: vn("2026-03-31T09:00:00") } });
        }],
        ["a report is reopened as a draft", async () => {
          const s = (await cur()).statuses.find((x) => x.status === "on_time")!;
          await t.db.report.update({ where: { unitId_period: { unitId: s.unit.id, period: "2026-03" } }, data: { status: "draft" } });
        }],
        ["a report is deleted", async () => {
          const draft = (await cur()).missing.find((m) => m.status === "draft")!;
          await t.db.report.delete({ where: { unitId_period: { unitId: draft.id, period: "2026-03" } } });
        }],
      ];
      for (const [what, change] of changes) {
        const before = JSON.stringify(shape(await lateReport(t.db, catalog, { period: "2026-03", under: "SO-T", now })));
        await change();
        const after = await lateReport(t.db, catalog, { period: "2026-03", under: "SO-T", now });
        expect(JSON.stringify(shape(after)), what).not.toBe(before);
        await expectAgreement(t.db, scopes);
      }
    });
  });
}
