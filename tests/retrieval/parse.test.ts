import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PLANS_DIR } from "../../core/catalog/index.ts";
import { isGarbled, parsePlan } from "../../core/retrieval/parse.ts";
import { contentGroups, indexTerms, queryTerms } from "../../core/retrieval/tokenize.ts";
import { fold } from "../../core/text.ts";

const load = (f: string) => parsePlan(f, readFileSync(`${PLANS_DIR}${f}`, "utf8"));

describe("plan parsing", () => {
  it("reads the metadata of 27/KH-SGDĐT and labels chunks with section paths", () => {
    const p = load("001_3eb15a9a7d9006f6.txt");
    expect(p.meta).toMatchObject({ number: "27/KH-SGDĐT", place: "Ninh Bình", date: "19/9/2025" });
    const v3 = p.chunks.find((c) => c.text.includes("trước ngày 20"))!;
    expect(v3.sectionPath).toBe("V.3");
    expect(v3.label).toBe("KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025), mục V.3");
  });

  it("keeps appendix rows with their headers, merging rows broken across pages", () => {
    const p = load("001_3eb15a9a7d9006f6.txt");
    const row4 = p.chunks.find((c) => c.sectionPath === "Phụ lục 1, dòng 4")!;
    expect(row4.kind).toBe("table_row");
    expect(row4.text).toContain("hiểu biết về chuyển đổi số, kiến thức và kỹ năng số");
    expect(row4.label).toBe("KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025), Phụ lục 1, dòng 4");
    const tk = load("003_5c924ab1db1e40a2.txt").chunks.find((c) => c.sectionPath === "Phụ lục 1, dòng 14")!;
    expect(tk.text).toBe("Chỉ tiêu: Giáo viên được tập huấn kỹ năng số; Đơn vị tính: %; Mức đạt 2026: ≥ 90");
    const hy = load("002_f5043da23d7d53c2.txt").chunks.filter((c) => c.kind === "table_row");
    expect(hy).toHaveLength(5);
  });

  it("keeps a lead-in sentence together with its list items (002 II.1)", () => {
    const p = load("002_f5043da23d7d53c2.txt");
    const c = p.chunks.find((x) => x.text.startsWith("Tính đến đầu năm học 2021-2022, việc dạy học tin học ở các trường:"))!;
    expect(c.text).toContain("\nTiểu học: 57/170 trường dạy tin học");
    expect(c.text).toContain("\nTHPT và GDTX: 100% trường");
    expect(c.sectionPath).toBe("II.1");
  });

  it("writes the document's own facts from its header and signature into one passage", () => {
    const tk = load("003_5c924ab1db1e40a2.txt").chunks.find((c) => c.kind === "header")!;
    expect(tk.text).toContain("Cơ quan ban hành: UBND xã Tân Kỳ.");
    expect(tk.text).toContain("Tân Kỳ thuộc thành phố Hải Phòng.");
    expect(tk.text).toContain("Người ký: CHỦ TỊCH Nguyễn Xuân Cường.");
    expect(tk.label).toBe("KH UBND xã Tân Kỳ (3/2026), phần đầu văn bản");
    const dh = load("004_d0a633199ab6ba69.txt").chunks.find((c) => c.kind === "header")!;
    expect(dh.text).toContain("UBND HUYỆN ĐẦM HÀ – PHÒNG GIÁO DỤC VÀ ĐÀO TẠO");
    expect(dh.text).toContain("Đầm Hà thuộc tỉnh Quảng Ninh.");
    expect(load("002_f5043da23d7d53c2.txt").meta.signer).toBe("PHÓ GIÁM ĐỐC Đỗ Tiến Hùng");
  });

  it("leaves out the garbled tail of 000 and attaches its inline footnotes", () => {
    const p = load("000_c42f861d772fd98b.txt");
    expect(p.garbledLines).toBeGreaterThan(0);
    expect(p.chunks.some((c) => isGarbled(c.text) || c.text.includes(" ? "))).toBe(false);
    const fn = p.chunks.find((c) => c.text.includes("chú thích 1: Tại mục 2.6"))!;
    expect(fn.text).toContain("tỷ lệ chung của tỉnh");
  });

  it("joins hard-wrapped lines and places page-bottom footnotes where they are cited (004)", () => {
    const p = load("004_d0a633199ab6ba69.txt");
    const t3 = p.chunks.find((c) => c.sectionPath === "II.1 (3)")!;
    expect(t3.text).toMatch(/^\(3\) 100% chỉ số thống kê về giáo dục, đào tạo \(chú thích 1: Theo Thông tư số 19\/2017/);
    const t6 = p.chunks.find((c) => c.sectionPath === "II.2 (6)")!;
    expect(t6.text).toContain("100% trường tiểu học và trung học cơ sở tuyển sinh lớp 1");
    expect(p.chunks.some((c) => /^\d Theo Thông tư/.test(c.text))).toBe(false);
  });
});

describe("tokenizer", () => {
  it("folds diacritics so unaccented and NFD input match", () => {
    const a = indexTerms("Bình dân học vụ số");
    expect(queryTerms("binh dan hoc vu so").every((t) => a.includes(t))).toBe(true);
    expect(queryTerms("Bình dân học vụ số".normalize("NFD")).every((t) => a.includes(t))).toBe(true);
    expect(a).toContain("hoc_vu");
  });

  it("expands sector abbreviations both ways", () => {
    expect(indexTerms("Kế hoạch CĐS")).toContain("chuyen_doi");
    expect(indexTerms("thanh toán không dùng tiền mặt")).toContain("ttkdtm");
    expect(indexTerms("ứng dụng AI")).toContain("tri_tue");
    expect(indexTerms("Ai theo dõi")).not.toContain("tri_tue");
    expect(contentGroups("Ai theo dõi CSDL?").map((g) => g.join("|"))).toEqual(["csdl|co_so_du_lieu", "doi"]);
    expect(fold("Đã")).toBe("da");
  });
});
