/**
 * Values bounded by what the measure can be (issue 11 §4): numbers beyond one unit's reach, scientific
 * notation, a level found inside other text, a number after "không", invisible characters.
 */
import { describe, expect, it } from "vitest";
import { checkAnswer } from "../../core/reporting/check.ts";
import { InvalidPeriodError, parsePeriod } from "../../core/reporting/periods.ts";
import { invalidPeriodText } from "../../bot/messages/report.ts";
import { isFuturePeriod } from "../../core/reporting/window.ts";
import { clip, cutChars, echo } from "../../core/text.ts";
import { answerProblemText } from "../../bot/messages/answers.ts";
import { testEntry } from "../support/catalog.ts";

const teachersRatio = testEntry(
  { type: "ratio", numerator: "giáo viên có chữ ký số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
  "sum_ratio",
  { op: ">=", value: 90, unit: "%", text: ">= 90%" },
);
const teachersCount = testEntry({ type: "count", unit: "giáo viên" }, "sum", { op: ">=", value: 5, unit: "count", text: ">= 5" });
const lessons = testEntry({ type: "count", unit: "bài giảng điện tử" }, "sum", { op: ">=", value: 5, unit: "count", text: ">= 5" });
const level = testEntry({ type: "level", min: 1, max: 3 }, "share_meeting", { op: ">=", value: 2, unit: "level", text: ">= 2" });

const refused = (entry: typeof teachersRatio, text: string) => {
  const r = checkAnswer(entry, text);
  expect(r.ok, `${JSON.stringify(text)} should be refused`).toBe(false);
  return r.ok ? "" : answerProblemText(r.problem);
};
const accepted = (entry: typeof teachersRatio, text: string) => {
  const r = checkAnswer(entry, text);
  if (!r.ok) throw new Error(`${JSON.stringify(text)} refused: ${answerProblemText(r.problem)}`);
  return r;
};

describe("values bounded by what the measure can be", () => {
  it("2^53 and beyond are refused for every measure, never reaching the database", () => {
    for (const e of [teachersRatio, teachersCount, lessons]) {
      expect(refused(e, String(2 ** 53))).toMatch(/quá lớn/);
      expect(refused(e, "100000000000000000000")).toMatch(/quá lớn/);
    }
    expect(refused(teachersRatio, `${2 ** 53}/${2 ** 53}`)).toMatch(/quá lớn/);
  });

  it("45.000.000/60.000.000 and 1e20/1e20 teachers are refused; so is a count of 45.000.000 teachers", () => {
    expect(refused(teachersRatio, "45.000.000/60.000.000")).toMatch(/quá lớn/);
    expect(refused(teachersRatio, "1e20/1e20")).toMatch(/1e20/);
    expect(refused(teachersCount, "1e20")).toMatch(/1e20/);
    expect(refused(teachersCount, "45.000.000")).toMatch(/quá lớn so với số giáo viên/);
    expect(accepted(teachersCount, "1.234").value).toBe(1234);
    // lessons are not people: a large count stays possible
    expect(accepted(lessons, "45.000.000").value).toBe(45_000_000);
  });

  it("a level is a level word or a digit on its own, not a digit inside other text", () => {
    refused(level, "<script>…1…");
    refused(level, "<script>alert(1)</script>");
    refused(level, "trường có 1 phòng máy");
    expect(accepted(level, "1").value).toBe(1);
    expect(accepted(level, "mức 2").value).toBe(2);
    expect(accepted(level, "hai").value).toBe(2);
    expect(accepted(level, "mức III").value).toBe(3);
  });

  it("\"không có 45/60\" is asked again, not stored as 45/60", () => {
    expect(refused(teachersRatio, "không có 45/60")).toMatch(/chưa rõ ý/);
    expect(refused(teachersCount, "không có 5")).toMatch(/chưa rõ ý/);
    expect(accepted(teachersCount, "không có").value).toBe(0);
  });

  it("invisible characters inside 45/60 are dropped: 45/60 is stored, not 5/60", () => {
    for (const t of ["45\u200B/60", "4\u200B5/60", "45/\u20606\u00AD0", "\uFEFF45/60", "45\u200E/60", "45\u202E/60", "45\u2066/60\u2069"]) {
      const r = accepted(teachersRatio, t);
      expect([r.numerator, r.denominator], JSON.stringify(t)).toEqual([45, 60]);
    }
    const wide = accepted(teachersRatio, "４５／６０");
    expect([wide.numerator, wide.denominator]).toEqual([45, 60]);
  });

  it("an error message echoes at most the start of a long input", () => {
    // the bot shows recordAnswer's message (core/reporting/answer.ts cuts the echo); the period parser cuts its own
    expect(() => parsePeriod("x".repeat(5000))).toThrow(InvalidPeriodError);
    expect(invalidPeriodText("x".repeat(5000))).toMatch(/"x{50,60}…"/);
    expect((() => { try { parsePeriod("x".repeat(5000)); } catch (e) { return (e as Error).message.length; } return 0; })()).toBeLessThan(300);
  });

  it("cutting text never splits an emoji (surrogate pair)", () => {
    expect(cutChars("ab😀", 3)).toBe("ab");
    expect(cutChars("ab😀", 4)).toBe("ab😀");
    expect(clip("ab😀cd", 3)).toBe("ab…");
    expect(echo("x\n".repeat(100))).toHaveLength(60);
  });

  it("a period far in the future is refused", () => {
    const now = new Date("2026-11-30T03:00:00Z");
    expect(isFuturePeriod(parsePeriod("2099-12"), now)).toBe(true);
    expect(isFuturePeriod(parsePeriod("2026-11"), now)).toBe(false);
  });
});
