/**
 * core/plans returns draft, edit, period and sheet problems as data; bot/messages/drafts.ts words
 * them (the bot's plan review and the CLI print the same texts as before the move).
 */
import { describe, expect, it } from "vitest";
import { draftEditProblemText, draftProblemText, planPeriodProblemText, sheetProblemText } from "../../bot/messages/drafts.ts";
import { readPlanFile } from "../../core/plans/sheet.ts";

describe("plan problems: data from core, words from bot/messages", () => {
  it("words each draft, edit and period problem", () => {
    expect([{ kind: "no_measure" }, { kind: "no_threshold" }, { kind: "no_rollup" }].map((p) => draftProblemText(p as never))).toEqual([
      "chưa có cách đo (tỷ lệ, số lượng, có/không, mức độ)",
      "chưa có mức chỉ tiêu",
      "chưa có cách tổng hợp",
    ]);
    expect(draftProblemText({ kind: "schema", path: "threshold.value", message: "Required" })).toBe("threshold.value: Required");
    expect(draftProblemText({ kind: "schema", path: "", message: "x" })).toBe("mục: x");
    expect(draftEditProblemText("levels")).toBe("cấp học không hợp lệ");
    expect(planPeriodProblemText({ kind: "order" })).toBe("Kỳ bắt đầu phải trước kỳ kết thúc.");
    expect(planPeriodProblemText({ kind: "invalid", key: "2026-13" })).toBe('Kỳ báo cáo không hợp lệ: "2026-13".');
  });

  it("a sheet that is not one comes back as tagged problems, worded by the caller", async () => {
    const txt = await readPlanFile("plan.txt", new Uint8Array());
    expect(txt).toEqual({ problems: [{ row: 0, problem: { kind: "wrong_file_type" } }] });
    const json = await readPlanFile("plan.json", new TextEncoder().encode('{"plan": {}}'));
    expect("problems" in json && json.problems.map((p) => sheetProblemText(p.problem))).toEqual([
      "tệp JSON phải có dạng {plan: {id, …}, entries: [...]} như catalog export tạo ra",
    ]);
    expect(sheetProblemText({ kind: "duplicate_code", code: "BM-03", firstRow: 2 })).toBe("mã BM-03 trùng với dòng 2");
  });
});
