/**
 * Races and redeliveries on one report (issue 11 §4), on a real database: a focal point and a deputy
 * editing at once, a submit while the deputy changes an answer, a submit on an outdated summary, a
 * focal point removed mid-answer, and one Telegram update applied twice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { recordAnswer, recordReason } from "../../core/reporting/answer.ts";
import { loadReportState, openReport, saveAnswer, submitReport, type ReportingDeps } from "../../core/reporting/reports.ts";
import { answerStep, pointNext, pointStep, readCursor, submitStep } from "../../core/reporting/steps.ts";
import { checkAnswer } from "../../core/reporting/check.ts";
import { parsePeriod, vietnamTime } from "../../core/reporting/periods.ts";
import { createCatalogStore, seedShippedPlans } from "../../core/plans/index.ts";
import type { CatalogTarget } from "../../core/catalog/index.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

const PERIOD = "2026-10";
const rawFor = (e: CatalogTarget) =>
  e.measure.type === "ratio" ? "46/50" : e.measure.type === "boolean" ? "có" : e.measure.type === "level" ? String(e.measure.max) : e.measure.type === "percent" ? "92" : "5";

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`one report, several writers (${target})`, () => {
    let t: TestDb;
    afterEach(async () => t?.close());

    /** n schools of one commune, each with a focal point and a deputy; every report answered (and submitted when asked). */
    async function setup(n: number, submit: boolean) {
      t = await freshDb(target);
      await seedShippedPlans(t.db);
      const deps: ReportingDeps = { db: t.db, catalog: createCatalogStore(t.db), now: () => vietnamTime(2026, 10, 10, 9) };
      const xa = await t.db.unit.create({ data: { code: "XA-R", name: "UBND xã Đua", kind: "commune", levels: "xa", path: "/XA-R/", planId: "TK-2026" } });
      const schools = [];
      for (let i = 0; i < n; i++) {
        const th = await t.db.unit.create({ data: { code: `TH-R${i}`, name: `Trường TH Đua ${i}`, kind: "school", levels: "th", parentId: xa.id, path: `/XA-R/TH-R${i}/` } });
        const focal = await t.db.user.create({ data: { telegramId: String(7000 + 2 * i), name: "Đầu mối", role: "focal" } });
        const deputy = await t.db.user.create({ data: { telegramId: String(7001 + 2 * i), name: "Cấp phó", role: "focal" } });
        await t.db.membership.create({ data: { userId: focal.id, unitId: th.id, role: "focal" } });
        await t.db.membership.create({ data: { userId: deputy.id, unitId: th.id, role: "deputy" } });
        const report = await openReport(deps, th.id, parsePeriod(PERIOD));
        const state = await loadReportState(deps, report.id);
        for (const e of state.indicators) {
          const { outcome } = await recordAnswer(deps, { reportId: report.id, code: e.code, raw: rawFor(e), userId: focal.id });
          if (outcome.status === "saved" && outcome.meetsTarget === false) await recordReason(deps, { reportId: report.id, code: e.code, reason: "đang triển khai" });
        }
        if (submit) expect(await submitReport(deps, { reportId: report.id, userId: focal.id })).toMatchObject({ status: "submitted" });
        const ratios = state.indicators.filter((e) => e.measure.type === "ratio" && checkAnswer(e, "50/50").ok);
        schools.push({ th, focal, deputy, reportId: report.id, ratios });
      }
      return { deps, schools };
    }

    it("a focal point and a deputy editing a submitted report at once: no edit is lost (pendingJson under the report's lock)", async () => {
      const { deps, schools } = await setup(8, true);
      let lost = 0;
      for (const s of schools) {
        const [a, b] = s.ratios;
        await Promise.all([
          saveAnswer(deps, { reportId: s.reportId, code: a!.code, userId: s.focal.id, raw: "49/50", check: okCheck(a!, "49/50") }),
          saveAnswer(deps, { reportId: s.reportId, code: b!.code, userId: s.deputy.id, raw: "48/50", check: okCheck(b!, "48/50") }),
        ]);
        const pending = JSON.parse((await t.db.report.findUniqueOrThrow({ where: { id: s.reportId } })).pendingJson ?? "{}") as Record<string, { raw: string }>;
        if (pending[a!.code]?.raw !== "49/50" || pending[b!.code]?.raw !== "48/50") lost++;
      }
      expect(lost).toBe(0);
    });

    it("a submit while the deputy changes an answer: the stored answers equal the revision's snapshot, and the change is not lost", async () => {
      const { deps, schools } = await setup(8, false);
      const problems: string[] = [];
      for (const s of schools) {
        const code = s.ratios[0]!.code;
        const [submitted] = await Promise.all([
          submitReport(deps, { reportId: s.reportId, userId: s.focal.id }),
          recordAnswer(deps, { reportId: s.reportId, code, raw: "50/50", userId: s.deputy.id }),
        ]);
        expect(submitted.status).toBe("submitted");
        const report = await t.db.report.findUniqueOrThrow({ where: { id: s.reportId }, include: { answers: true, revisions: { orderBy: { revision: "desc" }, take: 1 } } });
        const snapshot = JSON.parse(report.revisions[0]!.answersJson) as Record<string, { raw: string } | undefined>;
        for (const a of report.answers) if (snapshot[a.indicatorCode]?.raw !== a.raw) problems.push(`${s.th.code} ${a.indicatorCode}: stored ${a.raw}, snapshot ${snapshot[a.indicatorCode]?.raw}`);
        const pending = JSON.parse(report.pendingJson ?? "{}") as Record<string, { raw: string }>;
        const kept = snapshot[code]?.raw === "50/50" || pending[code]?.raw === "50/50";
        if (!kept) problems.push(`${s.th.code}: the deputy's 50/50 was lost`);
      }
      expect(problems).toEqual([]);
    });

    it("a submit on a summary older than the report is refused with the current summary; the next submit goes through", async () => {
      const { deps, schools } = await setup(1, false);
      const s = schools[0]!;
      const focal = { chatId: "7000", userId: s.focal.id, updateId: 1 };
      const deputy = { chatId: "7001", userId: s.deputy.id, updateId: 2 };
      expect(await pointStep(deps, focal, { reportId: s.reportId, code: null, awaiting: "summary", pass: "main" })).toMatchObject({ status: "ok" });
      await pointStep(deps, deputy, { reportId: s.reportId, code: s.ratios[0]!.code, awaiting: "answer", pass: "edit" });
      expect(await answerStep(deps, { ...deputy, updateId: 3 }, { reportId: s.reportId, code: s.ratios[0]!.code, raw: "50/50", pass: "edit" })).toMatchObject({ status: "saved" });
      const refused = await submitStep(deps, { ...focal, updateId: 4 }, { reportId: s.reportId, reason: null });
      expect(refused.status).toBe("changed");
      if (refused.status === "changed") expect(refused.state.answers.get(s.ratios[0]!.code)?.raw).toBe("50/50");
      expect(await t.db.report.findUniqueOrThrow({ where: { id: s.reportId } })).toMatchObject({ status: "draft" });
      expect(await submitStep(deps, { ...focal, updateId: 5 }, { reportId: s.reportId, reason: null })).toMatchObject({ status: "submitted", revision: 1 });
    });

    it("one update applied twice stores its answer once, under its question; a focal point removed mid-answer stores nothing", async () => {
      const { deps, schools } = await setup(1, false);
      const s = schools[0]!;
      const [q1, q2] = s.ratios;
      await t.db.answer.deleteMany({ where: { reportId: s.reportId, indicatorCode: { in: [q1!.code, q2!.code] } } });
      const focal = { chatId: "7000", userId: s.focal.id, updateId: 10 };
      const pointed = await pointNext(deps, focal, s.reportId, "main");
      expect(pointed).toMatchObject({ status: "ok", cursor: { code: q1!.code, awaiting: "answer" } });
      const seq = (await readCursor(t.db, "7000"))!.seq;
      const first = await answerStep(deps, { ...focal, updateId: 11 }, { reportId: s.reportId, code: q1!.code, raw: "50/50", pass: "main", expectSeq: seq });
      expect(first).toMatchObject({ status: "saved", cursor: { code: q2!.code } });
      // the same update again (a redelivery after a kill): nothing moves, the answer is not stored under q2
      const again = await answerStep(deps, { ...focal, updateId: 11 }, { reportId: s.reportId, code: q2!.code, raw: "50/50", pass: "main", expectSeq: seq + 1 });
      expect(again.status).toBe("replayed");
      expect(await t.db.answer.findUnique({ where: { reportId_indicatorCode: { reportId: s.reportId, indicatorCode: q2!.code } } })).toBeNull();
      expect((await readCursor(t.db, "7000"))!.seq).toBe(seq + 1);
      // removed from the unit while q2 is asked: the answer is refused at the moment of writing
      await t.db.membership.deleteMany({ where: { userId: s.focal.id } });
      const late = await answerStep(deps, { ...focal, updateId: 12 }, { reportId: s.reportId, code: q2!.code, raw: "43/50", pass: "main", expectSeq: seq + 1 });
      expect(late.status).toBe("not_member");
      expect(await t.db.answer.findUnique({ where: { reportId_indicatorCode: { reportId: s.reportId, indicatorCode: q2!.code } } })).toBeNull();
      expect(await readCursor(t.db, "7000")).toBeNull();
    });
  });
}

function okCheck(entry: CatalogTarget, raw: string) {
  const c = checkAnswer(entry, raw);
  if (!c.ok) throw new Error(`not a valid answer: ${raw}`);
  return c;
}
