/**
 * Units with no plan in force (issue 7): the focal point is told there is nothing to report and
 * why; the official never sees a reporting rate or "✅ all on time" over zero expected units, but
 * the units with no plan, named, and how to fix it.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { TestDb } from "../support/db.ts";
import { allDbTargets } from "../support/db.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

const MARCH_25 = () => new Date("2026-03-25T03:00:00Z");

/** XA-N (no plan anywhere) → TH-N1, TH-N2, with a focal point and an official. */
async function unplanned(t: TestDb) {
  const { db } = t;
  const xa = await db.unit.create({ data: { code: "XA-N", name: "UBND xã Chưa Có", kind: "commune", levels: "xa", path: "/XA-N/" } });
  const th1 = await db.unit.create({ data: { code: "TH-N1", name: "Trường TH Chưa Có Một", kind: "school", levels: "th", parentId: xa.id, path: "/XA-N/TH-N1/" } });
  await db.unit.create({ data: { code: "TH-N2", name: "Trường TH Chưa Có Hai", kind: "school", levels: "th", parentId: xa.id, path: "/XA-N/TH-N2/" } });
  await db.invite.create({ data: { code: "inv_off_n", unitId: xa.id, role: "official" } });
  await db.invite.create({ data: { code: "inv_th_n1", unitId: th1.id, role: "focal" } });
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`units with no plan in force (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    it("tell the focal point there is nothing to report; show the official no rate, the units named and the fix", async () => {
      tb = await startTestBot({ target, now: MARCH_25, setup: unplanned });
      const lan = chat(tb.fake, { id: 801, first_name: "Lan" });
      lan.say("/start inv_th_n1");
      await lan.expectReply("Đã đăng ký");
      lan.say("/baocao");
      const r = await lan.expectReply("chưa có kế hoạch nào áp dụng");
      expect(r.text).not.toMatch(/liên hệ quản trị viên\./);

      const minh = chat(tb.fake, { id: 802, first_name: "Minh" });
      minh.say("/start inv_off_n");
      await minh.expectReply("cán bộ quản lý");
      minh.say("/trehan");
      const late = await minh.expectReply("Tình hình báo cáo tháng 3/2026");
      expect(late.text).not.toContain("Tất cả đơn vị đã nộp");
      expect(late.text).not.toContain("0/0");
      expect(late.text).not.toContain("%");
      expect(late.text).toContain("Chưa có kế hoạch nào áp dụng cho 2 đơn vị");
      expect(late.text).toContain("Trường TH Chưa Có Một");
      expect(late.text).toContain("units plan");
      minh.say("/tiendo");
      const progress = await minh.expectReply("Tiến độ chỉ tiêu");
      expect(progress.text).toContain("Chưa có kế hoạch nào áp dụng");

      // assigning a plan fixes it at once (the catalog store is told; no restart)
      const { assignPlan } = await import("../../core/plans/index.ts");
      expect((await assignPlan({ db: tb.t.db, catalog: tb.deps.catalog }, { unitCode: "XA-N", planId: "TK-2026" })).ok).toBe(true);
      minh.say("/trehan");
      const after = await minh.expectReply("Tình hình báo cáo tháng 3/2026");
      expect(after.text).toContain("Đã nộp: <b>0/2</b>");
      lan.say("/baocao");
      await lan.expectReply(/Chọn kỳ báo cáo|\?/);
    });
  });
}
