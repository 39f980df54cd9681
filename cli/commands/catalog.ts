/**
 * The target catalog, stored in the database (plans, versioned targets):
 * `catalog list [--json] [--plan <id>]`: the published catalog; each entry with its `version` and `status`.
 * `catalog show <planId> [--json]`: one plan with its latest target versions, drafts included ({plan, entries}).
 * `catalog export <planId> --out <file.xlsx|file.json>` / `catalog import <file>`: review in a spreadsheet or editor.
 * `catalog publish <planId> [--from <period>] [--to <period>]`: publish a draft plan or its corrections.
 * `catalog extract <plan file> [--json]`: draft entries found in a plan text (writes nothing).
 *
 *   npm run cli -- catalog list --plan TK-2026
 *   npm run cli -- catalog publish BM-2027 --from 2027
 *   npm run cli -- catalog extract data/plans/003_5c924ab1db1e40a2.txt --json
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PLANS_DIR, type CatalogEntry, type Threshold } from "../../core/catalog/index.ts";
import { extractDraftsRefined, extractReportingRules, type DraftEntry } from "../../core/catalog/extract.ts";
import {
  getPlanDraft,
  importPlanFile,
  loadCatalogFromDb,
  planExport,
  planWorkbook,
  publishPlan,
  unitsWithoutPlan,
  type DraftTargetView,
  type PlanView,
} from "../../core/plans/index.ts";
import { currentPeriod } from "../../core/reporting/periods.ts";
import { noPlanLines, openPlansDb, option, positional } from "../plans-db.ts";
import { readDocument } from "../../core/documents/read.ts";
import { readProblemMessage } from "../../bot/messages/documents.ts";
import { draftProblemText, extractNoteText, planPeriodProblemText, PLAN_SHEET_WORDS, sheetProblemText } from "../../bot/messages/drafts.ts";

const USAGE = [
  "Cách dùng:",
  "  npm run cli -- catalog list [--json] [--plan <mã kế hoạch>]",
  "  npm run cli -- catalog show <mã kế hoạch> [--json]",
  "  npm run cli -- catalog export <mã kế hoạch> --out <tệp.xlsx|tệp.json>",
  "  npm run cli -- catalog import <tệp.xlsx|tệp.json>",
  "  npm run cli -- catalog publish <mã kế hoạch> [--from <kỳ>] [--to <kỳ>]   (kỳ: 2027, 2027-H1, 2027-Q3, 2027-05)",
  "  npm run cli -- catalog extract <tệp kế hoạch> [--json]",
].join("\n");

const FREQ_VI = { monthly: "tháng", quarterly: "quý", "half-yearly": "6 tháng", yearly: "năm" } as const;
const OP_VI: Record<Threshold["op"], string> = { ">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<" };

function thresholdText(t?: Threshold): string {
  if (!t) return "—";
  return `${OP_VI[t.op]} ${t.value}${t.unit === "%" ? "%" : t.unit === "count" ? " đơn vị" : ""}`;
}

async function withDb<T>(body: (db: Awaited<ReturnType<typeof openPlansDb>>) => Promise<T>): Promise<T> {
  const db = await openPlansDb();
  try {
    return await body(db);
  } finally {
    await db.$disconnect();
  }
}

async function listCommand(args: string[]): Promise<number> {
  const catalog = await withDb(loadCatalogFromDb);
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

const STATUS_VI: Record<string, string> = { draft: "dự thảo", published: "đã ban hành", superseded: "đã thay thế", withdrawn: "đã bỏ" };

function planHeader(p: PlanView): string {
  const window = p.validFrom || p.validTo ? `áp dụng ${p.validFrom ?? "…"} – ${p.validTo ?? "…"}` : "áp dụng mọi kỳ";
  return [
    `${p.id} — ${p.number ? p.number + " " : ""}${p.title}`,
    `  ${p.issuer}${p.date ? ", " + p.date : ""}; ${STATUS_VI[p.status] ?? p.status}; ${window}; mã chỉ tiêu ${p.prefix}-nn`,
    `  Tệp: ${p.files.join(", ")}; đơn vị áp dụng: ${p.unitCodes.length ? p.unitCodes.join(", ") : "chưa gắn (npm run cli -- units plan <mã đơn vị> " + p.id + ")"}`,
  ].join("\n");
}

function formatDraftTarget(v: DraftTargetView): string {
  const e = v.entry;
  const state = v.withdraw ? "sẽ bỏ" : STATUS_VI[v.status] ?? v.status;
  const lines = [
    `${v.code} (phiên bản ${v.version}, ${state}${v.validFrom ? `, từ ${v.validFrom}` : ""}): ${e.target}`,
    `   Câu hỏi: ${e.question}`,
    `   Mức đạt ${thresholdText(e.threshold)}; kỳ ${FREQ_VI[e.frequency]}; cấp ${e.levels.join(",")}; tổng hợp ${e.rollup ?? "—"}`,
    `   Nguồn: ${e.citation.section} — “${e.citation.quote}”`,
  ];
  if (!v.complete) lines.push(`   ⚠️ Cần bổ sung: ${v.problems.map(draftProblemText).join("; ")}`);
  return lines.join("\n");
}

async function showCommand(args: string[]): Promise<number> {
  const [planId] = positional(args, []);
  if (!planId) {
    console.error(`Thiếu mã kế hoạch.\n${USAGE}`);
    return 2;
  }
  const draft = await withDb((db) => getPlanDraft(db, planId));
  if (!draft) {
    console.error(`Không có kế hoạch "${planId}". Xem các kế hoạch: npm run cli -- catalog list`);
    return 2;
  }
  if (args.includes("--json")) {
    console.log(JSON.stringify(draft, null, 2));
    return 0;
  }
  console.log(planHeader(draft.plan) + "\n");
  for (const v of draft.entries) console.log(formatDraftTarget(v) + "\n");
  const incomplete = draft.entries.filter((e) => !e.complete).length;
  console.log(`${draft.entries.length} chỉ tiêu${incomplete ? `, ${incomplete} cần bổ sung trước khi ban hành` : ""}.`);
  console.log(`Rà soát trong Excel: npm run cli -- catalog export ${planId} --out ${planId}.xlsx; ban hành: npm run cli -- catalog publish ${planId} [--from <kỳ>]`);
  return 0;
}

async function exportCommand(args: string[]): Promise<number> {
  const [planId] = positional(args, ["--out"]);
  const out = option(args, "--out");
  if (!planId || !out || !/\.(xlsx|json)$/i.test(out)) {
    console.error(`Cần mã kế hoạch và --out <tệp.xlsx|tệp.json>.\n${USAGE}`);
    return 2;
  }
  const x = await withDb((db) => planExport(db, planId));
  if (!x) {
    console.error(`Không có kế hoạch "${planId}". Xem các kế hoạch: npm run cli -- catalog list`);
    return 2;
  }
  writeFileSync(out, /\.json$/i.test(out) ? JSON.stringify(x, null, 2) + "\n" : await planWorkbook(x, PLAN_SHEET_WORDS));
  console.log(`Đã ghi ${x.entries.length} chỉ tiêu của ${planId} vào ${out}. Sửa xong nạp lại: npm run cli -- catalog import ${out}`);
  return 0;
}

async function importCommand(args: string[]): Promise<number> {
  const [file] = positional(args, []);
  if (!file) {
    console.error(`Thiếu tệp.\n${USAGE}`);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`Không tìm thấy tệp "${file}".`);
    return 2;
  }
  const r = await withDb((db) => importPlanFile({ db }, { name: path.basename(file), bytes: readFileSync(file) }));
  if (!r.ok) {
    console.error(`Tệp ${path.basename(file)} có ${r.problems.length} lỗi, chưa lưu gì. Sửa các dòng sau rồi nạp lại:`);
    for (const p of r.problems) console.error(`  ${p.row ? `Dòng ${p.row}` : "Tệp"}${p.code ? ` (${p.code})` : ""}: ${sheetProblemText(p.problem)}`);
    return 1;
  }
  console.log(
    `Đã nạp ${r.planId}: ${r.changed.length} chỉ tiêu sửa${r.changed.length ? ` (${r.changed.join(", ")})` : ""}, ` +
      `${r.added.length} thêm${r.added.length ? ` (${r.added.join(", ")})` : ""}, ${r.dropped.length} bỏ${r.dropped.length ? ` (${r.dropped.join(", ")})` : ""}, ${r.unchanged} không đổi.`,
  );
  if (r.changed.length + r.added.length + r.dropped.length) console.log(`Các thay đổi là dự thảo; ban hành: npm run cli -- catalog publish ${r.planId} [--from <kỳ>]`);
  return 0;
}

async function publishCommand(args: string[]): Promise<number> {
  const [planId] = positional(args, ["--from", "--to"]);
  if (!planId) {
    console.error(`Thiếu mã kế hoạch.\n${USAGE}`);
    return 2;
  }
  return withDb(async (db) => {
    const r = await publishPlan({ db }, planId, { from: option(args, "--from"), to: option(args, "--to") });
    if (!r.ok) {
      const msg: Record<string, string> = {
        no_plan: `Không có kế hoạch "${planId}". Xem các kế hoạch: npm run cli -- catalog list`,
        bad_period: `Kỳ không hợp lệ: ${r.period ? planPeriodProblemText(r.period) : ""}`,
        nothing_to_publish: "Không có gì mới để ban hành (không có chỉ tiêu dự thảo).",
        incomplete: "Chưa ban hành được: các chỉ tiêu sau cần bổ sung (sửa bằng catalog export / catalog import):",
      };
      console.error(msg[r.problem]);
      for (const i of r.issues ?? []) console.error(`  - ${i.code}: ${i.problems.map(draftProblemText).join("; ")}`);
      return r.problem === "incomplete" ? 1 : 2;
    }
    const window = `${r.plan.validFrom ?? "…"} – ${r.plan.validTo ?? "…"}`;
    console.log(`Đã ban hành ${planId} (áp dụng ${window}): ${r.published.length} chỉ tiêu${r.withdrawn.length ? `, bỏ ${r.withdrawn.join(", ")}` : ""}.`);
    for (const p of r.published.filter((x) => x.version > 1)) console.log(`  - ${p.code}: phiên bản ${p.version}, áp dụng từ kỳ ${p.validFrom}; các kỳ trước giữ phiên bản cũ.`);
    if (r.unassigned) console.log(`Kế hoạch chưa gắn với đơn vị nào: npm run cli -- units plan <mã đơn vị> ${planId} [--from <kỳ>]`);
    const catalog = await loadCatalogFromDb(db);
    for (const line of noPlanLines(await unitsWithoutPlan(db, catalog, currentPeriod("month")))) console.log(line);
    return 0;
  });
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
  const refined = await extractDraftsRefined(read.text, path.basename(file));
  const { drafts, refinedBy, dropped } = refined;
  const note = extractNoteText(refined);
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
  console.log("Đây chỉ là bản nháp, chưa lưu gì. Để lưu thành kế hoạch dự thảo và rà soát: npm run cli -- plans add <tệp>.\n");
  drafts.forEach((d, i) => console.log(formatDraft(d, i) + "\n"));
  return 0;
}

/** Entry point for `npm run cli -- catalog …`; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "list") return listCommand(rest);
  if (sub === "show") return showCommand(rest);
  if (sub === "export") return exportCommand(rest);
  if (sub === "import") return importCommand(rest);
  if (sub === "publish") return publishCommand(rest);
  if (sub === "extract") return extractCommand(rest);
  console.error(sub ? `Không có lệnh con "catalog ${sub}".\n${USAGE}` : USAGE);
  return 2;
}
