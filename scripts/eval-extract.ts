/**
 * npm run eval:extract — the rule-based extractor (core/catalog/extract.ts) measured two ways:
 *  1. the four real plans (data/plans) against the shipped catalog (core/catalog/data/*.json):
 *     recall by quote overlap (see core/catalog/extract/eval.ts), recall with the same threshold,
 *     and precision (drafts that overlap a catalog entry of the plan ÷ drafts), per file;
 *  2. the held-out fictional plans (tests/fixtures/plans/*.expected.json, written before tuning):
 *     recall (targets found with the right threshold), precision (drafts that are real targets),
 *     measure and baseline agreement, and the reporting rhythm read from the text, per file.
 * Ends with one JSON line.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalog } from "../core/catalog/index.ts";
import { readDocument } from "../core/documents/read.ts";
import * as extract from "../core/catalog/extract.ts";
import { evaluateRecall, scoreDrafts, scoreRealPlans, type ExpectedPlan, type FileScore } from "../core/catalog/extract/eval.ts";

const FIXTURES = fileURLToPath(new URL("../tests/fixtures/plans/", import.meta.url));
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const fmt = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(2));

async function readPlanText(file: string): Promise<string> {
  const r = await readDocument({ name: file, bytes: readFileSync(path.join(FIXTURES, file)) });
  if (!r.ok) throw new Error(`${file}: ${r.problem}`);
  return r.text;
}

const line = (s: FileScore) =>
  `${s.file.padEnd(28)} recall ${s.expected ? `${s.recall.toFixed(3)} (${s.found}/${s.expected})` : "— (danh mục không trích tệp này)"}  precision ${s.precision.toFixed(3)} (${s.relevant}/${s.drafts})`;
const sum = (xs: FileScore[]) => {
  const exp = xs.reduce((n, s) => n + s.expected, 0);
  const found = xs.reduce((n, s) => n + s.found, 0);
  const drafts = xs.reduce((n, s) => n + s.drafts, 0);
  const rel = xs.reduce((n, s) => n + s.relevant, 0);
  return { recall: r3(found / Math.max(1, exp)), precision: r3(rel / Math.max(1, drafts)), found, expected: exp, drafts, relevant: rel };
};

// ---- real plans
const catalog = loadCatalog();
const overlap = evaluateRecall(catalog);
const real = scoreRealPlans(catalog);
console.log("== Bốn kế hoạch thật (so với danh mục core/catalog/data) ==");
for (const s of real) console.log(line(s) + (s.missed.length ? `  sai/bỏ sót: ${s.missed.join(", ")}` : ""));
const realSum = sum(real);
console.log(`Tổng: kiểu đo đúng ${overlap.measureAgreement.toFixed(3)}; recall theo trích dẫn ${overlap.recall.toFixed(3)}; recall cùng ngưỡng ${realSum.recall.toFixed(3)} (${realSum.found}/${realSum.expected}); precision ${realSum.precision.toFixed(3)} (${realSum.relevant}/${realSum.drafts})`);

// ---- fictional plans
const extractReportingRules = (extract as Record<string, unknown>).extractReportingRules as
  | ((text: string) => { rules: Record<string, unknown>; found: boolean })
  | undefined;
console.log("\n== Kế hoạch giả định (tests/fixtures/plans: viết trước khi tinh chỉnh, trừ tệp có ghi chú) ==");
const fict: FileScore[] = [];
let repFields = 0;
let repRight = 0;
const perFile: Record<string, unknown> = {};
for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith(".expected.json")).sort()) {
  const plan = JSON.parse(readFileSync(path.join(FIXTURES, f), "utf8")) as ExpectedPlan;
  const text = await readPlanText(plan.file);
  const drafts = extract.extractDrafts(text, plan.file);
  const s = scoreDrafts(drafts, plan);
  fict.push(s);
  let rep = "chưa đọc nhịp báo cáo";
  let fileRepRight = 0;
  const fields = Object.entries(plan.reporting ?? {});
  repFields += fields.length;
  if (extractReportingRules) {
    const got = extractReportingRules(text).rules;
    const wrong = fields.filter(([k, v]) => JSON.stringify(got[k]) !== JSON.stringify(v)).map(([k, v]) => `${k}: cần ${JSON.stringify(v)}, được ${JSON.stringify(got[k])}`);
    fileRepRight = fields.length - wrong.length;
    rep = `nhịp báo cáo ${fileRepRight}/${fields.length}${wrong.length ? ` (${wrong.join("; ")})` : ""}`;
  }
  repRight += fileRepRight;
  perFile[plan.file] = { recall: s.recall, precision: s.precision, found: s.found, expected: s.expected, drafts: s.drafts, measure: Number.isNaN(s.measureAgreement) ? null : s.measureAgreement, baseline: Number.isNaN(s.baselineAgreement) ? null : s.baselineAgreement, reporting: `${fileRepRight}/${fields.length}` };
  console.log(`${line(s)}  kiểu đo ${fmt(s.measureAgreement)}  baseline ${fmt(s.baselineAgreement)}`);
  console.log(`    ${rep}`);
  if (plan.note) console.log(`    (${plan.note})`);
  for (const m of s.missed) console.log(`    bỏ sót: ${m}`);
  for (const x of s.extra) console.log(`    thừa: ${x.slice(0, 110)}`);
}
const fictSum = sum(fict);
console.log(`Tổng: recall ${fictSum.recall.toFixed(3)} (${fictSum.found}/${fictSum.expected}); precision ${fictSum.precision.toFixed(3)} (${fictSum.relevant}/${fictSum.drafts}); nhịp báo cáo ${repRight}/${repFields}`);

for (const s of real) perFile[s.file] = { recall: s.expected ? s.recall : null, precision: s.precision, found: s.found, expected: s.expected, drafts: s.drafts };
console.log(
  JSON.stringify({
    real: { recallOverlap: overlap.recall, measureAgreement: overlap.measureAgreement, recall: realSum.recall, precision: realSum.precision, perPlan: overlap.perPlan, drafts: realSum.drafts },
    fictional: { recall: fictSum.recall, precision: fictSum.precision, found: fictSum.found, expected: fictSum.expected, drafts: fictSum.drafts, reporting: r3(repRight / Math.max(1, repFields)) },
    perFile,
  }),
);
