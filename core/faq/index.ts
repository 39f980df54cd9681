/**
 * Officials' FAQ: short published answers (a question, an answer, an optional link) that anyone
 * finds through plan Q&A, shown as "Giải đáp của <unit>" with the unit and the date, apart from plan
 * quotes. Only an official writes them, for their own unit; they can list, edit and withdraw them.
 *
 *   const r = await addFaq(db, user, { question: "Trường có thu học phí qua ngân hàng không?", answer: "…" });
 *   if (r.ok) await qa.reload();          // searchable at once
 *   await listFaq(db, user)               // the official's unit's published entries, oldest first
 */
import type { Db } from "../db/client.ts";
import { nfc } from "../text.ts";

export interface FaqAuthor {
  id: number;
  officialUnitId: number | null;
}

export interface FaqView {
  id: number;
  unitId: number;
  unitName: string;
  question: string;
  answer: string;
  link: string | null;
  status: "published" | "withdrawn";
  createdAt: Date;
  updatedAt: Date;
}

export type FaqProblem = "not_official" | "empty_question" | "empty_answer" | "too_long" | "bad_link" | "not_found";
export type FaqResult = { ok: true; entry: FaqView } | { ok: false; problem: FaqProblem };

const MAX_QUESTION = 300;
const MAX_ANSWER = 2000;

type Row = { id: number; unitId: number; question: string; answer: string; link: string | null; status: string; createdAt: Date; updatedAt: Date };

async function view(db: Db, row: Row): Promise<FaqView> {
  const unit = await db.unit.findUnique({ where: { id: row.unitId }, select: { name: true } });
  return { ...row, status: row.status === "withdrawn" ? "withdrawn" : "published", unitName: unit?.name ?? "" };
}

function checked(input: { question: string; answer: string; link?: string | null }): { ok: true; data: { question: string; answer: string; link: string | null } } | { ok: false; problem: FaqProblem } {
  const question = nfc(input.question).replace(/\s+/g, " ");
  const answer = nfc(input.answer);
  const link = input.link ? nfc(input.link) : null;
  if (question.length < 5) return { ok: false, problem: "empty_question" };
  if (answer.length < 2) return { ok: false, problem: "empty_answer" };
  if (question.length > MAX_QUESTION || answer.length > MAX_ANSWER) return { ok: false, problem: "too_long" };
  if (link && !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(link)) return { ok: false, problem: "bad_link" };
  return { ok: true, data: { question, answer, link } };
}

export async function addFaq(db: Db, author: FaqAuthor, input: { question: string; answer: string; link?: string | null }): Promise<FaqResult> {
  if (!author.officialUnitId) return { ok: false, problem: "not_official" };
  const c = checked(input);
  if (!c.ok) return c;
  const row = await db.faqEntry.create({ data: { ...c.data, unitId: author.officialUnitId, authorId: author.id } });
  return { ok: true, entry: await view(db, row) };
}

/** The official's unit's published entries, oldest first (their position is the number users type). */
export async function listFaq(db: Db, author: FaqAuthor): Promise<FaqView[]> {
  if (!author.officialUnitId) return [];
  const rows = await db.faqEntry.findMany({ where: { unitId: author.officialUnitId, status: "published" }, orderBy: { id: "asc" } });
  return Promise.all(rows.map((r) => view(db, r)));
}

/** Entry number `n` (1-based, as listed) of the official's unit. */
async function nth(db: Db, author: FaqAuthor, n: number): Promise<Row | null> {
  if (!author.officialUnitId || !Number.isInteger(n) || n < 1) return null;
  const rows = await db.faqEntry.findMany({ where: { unitId: author.officialUnitId, status: "published" }, orderBy: { id: "asc" } });
  return rows[n - 1] ?? null;
}

export async function editFaq(db: Db, author: FaqAuthor, n: number, input: { question: string; answer: string; link?: string | null }): Promise<FaqResult> {
  if (!author.officialUnitId) return { ok: false, problem: "not_official" };
  const row = await nth(db, author, n);
  if (!row) return { ok: false, problem: "not_found" };
  const c = checked(input);
  if (!c.ok) return c;
  const updated = await db.faqEntry.update({ where: { id: row.id }, data: c.data });
  return { ok: true, entry: await view(db, updated) };
}

export async function withdrawFaq(db: Db, author: FaqAuthor, n: number): Promise<FaqResult> {
  if (!author.officialUnitId) return { ok: false, problem: "not_official" };
  const row = await nth(db, author, n);
  if (!row) return { ok: false, problem: "not_found" };
  const updated = await db.faqEntry.update({ where: { id: row.id }, data: { status: "withdrawn" } });
  return { ok: true, entry: await view(db, updated) };
}

/** Every published entry, for retrieval. */
export async function publishedFaq(db: Db): Promise<FaqView[]> {
  const rows = await db.faqEntry.findMany({ where: { status: "published" }, orderBy: { id: "asc" } });
  return Promise.all(rows.map((r) => view(db, r)));
}
