/**
 * A plan's targets in a spreadsheet (or JSON) for review in Excel or an editor, and back:
 * `catalog export <planId> --out f.xlsx|f.json`, `catalog import <file>`.
 *
 * Import is all or nothing: every row is validated against the catalog schema first and every
 * problem is reported with its row; only then are the changes stored, in one transaction, as draft
 * versions (publish them with `catalog publish`). A row with "x" in the `drop` column drops the target.
 */
import ExcelJS from "exceljs";
import type { Db } from "../db/client.ts";
import { CatalogEntry, LEVELS, type Level, type Measure } from "../catalog/index.ts";
import { addDraftRow, dropDraftTarget, getPlanDraft, type DraftFields, type PlanDeps, type PlanView } from "./drafts.ts";

/** Columns of the "Chỉ tiêu" sheet, in order. */
export const SHEET_COLUMNS = [
  "code", "drop", "target", "question", "short", "measure", "numerator", "denominator", "denominator_key", "count_unit",
  "level_min", "level_max", "op", "value", "threshold_unit", "threshold_text", "rollup", "levels", "frequency",
  "deadline", "owner", "citation_file", "citation_section", "citation_quote",
] as const;
type Column = (typeof SHEET_COLUMNS)[number];

export interface PlanExport {
  plan: Pick<PlanView, "id" | "prefix" | "number" | "title" | "issuer" | "status" | "validFrom" | "validTo">;
  entries: DraftFields[];
}

export async function planExport(db: Db, planId: string): Promise<PlanExport | null> {
  const d = await getPlanDraft(db, planId);
  if (!d) return null;
  const { id, prefix, number, title, issuer, status, validFrom, validTo } = d.plan;
  return {
    plan: { id, prefix, number, title, issuer, status, validFrom, validTo },
    entries: d.entries.map((e) => ({ ...e.entry, ...(e.withdraw ? { withdraw: true } : {}) })),
  };
}

function rowOf(e: DraftFields): Record<Column, string | number | null> {
  const m = e.measure;
  return {
    code: e.code,
    drop: e.withdraw ? "x" : null,
    target: e.target,
    question: e.question,
    short: e.short,
    measure: m?.type ?? null,
    numerator: m?.type === "ratio" ? m.numerator : null,
    denominator: m?.type === "ratio" ? m.denominator : null,
    denominator_key: m?.type === "ratio" ? (m.denominatorKey ?? null) : null,
    count_unit: m?.type === "count" ? m.unit : null,
    level_min: m?.type === "level" ? m.min : null,
    level_max: m?.type === "level" ? m.max : null,
    op: e.threshold?.op ?? null,
    value: e.threshold?.value ?? null,
    threshold_unit: e.threshold?.unit ?? null,
    threshold_text: e.threshold?.text ?? null,
    rollup: e.rollup ?? null,
    levels: e.levels.join(","),
    frequency: e.frequency,
    deadline: e.deadline ?? null,
    owner: e.owner ?? null,
    citation_file: e.citation.file,
    citation_section: e.citation.section,
    citation_quote: e.citation.quote,
  };
}

/**
 * The sheets' names are the file format (import finds them by name, like the column keys), so they
 * stay here; the labels and the instruction on the plan sheet come from the caller
 * (bot/messages/drafts.ts PLAN_SHEET_WORDS).
 */
export const PLAN_SHEET = "Kế hoạch";
export const TARGETS_SHEET = "Chỉ tiêu";

export interface PlanSheetWords {
  title: string;
  number: string;
  issuer: string;
  status: string;
  /** How to edit the file and load it back. */
  instruction: string;
}

export async function planWorkbook(x: PlanExport, words: PlanSheetWords): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const info = wb.addWorksheet(PLAN_SHEET);
  info.addRow(["plan_id", x.plan.id]);
  info.addRow([words.title, x.plan.title]);
  info.addRow([words.number, x.plan.number ?? ""]);
  info.addRow([words.issuer, x.plan.issuer]);
  info.addRow([words.status, x.plan.status]);
  info.addRow([]);
  info.addRow([words.instruction]);
  info.getColumn(1).width = 20;
  info.getColumn(2).width = 80;
  const sheet = wb.addWorksheet(TARGETS_SHEET, { views: [{ state: "frozen", xSplit: 1, ySplit: 1 }] });
  sheet.addRow([...SHEET_COLUMNS]).font = { bold: true };
  for (const e of x.entries) {
    const r = rowOf(e);
    sheet.addRow(SHEET_COLUMNS.map((c) => r[c]));
  }
  sheet.columns.forEach((c, i) => (c.width = ["target", "question", "citation_quote"].includes(SHEET_COLUMNS[i]!) ? 50 : 14));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Why a plan sheet (or one of its rows) was not taken, as data: bot/messages/drafts.ts sheetProblemText words it. */
export type SheetProblem =
  | { kind: "no_code" }
  | { kind: "bad_measure"; got: string }
  | { kind: "bad_levels"; levels: string[]; allowed: string[] }
  /** The catalog schema's own message for a field ("" path: the row). */
  | { kind: "schema"; path: string; message: string }
  | { kind: "unreadable_json"; error: string }
  | { kind: "json_shape" }
  | { kind: "wrong_file_type" }
  | { kind: "unreadable_xlsx"; error: string }
  | { kind: "missing_sheets" }
  | { kind: "missing_columns"; columns: string[] }
  | { kind: "unknown_plan"; planId: string }
  | { kind: "duplicate_code"; code: string; firstRow: number }
  | { kind: "wrong_prefix"; prefix: string }
  | { kind: "nothing_to_drop"; code: string };

export interface ImportProblem {
  /** Spreadsheet row (header = 1) or JSON entry number (first = 1); 0: the file. */
  row: number;
  code?: string;
  problem: SheetProblem;
}

export type ImportResult =
  | { ok: true; planId: string; changed: string[]; added: string[]; dropped: string[]; unchanged: number }
  | { ok: false; problems: ImportProblem[] };

const cell = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "object" && v && "text" in v) return String((v as { text: unknown }).text).trim() || undefined;
  if (typeof v === "object" && v && "result" in v) return cell((v as { result: unknown }).result);
  const s = String(v).trim();
  return s ? s.normalize("NFC") : undefined;
};
const num = (v: unknown): number | undefined => {
  const s = cell(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(",", "."));
  return Number.isFinite(n) ? n : NaN;
};

/** One sheet row back into entry fields, or its problems. */
function entryOfRow(r: Partial<Record<Column, unknown>>, planId: string): { entry?: DraftFields; drop: boolean; problems: SheetProblem[] } {
  const problems: SheetProblem[] = [];
  const code = cell(r.code)?.toUpperCase();
  if (!code) return { drop: false, problems: [{ kind: "no_code" }] };
  const drop = /^(x|có|co|yes|1|true)$/i.test(cell(r.drop) ?? "");
  if (drop) return { entry: { code } as DraftFields, drop, problems };
  const type = cell(r.measure);
  let measure: Measure | undefined;
  if (type === "ratio") measure = { type, numerator: cell(r.numerator) ?? "", denominator: cell(r.denominator) ?? "", ...(cell(r.denominator_key) ? { denominatorKey: cell(r.denominator_key) } : {}) };
  else if (type === "percent" || type === "boolean") measure = { type };
  else if (type === "count") measure = { type, unit: cell(r.count_unit) ?? "" };
  else if (type === "level") measure = { type, min: num(r.level_min) ?? NaN, max: num(r.level_max) ?? NaN };
  else problems.push({ kind: "bad_measure", got: type ?? "" });
  const levels = (cell(r.levels) ?? "").split(/[,;\s]+/).filter(Boolean).map((l) => l.toLowerCase());
  const badLevels = levels.filter((l) => !(LEVELS as readonly string[]).includes(l));
  if (badLevels.length) problems.push({ kind: "bad_levels", levels: badLevels, allowed: [...LEVELS] });
  const entry = {
    code,
    plan: planId,
    target: cell(r.target) ?? "",
    question: cell(r.question) ?? "",
    short: cell(r.short) ?? "",
    ...(measure ? { measure } : {}),
    threshold: { op: cell(r.op), value: num(r.value), unit: cell(r.threshold_unit), text: cell(r.threshold_text) ?? "" },
    rollup: cell(r.rollup),
    levels: levels as Level[],
    frequency: cell(r.frequency),
    ...(cell(r.deadline) ? { deadline: cell(r.deadline) } : {}),
    ...(cell(r.owner) ? { owner: cell(r.owner) } : {}),
    citation: { file: cell(r.citation_file) ?? "", section: cell(r.citation_section) ?? "", quote: cell(r.citation_quote) ?? "" },
  };
  if (problems.length) return { drop, problems };
  const parsed = CatalogEntry.safeParse(entry);
  if (!parsed.success) {
    for (const i of parsed.error.issues) problems.push({ kind: "schema", path: i.path.join("."), message: i.message });
    return { drop, problems };
  }
  return { entry: parsed.data as DraftFields, drop, problems };
}

function jsonRow(e: Partial<DraftFields>): Partial<Record<Column, unknown>> {
  return rowOf({ ...e, levels: e.levels ?? [], citation: e.citation ?? { file: "", section: "", quote: "" } } as DraftFields);
}

/** Read an exported .xlsx or .json back: the plan id and its rows. */
export async function readPlanFile(name: string, bytes: Uint8Array): Promise<{ planId: string; rows: Array<{ row: number; values: Partial<Record<Column, unknown>> }> } | { problems: ImportProblem[] }> {
  const lower = name.toLowerCase();
  if (lower.endsWith(".json")) {
    let data: PlanExport;
    try {
      data = JSON.parse(new TextDecoder().decode(bytes)) as PlanExport;
    } catch (e) {
      return { problems: [{ row: 0, problem: { kind: "unreadable_json", error: (e as Error).message } }] };
    }
    if (!data?.plan?.id || !Array.isArray(data.entries)) return { problems: [{ row: 0, problem: { kind: "json_shape" } }] };
    return { planId: data.plan.id, rows: data.entries.map((e, i) => ({ row: i + 1, values: jsonRow(e) })) };
  }
  if (!lower.endsWith(".xlsx")) return { problems: [{ row: 0, problem: { kind: "wrong_file_type" } }] };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as never);
  } catch (e) {
    return { problems: [{ row: 0, problem: { kind: "unreadable_xlsx", error: (e as Error).message } }] };
  }
  const info = wb.getWorksheet(PLAN_SHEET);
  const planId = cell(info?.getRow(1).getCell(2).value);
  const sheet = wb.getWorksheet(TARGETS_SHEET);
  if (!planId || !sheet) return { problems: [{ row: 0, problem: { kind: "missing_sheets" } }] };
  const header = (sheet.getRow(1).values as unknown[]).map((v) => cell(v));
  const missing = SHEET_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { problems: [{ row: 1, problem: { kind: "missing_columns", columns: missing } }] };
  const rows: Array<{ row: number; values: Partial<Record<Column, unknown>> }> = [];
  sheet.eachRow((r, n) => {
    if (n === 1) return;
    const values: Partial<Record<Column, unknown>> = {};
    header.forEach((h, i) => {
      if (h && (SHEET_COLUMNS as readonly string[]).includes(h)) values[h as Column] = r.getCell(i).value;
    });
    if (Object.values(values).some((v) => cell(v) !== undefined)) rows.push({ row: n, values });
  });
  return { planId, rows };
}

/** `catalog import <file>`: validate every row, then store the changes as draft versions in one transaction. */
export async function importPlanFile(deps: PlanDeps, input: { name: string; bytes: Uint8Array }): Promise<ImportResult> {
  const read = await readPlanFile(input.name, input.bytes);
  if ("problems" in read) return { ok: false, problems: read.problems };
  const { db } = deps;
  const draft = await getPlanDraft(db, read.planId);
  if (!draft) return { ok: false, problems: [{ row: 0, problem: { kind: "unknown_plan", planId: read.planId } }] };
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const parsed: Array<{ row: number; entry: DraftFields; drop: boolean }> = [];
  for (const { row, values } of read.rows) {
    const r = entryOfRow(values, read.planId);
    const code = r.entry?.code ?? cell(values.code)?.toUpperCase();
    for (const p of r.problems) problems.push({ row, code, problem: p });
    if (code && seen.has(code)) problems.push({ row, code, problem: { kind: "duplicate_code", code, firstRow: seen.get(code)! } });
    if (code) seen.set(code, row);
    if (code && !code.startsWith(`${draft.plan.prefix}-`)) problems.push({ row, code, problem: { kind: "wrong_prefix", prefix: draft.plan.prefix } });
    if (r.drop && code && !draft.entries.some((e) => e.code === code)) problems.push({ row, code, problem: { kind: "nothing_to_drop", code } });
    if (r.entry && !r.problems.length) parsed.push({ row, entry: r.entry, drop: r.drop });
  }
  if (problems.length) return { ok: false, problems };

  const current = new Map(draft.entries.map((e) => [e.code, e]));
  const changed: string[] = [];
  const added: string[] = [];
  const dropped: string[] = [];
  let unchanged = 0;
  const same = (a: DraftFields, b: DraftFields) => {
    const strip = ({ source: _s, confidence: _c, withdraw: _w, ...rest }: DraftFields) => rest;
    return JSON.stringify(CatalogEntry.safeParse(strip(a)).data ?? strip(a)) === JSON.stringify(CatalogEntry.safeParse(strip(b)).data ?? strip(b));
  };
  await db.$transaction(async (tx) => {
    const t = { ...deps, db: tx as unknown as Db, catalog: undefined };
    for (const p of parsed) {
      const cur = current.get(p.entry.code);
      if (p.drop) {
        if (cur && !cur.withdraw) {
          await dropDraftTarget(t, read.planId, p.entry.code);
          dropped.push(p.entry.code);
        } else unchanged++;
        continue;
      }
      if (cur && !cur.withdraw && same(cur.entry, p.entry)) {
        unchanged++;
        continue;
      }
      await addDraftRow(t, read.planId, p.entry);
      (cur ? changed : added).push(p.entry.code);
    }
    await tx.auditLog.create({
      data: { action: "plan.import", entity: "Plan", entityId: read.planId, details: JSON.stringify({ file: input.name, changed, added, dropped }) },
    });
  });
  deps.catalog?.invalidate();
  return { ok: true, planId: read.planId, changed, added, dropped, unchanged };
}
