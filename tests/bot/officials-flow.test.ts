/**
 * Officials through the bot: questions in words and by command, a chart photo, an .xlsx whose
 * content is checked, nudges through a 429, and the access boundaries (commune A never sees
 * commune B; a citizen sees no report data).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../core/catalog/index.ts";
import type { TestDb } from "../support/db.ts";
import { allDbTargets } from "../support/db.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";
import { officialScopeByTelegramId, scopedLate, scopedProgress } from "../../core/officials/access.ts";
import { formatNumber } from "../../core/reporting/format.ts";
import { run as cliLate } from "../../cli/commands/late.ts";
import type { Db } from "../../core/db/client.ts";
import { run as cliProgress } from "../../cli/commands/progress.ts";

/** Run a CLI verb in this process on the bot's database (the verb's own code after opening it) and return what it printed. */
async function runCli(run: (args: string[], db?: Db) => Promise<number>, args: string[], db: Db): Promise<{ code: number; out: string }> {
  const log = console.log;
  const error = console.error;
  let out = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = () => undefined;
  try {
    return { code: await run(args, db), out };
  } finally {
    console.log = log;
    console.error = error;
  }
}

// 25/3/2026, after the monthly deadline (20/3): March reports not in are late/missing.
const MARCH_25 = () => new Date("2026-03-25T03:00:00Z");

/** SO-T (NB-27-2025) → XA-A {TH-A1 submitted on time, TH-A2 missing, TH-A3 missing} and XA-B {TH-B1 missing}. */
async function province(t: TestDb) {
  const { db } = t;
  const so = await db.unit.create({ data: { code: "SO-T", name: "Sở GDĐT tỉnh Thử", kind: "department", levels: "so", path: "/SO-T/", planId: "NB-27-2025" } });
  const mk = (code: string, name: string, kind: string, levels: string, parent: { id: number; path: string }) =>
    db.unit.create({ data: { code, name, kind, levels, parentId: parent.id, path: `${parent.path}${code}/` } });
  const xaA = await mk("XA-A", "UBND xã An Bình", "commune", "xa", so);
  const xaB = await mk("XA-B", "UBND xã Bình Minh", "commune", "xa", so);
  const a1 = await mk("TH-A1", "Trường TH An Bình Một", "school", "th", xaA);
  const a2 = await mk("TH-A2", "Trường TH An Bình Hai", "school", "th", xaA);
  const a3 = await mk("TH-A3", "Trường TH An Bình Ba", "school", "th", xaA);
  await mk("TH-B1", "Trường TH Bình Minh Một", "school", "th", xaB);
  await db.invite.create({ data: { code: "inv_off_a", unitId: xaA.id, role: "official" } });
  // focal points: A2's has pressed Start; A3's never did (Telegram refuses to write first)
  for (const [tg, unit] of [[602, a2], [603, a3], [601, a1]] as const) {
    const user = await db.user.create({ data: { telegramId: String(tg), name: `Đầu mối ${tg}`, role: "focal" } });
    await db.membership.create({ data: { userId: user.id, unitId: unit.id } });
  }
  // TH-A1 submitted March on time; teachers with a digital signature 20/40 (target "trên 50%": below)
  const catalog = loadCatalog();
  const entries = catalog.forUnit("NB-27-2025", ["th"], "monthly");
  const report = await db.report.create({
    data: { unitId: a1.id, period: "2026-03", periodKind: "month", planId: "NB-27-2025", status: "submitted", revision: 1, deadline: new Date("2026-03-19T17:00:00Z"), submittedAt: new Date("2026-03-15T03:00:00Z"), firstSubmittedAt: new Date("2026-03-15T03:00:00Z"), onTime: true },
  });
  for (const e of entries) {
    const ratio = e.measure.type === "ratio";
    const num = e.code === "NB-11" ? 20 : 40;
    await db.answer.create({
      data: {
        reportId: report.id,
        indicatorCode: e.code,
        raw: ratio ? `${num}/40` : "có",
        value: ratio ? (num / 40) * 100 : 1,
        numerator: ratio ? num : null,
        denominator: ratio ? 40 : null,
        meetsTarget: e.code !== "NB-11",
        reason: e.code === "NB-11" ? "Chờ cấp chứng thư số" : null,
      },
    });
  }
}

for (const { target, skip } of allDbTargets()) {
  describe.skipIf(skip)(`officials through the bot (${target})`, () => {
    let tb: TestBot;
    afterEach(async () => tb?.stop());

    async function official() {
      tb = await startTestBot({ target, now: MARCH_25, setup: province });
      const minh = chat(tb.fake, { id: 701, first_name: "Minh" });
      minh.say("/start inv_off_a");
      await minh.expectReply("cán bộ quản lý");
      return minh;
    }

    it("answers 'which units are late?' in words, only within the official's commune", async () => {
      const minh = await official();
      minh.say("Đơn vị nào chưa báo cáo tháng này?");
      const reply = await minh.expectReply("Tình hình báo cáo tháng 3/2026");
      expect(reply.text).toContain("Đã nộp: <b>1/3</b>");
      expect(reply.text).toContain("Trường TH An Bình Hai");
      expect(reply.text).toContain("Trường TH An Bình Ba");
      expect(reply.text).not.toContain("Bình Minh");
    });

    it("agreement: the bot and the CLI (--as the same official) give the same late list and progress", async () => {
      const minh = await official();
      const late = await runCli(cliLate, ["--period", "2026-03", "--as", "701", "--json"], tb.t.db);
      const progress = await runCli(cliProgress, ["--period", "2026-03", "--as", "701", "--json"], tb.t.db);
      expect(late.code).toBe(0);
      expect(progress.code).toBe(0);
      const cliLateJson = JSON.parse(late.out);
      const cliProgressJson = JSON.parse(progress.out);
      // the CLI's answer is exactly core's answer for this official's scope
      const deps = { db: tb.t.db, catalog: await tb.deps.catalog.get(), now: MARCH_25() };
      const scope = (await officialScopeByTelegramId(tb.t.db, "701"))!;
      const coreLate = await scopedLate(deps, scope, { period: "2026-03" });
      const coreProgress = await scopedProgress(deps, scope, { period: "2026-03" });
      if (!coreLate.ok || !coreProgress.ok) throw new Error("refused");
      const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
      const { deadlinePassed: _a, ...cliLateRest } = cliLateJson; // "now" differs: the CLI runs at the real time
      const { deadlinePassed: _b, ...coreLateRest } = plain(coreLate.report);
      expect(cliLateRest).toEqual(coreLateRest);
      expect(cliProgressJson.indicators.map((i: { code: string; value: number | null; answered: number }) => [i.code, i.value, i.answered])).toEqual(
        coreProgress.report.indicators.map((i) => [i.code, i.value, i.answered]),
      );
      // and the bot shows the same figures
      minh.say("/trehan");
      const botLate = await minh.expectReply("Tình hình báo cáo tháng 3/2026");
      expect(botLate.text).toContain(`Đã nộp: <b>${cliLateJson.submitted}/${cliLateJson.expected}</b>`);
      for (const u of cliLateJson.missing) expect(botLate.text).toContain(u.name);
      expect(cliLateJson.missing).toHaveLength(2);
      // a commune official's own commune is not repeated after every school (found walking the local chat)
      const communeName = cliLateJson.under.name as string;
      expect((botLate.text ?? "").split("\n").filter((l: string) => l.startsWith("• ") && l.includes(` — ${communeName}`))).toEqual([]);
      minh.say("/tiendo tháng 3");
      const botProgress = await minh.expectReply("Tiến độ chỉ tiêu tháng 3/2026");
      for (const i of cliProgressJson.indicators) {
        if (i.value !== null) expect(botProgress.text).toContain(i.rollup === "sum_ratio" || i.rollup === "share_yes" || i.rollup === "share_meeting" ? `${formatNumber(i.value)}%` : formatNumber(i.value));
      }
      await minh.expectReply("so với chỉ tiêu"); // the chart photo
      // an area outside the official's scope is refused by the CLI too, naming only the scope
      const outside = await runCli(cliLate, ["--period", "2026-03", "--as", "701", "--under", "XA-B"], tb.t.db);
      expect(outside.code).toBe(2);
    });

    it("/tiendo and /xuat show each below-target school's reason", async () => {
      const minh = await official();
      minh.say("Trường nào chưa đạt chỉ tiêu chữ ký số tháng 3?");
      const reply = await minh.expectReply("Tiến độ chỉ tiêu tháng 3/2026");
      expect(reply.text).toContain("Trường TH An Bình Một: 20/40");
      expect(reply.text).toContain("lý do: “Chờ cấp chứng thư số”");
      minh.say("/xuat tháng 3");
      const msg = await minh.expectReply("Bảng tổng hợp");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(msg.document!.bytes as never);
      const sheet = wb.worksheets[0]!;
      const header = [...(sheet.getRow(1).values as unknown[])].map((h) => String(h ?? ""));
      const reasonCol = header.findIndex((h) => h.startsWith("Giáo viên có chữ ký số") && h.endsWith("lý do chưa đạt"));
      expect(reasonCol).toBeGreaterThan(0);
      let a1: unknown[] = [];
      sheet.eachRow((row) => {
        if (row.getCell(2).value === "Trường TH An Bình Một") a1 = row.values as unknown[];
      });
      expect(a1[reasonCol]).toBe("Chờ cấp chứng thư số");
    });

    it("refuses a question about another commune", async () => {
      const minh = await official();
      minh.say("Đơn vị nào của xã Bình Minh chưa báo cáo tháng này?");
      const reply = await minh.expectReply("không thuộc phạm vi");
      expect(reply.text).not.toContain("Bình Minh"); // the refusal names only the asker's own commune
      expect(reply.text).toContain("UBND xã An Bình");
    });

    it("/tiendo sends progress with the gap and a chart photo", async () => {
      const minh = await official();
      minh.say("/tiendo");
      const text = await minh.expectReply("Tiến độ chỉ tiêu tháng 3/2026");
      expect(text.text).toMatch(/chữ ký số/i);
      expect(text.text).toContain("20/40");
      const photo = await minh.expectReply(/Tiến độ tháng 3\/2026 so với chỉ tiêu/);
      expect(photo.photo).toBeDefined();
      expect(photo.photo!.bytes.subarray(1, 4).toString()).toBe("PNG");
      expect(photo.photo!.bytes.length).toBeGreaterThan(5_000);
    });

    it("/tiendo gives numbers with their unit: the shortfall in teachers, the change in percentage points", async () => {
      const minh = await official();
      const db = tb.t.db;
      const unit = (code: string) => db.unit.findUniqueOrThrow({ where: { code } });
      const [a1, a2] = [await unit("TH-A1"), await unit("TH-A2")];
      // A2 submits March with 9/40 teachers signed; A1 had 179/400 in February
      const add = async (unitId: number, period: string, num: number, den: number) => {
        const r = await db.report.create({
          data: { unitId, period, periodKind: "month", planId: "NB-27-2025", status: "submitted", revision: 1, deadline: new Date("2026-03-19T17:00:00Z"), submittedAt: new Date("2026-03-10T03:00:00Z"), firstSubmittedAt: new Date("2026-03-10T03:00:00Z"), onTime: true },
        });
        await db.answer.create({ data: { reportId: r.id, indicatorCode: "NB-11", raw: `${num}/${den}`, value: (num / den) * 100, numerator: num, denominator: den, meetsTarget: false, reason: "Chờ cấp chứng thư số" } });
      };
      await add(a2.id, "2026-03", 9, 40);
      await add(a1.id, "2026-02", 179, 400);
      minh.say("/tiendo");
      const { text } = await minh.expectReply("Tiến độ chỉ tiêu tháng 3/2026");
      // 29/80 against "trên 50%": 41 needed, 12 more teachers; 36,25% against 44,75% last month
      expect(text).toContain("còn thiếu 12 giáo viên, giảm 8,5 điểm % so với kỳ trước");
      expect(text).toMatch(/Trường TH An Bình Hai: 9\/40, còn thiếu 12 giáo viên/);
      expect(text).toMatch(/Trường TH An Bình Một: 20\/40, còn thiếu 1 giáo viên/);
    });

    it("/xuat sends an .xlsx with one row per unit and a summary sheet", async () => {
      const minh = await official();
      minh.say("/xuat");
      const msg = await minh.expectReply("Bảng tổng hợp");
      expect(msg.document?.file_name).toMatch(/\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(msg.document!.bytes as never);
      const units = wb.worksheets[0]!;
      const rows: string[] = [];
      units.eachRow((row) => rows.push(row.values!.toString()));
      expect(rows.join("\n")).toContain("Trường TH An Bình Một");
      expect(rows.join("\n")).toContain("Trường TH An Bình Hai");
      expect(rows.join("\n")).not.toContain("Bình Minh Một");
      expect(wb.worksheets.map((w) => w.name)).toContain("Tổng hợp");
    });

    it("/nhac nudges late units through a 429, and names the unreachable ones", async () => {
      const minh = await official();
      tb.fake.neverStarted(603);
      tb.fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
      minh.say("/nhac");
      // first a preview: who will be nudged; nothing is sent before the official confirms
      const preview = await minh.expectReply("Sẽ gửi nhắc tới 2 đầu mối của 2 đơn vị");
      expect(preview.text).toContain("Trường TH An Bình Hai");
      expect(preview.text).toMatch(/hạn \d\d?\/\d\d?\/20\d\d — đã quá \d+ ngày/); // one deadline wording everywhere
      expect(tb.fake.messages(602)).toHaveLength(0);
      minh.tap("Gửi nhắc");
      const summary = await minh.expectReply("Kết quả nhắc", 15_000);
      expect(summary.text).toContain("Đã gửi: 1");
      // the unit no one can be messaged for, with its focal point's name to call
      expect(summary.text).toContain("Trường TH An Bình Ba — Đầu mối 603");
      const nudged = tb.fake.messages(602).find((m) => m.text?.includes("chưa nộp báo cáo tháng 3/2026"));
      expect(nudged?.text).toContain("hạn"); // period and deadline
      expect(JSON.stringify(nudged?.reply_markup)).toContain("Báo cáo ngay");
      expect(tb.fake.messages(601)).toHaveLength(0); // submitted: not nudged
      const rows = await tb.t.db.reminder.findMany();
      expect(rows.map((r) => r.status).sort()).toEqual(["sent", "unreachable"]);
      // a second /nhac the same day does not send twice; [Hủy] sends nothing
      minh.say("/nhac");
      await minh.expectReply("Sẽ gửi nhắc");
      minh.tap("Hủy");
      await minh.expectReply("Đã hủy, chưa gửi nhắc nào");
      minh.say("/nhac");
      await minh.expectReply("Sẽ gửi nhắc");
      minh.tap("Gửi nhắc");
      await minh.expectReply("Kết quả nhắc");
      expect(tb.fake.messages(602).filter((m) => m.text?.includes("chưa nộp"))).toHaveLength(1);
    });

    it("shows one unit's report history, and never a unit outside the scope", async () => {
      const minh = await official();
      minh.say("Lịch sử báo cáo của TH-A1");
      const reply = await minh.expectReply("Báo cáo của Trường TH An Bình Một");
      expect(reply.text).toContain("tháng 3/2026");
      expect(reply.text).toContain("20/40");
      minh.say("Lịch sử báo cáo của TH-B1");
      const refused = await minh.expectReply("không thuộc phạm vi");
      expect(refused.text).not.toMatch(/Bình Minh|TH-B1/);
      // by the school's name, without diacritics; another commune's name is never echoed back
      minh.say("chu ky so cua truong An Binh Mot qua cac thang");
      const byName = await minh.expectReply("Báo cáo của Trường TH An Bình Một");
      expect(byName.text).toContain("Giáo viên có chữ ký số");
      expect(byName.text).toContain("20/40");
      minh.say("Lịch sử báo cáo của xã Bình Minh");
      const other = await minh.expectReply("không thuộc phạm vi");
      expect(other.text).not.toContain("Bình Minh");
    });

    it("'Tình hình báo cáo tháng 3' is a late/missing question", async () => {
      const minh = await official();
      minh.say("Tình hình báo cáo tháng 3");
      const reply = await minh.expectReply("Tình hình báo cáo tháng 3/2026");
      expect(reply.text).toContain("Đã nộp: <b>1/3</b>");
    });

    it("pages a long list with buttons", async () => {
      tb = await startTestBot({
        target,
        now: MARCH_25,
        setup: async (t) => {
          await province(t);
          const xa = await t.db.unit.findUniqueOrThrow({ where: { code: "XA-A" } });
          for (let i = 0; i < 30; i++) {
            await t.db.unit.create({ data: { code: `TH-X${i}`, name: `Trường TH Phụ ${i}`, kind: "school", levels: "th", parentId: xa.id, path: `${xa.path}TH-X${i}/` } });
          }
        },
      });
      const minh = chat(tb.fake, { id: 701, first_name: "Minh" });
      minh.say("/start inv_off_a");
      await minh.expectReply("cán bộ quản lý");
      minh.say("/trehan");
      const first = await minh.expectReply("Trang 1/2");
      expect(first.text).toContain("Đã nộp: <b>1/33</b>");
      minh.tap("Sau");
      await minh.expectReply("Trang 2/2");
    });

    it("with an LLM configured, reads an unusual question by function calling into the same queries", async () => {
      const seen: string[] = [];
      const llmServer = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const parsed = JSON.parse(body);
          seen.push(parsed.tools.map((t: { function: { name: string } }) => t.function.name).join(","));
          res.setHeader("content-type", "application/json");
          res.end(JSON.stringify({
            id: "x", object: "chat.completion", created: 0, model: "fake",
            choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "late_report", arguments: JSON.stringify({ period: "2026-03" }) } }] } }],
          }));
        });
      });
      await new Promise<void>((r) => llmServer.listen(0, "127.0.0.1", r));
      try {
        const minh = await official();
        tb.deps.config = { ...tb.deps.config, llm: { apiKey: "test", baseURL: `http://127.0.0.1:${(llmServer.address() as AddressInfo).port}/v1`, model: "fake", embeddingModel: undefined } };
        minh.say("Cho tôi bức tranh chung nhé");
        const reply = await minh.expectReply("Tình hình báo cáo tháng 3/2026");
        expect(reply.text).not.toContain("Bình Minh");
        expect(seen[0]).toContain("late_report");
      } finally {
        llmServer.close();
      }
    });

    it("a citizen asking about reports gets no report data", async () => {
      tb = await startTestBot({ target, now: MARCH_25, setup: province });
      const dan = chat(tb.fake, { id: 801, first_name: "Dân" });
      dan.say("/trehan");
      await dan.expectReply("dành cho cán bộ quản lý");
      dan.say("Đơn vị nào chưa báo cáo tháng này?");
      await tb.fake.waitForIdle();
      expect(dan.messages().map((m) => m.text ?? "").join("\n")).not.toMatch(/An Bình|Bình Minh/);
    });
  });
}
