/**
 * The dashboard's API over HTTP on a real database: init data is checked on every call (tampered,
 * expired, missing → 401), only officials and admins get in, an official of one commune gets 403
 * for another commune's units (and the refusal names nothing there), and the figures agree with
 * the same core functions the chat and the CLI use.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { spawnSync } from "node:child_process";
import { lateReport, progressReport } from "../../core/officials/index.ts";
import { allDbTargets } from "../support/db.ts";
import { testCatalog } from "../officials/fixture.ts";
import { api, KEY, NOW, REASON, startDashboard, type DashboardServer } from "./dashboard-support.ts";
import { internalCodesIn, workbookTexts } from "../support/internal-codes.ts";

const CODES = /\b(TK|XX)-\d|TK-2026|XX-0000|2026-0\d|2026-Q\d/;

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`dashboard API (${target})`, () => {
    let s: DashboardServer;
    beforeAll(async () => {
      s = await startDashboard(target);
    });
    afterAll(async () => {
      await s?.stop();
    });

    it("refuses missing, tampered and expired init data with 401", async () => {
      expect((await api(s, "me", null)).status).toBe(401);
      const good = s.initData(5001);
      expect((await api(s, "me", good)).status).toBe(200);
      // another user id under the same signature
      const tampered = good.replace(encodeURIComponent('"id":5001'), encodeURIComponent('"id":5003'));
      expect(tampered).not.toBe(good);
      const t = await api(s, "me", tampered);
      expect(t.status).toBe(401);
      expect(t.json().error).toMatch(/Không xác thực được/);
      // signed with another key
      const { signInitData } = await import("../../core/dashboard/index.ts");
      expect((await api(s, "me", signInitData("999:other-key", { id: 5003, first_name: "X" }))).status).toBe(401);
      // older than an hour
      const expired = await api(s, "me", s.initData(5001, new Date(Date.now() - 2 * 3600_000)));
      expect(expired.status).toBe(401);
      expect(expired.json().error).toMatch(/hết hạn/);
      // every call checks it, not only the first
      expect((await api(s, "overview?period=2026-03", tampered)).status).toBe(401);
      expect((await api(s, "export?view=overview&period=2026-03", null)).status).toBe(401);
    });

    it("lets only officials and admins in", async () => {
      expect((await api(s, "me", 5004)).status).toBe(403); // a focal point
      expect((await api(s, "me", 7777)).status).toBe(403); // nobody we know
      const me = (await api(s, "me", 5001)).json();
      expect(me.root.label).toBe("UBND xã Tân Kỳ");
      expect(me.period).toBe("2026-03");
      expect(me.periods.map((p: { label: string }) => p.label)).toContain("tháng 3/2026");
    });

    it("gives an official of commune A 403 for commune B's units, naming nothing of B", async () => {
      for (const path of [
        "overview?period=2026-03&under=XA-BINHAN",
        "school?under=TH-BINHAN",
        "progress?period=2026-03&under=XA-BINHAN",
        "late?period=2026-03&under=SO-DEMO",
        "trend?period=2026-03&under=XA-BINHAN&target=TK-01",
        "export?view=school&under=TH-BINHAN",
        "school?under=NO-SUCH-UNIT",
      ]) {
        const r = await api(s, path, 5001);
        expect(r.status, path).toBe(403);
        expect(r.text).not.toMatch(/Bình An|BINHAN/);
      }
      const nudge = await api(s, "nudge/preview", 5001, { method: "POST", body: JSON.stringify({ period: "2026-03", under: "XA-BINHAN" }) });
      expect(nudge.status).toBe(403);
      expect(s.sent).toHaveLength(0);
      const hoamai = await s.t.db.report.findFirstOrThrow({ where: { unit: { code: "TH-HOAMAI" }, period: "2026-03" } });
      const approve = await api(s, "approve", 5002, { method: "POST", body: JSON.stringify({ report: hoamai.id }) });
      expect(approve.status).toBe(403);
      expect(approve.text).not.toMatch(/Hoa Mai|Tân Kỳ/);
      expect((await s.t.db.report.findUniqueOrThrow({ where: { id: hoamai.id } })).approvalStatus).toBe("pending");
      const queue = (await api(s, "queue?period=2026-03", 5002)).json();
      expect(queue.items.map((i: { unit: string }) => i.unit)).toEqual(["Trường Tiểu học Bình An"]);
      // their own units are fine; the department sees both communes
      expect((await api(s, "school?under=TH-HOAMAI", 5001)).status).toBe(200);
      expect((await api(s, "school?under=TH-BINHAN", 5002)).status).toBe(200);
      expect((await api(s, "school?under=TH-BINHAN", 5003)).status).toBe(200);
    });

    it("shows the same figures as the chat's core functions, without internal codes", async () => {
      const catalog = testCatalog();
      const late = await lateReport(s.t.db, catalog, { period: "2026-03", under: "SO-DEMO", now: NOW });
      const o = (await api(s, "overview?period=2026-03", 5003)).json();
      expect(o.totals).toMatchObject({ expected: late.expected, submitted: late.submitted, onTime: late.onTime, reportingRate: late.reportingRate });
      expect(o.rows.map((r: { label: string }) => r.label)).toEqual(["UBND xã Bình An", "UBND xã Tân Kỳ"]); // worst first
      expect(o.rows.map((r: { reportingRate: number }) => r.reportingRate)).toEqual([50, 75]);
      const p = (await api(s, "progress?period=2026-03", 5003)).json();
      const core = await progressReport(s.t.db, catalog, { period: "2026-03", under: "SO-DEMO" });
      const sig = p.plans[0].targets.find((t: { label: string }) => t.label === "Giáo viên có chữ ký số");
      const coreSig = core.indicators.find((i) => i.code === "TK-01")!;
      expect([sig.numerator, sig.denominator]).toEqual([coreSig.numerator, coreSig.denominator]);
      expect(p.plans[0].plan).toBe("Kế hoạch ngày 01/01/2026 của UBND xã Tân Kỳ");
      expect(sig.below[0]).toMatchObject({ label: "Trường THCS Tân Kỳ", value: "50/100", reason: REASON });
      // one target on request (what a large scope's "Xem … đơn vị chưa đạt" button asks for)
      const one = (await api(s, "progress?period=2026-03&target=TK-01", 5003)).json();
      expect(one.plans[0].targets.map((t: { label: string }) => t.label)).toEqual(["Giáo viên có chữ ký số"]);
      expect(one.plans[0].targets[0].below.map((b: { label: string }) => b.label)).toEqual(["Trường THCS Tân Kỳ"]);
      const l = (await api(s, "late?period=2026-03", 5003)).json();
      expect(l.missing).toEqual(expect.arrayContaining([expect.objectContaining({ label: "Trường Tiểu học Sao Mai", focal: "Nguyễn Thị Lan", phone: "0900000201" })]));
      const labels = JSON.stringify([o, p, l], (k, v) => (k === "ref" || k === "period" ? undefined : v));
      expect(labels).not.toMatch(CODES);
    });

    it("exports what is on screen as numbers", async () => {
      const res = await fetch(`${s.base}/api/dashboard/export?view=progress&period=2026-03`, { headers: { authorization: `tma ${s.initData(5001)}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/filename="tien-do-chi-tieu-thang-3-2026-ubnd-xa-tan-ky\.xlsx"/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
      const ws = wb.getWorksheet("Tiến độ")!;
      const row = ws.getRows(4, ws.rowCount - 3)!.find((r) => r.getCell(2).value === "Giáo viên có chữ ký số")!;
      expect([row.getCell(4).value, row.getCell(5).value, row.getCell(6).value]).toEqual([59, 110, 53.6]);
      const below = wb.getWorksheet("Đơn vị chưa đạt")!;
      expect(below.getRow(4).getCell(7).value).toBe(REASON);
    });

    it("no export of any view shows an internal code (the bot's message scan does not see HTTP downloads)", async () => {
      const found: string[] = [];
      const views = ["overview", "progress", "late", "school&under=THCS-TANKY", "school&under=TH-HOAMAI"];
      for (const v of views) {
        const res = await fetch(`${s.base}/api/dashboard/export?view=${v}&period=2026-03`, { headers: { authorization: `tma ${s.initData(5003)}` } });
        expect(res.status, v).toBe(200);
        const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")![1]!;
        const texts = await workbookTexts(Buffer.from(await res.arrayBuffer()));
        expect(texts.length, v).toBeGreaterThan(10);
        found.push(...internalCodesIn([name, ...texts], v));
      }
      expect(found).toEqual([]);
    });
  });
}

describe("cli dashboard-link", () => {
  let s: DashboardServer;
  beforeAll(async () => {
    s = await startDashboard("sqlite");
  });
  afterAll(async () => {
    await s?.stop();
  });
  const cli = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", "dashboard-link", ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: s.t.url, BOT_TOKEN: KEY },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("prints a link signed for that official, which the dashboard accepts", async () => {
    const r = cli(["5001", "--base", s.base]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const url = new URL(r.stdout.trim());
    expect(url.pathname).toBe("/app/");
    const initData = new URLSearchParams(url.hash.slice(1)).get("tgWebAppData");
    const me = await api(s, "me", initData);
    expect(me.status).toBe(200);
    expect(me.json().root.label).toBe("UBND xã Tân Kỳ");
  });

  it("refuses a focal point with a next step", () => {
    const r = cli(["5004"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("không phải cán bộ quản lý");
    expect(r.stderr).toContain("officials add");
  });
});
