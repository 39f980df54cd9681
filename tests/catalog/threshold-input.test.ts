/** Target levels and periods in force as a reviewer types them in the bot (with and without diacritics). */
import { describe, expect, it } from "vitest";
import { parseThresholdInput } from "../../core/catalog/threshold-input.ts";
import { parsePeriodRange } from "../../core/reporting/periods.ts";

const COUNT = { op: ">=", value: 3, unit: "count", text: "ít nhất 3 trường" } as const;
const PERCENT = { op: ">=", value: 85, unit: "%", text: "từ 85% trở lên" } as const;

describe("parseThresholdInput", () => {
  it.each([
    ["từ 85% trở lên", ">=", 85, "%"],
    ["tu 85% tro len", ">=", 85, "%"],
    ["không dưới 97%", ">=", 97, "%"],
    ["khong duoi 97 %", ">=", 97, "%"],
    ["tối thiểu 80%", ">=", 80, "%"],
    ["ít nhất 3 trường", ">=", 3, "count"],
    ["trên 70%", ">", 70, "%"],
    ["100%", "=", 100, "%"],
    ["mức 2", ">=", 2, "level"],
    ["mức độ 2 trở lên", ">=", 2, "level"],
    ["không vượt quá 5%", "<=", 5, "%"],
    ["dưới 2%", "<", 2, "%"],
    ["≥ 92,5%", ">=", 92.5, "%"],
    ["<= 10%", "<=", 10, "%"],
    ["90 phần trăm", ">=", 90, "%"],
  ])("%s → %s %s %s", (text, op, value, unit) => {
    expect(parseThresholdInput(text, PERCENT)).toMatchObject({ op, value, unit, text });
  });
  it("a bare number keeps the unit of the threshold it corrects", () => {
    expect(parseThresholdInput("5", COUNT)).toMatchObject({ op: ">=", value: 5, unit: "count" });
    expect(parseThresholdInput("90", PERCENT)).toMatchObject({ op: ">=", value: 90, unit: "%" });
  });
  it("refuses text without a number, and percentages over 100", () => {
    expect(parseThresholdInput("không biết", PERCENT)).toBeNull();
    expect(parseThresholdInput("150%", PERCENT)).toBeNull();
  });
});

describe("parsePeriodRange", () => {
  it.each([
    ["2027", "2027", "2027"],
    ["năm 2027", "2027", "2027"],
    ["nam 2027", "2027", "2027"],
    ["2026-2030", "2026", "2030"],
    ["giai đoạn 2026 – 2030", "2026", "2030"],
    ["Từ 2026 đến 2030", "2026", "2030"],
    ["6 tháng cuối năm 2026", "2026-H2", "2026-H2"],
    ["6 thang dau nam 2027", "2027-H1", "2027-H1"],
    ["2027-H1", "2027-H1", "2027-H1"],
    ["quý 3/2027", "2027-Q3", "2027-Q3"],
    ["2027-05", "2027-05", "2027-05"],
  ])("%s → %s … %s", (text, from, to) => {
    expect(parsePeriodRange(text)).toEqual({ from, to });
  });
  it("refuses text without a period and ranges that run backwards", () => {
    expect(parsePeriodRange("sớm nhất có thể")).toBeNull();
    expect(parsePeriodRange("2030-2026")).toBeNull();
  });
});
