/**
 * Ingest plan files (.pdf, .docx, .txt, .md — read by core/documents/read.ts) into PlanDocument /
 * PlanSection / PlanChunk. A file that cannot be read (scanned PDF, binary renamed .txt, …) is
 * skipped with its tagged problem and stores nothing.
 *
 *   const summary = await ingestPlans(db, "data/plans");   // a file or a folder
 *   summary.files  // [{ file, status: "added" | "unchanged" | "updated", chunks, duplicateOf? }]
 *
 * Re-ingesting an unchanged file changes nothing (sha256 of the normalized text). A second
 * extraction of an already ingested plan gets duplicateOfId on the weaker of the two.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { DOCUMENT_EXTENSIONS, documentFormat, MAX_DOCUMENT_BYTES, readDocument, type ReadProblem, type ReadResult, type ReadWarning } from "../documents/read.ts";
import path from "node:path";
import type { Db } from "../db/client.ts";
import { extractionQuality, sameDocument } from "./dedupe.ts";
import { parsePlan, textHash, type ParsedPlan } from "./parse.ts";

export interface IngestFileSummary {
  file: string;
  status: "added" | "updated" | "unchanged" | "skipped";
  chunks: number;
  sections: number;
  garbledLines: number;
  label: string;
  /** File name of the plan this one duplicates (or that duplicates it), when recognised. */
  duplicateOf?: string;
  /** Why a file was skipped (status "skipped"); word it with bot/messages/documents.ts. */
  problem?: ReadProblem;
  /** The failed read, for the message (limit, detail). */
  read?: Extract<ReadResult, { ok: false }>;
  /** Reader warnings (legacy font encoding converted); word them with bot/messages/documents.ts. */
  warnings?: ReadWarning[];
}

export interface IngestSummary {
  files: IngestFileSummary[];
  added: number;
  updated: number;
  unchanged: number;
}

/** Read a plan file (.pdf, .docx, .txt, .md) into normalized text, or its tagged problem. */
export async function readPlanFile(file: string): Promise<ReadResult> {
  const name = path.basename(file);
  // an oversized file is refused before it is loaded
  const format = documentFormat(name);
  if (format && statSync(file).size > MAX_DOCUMENT_BYTES) return { ok: false, problem: "too_large", format, limitBytes: MAX_DOCUMENT_BYTES };
  return readDocument({ name, bytes: readFileSync(file) });
}

/** Plain text of a plan file; throws when the file cannot be read (see {@link readPlanFile}). */
export async function readPlanText(file: string): Promise<string> {
  const r = await readPlanFile(file);
  if (!r.ok) throw new Error(`${path.basename(file)}: ${r.problem}${r.detail ? ` (${r.detail})` : ""}`);
  return r.text;
}

/** Files to ingest under `target` (a file or a folder; README.md is not a plan). */
export function planFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((f) => DOCUMENT_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e)) && !/^readme\./i.test(f))
    .sort()
    .map((f) => path.join(target, f));
}

/**
 * Store one named plan text (a plan added while the bot runs); idempotent per file name and text.
 * Call QaEngine.reload() afterwards so plan Q&A answers from it at once.
 */
export async function ingestDocumentText(db: Db, input: { file: string; text: string }): Promise<IngestFileSummary> {
  const name = input.file;
  const text = input.text.normalize("NFC");
  if (!text.trim()) return { file: name, status: "skipped", chunks: 0, sections: 0, garbledLines: 0, label: "", problem: "empty", read: { ok: false, problem: "empty" } };
  const existing = await db.planDocument.findUnique({ where: { file: name } });
  const plan = parsePlan(name, text);
  if (existing && existing.hash === textHash(text)) {
    return { ...fileSummary(plan, "unchanged"), duplicateOf: await duplicateName(db, existing.id, existing.duplicateOfId) };
  }
  const doc = await store(db, plan, existing?.id);
  const dup = await markDuplicate(db, doc, plan);
  return { ...fileSummary(plan, existing ? "updated" : "added"), duplicateOf: dup };
}

/** Parse and store every plan file under `target`. */
export async function ingestPlans(db: Db, target: string): Promise<IngestSummary> {
  const files: IngestFileSummary[] = [];
  for (const full of planFiles(target)) {
    const name = path.basename(full);
    const read = await readPlanFile(full);
    if (!read.ok) {
      files.push({ file: name, status: "skipped", chunks: 0, sections: 0, garbledLines: 0, label: "", problem: read.problem, read });
      continue;
    }
    const text = read.text;
    const warnings = read.warnings.length ? { warnings: read.warnings } : {};
    const hash = textHash(text);
    const existing = await db.planDocument.findUnique({ where: { file: name } });
    const plan = parsePlan(name, text);
    // unchanged text and the same passages (a newer parser may cut passages differently: then re-store)
    const sameParse = existing && existing.hash === hash && (await db.planChunk.count({ where: { documentId: existing.id } })) === plan.chunks.length;
    if (existing && sameParse) {
      files.push({ ...fileSummary(plan, "unchanged"), duplicateOf: await duplicateName(db, existing.id, existing.duplicateOfId), ...warnings });
      continue;
    }
    const doc = await store(db, plan, existing?.id);
    const dup = await markDuplicate(db, doc, plan);
    files.push({ ...fileSummary(plan, existing ? "updated" : "added"), duplicateOf: dup, ...warnings });
  }
  return {
    files,
    added: files.filter((f) => f.status === "added").length,
    updated: files.filter((f) => f.status === "updated").length,
    unchanged: files.filter((f) => f.status === "unchanged").length,
  };
}

function fileSummary(plan: ParsedPlan, status: IngestFileSummary["status"]): IngestFileSummary {
  return {
    file: plan.file,
    status,
    chunks: plan.chunks.length,
    sections: plan.sections.length,
    garbledLines: plan.garbledLines,
    label: plan.labelBase,
  };
}

async function duplicateName(db: Db, id: number, duplicateOfId: number | null): Promise<string | undefined> {
  if (duplicateOfId) return (await db.planDocument.findUnique({ where: { id: duplicateOfId } }))?.file;
  const other = await db.planDocument.findFirst({ where: { duplicateOfId: id } });
  return other?.file;
}

async function store(db: Db, plan: ParsedPlan, existingId?: number): Promise<number> {
  return db.$transaction(async (tx) => {
    const data = {
      file: plan.file,
      hash: plan.hash,
      number: plan.meta.number,
      issuer: plan.meta.issuer,
      place: plan.meta.place,
      date: plan.meta.date,
      title: plan.meta.title,
    };
    let id: number;
    if (existingId) {
      await tx.planChunk.deleteMany({ where: { documentId: existingId } });
      await tx.planSection.deleteMany({ where: { documentId: existingId } });
      await tx.planDocument.update({ where: { id: existingId }, data: { ...data, duplicateOfId: null } });
      id = existingId;
    } else {
      id = (await tx.planDocument.create({ data })).id;
    }
    await tx.planSection.createMany({ data: plan.sections.map((s) => ({ ...s, documentId: id })) });
    await tx.planChunk.createMany({
      data: plan.chunks.map((c) => ({
        id: c.id,
        documentId: id,
        ordinal: c.ordinal,
        sectionPath: c.sectionPath,
        label: c.label,
        kind: c.kind,
        text: c.text,
      })),
    });
    return id;
  });
}

/** Compare with the other stored plans; the weaker extraction points at the better one. */
async function markDuplicate(db: Db, id: number, plan: ParsedPlan): Promise<string | undefined> {
  const others = await db.planDocument.findMany({ where: { id: { not: id } }, include: { chunks: { select: { text: true } } } });
  for (const o of others) {
    const mineDoc = { number: plan.meta.number, date: plan.meta.date, chunks: plan.chunks, garbledLines: plan.garbledLines };
    if (!sameDocument(mineDoc, o)) continue;
    const mine = extractionQuality(mineDoc);
    const theirs = o.chunks.length;
    if (mine >= theirs) {
      await db.planDocument.update({ where: { id: o.id }, data: { duplicateOfId: id } });
      await db.planDocument.update({ where: { id }, data: { duplicateOfId: null } });
    } else {
      await db.planDocument.update({ where: { id }, data: { duplicateOfId: o.duplicateOfId ?? o.id } });
    }
    return o.file;
  }
  return undefined;
}
