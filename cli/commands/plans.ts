/**
 * `npm run cli -- plans ingest <file or folder>`: store plan texts (.txt, .md, .docx) for Q&A and
 * print a Vietnamese summary.
 */
import { existsSync } from "node:fs";
import { openCliDb } from "../db.ts";
import { ingestPlans, type IngestSummary } from "../../core/retrieval/ingest.ts";

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
      f.reason ?? "",
    ].filter(Boolean);
    lines.push(`- ${f.file} (${STATUS[f.status]}): ${f.label} — ${extra.join(", ")}`);
  }
  lines.push('Tiếp theo: hỏi thử bằng npm run cli -- ask "<câu hỏi>".');
  return lines.join("\n");
}

export async function run(args: string[]): Promise<number> {
  const [sub, target] = args;
  if (sub !== "ingest" || !target) {
    console.error("Cách dùng: npm run cli -- plans ingest <tệp hoặc thư mục>");
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
