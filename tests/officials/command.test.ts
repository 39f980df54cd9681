import { describe, expect, it } from "vitest";
import { parseOfficialArgs } from "../../core/officials/command.ts";
import { officialArgsProblemText } from "../../bot/messages/officials.ts";

const USAGE = "npm run cli -- late --period <kỳ>";

/** core returns what is wrong; bot/messages words it (the CLI prints that). */
function worded(args: string[]): string {
  const r = parseOfficialArgs(args);
  if (!("problem" in r)) throw new Error("expected a problem");
  return officialArgsProblemText(r, USAGE);
}

describe("officials' CLI flags", () => {
  it("parses the flags into data", () => {
    expect(parseOfficialArgs(["--period=2026-q1", "--under", "XA-01", "--json", "--level", "TH"])).toEqual({ json: true, period: "2026-Q1", under: "XA-01", level: "th" });
  });
  it("returns tagged problems, not sentences", () => {
    expect(parseOfficialArgs(["--period", "2026-03", "--bogus"])).toEqual({ problem: "unknown_flag", flag: "--bogus" });
    expect(parseOfficialArgs(["--json"])).toEqual({ problem: "missing_period" });
    expect(parseOfficialArgs(["--period", "2026-13"])).toEqual({ problem: "invalid_period", key: "2026-13" });
    expect(parseOfficialArgs(["--period", "2026-03", "--under", " "])).toEqual({ problem: "empty_under" });
  });
  it("words each problem with the verb's usage line", () => {
    expect(worded(["--period", "2026-03", "--bogus"])).toBe(`Không hiểu tham số "--bogus".\nCách dùng: ${USAGE}`);
    expect(worded(["--json"])).toBe(`Thiếu --period.\nCách dùng: ${USAGE}`);
    expect(worded(["--period", "2026-13"])).toContain('Kỳ báo cáo không hợp lệ: "2026-13"');
    expect(worded(["--period", "2026-03", "--under", ""])).toBe(`--under cần một mã đơn vị.\nCách dùng: ${USAGE}`);
  });
});

describe("plan names", () => {
  it("progress gives the plan's data; bot/messages names it by number and issuer, or by title", async () => {
    const { planNameText } = await import("../../bot/messages/officials.ts");
    const plan = { docType: null, number: "27/KH-SGDĐT", issuer: "Sở GDĐT Ninh Bình", title: "Chuyển đổi số năm 2026" };
    expect(planNameText(plan)).toBe("Kế hoạch số 27/KH-SGDĐT của Sở GDĐT Ninh Bình");
    expect(planNameText({ ...plan, docType: "Quyết định", number: null })).toBe("Quyết định “Chuyển đổi số năm 2026” của Sở GDĐT Ninh Bình");
    expect(planNameText({ ...plan, number: null, date: "19/9/2025" })).toBe("Kế hoạch ngày 19/9/2025 của Sở GDĐT Ninh Bình");
    expect(planNameText({ ...plan, number: null, date: "tháng 4 năm 2024" })).toBe("Kế hoạch tháng 4 năm 2024 của Sở GDĐT Ninh Bình");
    expect(planNameText(null)).toBe("Kế hoạch khác");
  });
});
