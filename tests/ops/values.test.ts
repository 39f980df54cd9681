/**
 * Values are bounded by what the measure can be (issue 11 §4): no 10^20 teachers, no digit fished
 * out of other text as a level, no number after "không", no invisible characters inside a number.
 */
import { describe, expect, it } from "vitest";
import { checkAnswer } from "../../core/reporting/check.ts";
import { MAX_ANSWER_NUMBER, MAX_RATIO_PART, parseAnswer } from "../../core/reporting/parse.ts";
import { answerProblemText } from "../../bot/messages/answers.ts";
import { testEntry } from "../support/catalog.ts";

const RATIO = testEntry(
  { type: "ratio", numerator: "giáo viên có chữ ký số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
  "sum_ratio",
  { op: ">=", value: 90, unit: "%", text: "≥ 90%" },
);
const PERCENT = testEntry({ type: "percent" }, "share_meeting", { op: ">=", value: 80, unit: "%", text: "80%" });
const COUNT = testEntry({ type: "count", unit: "bài giảng" }, "sum", { op: ">=", value: 100, unit: "count", text: "100 bài giảng" });
const LEVEL = testEntry({ type: "level", min: 1, max: 3 }, "share_meeting", { op: ">=", value: 2, unit: "level", text: "tối thiểu mức độ 2" });

const refused = (e: typeof RATIO, text: string) => {
  const r = parseAnswer(e, text);
  expect(r.ok, `${text} should be refused`).toBe(false);
  return r.ok ? "" : answerProblemText(r.problem);
};

describe("bounded values", () => {
  it("refuses numbers no unit can report, and keeps the largest allowed", () => {
    expect(refused(COUNT, "9007199254740992")).toContain("quá lớn");
    expect(refused(COUNT, String(2 ** 53))).toContain("100.000.000");
    expect(refused(RATIO, "45.000.000/60.000.000")).toContain("quá lớn");
    expect(refused(RATIO, "1e20/1e20")).not.toBe("");
    expect(refused(COUNT, "1e20")).not.toBe("");
    expect(refused(PERCENT, "1e20%")).not.toBe("");
    expect(refused(COUNT, "100.000.001")).toContain("quá lớn");
    expect(parseAnswer(COUNT, "100.000.000")).toEqual({ ok: true, answer: { kind: "count", value: MAX_ANSWER_NUMBER } });
    expect(refused(RATIO, "45/1.000.001")).toContain("quá lớn");
    expect(parseAnswer(RATIO, "1.000.000/1.000.000")).toMatchObject({ ok: true, answer: { denominator: MAX_RATIO_PART } });
    expect(checkAnswer(COUNT, "99999999999999999999").ok).toBe(false);
  });

  it("reads a level only as a level word or a number on its own", () => {
    expect(refused(LEVEL, "<script>alert(1)</script>")).toContain("cần một mức độ");
    expect(refused(LEVEL, "phòng 1 có máy chiếu")).toContain("cần một mức độ");
    expect(parseAnswer(LEVEL, "2 ạ")).toEqual({ ok: true, answer: { kind: "level", value: 2 } });
    expect(parseAnswer(LEVEL, "trường đạt mức 3")).toEqual({ ok: true, answer: { kind: "level", value: 3 } });
    expect(parseAnswer(LEVEL, "hai")).toEqual({ ok: true, answer: { kind: "level", value: 2 } });
  });

  it("asks again when a number follows a negative word", () => {
    expect(refused(RATIO, "không có 45/60")).toContain("chưa rõ ý");
    expect(refused(COUNT, "chưa có 12 bài giảng")).toContain("chưa rõ ý");
    expect(parseAnswer(COUNT, "không có")).toEqual({ ok: true, answer: { kind: "count", value: 0 } });
    expect(parseAnswer(RATIO, "45/60 chưa đạt").ok).toBe(true);
  });

  it("drops invisible characters instead of splitting a number", () => {
    expect(parseAnswer(RATIO, "45\u200B/60")).toEqual({ ok: true, answer: { kind: "ratio", numerator: 45, denominator: 60, value: 75 } });
    expect(parseAnswer(RATIO, "4\u200B5/60")).toEqual({ ok: true, answer: { kind: "ratio", numerator: 45, denominator: 60, value: 75 } });
    expect(parseAnswer(COUNT, "1\u00AD2\uFEFF")).toEqual({ ok: true, answer: { kind: "count", value: 12 } });
  });
});
