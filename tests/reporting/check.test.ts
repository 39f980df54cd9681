/**
 * Checking answers against unit-level targets: gaps, strict vs non-strict thresholds,
 * denominator consistency across indicators, and boolean / level / count targets.
 */
import { describe, expect, it } from "vitest";
import type { CatalogEntry, Threshold } from "../../core/catalog/schema.ts";
import { loadCatalog } from "../../core/catalog/index.ts";
import { checkAnswer, evaluate, numeratorNoun, unitTarget, type AnswerCheck } from "../../core/reporting/check.ts";
import { answerProblemText, gapText, savedText } from "../../bot/messages/answers.ts";
import { testEntry } from "../support/catalog.ts";

const entry = testEntry;
/** What the focal point reads for this check (core returns data; bot/messages/answers.ts words it). */
const said = (e: CatalogEntry, r: AnswerCheck) => (r.ok ? savedText({ ...r, measure: e.measure }) : answerProblemText(r.problem));
const gapSaid = (e: CatalogEntry, r: AnswerCheck) => (r.ok && r.gap ? gapText(e.measure, r.gap) : null);

const teachers = (op: Threshold["op"], value: number, code = "XT-02") =>
  entry(
    { type: "ratio", numerator: "giáo viên được tập huấn kỹ năng số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
    "sum_ratio",
    { op, value, unit: "%", text: `${op} ${value}%` },
    { code },
  );

describe("ratio targets", () => {
  it("below ≥ 90%: gap in whole teachers, Vietnamese decimal comma", () => {
    const res = checkAnswer(teachers(">=", 90), "52/60");
    expect(said(teachers(">=", 90), res)).toBe("Đã ghi nhận: 52/60 (86,7%). Chưa đạt chỉ tiêu: đạt 86,7%, chỉ tiêu ≥ 90%: còn thiếu 2 giáo viên.");
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.numerator).toBe(52);
    expect(res.denominator).toBe(60);
    expect(res.value).toBeCloseTo(86.667, 3);
    expect(res.meetsTarget).toBe(false);
    expect(res.gap).toEqual({
      achieved: res.value,
      shown: 86.7,
      threshold: { op: ">=", value: 90, unit: "%", text: ">= 90%" },
      missing: 2,
      missingUnit: "giáo viên",
    });
  });

  it("exactly on a ≥ threshold meets it; one below misses by one", () => {
    const ok = checkAnswer(teachers(">=", 90), "54/60");
    expect(ok.ok && ok.meetsTarget).toBe(true);
    expect(ok.ok && ok.gap).toBe(null);
    expect(said(teachers(">=", 90), ok)).toBe("Đã ghi nhận: 54/60 (90%). Đạt chỉ tiêu.");
    const miss = checkAnswer(teachers(">=", 90), "53/60");
    expect(miss.ok && miss.gap?.missing).toBe(1);
  });

  it("strict > 50%: exactly 50% does not meet it, needs one more", () => {
    const at = checkAnswer(teachers(">", 50), "30/60");
    expect(at.ok && at.meetsTarget).toBe(false);
    expect(gapSaid(teachers(">", 50), at)).toBe("đạt 50%, chỉ tiêu > 50%: còn thiếu 1 giáo viên");
    const above = checkAnswer(teachers(">", 50), "31/60");
    expect(above.ok && above.meetsTarget).toBe(true);
    // odd denominator: > 50% of 61 = 30.5 → 31 needed
    const odd = checkAnswer(teachers(">", 50), "29/61");
    expect(odd.ok && odd.gap?.missing).toBe(2);
  });

  it("= 100% needs every teacher", () => {
    const res = checkAnswer(teachers("=", 100), "57/60");
    expect(res.ok && res.meetsTarget).toBe(false);
    expect(gapSaid(teachers("=", 100), res)).toBe("đạt 95%, chỉ tiêu 100%: còn thiếu 3 giáo viên");
    expect(checkAnswer(teachers("=", 100), "60/60")).toMatchObject({ ok: true, meetsTarget: true, gap: null });
  });

  it("rounding never shows a value that looks like it meets the threshold", () => {
    // 899/1000... use 1799/2000 = 89.95% which would round to 90,0
    const res = checkAnswer(teachers(">=", 90), "1799/2000");
    expect(res.ok && res.meetsTarget).toBe(false);
    expect(gapSaid(teachers(">=", 90), res)).toBe("đạt 89,9%, chỉ tiêu ≥ 90%: còn thiếu 1 giáo viên");
  });

  it("87,5% formatting and mixed staff lists counted as people", () => {
    const staff = entry(
      { type: "ratio", numerator: "cán bộ quản lý, giáo viên, nhân viên đã tập huấn", denominator: "tổng số cán bộ quản lý, giáo viên, nhân viên", denominatorKey: "staff" },
      "sum_ratio",
      { op: ">=", value: 90, unit: "%", text: "90%" },
    );
    const res = checkAnswer(staff, "35/40");
    expect(gapSaid(staff, res)).toBe("đạt 87,5%, chỉ tiêu ≥ 90%: còn thiếu 1 người");
  });

  it("upper-bound thresholds report the gap without a missing count", () => {
    const dropout = entry(
      { type: "ratio", numerator: "học sinh bỏ học", denominator: "tổng số học sinh" },
      "sum_ratio",
      { op: "<=", value: 1, unit: "%", text: "≤ 1%" },
    );
    const res = checkAnswer(dropout, "5/100");
    expect(res).toMatchObject({ ok: true, meetsTarget: false, gap: { missing: null } });
    expect(gapSaid(dropout, res)).toBe("đạt 5%, chỉ tiêu ≤ 1%");
    expect(checkAnswer(dropout, "1/100")).toMatchObject({ ok: true, meetsTarget: true });
  });
});

describe("denominator consistency", () => {
  const ctx = { denominators: { teachers: { value: 60, indicatorCode: "NB-03", question: { number: 3, short: "Giáo viên được tập huấn" } } } };

  it("rejects a different total than the one given earlier this period", () => {
    const res = checkAnswer(teachers(">=", 90), "45/62", ctx);
    expect(res).toMatchObject({
      ok: false,
      problem: { kind: "denominator_mismatch", numerator: 45, got: 62, expected: 60, otherQuestion: { number: 3, short: "Giáo viên được tập huấn" } },
    });
    expect(said(teachers(">=", 90), res)).toBe(
      "Tổng số giáo viên bạn nhập (62) khác với số đã khai ở câu 3 (Giáo viên được tập huấn) kỳ này (60). Vui lòng kiểm tra lại, hoặc nhập 45/60.",
    );
  });

  it("accepts the same total, another key, or the same indicator re-answered", () => {
    expect(checkAnswer(teachers(">=", 90), "45/60", ctx).ok).toBe(true);
    expect(checkAnswer(teachers(">=", 90), "45/62", { denominators: { students: { value: 60, indicatorCode: "NB-06" } } }).ok).toBe(true);
    expect(checkAnswer(teachers(">=", 90, "NB-03"), "45/62", ctx).ok).toBe(true);
    expect(checkAnswer(teachers(">=", 90), "45/62").ok).toBe(true);
  });

  it("suggests only a sensible corrected answer", () => {
    const res = checkAnswer(teachers(">=", 90), "61/62", ctx);
    expect(res.ok).toBe(false);
    expect(said(teachers(">=", 90), res)).toContain("số đạt/60");
  });

  it("a parse error wins over the consistency check", () => {
    const res = checkAnswer(teachers(">=", 90), "70/62", ctx);
    expect(said(teachers(">=", 90), res)).toContain("không thể lớn hơn");
  });
});

describe("percent targets", () => {
  const kho = entry({ type: "percent" }, "share_meeting", { op: "=", value: 100, unit: "%", text: "100%" }, {
    unitThreshold: { op: ">=", value: 50, unit: "%", text: "50%" },
  });
  it("uses unitThreshold over the across-units threshold", () => {
    expect(unitTarget(kho)).toMatchObject({ op: ">=", value: 50 });
    expect(checkAnswer(kho, "60%")).toMatchObject({ ok: true, meetsTarget: true, value: 60, numerator: null });
    const below = checkAnswer(kho, "45,5%");
    expect(below).toMatchObject({ ok: true, meetsTarget: false, gap: { missing: 4.5, missingUnit: "%" } });
    expect(gapSaid(kho, below)).toBe("đạt 45,5%, chỉ tiêu ≥ 50%: còn thiếu 4,5 điểm %");
  });
});

describe("boolean targets", () => {
  const share = entry({ type: "boolean" }, "share_yes", { op: "=", value: 100, unit: "%", text: "100%" });
  const countYes = entry({ type: "boolean" }, "count_yes", { op: ">=", value: 6, unit: "count", text: "≥ 6 trường" });
  it("yes meets a share_yes target, no does not", () => {
    expect(checkAnswer(share, "đã triển khai")).toMatchObject({ ok: true, value: 1, meetsTarget: true, gap: null });
    const no = checkAnswer(share, "chưa");
    expect(no).toMatchObject({ ok: true, value: 0, meetsTarget: false, gap: { achieved: 0, missing: null } });
    expect(gapSaid(share, no)).toBe("chưa thực hiện, chỉ tiêu 100% đơn vị thực hiện");
    expect(said(share, no)).toBe("Đã ghi nhận: Chưa. Chưa đạt chỉ tiêu: chưa thực hiện, chỉ tiêu 100% đơn vị thực hiện.");
  });
  it("count_yes: a total across units, so one school is not judged and never asked for a below-target reason", () => {
    expect(checkAnswer(countYes, "có")).toMatchObject({ ok: true, value: 1, meetsTarget: null, gap: null });
    expect(checkAnswer(countYes, "không")).toMatchObject({ ok: true, value: 0, meetsTarget: null, gap: null });
  });
  it("an upper-bound target is met by no", () => {
    const bad = entry({ type: "boolean" }, "share_yes", { op: "<=", value: 5, unit: "%", text: "≤ 5%" });
    expect(checkAnswer(bad, "không")).toMatchObject({ ok: true, meetsTarget: true });
    expect(checkAnswer(bad, "có")).toMatchObject({ ok: true, meetsTarget: false });
    expect(gapSaid(bad, checkAnswer(bad, "có"))).toBe("đã thực hiện, chỉ tiêu ≤ 5% đơn vị chưa thực hiện");
  });
  it("confirms in Vietnamese", () => {
    expect(said(share, checkAnswer(share, "co"))).toBe("Đã ghi nhận: Có. Đạt chỉ tiêu.");
  });
});

describe("level targets", () => {
  const lv = entry({ type: "level", min: 1, max: 3 }, "share_meeting", { op: "=", value: 100, unit: "%", text: "100%" }, {
    unitThreshold: { op: ">=", value: 2, unit: "level", text: "tối thiểu mức độ 2" },
  });
  it("compares with the unit threshold", () => {
    expect(checkAnswer(lv, "mức 2")).toMatchObject({ ok: true, value: 2, meetsTarget: true });
    const one = checkAnswer(lv, "muc 1");
    expect(one).toMatchObject({ ok: true, meetsTarget: false, gap: { achieved: 1, missing: 1, missingUnit: "mức" } });
    expect(gapSaid(lv, one)).toBe("đạt mức 1, chỉ tiêu ≥ mức 2: còn thiếu 1 mức");
  });
  it("no level threshold → not judged", () => {
    const noTh = entry({ type: "level", min: 1, max: 3 }, "share_meeting", { op: ">=", value: 80, unit: "%", text: "80%" });
    expect(checkAnswer(noTh, "1")).toMatchObject({ ok: true, meetsTarget: null, gap: null });
  });
});

describe("count targets", () => {
  it("share_meeting with a count threshold compares the count", () => {
    const perSchool = entry({ type: "count", unit: "bài giảng" }, "share_meeting", { op: ">=", value: 6, unit: "count", text: "≥ 6" });
    expect(checkAnswer(perSchool, "6 bài giảng")).toMatchObject({ ok: true, meetsTarget: true });
    const four = checkAnswer(perSchool, "bốn");
    expect(four).toMatchObject({ ok: true, meetsTarget: false, gap: { missing: 2, missingUnit: "bài giảng" } });
    expect(gapSaid(perSchool, four)).toBe("đạt 4 bài giảng, chỉ tiêu ≥ 6 bài giảng: còn thiếu 2 bài giảng");
    const strict = entry({ type: "count", unit: "lớp" }, "share_meeting", { op: ">", value: 6, unit: "count", text: "> 6" });
    expect(checkAnswer(strict, "6")).toMatchObject({ ok: true, meetsTarget: false, gap: { missing: 1 } });
  });
  it("a sum target is a total across units: one unit is not judged unless unitThreshold says so", () => {
    const total = entry({ type: "count", unit: "bài giảng" }, "sum", { op: ">=", value: 1000, unit: "count", text: "1000" });
    expect(checkAnswer(total, "12")).toMatchObject({ ok: true, value: 12, meetsTarget: null, gap: null });
    expect(said(total, checkAnswer(total, "12"))).toBe("Đã ghi nhận: 12 bài giảng.");
    const withUnit = { ...total, unitThreshold: { op: ">=" as const, value: 20, unit: "count" as const, text: "20" } };
    expect(checkAnswer(withUnit, "12")).toMatchObject({ ok: true, meetsTarget: false, gap: { missing: 8 } });
  });
});

describe("evaluate and helpers", () => {
  it("evaluate works on an already parsed answer", () => {
    const res = evaluate(teachers(">=", 90), { kind: "ratio", numerator: 9, denominator: 10, value: 90 });
    expect(res).toMatchObject({ ok: true, meetsTarget: true, numerator: 9, denominator: 10 });
  });
  it("derives the noun for the gap from the denominator", () => {
    expect(numeratorNoun("tổng số giáo viên")).toBe("giáo viên");
    expect(numeratorNoun("tổng số hồ sơ công việc (trừ hồ sơ mật)")).toBe("hồ sơ công việc");
    expect(numeratorNoun("tổng số thủ tục hành chính đủ điều kiện")).toBe("thủ tục hành chính");
    expect(numeratorNoun("tổng số cán bộ, công chức, viên chức, người lao động của Sở")).toBe("người");
    expect(numeratorNoun("tổng số tiết học")).toBe("tiết học");
  });
  it("accepts a valid answer for every shipped catalog entry", () => {
    const catalog = loadCatalog();
    const sample = { ratio: "45/60", percent: "75%", count: "12", boolean: "có", level: "mức 2" } as const;
    for (const e of catalog.entries) {
      const res = checkAnswer(e, sample[e.measure.type]);
      expect(res.ok, `${e.code}: ${said(e, res)}`).toBe(true);
    }
  });
});
