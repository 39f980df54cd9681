/**
 * A period that has not started is refused (issue 11 §4: `/baocao 2099-12` opened a report),
 * checked where every report is opened (command or button); the current period still opens.
 */
import { afterEach, expect, it } from "vitest";
import { isFuturePeriod } from "../../core/reporting/window.ts";
import { parsePeriod } from "../../core/reporting/periods.ts";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

const MARCH_10 = () => new Date("2026-03-10T03:00:00Z");
let tb: TestBot;
afterEach(async () => tb?.stop());

it("knows the future in Vietnam time", () => {
  // 31/3/2026 23:30 in Vietnam is still March there (UTC 16:30)
  const lateMarch = new Date("2026-03-31T16:30:00Z");
  expect(isFuturePeriod(parsePeriod("2026-03"), lateMarch)).toBe(false);
  expect(isFuturePeriod(parsePeriod("2026-04"), lateMarch)).toBe(true);
  expect(isFuturePeriod(parsePeriod("2026-04"), new Date("2026-03-31T17:30:00Z"))).toBe(false); // 1/4 00:30 in Vietnam
  expect(isFuturePeriod(parsePeriod("2026-Q2"), lateMarch)).toBe(true);
  expect(isFuturePeriod(parsePeriod("2026"), lateMarch)).toBe(false);
  expect(isFuturePeriod(parsePeriod("2099-12"), lateMarch)).toBe(true);
});

it("refuses /baocao 2099-12 and 2026-Q2 in March 2026, and opens nothing; the current month still opens", async () => {
  tb = await startTestBot({ now: MARCH_10, setup: async (t) => void (await seedSmallProvince(t)) });
  const lan = chat(tb.fake, { id: 501, first_name: "Lan" });
  lan.say("/start inv_th_a");
  await lan.expectReply("Đã đăng ký");
  lan.say("/baocao 2099-12");
  await lan.expectReply("Chưa đến kỳ báo cáo tháng 12/2099. Kỳ hiện tại là tháng 3/2026");
  lan.say("/baocao 2026-Q2");
  await lan.expectReply("Chưa đến kỳ báo cáo quý II/2026");
  expect(await tb.t.db.report.count()).toBe(0);
  lan.say("/baocao 2026-03");
  await lan.expectReply(/Câu 1|1\//);
  expect(await tb.t.db.report.count()).toBe(1);
});
