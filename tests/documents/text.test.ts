import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readBlocks } from "../../core/catalog/extract/blocks.ts";
import { isGarbled } from "../../core/documents/text.ts";
import { parsePlan } from "../../core/retrieval/parse.ts";

const PLAN_000 = readFileSync(path.join(import.meta.dirname, "../../data/plans/000_c42f861d772fd98b.txt"), "utf8");

describe("isGarbled: one check for every reader of plan text", () => {
  it("flags text from a broken font encoding", () => {
    expect(isGarbled("K ?   HO ? CH     C huy ? n đ ? i s ?   ngành  Giáo d ? c và  Đ ào t ? o  năm 202 5")).toBe(true);
    expect(isGarbled("Kế hoạch chuy\uFFFDn đổi số")).toBe(true);
    expect(isGarbled("T h ự c h i ệ n k ế h o ạ c h s ố")).toBe(true);
  });

  it("keeps ordinary Vietnamese, questions and short lines", () => {
    for (const ok of [
      "Bình dân học vụ số là gì?",
      "Có?",
      "a) Phấn đấu tỷ lệ giáo viên được cấp và sử dụng chữ ký số đạt từ 85% trở lên.",
      "| 1 | Tỷ lệ giáo viên sử dụng chữ ký số | % | 62 | ≥ 85 |",
      "TT\tChỉ tiêu\tĐơn vị tính\tMức đạt",
    ]) expect(isGarbled(ok), ok).toBe(false);
  });

  it("the extractor and retrieval both drop the garbled tail of plan 000", () => {
    const tail = PLAN_000.split("\n").find((l) => l.startsWith(" K ?   HO ? CH"))!;
    expect(isGarbled(tail)).toBe(true);
    expect(readBlocks(PLAN_000).paragraphs.some((p) => p.text.includes("HO ? CH"))).toBe(false);
    expect(parsePlan("000_c42f861d772fd98b.txt", PLAN_000).chunks.some((c) => c.text.includes("HO ? CH"))).toBe(false);
  });
});
