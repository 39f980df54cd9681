/**
 * `catalog list [--json] [--plan <id>]`: the target catalog (core/catalog/data/*.json).
 * `catalog extract <plan file> [--json]`: draft entries found in a plan text, for an official to review.
 *
 *   npm run cli -- catalog list --plan TK-2026
 *   npm run cli -- catalog extract data/plans/003_5c924ab1db1e40a2.txt --json
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { loadCatalog, PLANS_DIR, type CatalogEntry, type Threshold } from "../../core/catalog/index.ts";
import { extractDraftsRefined, extractReportingRules, type DraftEntry } from "../../core/catalog/extract.ts";
import { readDocument } from "../../core/documents/read.ts";
import { readProblemMessage } from "../../bot/messages/documents.ts";

const USAGE = [
  "Cách dùng:",
  "  npm run cli -- catalog list [--json] [--plan <mã kế hoạch>]",
  "  npm run cli -- catalog extract <tệp kế hoạch> [--json]",
].join("\n");

const FREQ_VI = { monthly: "tháng", quarterly: "quý", yearly: "năm" } as const;
const OP_VI: Record<Threshold["op"], string> = { ">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<" };

function thresholdText(t?: Threshold): string {
  if (!t) return "—";
  return `${OP_VI[t.op]} ${t.value}${t.unit === "%" ? "%" : t.unit === "count" ? " đơn vị" : ""}`;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function listCommand(args: string[]): number {
  const catalog = loadCatalog();
  const planId = option(args, "--plan");
  if (args.includes("--plan") && !planId) {
    console.error(`Thiếu mã kế hoạch sau --plan. Các mã có: ${catalog.plans.map((p) => p.id).join(", ")}.`);
    return 2;
  }
  if (planId && !catalog.plan(planId)) {
    console.error(`Không có kế hoạch "${planId}". Các mã có: ${catalog.plans.map((p) => p.id).join(", ")}.`);
    return 2;
  }
  const entries = catalog.entries.filter((e) => !planId || e.plan === planId);
  if (args.includes("--json")) {
    console.log(JSON.stringify(entries, null, 2));
    return 0;
  }
  for (const plan of catalog.plans.filter((p) => !planId || p.id === planId)) {
    const rows = entries.filter((e) => e.plan === plan.id);
    console.log(`\n${plan.id} — ${plan.number ? plan.number + " " : ""}${plan.title} (${plan.issuer}, ${plan.date}): ${rows.length} chỉ tiêu`);
    console.log(["Mã".padEnd(6), "Chỉ tiêu".padEnd(52), "Mức đạt".padEnd(9), "Kỳ".padEnd(5), "Cấp học"].join(" "));
    for (const e of rows) console.log(formatEntry(e));
  }
  console.log(`\nTổng: ${entries.length} chỉ tiêu. Xem đầy đủ (câu hỏi, trích dẫn): thêm --json.`);
  return 0;
}

function formatEntry(e: CatalogEntry): string {
  return [e.code.padEnd(6), e.short.padEnd(52).slice(0, 52), thresholdText(e.threshold).padEnd(9), FREQ_VI[e.frequency].padEnd(5), e.levels.join(",")].join(" ");
}

function resolvePlanFile(arg: string): string | undefined {
  for (const p of [arg, path.join(PLANS_DIR, arg)]) if (existsSync(p) && statSync(p).isFile()) return p;
  return undefined;
}

function formatDraft(d: DraftEntry, i: number): string {
  const m = d.measure;
  const measure = !m ? "chưa rõ" : m.type === "ratio" ? `tỷ lệ (${m.numerator} / ${m.denominator})` : { percent: "phần trăm", count: "số lượng", boolean: "có/không", level: "mức độ" }[m.type];
  return [
    `${i + 1}. ${d.target}`,
    `   Câu hỏi: ${d.question}`,
    `   Đo: ${measure}; mức đạt ${thresholdText(d.threshold)}${d.threshold ? ` ("${d.threshold.text}")` : ""}; kỳ ${FREQ_VI[d.frequency]}; cấp ${d.levels.join(",")}`,
    d.deadline || d.owner ? `   Hạn: ${d.deadline ?? "—"}; chủ trì: ${d.owner ?? "—"}` : "",
    `   Nguồn: ${d.citation.section} — “${d.citation.quote}”`,
    `   Độ tin cậy: ${Math.round(d.confidence * 100)}%`,
  ].filter(Boolean).join("\n");
}

async function extractCommand(args: string[]): Promise<number> {
  const target = args.find((a) => !a.startsWith("--"));
  if (!target) {
    console.error(`Thiếu tệp kế hoạch.\n${USAGE}`);
    return 2;
  }
  const file = resolvePlanFile(target);
  if (!file) {
    console.error(`Không tìm thấy tệp kế hoạch "${target}". Hãy kiểm tra đường dẫn (hoặc đặt tệp trong ${PLANS_DIR}).`);
    return 2;
  }
  // .pdf, .docx, .txt, .md through the document reader (NFC, tables as rows)
  const read = await readDocument({ name: path.basename(file), bytes: readFileSync(file) });
  if (!read.ok) {
    console.error(readProblemMessage(read));
    return 2;
  }
  const { drafts, refinedBy, note, dropped } = await extractDraftsRefined(read.text, path.basename(file));
  if (args.includes("--json")) {
    console.log(JSON.stringify(drafts, null, 2));
    if (note) console.error(note);
    for (const d of dropped ?? []) console.error(`  bỏ: ${d.target}${d.quote ? ` — “${d.quote}” không có trong văn bản` : ` — ${d.detail ?? "sai định dạng"}`}`);
    return 0;
  }
  console.log(`Tìm thấy ${drafts.length} chỉ tiêu dự thảo trong ${path.basename(file)} (${refinedBy === "llm" ? "quy tắc + mô hình" : "theo quy tắc"}).`);
  if (note) console.log(note);
  for (const d of dropped ?? []) console.log(`  bỏ: ${d.target}${d.quote ? ` — “${d.quote}” không có trong văn bản` : ` — ${d.detail ?? "sai định dạng"}`}`);
  const rhythm = extractReportingRules(read.text);
  if (rhythm.found) {
    const r = rhythm.rules;
    const parts = [
      rhythm.stated.includes("monthly") ? `hằng tháng trước ngày ${r.monthlyBeforeDay}` : "",
      rhythm.stated.includes("quarterly") ? `hằng quý trước ngày ${r.quarterlyBeforeDay} tháng cuối quý` : "",
      rhythm.stated.includes("half-yearly") && r.halfYearlyBefore ? `6 tháng trước ngày ${r.halfYearlyBefore.day} tháng cuối kỳ` : "",
      rhythm.stated.includes("yearly") ? `năm trước ngày ${r.yearlyBefore.day}/${r.yearlyBefore.month}` : "",
    ].filter(Boolean);
    console.log(`Nhịp báo cáo theo kế hoạch: ${parts.join("; ")} (${rhythm.citation?.section}).`);
  }
  console.log("Hãy rà soát từng mục trước khi đưa vào danh mục (core/catalog/data/).\n");
  drafts.forEach((d, i) => console.log(formatDraft(d, i) + "\n"));
  return 0;
}

/** Entry point for `npm run cli -- catalog …`; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "list") return listCommand(rest);
  if (sub === "extract") return extractCommand(rest);
  console.error(sub ? `Không có lệnh con "catalog ${sub}".\n${USAGE}` : USAGE);
  return 2;
}
