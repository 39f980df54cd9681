import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../core/catalog/index.ts";
import {
  addDraftTargetFromSentence,
  addPlanFromFile,
  assignPlan,
  createCatalogStore,
  dropDraftTarget,
  getPlanDraft,
  plansInForce,
  publishPlan,
  seedShippedPlans,
  setPlanScope,
  unitsWithoutPlan,
  updateDraftTarget,
} from "../../core/plans/index.ts";
import { vietnamTime } from "../../core/reporting/periods.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";

const PLAN_FILE = "tests/fixtures/plans/kh-binh-minh-2027.txt";
const bytes = () => new Uint8Array(readFileSync(PLAN_FILE));
const now = () => vietnamTime(2027, 2, 5, 9);

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`plans in the database (${target})`, () => {
    let t: TestDb;
    afterEach(async () => t?.close());

    it("seeds the four shipped plans once, and the store's catalog equals the files'", async () => {
      t = await freshDb(target);
      expect(await seedShippedPlans(t.db)).toBe(4);
      expect(await seedShippedPlans(t.db)).toBe(0);
      const fromDb = await createCatalogStore(t.db).get();
      const fromFiles = loadCatalog();
      expect(fromDb.plans.map((p) => p.id)).toEqual(fromFiles.plans.map((p) => p.id));
      expect(fromDb.entries.map((e) => e.code)).toEqual(fromFiles.entries.map((e) => e.code));
      const e = fromDb.byCode.get("TK-03")!;
      expect(e.version).toBe(1);
      expect(e.status).toBe("published");
      expect(fromDb.byTargetId(e.targetId!)?.code).toBe("TK-03");
      const { targetId: _t, version: _v, status: _s, validFrom: _f, ...plain } = e;
      expect(plain).toEqual(fromFiles.byCode.get("TK-03"));
      const files = await t.db.planFile.findMany({ where: { planId: "TK-2026" } });
      expect(files[0]!.text).toContain(e.citation.quote.slice(0, 20));
    });

    it("drafts a plan from a file, edits, drops, adds a target from a sentence, survives a restart, publishes", async () => {
      t = await freshDb(target);
      await seedShippedPlans(t.db);
      const xa = await t.db.unit.create({ data: { code: "XA-BM", name: "UBND xã Bình Minh", kind: "commune", levels: "xa", path: "/XA-BM/" } });
      const th = await t.db.unit.create({ data: { code: "TH-BM", name: "Trường TH Bình Minh", kind: "school", levels: "th", parentId: xa.id, path: "/XA-BM/TH-BM/" } });
      const catalog = createCatalogStore(t.db);
      const deps = { db: t.db, catalog, now };
      const d = await addPlanFromFile(deps, { name: "kh-binh-minh-2027.txt", bytes: bytes(), issuerUnitId: xa.id });
      if (!d.ok) throw new Error(d.problem);
      expect(d.plan.status).toBe("draft");
      expect(d.plan.prefix).toBe("BM");
      expect(d.plan.id).toBe("BM-2027");
      expect(d.entries.map((e) => e.code)).toEqual(["BM-01", "BM-02", "BM-03"]);
      // the same file again is refused, nothing stored
      const again = await addPlanFromFile(deps, { name: "copy.txt", bytes: bytes() });
      expect(again).toMatchObject({ ok: false, problem: "duplicate_file", planId: "BM-2027" });
      expect(await addPlanFromFile(deps, { name: "x.txt", bytes: new Uint8Array(), id: "BM-2027" })).toMatchObject({ ok: false, problem: "duplicate_id" });
      expect(await addPlanFromFile(deps, { name: "empty.txt", bytes: new Uint8Array() })).toMatchObject({ ok: false, problem: "empty" });
      expect(await t.db.plan.count()).toBe(5);
      // a draft is not in the catalog: nothing reaches focal points before publishing
      expect((await catalog.get()).plan("BM-2027")).toBeUndefined();

      const edited = await updateDraftTarget(deps, "BM-2027", "BM-02", { threshold: { op: ">=", value: 80, unit: "%", text: "≥ 80%" } });
      expect(edited).toMatchObject({ ok: true, entry: { version: 1, status: "draft" } });
      expect(await updateDraftTarget(deps, "BM-2027", "BM-02", { levels: [] })).toMatchObject({ ok: false, problem: "invalid" });
      expect((await dropDraftTarget(deps, "BM-2027", "BM-01")).ok).toBe(true);
      const added = await addDraftTargetFromSentence(deps, "BM-2027", "Ít nhất 70% giáo viên sử dụng kho học liệu số.");
      if (!added.ok) throw new Error(added.problem);
      expect(added.entry.code).toBe("BM-04");
      expect(added.entry.entry.threshold).toMatchObject({ op: ">=", value: 70 });
      expect(await addDraftTargetFromSentence(deps, "BM-2027", "Tăng cường chỉ đạo.")).toMatchObject({ ok: false, problem: "no_target_found" });

      // a "restart": the draft is read back from the database
      const draft = await getPlanDraft(t.db, "BM-2027");
      expect(draft!.entries.map((e) => e.code)).toEqual(["BM-02", "BM-03", "BM-04"]);
      expect(draft!.entries[0]!.entry.threshold?.value).toBe(80);

      expect(await setPlanScope(deps, "BM-2027", { validFrom: "2027-13" })).toMatchObject({ ok: false, problem: "bad_period" });
      expect(await setPlanScope(deps, "BM-2027", { unitCodes: ["XA-NONE"] })).toMatchObject({ ok: false, problem: "unknown_units", codes: ["XA-NONE"] });
      expect(await unitsWithoutPlan(t.db, await catalog.get(), { key: "2027-02" })).toEqual([{ code: "TH-BM", name: "Trường TH Bình Minh" }]);

      const pub = await publishPlan(deps, "BM-2027", { from: "2027" });
      if (!pub.ok) throw new Error(pub.problem);
      expect(pub.plan).toMatchObject({ status: "published", validFrom: "2027", unitCodes: ["XA-BM"] });
      expect(pub.published.map((p) => p.code)).toEqual(["BM-02", "BM-03", "BM-04"]);
      const c = await catalog.get();
      expect(c.forUnit("BM-2027", ["th"], "monthly", "2027-02").map((e) => e.code)).toContain("BM-02");
      expect(await plansInForce(t.db, th.id, { key: "2027-02" })).toMatchObject({ planId: "BM-2027", unitCode: "XA-BM", own: false });
      expect(await plansInForce(t.db, th.id, { key: "2026-12" })).toBeNull();
      expect(await unitsWithoutPlan(t.db, c, { key: "2027-02" })).toEqual([]);
      expect(await unitsWithoutPlan(t.db, c, { key: "2026-12" })).toEqual([{ code: "TH-BM", name: "Trường TH Bình Minh" }]);
    });

    it("a unit reports 2026 periods against the 2026 plan and 2027 periods against the 2027 plan", async () => {
      t = await freshDb(target);
      await seedShippedPlans(t.db);
      const xa = await t.db.unit.create({ data: { code: "XA-TK", name: "UBND xã Tân Kỳ", kind: "commune", levels: "xa", path: "/XA-TK/", planId: "TK-2026" } });
      const th = await t.db.unit.create({ data: { code: "TH-TK", name: "Trường TH Tân Kỳ", kind: "school", levels: "th", parentId: xa.id, path: "/XA-TK/TH-TK/" } });
      const catalog = createCatalogStore(t.db);
      const deps = { db: t.db, catalog, now };
      const d = await addPlanFromFile(deps, { name: "kh-binh-minh-2027.txt", bytes: bytes(), id: "TK-2027" });
      expect(d.ok).toBe(true);
      expect((await publishPlan(deps, "TK-2027", { from: "2027" })).ok).toBe(true);
      expect(await assignPlan(deps, { unitCode: "xa-tk", planId: "TK-2027", from: "2027" })).toMatchObject({ ok: true, validFrom: "2027" });
      expect((await plansInForce(t.db, th.id, { key: "2026-11" }))?.planId).toBe("TK-2026");
      expect((await plansInForce(t.db, th.id, { key: "2027-01" }))?.planId).toBe("TK-2027");
      expect((await plansInForce(t.db, th.id, { key: "2027" }))?.planId).toBe("TK-2027");
      expect(await assignPlan(deps, { unitCode: "XA-TK", planId: "NOPE" })).toMatchObject({ ok: false, problem: "unknown_plan" });
      expect(await assignPlan(deps, { unitCode: "XA-TK", planId: "TK-2027", from: "2027-Q5" })).toMatchObject({ ok: false, problem: "bad_period" });
    });
  });
}

describe("a plan added while the bot runs", () => {
  it("is answerable at once by plan Q&A, with a citation from its file, without a restart", async () => {
    const { createQaEngine } = await import("../../core/retrieval/engine.ts");
    const { ingestPlans } = await import("../../core/retrieval/ingest.ts");
    const { PLANS_DIR } = await import("../../core/catalog/index.ts");
    const t = await freshDb("sqlite");
    try {
      await ingestPlans(t.db, PLANS_DIR);
      const qa = await createQaEngine({ db: t.db, words: QA_WORDS });
      const question = "Kế hoạch của xã Bình Minh yêu cầu bao nhiêu phần trăm giáo viên được tập huấn kỹ năng số?";
      const before = await qa.ask(question);
      expect(before.citations.some((c) => c.file === "kh-binh-minh-2027.txt")).toBe(false);
      const d = await addPlanFromFile({ db: t.db }, { name: "kh-binh-minh-2027.txt", bytes: bytes() });
      expect(d.ok).toBe(true);
      await qa.reload();
      const after = await qa.ask(question);
      expect(after.status).toBe("answered");
      expect(after.citations[0]).toMatchObject({ file: "kh-binh-minh-2027.txt" });
      expect(after.answer).toContain("90%");
    } finally {
      await t.close();
    }
  });
});
