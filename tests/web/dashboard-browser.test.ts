/**
 * The dashboard in a real headless browser (Debian's chromium driven by playwright-core; no browser
 * download): sign in with signed init data, drill down from the department to a commune, a school
 * and its history, read progress by plan with the schools below target and their reasons, open a
 * trend, nudge with preview then confirm, and download the .xlsx — checking the text on screen
 * against the database. Skipped (and reported as skipped) when /usr/bin/chromium is missing.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import ExcelJS from "exceljs";
import { NOW, REASON, startDashboard, type DashboardServer } from "./dashboard-support.ts";
import { lateReport } from "../../core/officials/index.ts";
import { testCatalog } from "../officials/fixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const CODES = /\b(TK|XX)-\d|TK-2026|XX-0000|2026-0\d|2026-Q\d|TH-HOAMAI|XA-TANKY|THCS-TANKY/;

describe.skipIf(!existsSync(CHROMIUM))("dashboard in a headless browser (chromium)", () => {
  let s: DashboardServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    s = await startDashboard("sqlite");
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const screenText = async () => (await page.locator("body").innerText()).normalize("NFC");

  it("drills down from the department to a school's history, figures as in the database", async () => {
    // a phone-sized screen
    page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(s.link(5003));
    await expect.poll(() => page.getByTestId("title").innerText()).toBe("Tình hình báo cáo tháng 3/2026 — Sở GDĐT Demo");
    // the database: submitted reports of March among the expected units
    const late = await lateReport(s.t.db, testCatalog(), { period: "2026-03", under: "SO-DEMO", now: NOW });
    const submitted = await s.t.db.report.count({ where: { period: "2026-03", status: "submitted", unit: { code: { not: "THCS-BINHAN" } } } });
    expect(late.submitted).toBe(submitted);
    expect(await page.getByTestId("submitted").innerText()).toBe(`${submitted}/${late.expected}`);
    expect(await page.getByTestId("reporting-rate").innerText()).toBe("66,7%");
    expect(await page.getByTestId("areas").innerText()).toMatch(/UBND xã Bình An\s+1\/2\s+50%/);
    expect(await screenText()).not.toMatch(CODES);

    await page.getByRole("link", { name: "UBND xã Tân Kỳ" }).click();
    await expect.poll(() => page.getByTestId("title").innerText()).toBe("Tình hình báo cáo tháng 3/2026 — UBND xã Tân Kỳ");
    const schools = await page.getByTestId("schools").innerText();
    expect(schools).toMatch(/Trường Tiểu học Hoa Mai\s+Đúng hạn/);
    expect(schools).toMatch(/Trường THCS Tân Kỳ\s+Trễ hạn/);
    expect(schools).toMatch(/Trường Tiểu học Sao Mai\s+Chưa nộp/);
    expect(await page.locator("#crumbs").innerText()).toMatch(/Sở GDĐT Demo\s*›?\s*UBND xã Tân Kỳ/);

    await page.getByRole("link", { name: "Trường Tiểu học Hoa Mai" }).click();
    await expect.poll(() => page.getByTestId("title").innerText()).toBe("Báo cáo của Trường Tiểu học Hoa Mai");
    const periods = page.getByTestId("period");
    expect(await periods.count()).toBe(2);
    const march = await periods.nth(0).innerText();
    // the stored answer, as the database holds it
    const answer = await s.t.db.answer.findFirstOrThrow({ where: { indicatorCode: "TK-01", report: { period: "2026-03", unit: { code: "TH-HOAMAI" } } } });
    expect(march).toContain(`Giáo viên có chữ ký số\t${answer.numerator}/${answer.denominator} (90%)`);
    expect(march).toMatch(/tháng 3\/2026\s+Đã nộp/);
    await periods.nth(1).locator("summary").click();
    expect(await periods.nth(1).innerText()).toMatch(/tháng 2\/2026[\s\S]*5\/10 \(50%\) ⚠️/);
    expect(await screenText()).not.toMatch(CODES);
    // nothing was fetched from outside this server
    expect(requests.filter((u) => !u.startsWith(s.base))).toEqual([]);
  });

  it("shows progress by plan with the schools below target, their reasons and the trend", async () => {
    await page.goto(`${s.base}/app/#progress`);
    await expect.poll(() => page.getByTestId("title").innerText()).toBe("Tiến độ chỉ tiêu tháng 3/2026 — Sở GDĐT Demo");
    expect(await page.getByTestId("plan").allInnerTexts()).toEqual(["Kế hoạch ngày 01/01/2026 của UBND xã Tân Kỳ"]);
    const sig = page.getByTestId("target").filter({ hasText: "Giáo viên có chữ ký số" });
    expect(await sig.getByTestId("target-value").innerText()).toBe("60/111 (54,1%)");
    const below = await sig.getByTestId("below").innerText();
    expect(below).toContain("Trường THCS Tân Kỳ — UBND xã Tân Kỳ: 50/100, còn thiếu 40 giáo viên"); // the shortfall in the answer's own unit
    expect(below).toContain(`Lý do: ${REASON}`);
    await sig.getByRole("button", { name: "Xu hướng" }).click();
    const trend = await sig.getByTestId("trend").innerText();
    expect(trend).toMatch(/tháng 2\/2026\s+50%\s+1 đơn vị/);
    expect(trend).toMatch(/tháng 3\/2026\s+54,1%\s+3 đơn vị/);
    expect(await screenText()).not.toMatch(CODES);
  });

  it("nudges the missing units after a preview naming whom to call, then exports the screen", async () => {
    await page.goto(`${s.base}/app/#late?under=XA-TANKY`);
    await expect.poll(() => page.getByTestId("title").innerText()).toBe("Đơn vị chưa nộp báo cáo tháng 3/2026 — UBND xã Tân Kỳ");
    expect(await page.getByTestId("missing").innerText()).toMatch(/Trường Tiểu học Sao Mai[\s\S]*Nguyễn Thị Lan[\s\S]*0900000201/);
    await page.getByRole("button", { name: /Nhắc các đơn vị chưa nộp/ }).click();
    await expect.poll(() => page.getByTestId("nudge-preview").innerText()).toBe("Sẽ gửi 1 tin nhắn tới đầu mối của 1 đơn vị:");
    expect(s.sent).toHaveLength(0); // a preview sends nothing
    await page.getByRole("button", { name: "Xác nhận gửi" }).click();
    await expect.poll(() => page.getByTestId("nudge-result").innerText()).toContain("Đã gửi 1 tin nhắn.");
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.map((i) => [i.unitName, i.telegramId, i.period])).toEqual([["Trường Tiểu học Sao Mai", "5004", "2026-03"]]);
    await page.getByRole("button", { name: "Đóng" }).click();

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: /Tải Excel/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("don-vi-chua-nop-thang-3-2026-ubnd-xa-tan-ky.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await file.path())!);
    const row = wb.getWorksheet("Chưa nộp")!.getRow(4);
    expect([row.getCell(1).value, row.getCell(4).value, row.getCell(5).value]).toEqual(["Trường Tiểu học Sao Mai", "Nguyễn Thị Lan", "0900000201"]);
  });

  it("approves and returns reports from the queue; the database and the focal points follow", async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } }); // a desk screen
    await p.goto(s.link(5001));
    await expect.poll(() => p.getByTestId("title").innerText()).toContain("Tình hình báo cáo");
    await p.getByRole("link", { name: "Duyệt" }).click();
    await expect.poll(() => p.getByTestId("title").innerText()).toBe("Duyệt báo cáo tháng 3/2026");
    const items = p.getByTestId("queue-item");
    await expect.poll(() => items.count()).toBe(2); // the commune's two submitted schools, not its own report
    const thcs = items.filter({ hasText: "Trường THCS Tân Kỳ" });
    expect(await thcs.innerText()).toContain(`Lý do: ${REASON}`);
    await thcs.getByRole("button", { name: /Trả lại/ }).click();
    await p.locator("#approval-reason").fill("Số giáo viên chưa khớp với hồ sơ");
    await p.locator("#approval-send").click();
    await expect.poll(() => p.getByTestId("approval-result").innerText()).toContain("Trường THCS Tân Kỳ — tháng 3/2026: Đã trả lại.");
    await p.locator("#approval-close").click();
    await items.filter({ hasText: "Trường Tiểu học Hoa Mai" }).getByRole("button", { name: /Duyệt/ }).click();
    await expect.poll(() => p.getByTestId("approval-result").innerText()).toContain("Trường Tiểu học Hoa Mai — tháng 3/2026: Đã duyệt.");
    await p.locator("#approval-close").click();
    await expect.poll(() => items.count()).toBe(0);

    const status = async (code: string) =>
      s.t.db.report.findFirstOrThrow({ where: { unit: { code }, period: "2026-03" }, select: { approvalStatus: true, approvalReason: true } });
    expect(await status("THCS-TANKY")).toEqual({ approvalStatus: "returned", approvalReason: "Số giáo viên chưa khớp với hồ sơ" });
    expect((await status("TH-HOAMAI")).approvalStatus).toBe("approved");
    expect(s.approvals.map((a) => [a.action, a.unit, a.reason])).toEqual([
      ["return", "Trường THCS Tân Kỳ", "Số giáo viên chưa khớp với hồ sơ"],
      ["approve", "Trường Tiểu học Hoa Mai", null],
    ]);
    await p.goto(`${s.base}/app/#queue?status=approved`);
    await expect.poll(() => p.getByTestId("queue-item").innerText()).toMatch(/Trường Tiểu học Hoa Mai\s+Đã duyệt/);
    expect(await p.locator("body").innerText()).not.toMatch(CODES);
    await p.close();
  });

  it("refuses a tampered or expired sign-in on screen", async () => {
    const p2 = await browser.newPage();
    await p2.goto(s.link(5001, new Date(Date.now() - 2 * 3600_000)));
    await expect.poll(() => p2.getByTestId("error").innerText()).toMatch(/hết hạn/);
    const tampered = s.link(5001).replace(encodeURIComponent(encodeURIComponent('"id":5001')), encodeURIComponent(encodeURIComponent('"id":5003')));
    const p3 = await browser.newPage();
    await p3.goto(tampered);
    await expect.poll(() => p3.getByTestId("error").innerText()).toMatch(/Không xác thực được/);
    expect(await p3.locator("body").innerText()).not.toContain("Sở GDĐT Demo");
    await p2.close();
    await p3.close();
  });
});
