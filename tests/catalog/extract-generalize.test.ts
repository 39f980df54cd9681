/**
 * The extractor on layouts the four real plans do not use: targets under "CHỈ TIÊU" / "Chỉ tiêu chủ
 * yếu" in any numbering, threshold phrasings with upper bounds, several targets in one sentence,
 * appendix tables whose target column is not the first number (with a "Thực hiện" baseline), the
 * kind of question per measure, the reporting rhythm, and the held-out fictional plans
 * (tests/fixtures/plans, read through readDocument: .txt, .docx, .pdf).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CatalogEntry, CatalogEntryFields } from "../../core/catalog/schema.ts";
import { extractDrafts, extractReportingRules, tableColumns, type DraftEntry } from "../../core/catalog/extract.ts";
import { scoreDrafts, type ExpectedPlan } from "../../core/catalog/extract/eval.ts";
import { readDocument } from "../../core/documents/read.ts";
import { PLANS_DIR } from "../../core/catalog/index.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/plans/", import.meta.url));
const norm = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();
const byText = (drafts: DraftEntry[], re: RegExp) => {
  const d = drafts.find((x) => re.test(x.target));
  if (!d) throw new Error(`no draft for ${re}: ${drafts.map((x) => x.target).join(" | ")}`);
  return d;
};

const PLAN = `KẾ HOẠCH
Chuyển đổi số ngành giáo dục huyện Thử Nghiệm năm 2027

II. KẾT QUẢ THỰC HIỆN NĂM 2026

Năm 2026 có 88% giáo viên được cấp chữ ký số.

III. CHỈ TIÊU

1. Về nhân lực số

a) Phấn đấu tỷ lệ giáo viên được cấp và sử dụng chữ ký số đạt từ 85% trở lên.

b) Tỷ lệ cán bộ quản lý được bồi dưỡng kỹ năng số không dưới 97%.

c) 100% nhân viên văn thư sử dụng hệ thống quản lý văn bản; ít nhất 70% giáo viên sử dụng thành thạo bảng tương tác.

2. Về quản trị

• Tỷ lệ hồ sơ thủ tục hành chính giải quyết quá hạn không vượt quá 5%.

• Tỷ lệ sự cố mất an toàn thông tin tại các đơn vị trực thuộc dưới 2%.

+ Ít nhất 03 trường trung học cơ sở được đầu tư phòng học STEM.

- Mỗi trường có ít nhất 20 bài giảng điện tử được đưa lên kho học liệu số của trường.

- Ít nhất 90% trường tiểu học đạt mức độ 2 trở lên; có ít nhất 05 trường đạt mức 3.

IV. TỔ CHỨC THỰC HIỆN

Các trường báo cáo hằng tháng trước ngày 25; báo cáo quý trước ngày 15 của tháng cuối quý; báo cáo 6 tháng trước ngày 10/6 và báo cáo năm trước ngày 05/12.
`;

describe("extractDrafts: targets wherever plans put them", () => {
  const drafts = extractDrafts(PLAN, "thu-nghiem.txt");

  it("reads the lists under CHỈ TIÊU in a), •, +, - numbering and nothing from the past year's results", () => {
    expect(drafts).toHaveLength(10);
    expect(drafts.some((d) => /88%/.test(d.citation.quote))).toBe(false);
    expect(drafts.every((d) => d.citation.section.startsWith("mục III"))).toBe(true);
  });

  it("reads each threshold phrasing with its comparison, upper bounds included", () => {
    const t = (re: RegExp) => byText(drafts, re).threshold;
    expect(t(/chữ ký số/)).toMatchObject({ op: ">=", value: 85, unit: "%", text: "đạt từ 85% trở lên" });
    expect(t(/cán bộ quản lý/)).toMatchObject({ op: ">=", value: 97, text: "không dưới 97%" });
    expect(t(/quá hạn/)).toMatchObject({ op: "<=", value: 5, unit: "%", text: "không vượt quá 5%" });
    expect(t(/sự cố/)).toMatchObject({ op: "<", value: 2, unit: "%", text: "dưới 2%" });
    expect(t(/phòng học STEM/)).toMatchObject({ op: ">=", value: 3, unit: "count" });
  });

  it("splits several targets in one sentence", () => {
    const both = drafts.filter((d) => /văn thư/.test(d.target) || /bảng tương tác/.test(d.target));
    expect(both.map((d) => [d.threshold?.op, d.threshold?.value])).toEqual([["=", 100], [">=", 70]]);
    const levels = drafts.filter((d) => d.measure?.type === "level");
    expect(levels.map((d) => [d.threshold?.op, d.threshold?.value, d.threshold?.unit, d.unitThreshold?.value])).toEqual([
      [">=", 90, "%", 2],
      [">=", 5, "count", 3],
    ]);
  });

  it("keeps an upper bound as the across-unit threshold of a ratio", () => {
    const d = byText(drafts, /quá hạn/);
    expect(d.measure).toMatchObject({ type: "ratio", denominator: "tổng số hồ sơ thủ tục hành chính" });
    expect(d.rollup).toBe("sum_ratio");
    expect(byText(drafts, /sự cố/).measure).toMatchObject({ type: "ratio", numerator: "sự cố mất an toàn thông tin" });
  });

  it("asks a count target for a number, never yes/no, in correct Vietnamese", () => {
    const d = byText(drafts, /bài giảng điện tử/);
    expect(d).toMatchObject({ measure: { type: "count", unit: "bài giảng điện tử" }, rollup: "share_meeting", unitThreshold: { op: ">=", value: 20, unit: "count" } });
    expect(d.question).toBe("Trường có bao nhiêu bài giảng điện tử được đưa lên kho học liệu số? (nhập một số, ví dụ: 12)");
    expect(byText(drafts, /phòng học STEM/).question).toBe("Trường đã được đầu tư phòng học STEM chưa? (có/chưa)");
    for (const x of drafts.filter((x) => x.measure?.type === "boolean")) expect(x.question).toMatch(/^Trường đã (được|có|triển khai|sử dụng)\s/);
  });

  it("drafts entries with every catalog field and verbatim quotes", () => {
    for (const d of drafts) {
      const parsed = CatalogEntryFields.omit({ code: true, plan: true }).safeParse(d);
      expect(parsed.success, `${d.target}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(norm(PLAN)).toContain(norm(d.citation.quote));
    }
  });
});

describe("numbered items hard-wrapped by a PDF", () => {
  it("reads '1.4. …' running on to a lower-case line as a target, not a heading", () => {
    const text = [
      "II. MỤC TIÊU",
      "2. Mục tiêu cụ thể đến hết năm 2027",
      "1.3. Tỷ lệ học sinh được hướng dẫn sử dụng trí tuệ nhân tạo an toàn",
      "đạt tối thiểu 90%; tỷ lệ học sinh vi phạm quy định không quá 3%.",
      "1.4. Ít nhất 12 trường trung học phổ thông triển khai trợ lý ảo hỗ trợ giải đáp thủ tục cho",
      "phụ huynh.",
      "1.5. Mỗi tổ chuyên môn có tối thiểu 05 kế hoạch bài dạy có ứng dụng trí tuệ nhân tạo",
      "được chia sẻ trên kho học liệu của Sở.",
    ].join("\n");
    const drafts = extractDrafts(text, "wrap.txt");
    expect(drafts.map((d) => [d.threshold?.op, d.threshold?.value, d.threshold?.unit])).toEqual([[">=", 90, "%"], ["<=", 3, "%"], [">=", 12, "count"], ["=", 100, "%"]]);
    expect(drafts[3]).toMatchObject({ measure: { type: "count", unit: "kế hoạch bài dạy" }, unitThreshold: { op: ">=", value: 5 } });
    expect(drafts[3]!.question).toMatch(/^Trường có bao nhiêu kế hoạch bài dạy có ứng dụng trí tuệ nhân tạo/);
  });
});

describe("appendix tables: the target column by its header", () => {
  const table = (header: string, rows: string[]) => ["Phụ lục", header, "|---|---|---|---|---|", ...rows].join("\n");

  it("takes 'Chỉ tiêu năm 2027' after a 'Thực hiện năm 2026' column, and keeps the baseline", () => {
    const text = table("| TT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2026 | Chỉ tiêu năm 2027 |", [
      "| 1 | Giáo viên sử dụng nền tảng học liệu số | % | 76 | ≥ 90 |",
      "| 2 | Trường có phòng học thông minh | Trường | 12 | 18 |",
      "| 3 | Thiết bị hư hỏng chưa được khắc phục | % | 9 | ≤ 5 |",
    ]);
    const [a, b, c] = extractDrafts(text, "pl.md");
    expect(a).toMatchObject({ threshold: { op: ">=", value: 90, unit: "%" }, baseline: 76, deadline: "Năm 2027" });
    expect(b).toMatchObject({ threshold: { op: ">=", value: 18, unit: "count" }, baseline: 12, rollup: "count_yes" });
    expect(c).toMatchObject({ threshold: { op: "<=", value: 5, unit: "%" }, baseline: 9 });
    const zero = extractDrafts(table("| TT | Chỉ tiêu | Đơn vị | Ước thực hiện 2026 | Mục tiêu 2027 |", ["| 1 | Sự cố lộ, lọt dữ liệu cá nhân học sinh | Vụ | 2 | 0 |"]), "z.md");
    expect(zero[0]).toMatchObject({ threshold: { op: "<=", value: 0, unit: "count" }, baseline: 2 });
  });

  it("chooses by header for 'Kế hoạch năm 2027', 'Mức đạt 2026' and the latest of several years", () => {
    expect(tableColumns(["TT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2026", "Kế hoạch năm 2027", "Ghi chú"])).toMatchObject({ text: 1, unit: 2, baseline: 3, value: 4 });
    expect(tableColumns(["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Thực hiện năm 2025", "Mức đạt 2026"])).toMatchObject({ text: 1, baseline: 3, value: 4 });
    expect(tableColumns(["TT", "Chỉ tiêu", "Năm 2026", "Năm 2027"])).toMatchObject({ text: 1, value: 3, baseline: -1 });
    // the real plans' headers keep working: no value column in Ninh Bình's Phụ lục 1, "Mức đạt 2026" in Tân Kỳ's
    expect(tableColumns(["TT", "Chỉ tiêu", "Đơn vị chủ trì theo dõi, hướng dẫn, đôn đốc, kiểm tra và tổng hợp kết quả thực hiện", "Thời gian hoàn thành"])).toMatchObject({ text: 1, value: -1, baseline: -1, owner: 2, deadline: 3 });
    expect(tableColumns(["TT", "Chỉ tiêu", "Đơn vị tính", "Mức đạt 2026"])).toMatchObject({ text: 1, value: 3, unit: 2 });
  });

  it("aligns a row narrower than its header from the right (a PDF table that merged the unit into the wording)", () => {
    const text = table("| TT | Nội dung chỉ tiêu | ĐVT | Thực hiện năm 2025 | Mức đạt 2026 |", [
      "| 1 | Giáo viên sử dụng chữ ký số | % | 70 | 100 |",
      "| 2 | Trường tiểu học có phòng máy tính Trườ đạt chuẩn ng | 2 | 4 |",
      "| 3 | Học sinh được học kỹ năng an % toàn trên mạng | 45 | ≥ 75 |",
    ]);
    const [a, b, c] = extractDrafts(text, "pdf.md");
    expect(a).toMatchObject({ threshold: { op: "=", value: 100, unit: "%" }, baseline: 70 });
    expect(b).toMatchObject({ threshold: { op: ">=", value: 4, unit: "count" }, baseline: 2 });
    expect(c).toMatchObject({ threshold: { op: ">=", value: 75, unit: "%" }, baseline: 45, target: "Học sinh được học kỹ năng an toàn trên mạng" });
    // a tab-separated row whose empty last cells were trimmed is not shifted
    const tsv = ["Phụ lục", "TT\tChỉ tiêu\tĐơn vị tính\tThực hiện năm 2026\tKế hoạch năm 2027\tGhi chú", "1\tTrường có camera giám sát\tTrường\t5\t≥ 8\t"].join("\n");
    expect(extractDrafts(tsv, "t.txt")[0]).toMatchObject({ threshold: { op: ">=", value: 8, unit: "count" }, baseline: 5 });
  });

  it("reads a tab-separated appendix with 'Kế hoạch năm 2027' as the target column", () => {
    const text = ["Phụ lục", "TT\tChỉ tiêu\tĐơn vị tính\tThực hiện năm 2026\tKế hoạch năm 2027\tGhi chú", "1\tHồ sơ tuyển sinh đầu cấp nộp trực tuyến\t%\t72\t≥ 90\tLớp 1, lớp 6"].join("\n");
    const [d, ...rest] = extractDrafts(text, "tsv.txt");
    expect(rest).toHaveLength(0);
    expect(d).toMatchObject({ threshold: { op: ">=", value: 90 }, baseline: 72, measure: { type: "ratio", denominator: "tổng số hồ sơ tuyển sinh đầu cấp" } });
  });
});

describe("extractReportingRules", () => {
  it("reads the days of each rhythm, six-monthly included", () => {
    const r = extractReportingRules(PLAN, "thu-nghiem.txt");
    expect(r.found).toBe(true);
    expect(r.stated).toEqual(["monthly", "quarterly", "half-yearly", "yearly"]);
    expect(r.rules).toMatchObject({ monthlyBeforeDay: 25, quarterlyBeforeDay: 15, halfYearlyBefore: { day: 10 }, yearlyBefore: { day: 5, month: 12 } });
    expect(norm(PLAN)).toContain(norm(r.citation!.quote));
  });

  it("reads 'sơ kết học kỳ' as six-monthly and ignores dated task deadlines", () => {
    const text = "III. TỔ CHỨC THỰC HIỆN\n\nCác đơn vị rà soát dữ liệu trước ngày 15/02/2027. Các đơn vị báo cáo sơ kết học kỳ trước ngày 12/6; báo cáo tổng kết năm trước ngày 08/12.";
    const r = extractReportingRules(text);
    expect(r.stated).toEqual(["half-yearly", "yearly"]);
    expect(r.rules).toMatchObject({ monthlyBeforeDay: 20, quarterlyBeforeDay: 20, halfYearlyBefore: { day: 12 }, yearlyBefore: { day: 8, month: 12 } });
  });

  it("reads Ninh Bình's mục V.3 and says so when a plan states no rhythm", () => {
    const nb = extractReportingRules(readFileSync(path.join(PLANS_DIR, "001_3eb15a9a7d9006f6.txt"), "utf8"), "001_3eb15a9a7d9006f6.txt");
    expect(nb.rules).toMatchObject({ monthlyBeforeDay: 20, quarterlyBeforeDay: 20, yearlyBefore: { day: 10, month: 12 } });
    expect(nb.rules.halfYearlyBefore).toBeUndefined();
    expect(nb.citation?.quote).toMatch(/^- Định kỳ hằng tháng \(trước ngày 20\)/);
    const none = extractReportingRules(readFileSync(path.join(PLANS_DIR, "003_5c924ab1db1e40a2.txt"), "utf8"));
    expect(none.found).toBe(false);
    expect(none.rules).toMatchObject({ monthlyBeforeDay: 20 });
  });
});

describe("complete drafts on the real plans", () => {
  it("gives every draft all catalog fields, satisfying the catalog's own schema and cross-field rules", () => {
    for (const file of readdirSync(PLANS_DIR).filter((f) => f.endsWith(".txt"))) {
      for (const d of extractDrafts(readFileSync(path.join(PLANS_DIR, file), "utf8"), file)) {
        const r = CatalogEntry.safeParse({ ...d, code: "XX-01", plan: "draft" });
        expect(r.success, `${file}: ${d.target} ${JSON.stringify(r.error?.issues)}`).toBe(true);
        // the kind of question fits the measure, and yes/no questions read as Vietnamese sentences
        const kind = { ratio: /bao nhiêu .*, trên tổng số .*\(ví dụ: 45\/60\)$/, boolean: /^(Trường|Đơn vị) đã .+ chưa\? \(có\/chưa\)$/, count: /bao nhiêu/, level: /mức độ chuyển đổi số mấy/, percent: /bao nhiêu phần trăm/ }[d.measure!.type];
        expect(d.question, file).toMatch(kind);
        expect(d.question, file).not.toMatch(/đã có (nhằm|để|và|mầm non|tiểu học)\s|\s(và|của|các|với) chưa\?/);
      }
    }
  });
});

describe("held-out fictional plans (tests/fixtures/plans) through readDocument", () => {
  const plans = readdirSync(FIXTURES).filter((f) => f.endsWith(".expected.json")).map((f) => JSON.parse(readFileSync(path.join(FIXTURES, f), "utf8")) as ExpectedPlan);

  it("covers .txt, .docx and .pdf", () => {
    expect(new Set(plans.map((p) => path.extname(p.file)))).toEqual(new Set([".txt", ".docx", ".pdf"]));
  });

  it("finds ≥ 90% of their targets with the right threshold, quotes verbatim, and reads their reporting rhythm", async () => {
    let found = 0;
    let expected = 0;
    for (const plan of plans) {
      const r = await readDocument({ name: plan.file, bytes: readFileSync(path.join(FIXTURES, plan.file)) });
      if (!r.ok) throw new Error(`${plan.file}: ${r.problem}`);
      const drafts = extractDrafts(r.text, plan.file);
      const s = scoreDrafts(drafts, plan);
      found += s.found;
      expected += s.expected;
      for (const d of drafts) {
        expect(norm(r.text), plan.file).toContain(norm(d.citation.quote));
        expect(CatalogEntry.safeParse({ ...d, code: "XX-01", plan: "draft" }).success, `${plan.file}: ${d.target}`).toBe(true);
      }
      const rules = extractReportingRules(r.text).rules as Record<string, unknown>;
      for (const [k, v] of Object.entries(plan.reporting ?? {})) expect(rules[k], `${plan.file} ${k}`).toEqual(v);
    }
    expect(found / expected).toBeGreaterThanOrEqual(0.9);
  });

  it("scores one to one: a duplicate draft is not a second hit, a draft with the wrong threshold is found but not recalled", () => {
    const plan: ExpectedPlan = { file: "x.txt", targets: [{ keywords: ["học bạ số"], threshold: { op: "=", value: 100, unit: "%" } }, { keywords: ["chữ ký số"], threshold: { op: ">=", value: 85, unit: "%" } }] };
    const [hb, cks] = extractDrafts("I. MỤC TIÊU\n\n- 100% trường triển khai học bạ số.\n\n- 80% giáo viên có chữ ký số.", "x.txt");
    const drafts = [hb!, { ...hb! }, cks!];
    const s = scoreDrafts(drafts, plan);
    expect([s.found, s.relevant, s.drafts, s.recall, s.precision]).toEqual([1, 2, 3, 0.5, 0.667]);
  });
});

describe("cli: catalog extract reads Word and PDF plans", () => {
  it("drafts from a .docx and states the plan's reporting rhythm", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const out = await promisify(execFile)("npx", ["tsx", "cli/main.ts", "catalog", "extract", path.join(FIXTURES, "bac-van-2027.docx")], {
      cwd: root, env: { ...process.env, OPENAI_API_KEY: "" },
    });
    expect(out.stdout).toContain("Tìm thấy 14 chỉ tiêu dự thảo trong bac-van-2027.docx (theo quy tắc).");
    expect(out.stdout).toContain("Nhịp báo cáo theo kế hoạch: hằng quý trước ngày 22 tháng cuối quý; 6 tháng trước ngày 12 tháng cuối kỳ; năm trước ngày 8/12");
  });
});
