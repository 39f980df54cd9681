/**
 * Official documents beyond the plans (a ministry decision, a guideline, a letter): read, shown to
 * the admin for confirmation, then added to the Q&A corpus with the same ingestion as
 * `plans ingest`. They are cited under their own type ("Quyết định số 1468/QĐ-BGDĐT của Bộ Giáo
 * dục và Đào tạo (12/10/2026), Điều 2"), and no targets are drafted from them.
 *
 *   const p = previewDocument("qd-1468.txt", text);   // { docType: "Quyết định", number, issuer, date, title, sections, … }
 *   const r = await addReferenceDocument(db, { file: "qd-1468.txt", text, actorId });
 *   await qa.reload();                                 // answerable at once
 */
import type { Db } from "../db/client.ts";
import { ingestDocumentText, type IngestFileSummary } from "./ingest.ts";
import { parsePlan, type DocType } from "./parse.ts";

/** What was read from a document's header and body, for the admin to confirm. */
export interface DocumentPreview {
  file: string;
  /** From the title line ("QUYẾT ĐỊNH", "KẾ HOẠCH", …) or "V/v" for a letter. */
  docType: DocType;
  number: string | null;
  issuer: string | null;
  date: string | null;
  title: string | null;
  /** Sections (articles "Điều …", headings I., 1., appendices) and citable passages found. */
  sections: number;
  passages: number;
  /** How answers will cite it. */
  label: string;
}

/** Read a document's header and structure (nothing is stored). */
export function previewDocument(file: string, text: string): DocumentPreview {
  const p = parsePlan(file, text);
  return {
    file,
    docType: p.meta.docType ?? "Kế hoạch",
    number: p.meta.number,
    issuer: p.meta.issuerLines ?? p.meta.issuer,
    date: p.meta.date,
    title: p.meta.title,
    sections: p.sections.length,
    passages: p.chunks.length,
    label: p.labelBase,
  };
}

export type AddReferenceResult =
  | { ok: true; status: IngestFileSummary["status"]; preview: DocumentPreview; summary: IngestFileSummary }
  /** empty: no text; plan_file: a plan under review or published already uses this file name. */
  | { ok: false; problem: "empty" | "plan_file" };

/**
 * Add a reference document to the Q&A corpus (idempotent per file name and text; a changed text
 * under the same name replaces the earlier version). Call QaEngine.reload() afterwards.
 */
export async function addReferenceDocument(db: Db, input: { file: string; text: string; actorId?: number }): Promise<AddReferenceResult> {
  const text = input.text.normalize("NFC");
  if (!text.trim()) return { ok: false, problem: "empty" };
  if (await db.planFile.findFirst({ where: { name: input.file }, select: { id: true } })) return { ok: false, problem: "plan_file" };
  const summary = await ingestDocumentText(db, { file: input.file, text });
  if (summary.status === "skipped") return { ok: false, problem: "empty" };
  const preview = previewDocument(input.file, text);
  if (summary.status !== "unchanged") {
    await db.auditLog.create({
      data: {
        actorId: input.actorId ?? null,
        action: "document.add",
        entity: "PlanDocument",
        entityId: input.file,
        details: JSON.stringify({ type: preview.docType, number: preview.number, passages: summary.chunks, status: summary.status }),
      },
    });
  }
  return { ok: true, status: summary.status, preview, summary };
}
