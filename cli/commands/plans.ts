/**
 * `npm run cli -- plans ingest <file or folder>`: store plan texts (.pdf, .docx, .txt, .md) for Q&A and
 * print a Vietnamese summary.
 * `npm run cli -- plans add <file> [--id <planId>] [--json]`: read a plan file, store it as a draft
 * plan with the targets found (and for Q&A); prints `{plan, entries}` with --json.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { readProblemMessage, readWarningText } from "../../bot/messages/documents.ts";
import { openCliDb } from "../db.ts";
import { ingestPlans, type IngestSummary } from "../../core/retrieval/ingest.ts";
import { addPlanFromFile, type DraftResult } from "../../core/plans/index.ts";
import { openPlansDb, option, positional } from "../plans-db.ts";

/** Vietnamese reason a plan file was refused, with what to do (read problems worded once, in bot/messages/documents.ts). */
export function addProblemText(r: Extract<DraftResult, { ok: false }>, file: string): string {
  switch (r.problem) {
    case "duplicate_id":
      return `Đã có kế hoạch mã "${r.planId}". Chọn mã khác bằng --id, hoặc xem: npm run cli -- catalog show ${r.planId}`;
    case "duplicate_file":
      return `Tệp ${file} đã được thêm thành kế hoạch ${r.planId}. Xem: npm run cli -- catalog show ${r.planId}`;
    case "bad_id":
      return `Mã kế hoạch "${r.detail}" không hợp lệ: dùng chữ không dấu, số và dấu gạch ngang, ví dụ KH-2027.`;
    default:
      return readProblemMessage({ ok: false, problem: r.problem, detail: r.detail, limitBytes: r.limitBytes });
  }
}

async function addCommand(args: string[]): Promise<number> {
  const [file] = positional(args, ["--id"]);
  if (!file) {
    console.error("Cách dùng: npm run cli -- plans add <tệp kế hoạch> [--id <mã kế hoạch>] [--json]");
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`Không tìm thấy "${file}". Hãy kiểm tra lại đường dẫn.`);
    return 2;
  }
  const db = await openPlansDb();
  try {
    const t0 = performance.now();
    const r = await addPlanFromFile({ db }, { name: path.basename(file), bytes: readFileSync(file), id: option(args, "--id") });
    if (!r.ok) {
      console.error(addProblemText(r, path.basename(file)));
      return 1;
    }
    if (args.includes("--json")) {
      console.log(JSON.stringify({ plan: r.plan, entries: r.entries }, null, 2));
      return 0;
    }
    const incomplete = r.entries.filter((e) => !e.complete).length;
    console.log(`Đã thêm kế hoạch dự thảo ${r.plan.id}: ${r.plan.title} (${Math.round(performance.now() - t0)} ms).`);
    console.log(`Tìm thấy ${r.entries.length} chỉ tiêu${incomplete ? `, ${incomplete} cần bổ sung` : ""}:`);
    for (const e of r.entries) console.log(`  - ${e.code}: ${e.entry.short} — ${e.entry.citation.section}`);
    console.log(`Tiếp theo: npm run cli -- catalog show ${r.plan.id}; rà soát bằng catalog export/import; ban hành bằng catalog publish ${r.plan.id} --from <kỳ>.`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

const STATUS: Record<string, string> = { added: "mới", updated: "cập nhật", unchanged: "không đổi", skipped: "bỏ qua" };

/** Vietnamese summary of one ingestion. */
export function formatIngestSummary(s: IngestSummary): string {
  const lines = [`Đã xử lý ${s.files.length} tệp kế hoạch: ${s.added} mới, ${s.updated} cập nhật, ${s.unchanged} không đổi.`];
  for (const f of s.files) {
    const extra = [
      `${f.chunks} đoạn`,
      `${f.sections} mục`,
      f.garbledLines ? `bỏ ${f.garbledLines} dòng lỗi phông` : "",
      f.duplicateOf ? `trùng kế hoạch với ${f.duplicateOf}` : "",
      f.read ? readProblemMessage(f.read) : "",
      ...(f.warnings ?? []).map(readWarningText),
    ].filter(Boolean);
    lines.push(`- ${f.file} (${STATUS[f.status]}): ${f.label} — ${extra.join(", ")}`);
  }
  lines.push('Tiếp theo: hỏi thử bằng npm run cli -- ask "<câu hỏi>".');
  return lines.join("\n");
}

export async function run(args: string[]): Promise<number> {
  const [sub, target] = args;
  if (sub === "add") return addCommand(args.slice(1));
  if (sub !== "ingest" || !target) {
    console.error("Cách dùng: npm run cli -- plans ingest <tệp hoặc thư mục> | plans add <tệp kế hoạch> [--id <mã kế hoạch>] [--json]");
    return 2;
  }
  if (!existsSync(target)) {
    console.error(`Không tìm thấy "${target}". Hãy kiểm tra lại đường dẫn.`);
    return 2;
  }
  const db = await openCliDb();
  try {
    console.log(formatIngestSummary(await ingestPlans(db, target)));
    return 0;
  } finally {
    await db.$disconnect();
  }
}
