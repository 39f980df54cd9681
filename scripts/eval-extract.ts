/**
 * npm run eval:extract — recall of the rule-based extractor (core/catalog/extract.ts) against the
 * shipped catalog (core/catalog/data/*.json). See core/catalog/extract/eval.ts for the overlap rule.
 * Prints per plan, the entries missed, and ends with one JSON line: {"recall":…,"perPlan":{…},"drafts":N}.
 */
import { loadCatalog } from "../core/catalog/index.ts";
import { evaluateRecall } from "../core/catalog/extract/eval.ts";

const report = evaluateRecall(loadCatalog());
for (const [plan, r] of Object.entries(report.perPlan)) console.log(`${plan.padEnd(12)} recall ${r.toFixed(3)}`);
console.log(`Tổng: recall ${report.recall.toFixed(3)}, ${report.drafts} bản nháp (tất cả tệp của các kế hoạch)`);
console.log(`Trong các chỉ tiêu tìm thấy: cùng ngưỡng ${report.thresholdAgreement.toFixed(3)}, cùng kiểu đo ${report.measureAgreement.toFixed(3)}`);
for (const m of report.missed) console.log(`  bỏ sót ${m.code}: ${m.quote}`);
console.log(
  JSON.stringify({ recall: report.recall, perPlan: report.perPlan, drafts: report.drafts, thresholdAgreement: report.thresholdAgreement, measureAgreement: report.measureAgreement }),
);
