import { describe, expect, it } from "vitest";
import { OFFICIAL_TOOLS, isPlanQuestion, parseOfficialQuestion, queryFromToolCall, type OfficialQuery } from "../../core/officials/intent.ts";
import { loadCatalog } from "../../core/catalog/index.ts";
import { testCatalog } from "./fixture.ts";
import { OFFICIAL_SUGGESTIONS } from "../../bot/messages/officials.ts";

const catalog = testCatalog();
const now = new Date("2026-03-15T03:00:00Z"); // 15/3/2026 10:00 Vietnam time
const units = [
  { code: "XA-TANKY", name: "UBND xã Tân Kỳ", kind: "commune" },
  { code: "XA-BINHAN", name: "UBND xã Bình An", kind: "commune" },
  { code: "TH-HOAMAI", name: "Trường Tiểu học Hoa Mai", kind: "school" },
];
const parse = (text: string) => parseOfficialQuestion(text, { now, catalog, units });

type Expect = Partial<Omit<OfficialQuery, "area" | "unit">> & { area?: string; unit?: string };

const CASES: Array<[string, Expect]> = [
  ["Đơn vị nào chưa báo cáo tháng này?", { kind: "late", period: "2026-03" }],
  ["don vi nao chua bao cao thang nay", { kind: "late", period: "2026-03" }],
  ["Trường nào nộp trễ hạn tháng trước?", { kind: "late", period: "2026-02" }],
  ["truong nao nop muon thang truoc", { kind: "late", period: "2026-02" }],
  ["Tỷ lệ báo cáo đúng hạn quý này", { kind: "late", period: "2026-Q1" }],
  ["ty le bao cao dung han quy truoc", { kind: "late", period: "2025-Q4" }],
  ["Những trường tiểu học chưa nộp báo cáo tháng 2", { kind: "late", period: "2026-02", level: "th" }],
  ["Các trường THCS chưa gửi báo cáo năm nay", { kind: "late", period: "2026", level: "thcs" }],
  ["Trường nào chưa đạt chỉ tiêu chữ ký số?", { kind: "progress", indicators: ["TK-01"], belowOnly: true, period: "2026-03" }],
  ["truong nao chua dat chi tieu chu ky so", { kind: "progress", indicators: ["TK-01"], belowOnly: true }],
  ["Tỷ lệ học bạ số toàn xã quý 1?", { kind: "progress", indicators: ["TK-02"], period: "2026-Q1" }],
  ["ty le hoc ba so toan xa quy 1", { kind: "progress", indicators: ["TK-02"], period: "2026-Q1" }],
  ["Tiến độ các chỉ tiêu quý II", { kind: "progress", period: "2026-Q2" }],
  ["tien do chi tieu quy ii nam 2025", { kind: "progress", period: "2025-Q2" }],
  ["Kết quả chữ ký số xã Tân Kỳ tháng 3/2026", { kind: "progress", indicators: ["TK-01"], period: "2026-03", area: "XA-TANKY" }],
  ["ket qua chu ky so xa tan ky thang 3/2026", { kind: "progress", indicators: ["TK-01"], area: "XA-TANKY" }],
  ["Bao nhiêu trường thí điểm AI năm ngoái?", { kind: "progress", indicators: ["TK-03"], period: "2025" }],
  ["bao nhieu bai giang dien tu nam 2025", { kind: "progress", indicators: ["TK-04"], period: "2025" }],
  ["Tỷ lệ thanh toán không dùng tiền mặt mầm non", { kind: "progress", indicators: ["TK-06"], level: "mn", period: "2026-Q1" }],
  ["Thanh toán không dùng tiền mặt GDTX", { kind: "progress", indicators: ["TK-06"], level: "gdtx" }],
  ["Tiến độ THPT tháng 12", { kind: "progress", level: "thpt", period: "2025-12" }],
  ["Xuất báo cáo tháng trước ra Excel", { kind: "export", period: "2026-02", format: "xlsx" }],
  ["xuat file csv quy 1", { kind: "export", period: "2026-Q1", format: "csv" }],
  ["Nhắc các đơn vị chưa nộp báo cáo", { kind: "nudge", period: "2026-03" }],
  ["nhac nho cac truong chua bao cao thang nay", { kind: "nudge", period: "2026-03" }],
  ["Lịch sử báo cáo của Trường Tiểu học Hoa Mai", { kind: "history", unit: "TH-HOAMAI" }],
  ["lich su bao cao TH-HOAMAI", { kind: "history", unit: "TH-HOAMAI" }],
  ["Chữ ký số", { kind: "progress", indicators: ["TK-01"] }],
  ["Kết quả xã Bình An năm nay", { kind: "progress", area: "XA-BINHAN", period: "2026" }],
  ["Trường trung học cơ sở chưa đạt học bạ số", { kind: "progress", level: "thcs", indicators: ["TK-02"], belowOnly: true }],
];

describe("parseOfficialQuestion", () => {
  it.each(CASES)("%s", (text, want) => {
    const q = parse(text);
    expect(q.kind).not.toBe("unclear");
    const got = q as OfficialQuery;
    const { area, unit, ...rest } = want;
    expect(got).toMatchObject(rest);
    if (area) expect(got.area?.code).toBe(area);
    if (unit) expect(got.unit?.code).toBe(unit);
    if (!want.level) expect(got.level).toBeUndefined();
    if (!want.belowOnly) expect(got.belowOnly).toBeUndefined();
  });

  it("reads a commune name without a unit list from the capitalised words after 'xã'", () => {
    const q = parseOfficialQuestion("Tỷ lệ báo cáo xã Tân Kỳ tháng này", { now }) as OfficialQuery;
    expect(q.kind).toBe("late");
    expect(q.area).toEqual({ name: "Xã Tân Kỳ" });
    const whole = parseOfficialQuestion("Tỷ lệ học bạ số toàn xã quý 1?", { now, catalog }) as OfficialQuery;
    expect(whole.area).toBeUndefined();
  });

  it("resolves relative periods in Vietnam time (1 January 00:30 in Vietnam is still 31 December UTC)", () => {
    const newYear = new Date("2025-12-31T17:30:00Z");
    expect((parseOfficialQuestion("chưa báo cáo tháng này", { now: newYear }) as OfficialQuery).period).toBe("2026-01");
    expect((parseOfficialQuestion("chưa báo cáo tháng trước", { now: newYear }) as OfficialQuery).period).toBe("2025-12");
    expect((parseOfficialQuestion("chưa báo cáo quý trước", { now: newYear }) as OfficialQuery).period).toBe("2025-Q4");
    expect((parseOfficialQuestion("chưa báo cáo năm ngoái", { now: newYear }) as OfficialQuery).period).toBe("2025");
  });

  it("defaults the period to the indicator's frequency and says so", () => {
    const q = parse("thanh toán không dùng tiền mặt") as OfficialQuery;
    expect(q).toMatchObject({ kind: "progress", period: "2026-Q1", periodDefaulted: true });
    expect((parse("chưa báo cáo tháng 3") as OfficialQuery).periodDefaulted).toBe(false);
  });

  it("matches indicators only in the official's plans when told", () => {
    expect((parseOfficialQuestion("chữ ký số", { now, catalog, planIds: ["TK-2026"] }) as OfficialQuery).indicators).toEqual(["TK-01"]);
    expect((parseOfficialQuestion("chữ ký số", { now, catalog, planIds: ["NB-27-2025"] }) as OfficialQuery).kind).toBe("unclear");
  });

  it("says what is missing when it cannot tell what is asked", () => {
    const q = parse("xin chào");
    expect(q).toMatchObject({ kind: "unclear", missing: ["kind"] });
    // the bot then offers its example questions: each one is read as a question about reports
    for (const s of OFFICIAL_SUGGESTIONS) expect(parse(s).kind, s).not.toBe("unclear");
    expect(parse("lịch sử báo cáo")).toMatchObject({ kind: "unclear", missing: ["unit"] });
  });
});

describe("OFFICIAL_TOOLS", () => {
  it("describes one tool per query kind with JSON-schema parameters", () => {
    expect(OFFICIAL_TOOLS.map((t) => t.function.name)).toEqual([
      "late_report",
      "progress_report",
      "unit_history",
      "export_report",
      "nudge_units",
    ]);
    for (const t of OFFICIAL_TOOLS) expect(t.function.parameters.type).toBe("object");
  });

  it("maps a tool call to the same query shape, rejecting bad arguments", () => {
    expect(queryFromToolCall("progress_report", { period: "2026-Q1", indicators: ["TK-02"], level: "th" }, now)).toMatchObject({
      kind: "progress",
      period: "2026-Q1",
      indicators: ["TK-02"],
      level: "th",
    });
    const bad = queryFromToolCall("late_report", { period: "DROP TABLE", level: "x" }, now) as OfficialQuery;
    expect(bad).toMatchObject({ kind: "late", period: "2026-03" });
    expect(bad.level).toBeUndefined();
    expect(queryFromToolCall("rm_rf", {}, now).kind).toBe("unclear");
  });
});

describe("plan questions and the word 'ai'", () => {
  const now = new Date("2026-03-25T03:00:00Z");
  it("sends questions about what the plans say to the plans Q&A", () => {
    expect(isPlanQuestion("Tỷ lệ giáo viên có chữ ký số phải đạt bao nhiêu?")).toBe(true);
    expect(isPlanQuestion("Ai theo doi chi tieu thanh toan khong dung tien mat?")).toBe(true);
    expect(isPlanQuestion("Đơn vị nào chưa báo cáo tháng này?")).toBe(false);
    expect(isPlanQuestion("Trường nào chưa đạt chỉ tiêu chữ ký số?")).toBe(false);
  });
  it("reads 'ai' as 'who' unless written AI", () => {
    const catalog = loadCatalog();
    expect(parseOfficialQuestion("Ai còn nợ số liệu tháng này?", { now, catalog })).toMatchObject({ kind: "late", period: "2026-03" });
    const q = parseOfficialQuestion("Tiến độ thí điểm AI năm nay?", { now, catalog, planIds: ["TK-2026"] }) as OfficialQuery;
    expect(q.indicators).toEqual(["TK-19"]);
  });
});
