/**
 * The rule-based extractor (core/catalog/extract.ts) on small plan-like texts and on the real plans,
 * the recall evaluation, the guarded LLM path (against a local fake OpenAI-compatible server),
 * and `catalog extract` from the CLI.
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadCatalog, PLANS_DIR } from "../../core/catalog/index.ts";
import { extractDrafts, extractDraftsRefined } from "../../core/catalog/extract.ts";
import { extractNoteText } from "../../bot/messages/drafts.ts";
import { evaluateRecall, quotesOverlap } from "../../core/catalog/extract/eval.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const norm = (s: string) => s.normalize("NFC").replace(/\s+/g, " ").trim();

const OBJECTIVES = `KẾ HOẠCH
Chuyển đổi số ngành giáo dục xã Hoa Mai năm 2026

I. MỤC TIÊU

2. Mục tiêu cụ thể

- 100% cơ sở giáo dục triển khai học bạ số theo hướng dẫn.
- Tỷ lệ giáo viên được cấp chữ ký số đạt trên 50%.
- 90% giáo viên được tập huấn kỹ năng số và 80% nhân viên sử dụng được nền tảng số.
- Các trường đạt mức độ chuyển đổi số tối thiểu ở mức độ 2 theo quy định.
- Có ít nhất 6 trường thí điểm ứng dụng trí tuệ nhân tạo.

II. NHIỆM VỤ

- Tổ chức hội nghị triển khai kế hoạch trong tháng 10.
`;

describe("extractDrafts: objectives bullets", () => {
  const drafts = extractDrafts(OBJECTIVES, "hoa-mai.txt");
  const find = (re: RegExp) => drafts.find((d) => re.test(d.target))!;

  it("finds one draft per figure, none for tasks without figures", () => {
    expect(drafts).toHaveLength(6);
    expect(drafts.every((d) => d.citation.file === "hoa-mai.txt" && d.citation.section === "mục I.2")).toBe(true);
    expect(drafts.some((d) => /hội nghị/.test(d.target))).toBe(false);
  });

  it("reads '100% cơ sở giáo dục …' as a yes/no question rolled up as a share of schools", () => {
    expect(find(/học bạ số/)).toMatchObject({ measure: { type: "boolean" }, rollup: "share_yes", threshold: { op: "=", value: 100, unit: "%" }, deadline: "Năm 2026" });
    expect(find(/học bạ số/).question).toBe("Trường đã triển khai học bạ số theo hướng dẫn chưa? (có/chưa)");
  });

  it("reads 'trên 50%' as a strict threshold over teachers", () => {
    expect(find(/chữ ký số/)).toMatchObject({
      measure: { type: "ratio", denominatorKey: "teachers" }, rollup: "sum_ratio", threshold: { op: ">", value: 50, text: "trên 50%" },
    });
  });

  it("splits '90% giáo viên … và 80% nhân viên …' into two targets", () => {
    const both = drafts.filter((d) => /90% giáo viên/.test(d.target));
    expect(both.map((d) => d.threshold?.value)).toEqual([90, 80]);
    expect(both[0]!.measure).toMatchObject({ type: "ratio", denominatorKey: "teachers" });
  });

  it("reads 'tối thiểu ở mức độ 2' as a level with what each unit must reach", () => {
    expect(find(/mức độ 2/)).toMatchObject({
      measure: { type: "level", min: 1, max: 3 }, rollup: "share_meeting", unitThreshold: { op: ">=", value: 2, unit: "level" }, frequency: "yearly",
    });
  });

  it("reads 'ít nhất 6 trường' as a count of schools answering yes", () => {
    expect(find(/ít nhất 6 trường/)).toMatchObject({ measure: { type: "boolean" }, rollup: "count_yes", threshold: { op: ">=", value: 6, unit: "count" } });
  });

  it("quotes verbatim", () => {
    for (const d of drafts) expect(norm(OBJECTIVES)).toContain(norm(d.citation.quote));
  });
});

describe("extractDrafts: messy layouts", () => {
  it("joins hard-wrapped numbered targets, drops glued footnote marks and skips footnote bodies", () => {
    const text = [
      "II. MỤC TIÊU",
      "1. Chính quyền số",
      "(1) 100% chỉ số thống kê về giáo dục, đào tạo1 được cập nhật trực tuyến và ",
      "chia sẻ phục vụ công tác chỉ đạo điều hành; 100% trường tiểu ",
      "",
      "1 Theo Thông tư số 19/2017/TT-BGDĐT ngày 28/7/2017 của ",
      "Bộ Giáo dục và Đào tạo",
      " học tuyển sinh lớp 1 trên môi trường số.",
      "",
      "(2) 80% trở lên các trường trên địa bàn huyện triển khai cho nhà giáo sử ",
      "dụng chữ ký số.",
      "",
      "III. NHIỆM VỤ",
    ].join("\n");
    const drafts = extractDrafts(text, "x.txt");
    const first = drafts.find((d) => /thống kê/.test(d.target))!;
    expect(first.target).toContain("giáo dục, đào tạo được cập nhật trực tuyến và chia sẻ");
    expect(first.citation.section).toBe("mục II.1, chỉ tiêu (1)");
    const second = drafts.find((d) => /chữ ký số/.test(d.target))!;
    expect(second).toMatchObject({ threshold: { op: ">=", value: 80, text: "80% trở lên" }, rollup: "share_yes", source: "numbered" });
    expect(second.citation.quote).toBe("(2) 80% trở lên các trường trên địa bàn huyện triển khai cho nhà giáo sử dụng chữ ký số.");
    for (const d of drafts) {
      expect(norm(text)).toContain(norm(d.citation.quote));
      expect(d.citation.quote).not.toMatch(/Thông tư số 19/); // never quotes across the footnote
    }
  });

  it("reads a tab-separated appendix with a row broken across a page break", () => {
    const text = [
      "PHỤ LỤC 1",
      "TT\tChỉ tiêu\tĐơn vị chủ trì\tThời gian hoàn thành",
      "1\t100% giáo viên có hồ sơ số trên cơ sở dữ liệu ngành\tPhòng Văn hóa - Xã hội\tTháng 12/2026",
      "",
      "\tvà được cập nhật hằng tháng\t\t",
      "2\t100% các trường tiểu học triển khai học bạ số\tPhòng Văn hóa - Xã hội; các trường\tThường xuyên",
    ].join("\n");
    const drafts = extractDrafts(text, "pl.txt");
    expect(drafts).toHaveLength(2);
    expect(drafts[0]).toMatchObject({
      target: "100% giáo viên có hồ sơ số trên cơ sở dữ liệu ngành và được cập nhật hằng tháng",
      owner: "Phòng Văn hóa - Xã hội", deadline: "Tháng 12/2026", source: "table",
      measure: { type: "ratio", denominatorKey: "teachers" },
      citation: { section: "Phụ lục 1, dòng 1", quote: "100% giáo viên có hồ sơ số trên cơ sở dữ liệu ngành" },
    });
    expect(drafts[1]).toMatchObject({ levels: ["th"], measure: { type: "boolean" }, deadline: "Thường xuyên" });
  });

  it("reads a markdown appendix with a unit column and 2026 levels", () => {
    const text = [
      "Phụ lục 1",
      "| TT | Chỉ tiêu | Đơn vị tính | Mức đạt 2026 |",
      "|----|--|----|----|",
      "| I | Nhân lực số | | |",
      "| 1 | Giáo viên được tập huấn kỹ năng số | % | ≥ 90 |",
      "| 2 | Đơn vị thí điểm ứng dụng AI trong dạy học | Cơ sở giáo dục | ≥ 6 |",
      "",
      "| | | | |",
      "|---|--|---|---|",
      "| 3 | Cơ sở giáo dục đạt mức độ CĐS mức 2 trở lên | % | ≥ 90 |",
    ].join("\n");
    const [a, b, c, ...rest] = extractDrafts(text, "md.txt");
    expect(rest).toHaveLength(0);
    expect(a).toMatchObject({ threshold: { op: ">=", value: 90, unit: "%", text: "≥ 90" }, measure: { denominatorKey: "teachers" }, deadline: "Năm 2026", frequency: "monthly" });
    expect(a!.citation.quote).toBe("| 1 | Giáo viên được tập huấn kỹ năng số | % | ≥ 90 |");
    expect(b).toMatchObject({ rollup: "count_yes", threshold: { op: ">=", value: 6, unit: "count" } });
    expect(c).toMatchObject({ measure: { type: "level" }, threshold: { value: 90 }, unitThreshold: { value: 2, unit: "level" }, citation: { section: "Phụ lục 1, dòng 3" } });
  });

  it("merges a bullet repeated in the appendix into one draft with the appendix's owner and deadline", () => {
    const text = [
      "I. MỤC TIÊU",
      "- 100% cơ sở giáo dục triển khai thanh toán không dùng tiền mặt.",
      "",
      "PHỤ LỤC 1",
      "TT\tChỉ tiêu\tĐơn vị chủ trì\tThời gian hoàn thành",
      "1\t100% cơ sở giáo dục triển khai thanh toán không dùng tiền mặt.\tPhòng Tài chính\tTháng 11/2025",
    ].join("\n");
    const drafts = extractDrafts(text, "m.txt");
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ owner: "Phòng Tài chính", deadline: "Tháng 11/2025", citation: { section: "Phụ lục 1, dòng 1" } });
    expect(drafts[0]!.alsoIn?.[0]?.section).toBe("mục I");
  });

  it("ignores figures in a current-state section and garbled text", () => {
    const text = ["II. HIỆN TRẠNG", "- 100% trường có kết nối Internet.", "", "III. MỤC TIÊU", "K ? HO ? CH 100% ? ? T ? ? N ? ? ? ?"].join("\n");
    expect(extractDrafts(text, "h.txt")).toEqual([]);
  });
});

describe("extractDrafts on the shipped plans", () => {
  const files = readdirSync(PLANS_DIR).filter((f) => f.endsWith(".txt"));

  it("quotes every draft verbatim and stays within 8–200 characters", () => {
    for (const file of files) {
      const text = norm(readFileSync(path.join(PLANS_DIR, file), "utf8"));
      const drafts = extractDrafts(readFileSync(path.join(PLANS_DIR, file), "utf8"), file);
      expect(drafts.length, file).toBeGreaterThan(0);
      for (const d of drafts) {
        for (const c of [d.citation, ...(d.alsoIn ?? [])]) {
          expect(text.includes(norm(c.quote)), `${file}: “${c.quote}”`).toBe(true);
          expect(c.quote.length).toBeLessThanOrEqual(200);
        }
        expect(d.short.length).toBeLessThanOrEqual(60);
        expect(d.confidence).toBeGreaterThan(0);
        expect(d.confidence).toBeLessThanOrEqual(1);
      }
    }
  });

  it("finds all 20 indicators of Tân Kỳ's Phụ lục 1 and the 16 numbered targets of Đầm Hà", () => {
    const tk = extractDrafts(readFileSync(path.join(PLANS_DIR, "003_5c924ab1db1e40a2.txt"), "utf8"), "003_5c924ab1db1e40a2.txt");
    const rows = new Set(tk.filter((d) => d.citation.section.startsWith("Phụ lục 1")).map((d) => d.citation.section));
    expect(rows.size).toBe(20);
    const dh = extractDrafts(readFileSync(path.join(PLANS_DIR, "004_d0a633199ab6ba69.txt"), "utf8"), "004_d0a633199ab6ba69.txt");
    const labels = new Set(dh.map((d) => d.citation.section.match(/chỉ tiêu \((\d+)\)/)?.[1]).filter(Boolean));
    expect(labels.size).toBe(16);
  });

  it("reaches recall ≥ 0.9 against the shipped catalog", () => {
    const report = evaluateRecall(loadCatalog());
    expect(report.recall, `missed: ${JSON.stringify(report.missed)}`).toBeGreaterThanOrEqual(0.9);
    for (const r of Object.values(report.perPlan)) expect(r).toBeGreaterThanOrEqual(0.8);
  });

  it("defines overlap as containment or token Jaccard ≥ 0.5", () => {
    expect(quotesOverlap("100% cơ sở giáo dục triển khai học bạ số", "triển khai học bạ số")).toBe(true);
    expect(quotesOverlap("Giáo viên được tập huấn kỹ năng số", "giáo viên được tập huấn kỹ năng số cơ bản")).toBe(true);
    expect(quotesOverlap("100% cơ sở giáo dục triển khai học bạ số", "Tỷ lệ thanh toán không dùng tiền mặt")).toBe(false);
  });
});

describe("extractDraftsRefined (optional model pass)", () => {
  const text = OBJECTIVES;

  it("uses the rules only when OPENAI_API_KEY is not set", async () => {
    const r = await extractDraftsRefined(text, "hoa-mai.txt", {});
    expect(r.refinedBy).toBe("rules");
    expect(r.drafts).toEqual(extractDrafts(text, "hoa-mai.txt"));
  });

  it("keeps valid model drafts whose quotes are verbatim, and falls back when the model is unreachable", async () => {
    const good = {
      target: "100% cơ sở giáo dục triển khai học bạ số theo hướng dẫn.", question: "Trường đã triển khai học bạ số chưa? (có/chưa)",
      short: "Triển khai học bạ số", measure: { type: "boolean" }, threshold: { op: "=", value: 100, unit: "%", text: "100%" },
      rollup: "share_yes", levels: ["th", "thcs"], frequency: "monthly",
      citation: { file: "hoa-mai.txt", section: "mục I.2", quote: "100% cơ sở giáo dục triển khai học bạ số theo hướng dẫn." },
    };
    const invented = { ...good, citation: { ...good.citation, quote: "100% trường có phòng học thông minh và robot" } };
    // the wire format of structured output: optional fields present as null
    const withNulls = {
      ...good, target: "Tỷ lệ giáo viên được cấp chữ ký số đạt trên 50%.", short: "Giáo viên có chữ ký số",
      question: "Trường có bao nhiêu giáo viên được cấp chữ ký số, trên tổng số giáo viên? (ví dụ: 45/60)",
      measure: { type: "ratio", numerator: "giáo viên được cấp chữ ký số", denominator: "tổng số giáo viên", denominatorKey: null },
      threshold: { op: ">", value: 50, unit: "%", text: "trên 50%" }, unitThreshold: null, rollup: "sum_ratio", deadline: null, owner: null,
      citation: { file: "hoa-mai.txt", section: "mục I.2", quote: "Tỷ lệ giáo viên được cấp chữ ký số đạt trên 50%." },
    };
    const wrongRollup = { ...good, rollup: "sum_ratio" }; // valid fields, but a yes/no question cannot roll up as a ratio
    let seenModel = "";
    let seenFormat: { type?: string; json_schema?: { name?: string; strict?: boolean } } = {};
    let reply: unknown[] = [good, invented, withNulls, wrongRollup, { target: "thiếu trường" }];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const req = JSON.parse(body) as { model: string; response_format: typeof seenFormat };
        seenModel = req.model;
        seenFormat = req.response_format;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({
          id: "x", object: "chat.completion", created: 0, model: seenModel,
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: JSON.stringify({ drafts: reply }) } }],
        }));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await extractDraftsRefined(text, "hoa-mai.txt", { OPENAI_API_KEY: "test", OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_MODEL: "fake-model" });
      expect(seenModel).toBe("fake-model");
      expect(seenFormat).toMatchObject({ type: "json_schema", json_schema: { name: "catalog_drafts", strict: true } });
      expect(r.refinedBy).toBe("llm");
      expect(r.drafts).toHaveLength(2);
      expect(r.drafts[0]).toMatchObject({ short: "Triển khai học bạ số", levels: ["th", "thcs"] });
      expect(r.drafts[1]).toMatchObject({ measure: { type: "ratio", denominator: "tổng số giáo viên" }, threshold: { op: ">", value: 50 } });
      expect(r.drafts[1]).not.toHaveProperty("owner");
      expect(r.drafts[1]!.measure).not.toHaveProperty("denominatorKey");
      // the invented quote, the wrong rollup and the incomplete draft are dropped and reported
      expect(r.dropped?.map((d) => d.reason)).toEqual(["quote_not_in_text", "invalid", "invalid"]);
      expect(r.dropped?.[0]).toMatchObject({ quote: "100% trường có phòng học thông minh và robot" });
      expect(r.dropped?.[1]?.detail).toMatch(/rollup "sum_ratio" does not fit measure "boolean"/);
      expect(extractNoteText(r)).toBe("Đã bỏ 3 chỉ tiêu do mô hình đề xuất: 1 có trích dẫn không có trong văn bản, 2 sai định dạng.");

      // nothing valid from the model: the rule-based drafts, with the reason
      reply = [invented];
      const none = await extractDraftsRefined(text, "hoa-mai.txt", { OPENAI_API_KEY: "test", OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
      expect(none.refinedBy).toBe("rules");
      expect(none.drafts).toEqual(extractDrafts(text, "hoa-mai.txt"));
      expect(extractNoteText(none)).toMatch(/^Mô hình không trả về bản nháp hợp lệ; giữ kết quả theo quy tắc\. Đã bỏ 1 chỉ tiêu/);
      expect(none.dropped).toHaveLength(1);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
    const down = await extractDraftsRefined(text, "hoa-mai.txt", { OPENAI_API_KEY: "test", OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    expect(down.refinedBy).toBe("rules");
    expect(extractNoteText(down)).toMatch(/Không gọi được mô hình/);
    expect(down.drafts.length).toBe(6);
  });
});

describe("cli: catalog extract", () => {
  const run = promisify(execFile);

  it("prints drafts as JSON for a plan file name", async () => {
    const ok = await run("npx", ["tsx", "cli/main.ts", "catalog", "extract", "003_5c924ab1db1e40a2.txt", "--json"], { cwd: ROOT, env: { ...process.env, OPENAI_API_KEY: "" } });
    const drafts = JSON.parse(ok.stdout) as Array<{ citation: { file: string } }>;
    expect(drafts.length).toBeGreaterThanOrEqual(20);
    expect(drafts[0]!.citation.file).toBe("003_5c924ab1db1e40a2.txt");
  });

  it("exits 2 with a Vietnamese message for a missing file", async () => {
    const bad = await run("npx", ["tsx", "cli/main.ts", "catalog", "extract", "khong-co-tep.txt"], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toContain('Không tìm thấy tệp kế hoạch "khong-co-tep.txt"');
  });
});
