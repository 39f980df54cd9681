/**
 * Import the unit hierarchy from a spreadsheet (.csv or .xlsx) with the columns
 * code, name, level, parent_code, focal_name, focal_phone[, plan_id]
 * (Vietnamese headers work too: mã, tên, cấp, mã đơn vị cấp trên, đầu mối, số điện thoại, kế hoạch).
 *
 *   const r = await importUnits(db, "units.xlsx");
 *   if (r.errors.length) for (const e of r.errors) console.log(`Dòng ${e.line}: ${unitImportErrorText(e)}`);
 *   else console.log(`${r.created} mới, ${r.updated} cập nhật`);
 *
 * Problems are tagged data ({@link UnitImportProblem}); bot/messages/units.ts words them.
 *
 * Every row is checked first and every bad row is reported with its line number; when any row is bad
 * nothing is imported. Otherwise all rows are upserted by code in one transaction, paths are
 * recomputed (moving a unit moves its subtree) and an audit log entry is written.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { fileKind } from "../documents/read.ts";
import { loadCatalog } from "../catalog/index.ts";
import { loadCatalogFromDb } from "../plans/store.ts";
import { unitsWithoutPlan } from "../plans/assign.ts";
import { currentPeriod } from "../reporting/periods.ts";
import type { Db } from "../db/client.ts";
import { fold, nfc } from "../text.ts";
import { formatLevels, parseLevel, type ParsedLevel } from "./levels.ts";
import { normalizePhone } from "./phone.ts";
import { childPath, normalizeUnitCode, UNIT_CODE } from "./tree.ts";

/** One row as read from a file or given by a caller: column name → cell text. */
export type RawUnitRow = Record<string, string | number | null | undefined>;

/** What is wrong with one row's cells (several may be found in one row). */
export type UnitRowProblem =
  | { kind: "missingCode" }
  | { kind: "badCode"; value: string }
  | { kind: "duplicateCode"; code: string; firstLine: number }
  | { kind: "missingName" }
  | { kind: "nameTooLong"; length: number; max: number }
  | { kind: "missingLevel" }
  | { kind: "unknownLevel"; value: string }
  | { kind: "selfParent" }
  | { kind: "badPhone"; value: string }
  | { kind: "badPlanId"; planId: string }
  | { kind: "unknownPlan"; planId: string; known: string[] };

/** Why a file cannot be read as a unit list at all. */
export type UnitFileProblem =
  /** The content is not what the extension says: `found` is a {@link fileKind} or null (unknown). */
  | { kind: "fileMismatch"; ext: ".xlsx" | ".csv"; found: string | null }
  | { kind: "unsupportedExtension"; file: string }
  | { kind: "unreadableFile"; file: string };

/** One problem found in a file: a file problem, a missing header/data, a row's problems, or a tree problem. */
export type UnitImportProblem =
  | UnitFileProblem
  | { kind: "missingColumns"; columns: Column[] }
  | { kind: "noRows" }
  | { kind: "row"; problems: UnitRowProblem[] }
  | { kind: "schoolWithUnits"; code: string; count: number; sample: string[] }
  | { kind: "parentNotFound"; parentCode: string }
  | { kind: "parentIsSchool"; parentCode: string }
  | { kind: "parentCycle"; code: string; parentCode: string | null };

export interface ImportError {
  /** 1-based line in the file (the header is line 1); for rows given in code, index + 2. */
  line: number;
  problem: UnitImportProblem;
}

/** Thrown by {@link readUnitFile} when the file is not a readable .csv/.xlsx. */
export class UnitFileError extends Error {
  constructor(readonly problem: UnitFileProblem) {
    super(`unit file: ${problem.kind}`);
    this.name = "UnitFileError";
  }
}

export interface ImportSummary {
  /** true when the rows were imported; false when any row was bad (then nothing changed). */
  ok: boolean;
  created: number;
  updated: number;
  errors: ImportError[];
  /**
   * After an import: units (schools and other leaves) with no plan in force for the current month,
   * so they are asked nothing; fix with `units plan <unit code> <planId>`.
   */
  withoutPlan?: Array<{ code: string; name: string }>;
}

export interface ImportOptions {
  /** User id recorded in the audit log (the CLI passes none). */
  actorId?: number | null;
  /** Name recorded in the audit log, e.g. the file name. */
  source?: string;
  /** "Now" for the plan-in-force check after importing (default: the clock). */
  now?: Date;
}

export type Column = "code" | "name" | "level" | "parent_code" | "focal_name" | "focal_phone" | "plan_id";
const REQUIRED: Column[] = ["code", "name", "level"];

/** Header spellings (folded, punctuation → space) for each column. */
const HEADER_ALIASES: Record<Column, string[]> = {
  code: ["code", "unit code", "ma", "ma don vi", "ma dv"],
  name: ["name", "unit name", "ten", "ten don vi", "ten dv"],
  level: ["level", "levels", "kind", "cap", "cap hoc", "loai", "loai don vi", "cap don vi"],
  parent_code: [
    "parent code",
    "parent",
    "ma don vi cap tren",
    "ma cap tren",
    "don vi cap tren",
    "ma don vi quan ly",
    "cap tren",
  ],
  focal_name: ["focal name", "focal", "dau moi", "ho ten dau moi", "nguoi dau moi", "ten dau moi", "can bo dau moi"],
  focal_phone: [
    "focal phone",
    "phone",
    "so dien thoai",
    "dien thoai",
    "sdt",
    "so dt",
    "sdt dau moi",
    "so dien thoai dau moi",
    "dien thoai dau moi",
  ],
  plan_id: ["plan id", "plan", "ke hoach", "ma ke hoach"],
};

function columnOf(header: string): Column | null {
  const h = fold(header).replace(/[^a-z0-9]+/g, " ").trim();
  for (const [col, aliases] of Object.entries(HEADER_ALIASES) as Array<[Column, string[]]>) {
    if (aliases.includes(h)) return col;
  }
  return null;
}

/** A row with its line number, keyed by canonical column names. */
export interface UnitRow {
  line: number;
  values: Partial<Record<Column, string>>;
}

/** Map raw rows (any header spelling) to canonical columns; unknown headers are ignored. */
function canonicalRows(raw: Array<{ line: number; cells: RawUnitRow }>): UnitRow[] {
  return raw.map(({ line, cells }) => {
    const values: Partial<Record<Column, string>> = {};
    for (const [header, value] of Object.entries(cells)) {
      const col = columnOf(header);
      if (!col || value === null || value === undefined) continue;
      const text = nfc(String(value));
      if (text !== "" && values[col] === undefined) values[col] = text;
    }
    return { line, values };
  });
}

/** Plain text of an exceljs cell value (rich text, hyperlinks, formulas, numbers). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return String(value);
}

/**
 * Read a .csv (UTF-8, with or without BOM) or .xlsx file (first sheet) into raw rows with line numbers.
 * CSV cells are kept as text, so leading zeros of phone numbers and codes survive.
 */
export async function readUnitFile(file: string): Promise<Array<{ line: number; cells: RawUnitRow }>> {
  const ext = path.extname(file).toLowerCase();
  const mismatch = unitFileMismatch(ext, readFileSync(file));
  if (mismatch) throw new UnitFileError(mismatch);
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  if (ext === ".csv") {
    sheet = await workbook.csv.readFile(file, { map: (v: unknown) => v, parserOptions: { trim: false } } as never);
  } else if (ext === ".xlsx") {
    await workbook.xlsx.readFile(file);
    sheet = workbook.worksheets[0];
  } else {
    throw new UnitFileError({ kind: "unsupportedExtension", file: path.basename(file) });
  }
  if (!sheet) return [];
  const rows: Array<{ line: number; cells: RawUnitRow }> = [];
  let headers: string[] | null = null;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cellText(cell.value).replace(/^\uFEFF/, "");
    });
    if (!headers) {
      headers = Array.from(values, (v) => v ?? "");
      return;
    }
    if (values.every((v) => !v || !v.trim())) return;
    const cells: RawUnitRow = {};
    headers.forEach((h, i) => {
      if (h) cells[h] = values[i] ?? "";
    });
    rows.push({ line, cells });
  });
  if (headers) rows.unshift({ line: 1, cells: Object.fromEntries((headers as string[]).map((h) => [h, h])) });
  return rows;
}

/** Why a .csv/.xlsx file is not what its name says (a renamed Word file, an image…), or null. */
export function unitFileMismatch(ext: string, bytes: Uint8Array): UnitFileProblem | null {
  const kind = fileKind(bytes);
  if (ext === ".xlsx" && kind !== "XLSX") return { kind: "fileMismatch", ext, found: kind };
  if (ext === ".csv" && (kind || bytes.subarray(0, 65536).includes(0))) return { kind: "fileMismatch", ext, found: kind };
  return null;
}

/** Longest unit name accepted (the longest real names are about 100 characters). */
export const MAX_UNIT_NAME = 200;

interface ValidRow {
  line: number;
  code: string;
  name: string;
  parsed: ParsedLevel;
  parentCode: string | null;
  focalName: string | null;
  focalPhone: string | null;
  planId: string | null;
}

/** Check every row; returns the valid rows or every error found. */
async function validate(db: Db, rows: UnitRow[], headerColumns: Set<Column> | null): Promise<{ valid: ValidRow[]; errors: ImportError[] }> {
  const errors: ImportError[] = [];
  if (headerColumns) {
    const missing = REQUIRED.filter((c) => !headerColumns.has(c));
    if (missing.length) {
      errors.push({ line: 1, problem: { kind: "missingColumns", columns: missing } });
      return { valid: [], errors };
    }
  }
  if (rows.length === 0) {
    errors.push({ line: 1, problem: { kind: "noRows" } });
    return { valid: [], errors };
  }

  const existing = await db.unit.findMany({ select: { code: true, kind: true, parentId: true, id: true } });
  const existingByCode = new Map(existing.map((u) => [u.code, u]));
  const existingById = new Map(existing.map((u) => [u.id, u]));

  const knownPlans = await planIds(db);
  const firstLine = new Map<string, number>();
  const valid: ValidRow[] = [];
  for (const { line, values } of rows) {
    const problems: UnitRowProblem[] = [];
    const code = values.code ? normalizeUnitCode(values.code) : "";
    if (!code) problems.push({ kind: "missingCode" });
    else if (!UNIT_CODE.test(code)) problems.push({ kind: "badCode", value: values.code ?? "" });
    else if (firstLine.has(code)) problems.push({ kind: "duplicateCode", code, firstLine: firstLine.get(code)! });
    else firstLine.set(code, line);

    const name = values.name ?? "";
    if (!name) problems.push({ kind: "missingName" });
    else if (name.length > MAX_UNIT_NAME) problems.push({ kind: "nameTooLong", length: name.length, max: MAX_UNIT_NAME });

    const parsed = values.level ? parseLevel(values.level) : null;
    if (!values.level) problems.push({ kind: "missingLevel" });
    else if (!parsed) problems.push({ kind: "unknownLevel", value: values.level });

    const parentCode = values.parent_code ? normalizeUnitCode(values.parent_code) : null;
    if (parentCode && parentCode === code) problems.push({ kind: "selfParent" });

    let focalPhone: string | null = null;
    if (values.focal_phone) {
      focalPhone = normalizePhone(values.focal_phone);
      if (!focalPhone) problems.push({ kind: "badPhone", value: values.focal_phone });
    }
    const planId = values.plan_id ? values.plan_id.trim() : null;
    if (planId && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(planId)) problems.push({ kind: "badPlanId", planId });
    else if (planId && knownPlans && !knownPlans.includes(planId)) problems.push({ kind: "unknownPlan", planId, known: knownPlans });

    if (problems.length) errors.push({ line, problem: { kind: "row", problems } });
    else
      valid.push({ line, code, name, parsed: parsed!, parentCode, focalName: values.focal_name ?? null, focalPhone, planId });
  }

  // Parents: in the file or in the database; never a school; no cycles.
  const fileByCode = new Map(valid.map((r) => [r.code, r]));
  const kindOf = (code: string) => fileByCode.get(code)?.parsed.kind ?? existingByCode.get(code)?.kind;
  const parentOf = (code: string): string | null => {
    const r = fileByCode.get(code);
    if (r) return r.parentCode;
    const e = existingByCode.get(code);
    const p = e?.parentId ? existingById.get(e.parentId) : undefined;
    return p?.code ?? null;
  };
  // A unit with units under it (in the database, and not moved away by this file) cannot become a school.
  const movedAway = new Set(valid.filter((r) => r.parentCode !== null).map((r) => r.code));
  for (const r of valid) {
    if (r.parsed.kind !== "school") continue;
    const self = existingByCode.get(r.code);
    if (!self) continue;
    const below = existing.filter((u) => u.parentId === self.id && !(movedAway.has(u.code) && fileByCode.get(u.code)?.parentCode !== r.code));
    if (below.length) {
      const sample = below.slice(0, 3).map((u) => u.code);
      errors.push({ line: r.line, problem: { kind: "schoolWithUnits", code: r.code, count: below.length, sample } });
    }
  }
  const inCycle = new Set<string>();
  for (const r of valid) {
    if (!r.parentCode) continue;
    if (!fileByCode.has(r.parentCode) && !existingByCode.has(r.parentCode) && !firstLine.has(r.parentCode)) {
      errors.push({ line: r.line, problem: { kind: "parentNotFound", parentCode: r.parentCode } });
      continue;
    }
    if (kindOf(r.parentCode) === "school") {
      errors.push({ line: r.line, problem: { kind: "parentIsSchool", parentCode: r.parentCode } });
      continue;
    }
    // Walk up from the row; meeting the row again means a cycle.
    const seen = new Set<string>([r.code]);
    let cur: string | null = r.parentCode;
    while (cur) {
      if (seen.has(cur)) {
        if (cur === r.code) inCycle.add(r.code);
        break;
      }
      seen.add(cur);
      cur = parentOf(cur);
    }
  }
  for (const code of inCycle) {
    const r = fileByCode.get(code)!;
    errors.push({ line: r.line, problem: { kind: "parentCycle", code, parentCode: r.parentCode } });
  }
  errors.sort((a, b) => a.line - b.line);
  return { valid, errors };
}

/**
 * Plan ids stored in the database (drafts too: an assignment takes effect once published); the
 * shipped catalog's when none is stored yet; null (no check) when both are empty.
 */
async function planIds(db: Db): Promise<string[] | null> {
  const stored = (await db.plan.findMany({ select: { id: true } })).map((p) => p.id);
  if (stored.length) return stored;
  try {
    const ids = loadCatalog().plans.map((p) => p.id);
    return ids.length ? ids : null;
  } catch {
    return null;
  }
}

/**
 * Validate and import units from a .csv/.xlsx file or from rows (column name → value). All or nothing.
 * Codes are case-insensitive and stored upper-case. A row without plan_id keeps the unit's plan
 * (new units inherit their parent's). Returns how many units were created and updated, or every bad row.
 */
export async function importUnits(db: Db, input: string | RawUnitRow[], options: ImportOptions = {}): Promise<ImportSummary> {
  let raw: Array<{ line: number; cells: RawUnitRow }>;
  let headerColumns: Set<Column> | null = null;
  if (typeof input === "string") {
    try {
      raw = await readUnitFile(input);
    } catch (e) {
      // not a spreadsheet, or a broken one: one plain message, nothing imported
      const problem: UnitFileProblem = e instanceof UnitFileError ? e.problem : { kind: "unreadableFile", file: path.basename(input) };
      return { ok: false, created: 0, updated: 0, errors: [{ line: 1, problem }] };
    }
    const header = raw.shift();
    headerColumns = new Set(
      Object.keys(header?.cells ?? {})
        .map(columnOf)
        .filter((c): c is Column => c !== null),
    );
  } else {
    raw = input.map((cells, i) => ({ line: i + 2, cells }));
    if (input.length) headerColumns = new Set(input.flatMap((r) => Object.keys(r).map(columnOf)).filter((c): c is Column => c !== null));
  }
  const rows = canonicalRows(raw);
  const { valid, errors } = await validate(db, rows, headerColumns);
  if (errors.length) return { ok: false, created: 0, updated: 0, errors };

  const source = options.source ?? (typeof input === "string" ? path.basename(input) : "rows");
  const { created, updated } = await db.$transaction(async (tx) => {
    const t = tx as unknown as Db;
    let created = 0;
    let updated = 0;
    const ordered = topoOrder(valid);
    for (const r of ordered) {
      const parent = r.parentCode ? await t.unit.findUnique({ where: { code: r.parentCode } }) : null;
      const data = {
        name: r.name,
        kind: r.parsed.kind,
        levels: formatLevels(r.parsed.levels),
        parentId: parent?.id ?? null,
        path: childPath(parent?.path ?? null, r.code),
        focalName: r.focalName,
        focalPhone: r.focalPhone,
        ...(r.planId ? { planId: r.planId } : {}),
      };
      const before = await t.unit.findUnique({ where: { code: r.code }, select: { id: true } });
      if (before) {
        await t.unit.update({ where: { id: before.id }, data });
        updated++;
      } else {
        await t.unit.create({ data: { code: r.code, ...data } });
        created++;
      }
    }
    await recomputePaths(t);
    await t.auditLog.create({
      data: {
        actorId: options.actorId ?? null,
        action: "units.import",
        entity: "Unit",
        entityId: source,
        details: JSON.stringify({ created, updated, rows: valid.length, codes: valid.map((r) => r.code) }),
      },
    });
    return { created, updated };
  });
  const catalog = await loadCatalogFromDb(db);
  const withoutPlan = await unitsWithoutPlan(db, catalog, currentPeriod("month", options.now ?? new Date()));
  return { ok: true, created, updated, errors: [], withoutPlan };
}

/** Rows ordered so that a parent defined in the file comes before its children. */
function topoOrder(rows: ValidRow[]): ValidRow[] {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const out: ValidRow[] = [];
  const done = new Set<string>();
  const visit = (r: ValidRow) => {
    if (done.has(r.code)) return;
    done.add(r.code);
    const p = r.parentCode ? byCode.get(r.parentCode) : undefined;
    if (p) visit(p);
    out.push(r);
  };
  rows.forEach(visit);
  return out;
}

/** Recompute every unit's materialized path from parentId; only changed paths are written. */
export async function recomputePaths(db: Db): Promise<number> {
  const all = await db.unit.findMany({ select: { id: true, code: true, parentId: true, path: true } });
  const byId = new Map(all.map((u) => [u.id, u]));
  const memo = new Map<number, string>();
  const pathOf = (id: number, depth = 0): string => {
    const known = memo.get(id);
    if (known) return known;
    const u = byId.get(id)!;
    const parent = u.parentId && depth < 64 ? byId.get(u.parentId) : undefined;
    const p = childPath(parent ? pathOf(parent.id, depth + 1) : null, u.code);
    memo.set(id, p);
    return p;
  };
  let changed = 0;
  for (const u of all) {
    const p = pathOf(u.id);
    if (p !== u.path) {
      await db.unit.update({ where: { id: u.id }, data: { path: p } });
      changed++;
    }
  }
  return changed;
}
