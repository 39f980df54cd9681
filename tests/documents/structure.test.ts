import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { bracketFootnotes, continuesParagraph, findFootnotes, inlineFootnotes } from "../../core/documents/structure.ts";
import { readBlocks } from "../../core/catalog/extract/blocks.ts";
import { parsePlan } from "../../core/retrieval/parse.ts";
import { PLANS_DIR } from "../../core/catalog/index.ts";

describe("the shared footnote reader (extraction and Q&A read the same footnotes)", () => {
  const lines = [
    "(3) 100% chỉ số thống kê về giáo dục, đào tạo1 được cập nhật trực tuyến và",
    "1 Theo Thông tư số 19/2017/TT-BGDĐT ngày 28/7/2017, Thông tư số 09/2022/TT-BGDĐT của",
    "Bộ Giáo dục và Đào tạo",
    " chia sẻ phục vụ công tác chỉ đạo điều hành.",
    "- Học sinh lớp 2 của các trường đủ điều kiện.",
    "2 Học sinh lớp 2 không phải chú thích: câu trên đã kết thúc và không chữ nào trích dẫn số này",
  ];
  const superscripts = ["- Triển khai các nhiệm vụ đảm bảo các tỷ lệ chung của tỉnh¹.", "", "¹ Tại mục 2.6 của Kế hoạch 19/KH-UBND ngày 08/8/2025", "", "tiếp theo."];

  it("finds page-bottom footnotes, numbered or superscript, only where a word above cites them", () => {
    const notes = findFootnotes(lines);
    expect(notes.map((n) => [n.n, n.from, n.to, n.citing])).toEqual([["1", 1, 3, 0]]);
    expect(findFootnotes(superscripts).map((n) => [n.n, n.from, n.to, n.citing])).toEqual([["1", 2, 3, 0]]);
    expect(notes[0]!.body).toBe("Theo Thông tư số 19/2017/TT-BGDĐT ngày 28/7/2017, Thông tư số 09/2022/TT-BGDĐT của Bộ Giáo dục và Đào tạo");
  });

  it("Q&A puts a footnote's text where it is cited; the page body resumes after it", () => {
    const out = inlineFootnotes(lines);
    expect(out[0]).toContain("đào tạo (chú thích 1: Theo Thông tư số 19/2017/TT-BGDĐT");
    expect(out[1]).toBe(" chia sẻ phục vụ công tác chỉ đạo điều hành.");
    expect(out[out.length - 1]).toMatch(/^2 Học sinh/);
    const sup = inlineFootnotes(superscripts);
    expect(sup.some((l) => l.startsWith("¹"))).toBe(false);
    expect(sup[0]).toContain("của tỉnh (chú thích 1: Tại mục 2.6");
  });

  it("extraction leaves the same footnotes out of its paragraphs and marks the cut", () => {
    const { paragraphs } = readBlocks(lines.join("\n"));
    const p = paragraphs.find((x) => x.text.startsWith("(3)"))!;
    expect(p.text).not.toContain("Thông tư");
    expect(p.segments.length).toBe(2);
  });

  it("bracket footnotes are inlined for Q&A", () => {
    expect(bracketFootnotes("tỷ lệ chung của tỉnh[footnoteRef:1].\n[1:  Tại mục 2.6]")).toBe("tỷ lệ chung của tỉnh (chú thích 1: Tại mục 2.6).\n");
  });

  it("on the real plans, Q&A and extraction agree on every footnote of Ninh Bình (superscripts) and Đầm Hà (glued numbers)", () => {
    for (const [file, count] of [["001_3eb15a9a7d9006f6.txt", 2], ["004_d0a633199ab6ba69.txt", 4]] as const) {
      const text = readFileSync(path.join(PLANS_DIR, file), "utf8");
      expect(findFootnotes(text.normalize("NFC").split("\n")).length, file).toBe(count);
      const chunks = parsePlan(file, text).chunks.map((c) => c.text).join("\n");
      expect(chunks, file).toContain("(chú thích 1:");
      expect(readBlocks(text).paragraphs.some((p) => /^(¹|1 Theo)/.test(p.text)), file).toBe(false);
    }
  });
});

describe("the shared paragraph rule (extraction and Q&A join lines the same way)", () => {
  it("joins hard-wrapped lines, across a blank line only while the sentence is open; items and lead-in rows start anew", () => {
    expect(continuesParagraph("(6) 100% các trường mầm non, tiểu học, THCS trên địa bàn triển khai sổ", "sách, sổ điểm", false)).toBe(true);
    expect(continuesParagraph("- Về quy mô hoạt động giáo dục trực tuyến", "Tỉ trọng nội dung chương trình", true)).toBe(true);
    expect(continuesParagraph("các cơ sở giáo dục.", "Trong năm học, ngành giáo dục", true)).toBe(false);
    expect(continuesParagraph("việc dạy học tin học ở các trường:", "Tiểu học: 57/170 trường dạy tin học", true)).toBe(false);
    expect(continuesParagraph("Tiểu học: 57/170 trường dạy tin học, 722/3.452 số lớp", "THCS: 174/174 dạy tin học", true)).toBe(false);
    expect(continuesParagraph("đảm bảo các tỷ lệ chung", "- Triển khai học bạ số", false)).toBe(false);
    expect(continuesParagraph("2. Đảm bảo điều kiện về hạ tầng số", "Rà soát hạ tầng", false, true)).toBe(false);
  });

  it("both readers keep a lead-in's rows apart and join a wrapped sentence across a blank line", () => {
    const text = ["Tính đến đầu năm học, việc dạy học tin học ở các trường:", "", "Tiểu học: 57/170 trường dạy tin học", "", "THCS: 174/174 dạy tin học", "", "- Về quy mô hoạt động giáo dục trực tuyến", "", "Tỉ trọng dạy học trực tuyến đạt 5%."].join("\n");
    const paras = readBlocks(text).paragraphs.map((p) => p.text);
    expect(paras).toEqual([
      "Tính đến đầu năm học, việc dạy học tin học ở các trường:",
      "Tiểu học: 57/170 trường dạy tin học",
      "THCS: 174/174 dạy tin học",
      "- Về quy mô hoạt động giáo dục trực tuyến Tỉ trọng dạy học trực tuyến đạt 5%.",
    ]);
  });
});
