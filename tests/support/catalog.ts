/** A schema-valid catalog entry of a fictional plan, for tests of parsing and checking. */
import { CatalogEntry, type Measure, type Threshold } from "../../core/catalog/schema.ts";

export function testEntry(measure: Measure, rollup: CatalogEntry["rollup"], threshold: Threshold, extra: Partial<CatalogEntry> = {}): CatalogEntry {
  return CatalogEntry.parse({
    code: "XT-01",
    plan: "XT-2026",
    target: "Chỉ tiêu thử nghiệm",
    question: "Câu hỏi thử nghiệm?",
    short: "Thử nghiệm",
    measure,
    threshold,
    rollup,
    levels: ["th"],
    frequency: "monthly",
    citation: { file: "999_test.txt", section: "mục I", quote: "trích dẫn thử nghiệm" },
    ...extra,
  });
}
