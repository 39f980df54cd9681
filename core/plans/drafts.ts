/**
 * A plan from file to published targets: ingest and draft, review (edit, drop, add), scope, publish.
 * Drafts live in the database (Plan.status "draft", Target.status "draft"), so they survive a restart;
 * nothing reaches focal points before publishing.
 *
 *   const d = await addPlanFromFile({ db }, { name: "kh-2027.docx", bytes });
 *   await updateDraftTarget({ db }, d.plan.id, "KA-02", { threshold: { op: ">=", value: 85, unit: "%", text: "≥ 85%" } });
 *   await publishPlan({ db, catalog }, d.plan.id, { from: "2027" });
 *
 * Versioning: published target versions never change in place. Editing or dropping a target of a
 * published plan makes a draft version (n+1); publishing it makes it apply from a period (default:
 * the current period of its frequency, Vietnam time), earlier periods keep the version they had.
 */
import { InvalidPeriodError } from "../reporting/periods.ts";
import type { Db } from "../db/client.ts";
import {
  CatalogEntry,
  Frequency as FrequencySchema,
  Level as LevelSchema,
  Measure as MeasureSchema,
  Threshold as ThresholdSchema,
  keySpan,
  type CatalogPlan,
  type Frequency,
  type Level,
  type Measure,
  type ReportingRules,
  type Rollup,
  type TargetStatus,
  type Threshold,
} from "../catalog/index.ts";
import { extractDrafts, extractReportingRules, type DraftEntry } from "../catalog/extract.ts";
import { fold } from "../text.ts";
import { parsePlan, textHash } from "../retrieval/parse.ts";
import { ingestDocumentText } from "../retrieval/ingest.ts";
import { currentPeriod, FREQUENCY_KIND, vietnamParts } from "../reporting/periods.ts";
import { normalizeUnitCode } from "../units/tree.ts";
import { readDocument, type ReadProblem } from "../documents/read.ts";
import { DEFAULT_REPORTING, planInfoOf, type CatalogStore } from "./store.ts";

export interface PlanDeps {
  db: Db;
  catalog?: CatalogStore;
  now?: () => Date;
}

export type PlanView = CatalogPlan & {
  docType: string;
  issuerUnitId: number | null;
  status: "draft" | "published" | "superseded";
  createdAt: Date;
  publishedAt: Date | null;
  /** Units the plan is assigned to (their subtrees). */
  unitCodes: string[];
};

/** A draft entry may miss fields the rules could not infer (measure, threshold, rollup). */
export type DraftFields = Partial<CatalogEntry> &
  Pick<CatalogEntry, "code" | "plan" | "target" | "question" | "short" | "levels" | "frequency" | "citation"> & {
    source?: DraftEntry["source"];
    confidence?: number;
    /** A draft version that withdraws the target when published. */
    withdraw?: boolean;
  };

/** What keeps a draft target from being published. `schema`: the catalog schema's own message for a field. */
export type DraftProblem =
  | { kind: "no_measure" }
  | { kind: "no_threshold" }
  | { kind: "no_rollup" }
  | { kind: "schema"; path: string; message: string };

/** A plan's period that cannot be used: the start after the end, or a key that is not a period. */
export type PlanPeriodProblem = { kind: "order" } | { kind: "invalid"; key: string };

/** The first bad field of an edit to a draft target. */
export type DraftEditProblem = "threshold" | "measure" | "frequency" | "levels" | "empty_text";

export interface DraftTargetView {
  targetId: number;
  code: string;
  version: number;
  status: TargetStatus;
  /** The version validFrom (published versions). */
  validFrom: string | null;
  entry: DraftFields;
  /** Whether the entry passes the catalog schema (publishable). */
  complete: boolean;
  /** What is missing or wrong, as data, when not complete (bot/messages/plans.ts draftProblemText words it). */
  problems: DraftProblem[];
  /** true when this draft withdraws a published target. */
  withdraw: boolean;
}

export type DraftResult =
  | { ok: true; plan: PlanView; entries: DraftTargetView[] }
  | { ok: false; problem: ReadProblem | "duplicate_id" | "duplicate_file" | "bad_id"; detail?: string; planId?: string; limitBytes?: number };

type PlanRow = Awaited<ReturnType<Db["plan"]["findUniqueOrThrow"]>>;
type TargetRow = Awaited<ReturnType<Db["target"]["findUniqueOrThrow"]>>;

const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** Default rollup for a measure (the reviewer may change it). */
export const DEFAULT_ROLLUP: Record<Measure["type"], Rollup> = {
  ratio: "sum_ratio",
  percent: "share_meeting",
  count: "sum",
  boolean: "share_yes",
  level: "share_meeting",
};
const ROLLUP_FITS: Record<Measure["type"], Rollup[]> = {
  ratio: ["sum_ratio", "share_meeting"],
  percent: ["share_meeting"],
  count: ["sum", "share_meeting"],
  boolean: ["share_yes", "count_yes"],
  level: ["share_meeting"],
};

function view(t: TargetRow): DraftTargetView {
  const entry = JSON.parse(t.entryJson) as DraftFields;
  const checked = CatalogEntry.safeParse(entry);
  const withdraw = !!entry.withdraw || t.status === "withdrawn";
  return {
    targetId: t.id,
    code: t.code,
    version: t.version,
    status: t.status as TargetStatus,
    validFrom: t.validFrom,
    entry,
    complete: withdraw || checked.success,
    problems: withdraw || checked.success ? [] : problemsOf(entry, checked.error.issues),
    withdraw,
  };
}

function problemsOf(entry: DraftFields, issues: Array<{ path: PropertyKey[]; message: string }>): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!entry.measure) out.push({ kind: "no_measure" });
  if (!entry.threshold) out.push({ kind: "no_threshold" });
  if (!entry.rollup) out.push({ kind: "no_rollup" });
  if (out.length) return out;
  return issues.map((i) => ({ kind: "schema", path: i.path.join("."), message: i.message }));
}

async function planView(db: Db, p: PlanRow): Promise<PlanView> {
  const files = await db.planFile.findMany({ where: { planId: p.id }, select: { name: true }, orderBy: { id: "asc" } });
  const assigned = await db.planAssignment.findMany({ where: { planId: p.id }, select: { unitId: true } });
  const units = assigned.length
    ? await db.unit.findMany({ where: { id: { in: assigned.map((a) => a.unitId) } }, select: { code: true }, orderBy: { code: "asc" } })
    : [];
  return {
    ...planInfoOf(p, files.map((f) => f.name)),
    docType: p.docType,
    issuerUnitId: p.issuerUnitId,
    status: p.status as PlanView["status"],
    createdAt: p.createdAt,
    publishedAt: p.publishedAt,
    unitCodes: units.map((u) => u.code),
  };
}

/** The latest version of every target of a plan (drafts included), in plan order. */
async function latestVersions(db: Db, planId: string): Promise<TargetRow[]> {
  const rows = await db.target.findMany({ where: { planId }, orderBy: [{ ordinal: "asc" }, { code: "asc" }, { version: "asc" }] });
  const latest = new Map<string, TargetRow>();
  for (const r of rows) latest.set(r.code, r);
  return [...latest.values()];
}

/** A plan with its latest target versions (drafts included), or null. */
export async function getPlanDraft(db: Db, planId: string): Promise<{ plan: PlanView; entries: DraftTargetView[] } | null> {
  const p = await db.plan.findUnique({ where: { id: planId } });
  if (!p) return null;
  return { plan: await planView(db, p), entries: (await latestVersions(db, planId)).map(view) };
}

/** Initials of a name ("Tân Kỳ" → "TK"), A–Z only. */
function initials(s: string | null | undefined, max = 4): string {
  return fold(s ?? "")
    .split(/[^a-z0-9]+/)
    .filter((w) => /^[a-z]/.test(w))
    .map((w) => w[0]!.toUpperCase())
    .join("")
    .slice(0, max);
}

/** A code prefix no other plan uses (2–4 letters), from the place, then the issuer. */
async function uniquePrefix(db: Db, place: string | null, issuer: string | null): Promise<string> {
  const taken = new Set((await db.plan.findMany({ select: { prefix: true } })).map((p) => p.prefix));
  const base = [initials(place, 3), initials(issuer, 4), initials(issuer, 3), "KH"].filter((p) => p.length >= 2);
  for (const b of base) if (!taken.has(b)) return b;
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const b of base) {
    const stem = b.slice(0, 3);
    for (const c of letters) if (!taken.has(stem + c) && (stem + c).length <= 4) return stem + c;
    for (const c of letters) if (!taken.has(stem.slice(0, 2) + c)) return stem.slice(0, 2) + c;
  }
  for (const a of letters) for (const b of letters) for (const c of letters) if (!taken.has(`${a}${b}${c}`)) return `${a}${b}${c}`;
  throw new Error("Hết mã tiền tố kế hoạch.");
}

function yearOf(date: string | null | undefined, now: Date): number {
  const m = /(20\d\d)/.exec(date ?? "");
  return m ? Number(m[1]) : vietnamParts(now).year;
}

function codeOf(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(2, "0")}`;
}

/** Draft entry fields from an extractor draft. */
function fieldsOf(d: DraftEntry, code: string, planId: string): DraftFields {
  const rollup = d.rollup ?? (d.measure ? DEFAULT_ROLLUP[d.measure.type] : undefined);
  return {
    code,
    plan: planId,
    target: d.target,
    question: d.question,
    short: d.short.slice(0, 60),
    ...(d.measure ? { measure: d.measure } : {}),
    ...(d.threshold ? { threshold: d.threshold } : {}),
    ...(d.unitThreshold ? { unitThreshold: d.unitThreshold } : {}),
    ...(rollup ? { rollup } : {}),
    levels: d.levels.length ? d.levels : (["th", "thcs"] as Level[]),
    frequency: d.frequency,
    ...(d.deadline ? { deadline: d.deadline } : {}),
    ...(d.owner ? { owner: d.owner } : {}),
    citation: d.citation,
    source: d.source,
    confidence: d.confidence,
  };
}

/** The plan a file with this text was already sent for (same normalized text), or null. */
export async function planWithSameText(db: Db, text: string): Promise<string | null> {
  const same = await db.planFile.findFirst({ where: { hash: textHash(text.normalize("NFC")) }, select: { planId: true } });
  return same?.planId ?? null;
}

/**
 * Read a plan file, store it as a draft plan with the targets the extractor finds, and ingest
 * its text for plan Q&A (call QaEngine.reload() after). A bad file stores nothing.
 */
export async function addPlanFromFile(
  deps: PlanDeps,
  input: { name: string; bytes: Uint8Array; id?: string; issuerUnitId?: number; actorId?: number },
): Promise<DraftResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  if (input.id !== undefined && !PLAN_ID.test(input.id)) return { ok: false, problem: "bad_id", detail: input.id };
  if (input.id && (await db.plan.findUnique({ where: { id: input.id } }))) return { ok: false, problem: "duplicate_id", planId: input.id };
  const read = await readDocument({ name: input.name, bytes: input.bytes });
  if (!read.ok) return { ok: false, problem: read.problem, detail: read.detail, limitBytes: read.limitBytes };
  const text = read.text.normalize("NFC");
  const hash = textHash(text);
  const same = await db.planFile.findFirst({ where: { hash }, select: { planId: true } });
  if (same) return { ok: false, problem: "duplicate_file", planId: same.planId };

  const meta = parsePlan(input.name, text).meta;
  const prefix = await uniquePrefix(db, meta.place ?? null, meta.issuer ?? null);
  let id = input.id;
  if (!id) {
    const base = `${prefix}-${yearOf(meta.date, now)}`;
    id = base;
    for (let i = 2; await db.plan.findUnique({ where: { id } }); i++) id = `${base}-${i}`;
  }
  const planId = id;
  const drafts = extractDrafts(text, input.name);
  // the plan's own reporting rhythm (days, six-monthly reports) when it states one
  const rhythm = extractReportingRules(text, input.name);
  const reporting: ReportingRules = rhythm.found ? { ...DEFAULT_REPORTING, ...rhythm.rules } : DEFAULT_REPORTING;
  try {
    await db.$transaction(async (tx) => {
      await tx.plan.create({
        data: {
          id: planId,
          prefix,
          number: meta.number ?? null,
          title: meta.title ?? input.name,
          issuer: meta.issuer ?? "(chưa rõ cơ quan ban hành)",
          place: meta.place ?? null,
          date: meta.date ?? null,
          issuerUnitId: input.issuerUnitId ?? null,
          status: "draft",
          reportingJson: JSON.stringify(reporting),
        },
      });
      await tx.planFile.create({ data: { planId, name: input.name, hash, text } });
      await tx.target.createMany({
        data: drafts.map((d, i) => {
          const code = codeOf(prefix, i + 1);
          return { planId, code, version: 1, status: "draft", ordinal: i, entryJson: JSON.stringify(fieldsOf(d, code, planId)) };
        }),
      });
      await tx.auditLog.create({
        data: { actorId: input.actorId ?? null, action: "plan.add", entity: "Plan", entityId: planId, details: JSON.stringify({ file: input.name, targets: drafts.length }) },
      });
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return { ok: false, problem: "duplicate_id", planId };
    throw e;
  }
  await ingestDocumentText(db, { file: input.name, text });
  const draft = await getPlanDraft(db, planId);
  return { ok: true, ...draft! };
}

export type DraftPatch = Partial<{ threshold: Threshold; levels: Level[]; frequency: Frequency; question: string; measure: Measure; rollup: Rollup; short: string; target: string }>;

export type DraftEditResult =
  | { ok: true; entry: DraftTargetView }
  | { ok: false; problem: "no_plan" | "no_target" | "invalid"; invalid?: DraftEditProblem };

/** Validate a patch field by field: the first bad one. */
function checkPatch(patch: DraftPatch): DraftEditProblem | null {
  const checks: Array<[unknown, { safeParse(x: unknown): { success: boolean } }, DraftEditProblem]> = [
    [patch.threshold, ThresholdSchema, "threshold"],
    [patch.measure, MeasureSchema, "measure"],
    [patch.frequency, FrequencySchema, "frequency"],
  ];
  for (const [v, schema, field] of checks) if (v !== undefined && !schema.safeParse(v).success) return field;
  if (patch.levels !== undefined && (!patch.levels.length || !patch.levels.every((l) => LevelSchema.safeParse(l).success))) return "levels";
  for (const k of ["question", "short", "target"] as const) if (patch[k] !== undefined && !patch[k]!.trim()) return "empty_text";
  return null;
}

/** The draft version to edit: the latest draft, or a new draft version over a published one. */
async function editableVersion(db: Db, planId: string, code: string): Promise<TargetRow | null> {
  const rows = await db.target.findMany({ where: { planId, code }, orderBy: { version: "asc" } });
  const last = rows[rows.length - 1];
  if (!last) return null;
  if (last.status === "draft") return last;
  const entry = JSON.parse(last.entryJson) as DraftFields;
  delete entry.withdraw;
  return db.target.create({
    data: { planId, code, version: last.version + 1, status: "draft", ordinal: last.ordinal, entryJson: JSON.stringify(entry) },
  });
}

/** Edit one target of a draft (or make a corrected draft version of a published target). */
export async function updateDraftTarget(deps: PlanDeps, planId: string, code: string, patch: DraftPatch): Promise<DraftEditResult> {
  const { db } = deps;
  if (!(await db.plan.findUnique({ where: { id: planId }, select: { id: true } }))) return { ok: false, problem: "no_plan" };
  const bad = checkPatch(patch);
  if (bad) return { ok: false, problem: "invalid", invalid: bad };
  const row = await editableVersion(db, planId, code);
  if (!row) return { ok: false, problem: "no_target" };
  const entry = JSON.parse(row.entryJson) as DraftFields;
  const next: DraftFields = { ...entry, ...patch };
  if (patch.short) next.short = patch.short.slice(0, 60);
  if (next.measure && (!next.rollup || !ROLLUP_FITS[next.measure.type].includes(next.rollup))) next.rollup = DEFAULT_ROLLUP[next.measure.type];
  if (patch.threshold || patch.measure) delete next.unitThreshold;
  delete next.withdraw;
  const updated = await db.target.update({ where: { id: row.id }, data: { entryJson: JSON.stringify(next) } });
  return { ok: true, entry: view(updated) };
}

/** Store full entry fields as the draft version of a code (a new code gets version 1). */
export async function addDraftRow(deps: PlanDeps, planId: string, entry: DraftFields): Promise<DraftTargetView> {
  const { db } = deps;
  const row = await editableVersion(db, planId, entry.code);
  const data = { ...entry, plan: planId };
  delete data.withdraw;
  if (row) return view(await db.target.update({ where: { id: row.id }, data: { entryJson: JSON.stringify(data) } }));
  const ordinal = ((await db.target.aggregate({ where: { planId }, _max: { ordinal: true } }))._max.ordinal ?? -1) + 1;
  return view(await db.target.create({ data: { planId, code: entry.code, version: 1, status: "draft", ordinal, entryJson: JSON.stringify(data) } }));
}

/** Drop a target: a never-published one is deleted; a published one gets a withdrawing draft version. */
export async function dropDraftTarget(deps: PlanDeps, planId: string, code: string): Promise<{ ok: boolean }> {
  const { db } = deps;
  const rows = await db.target.findMany({ where: { planId, code }, orderBy: { version: "asc" } });
  if (!rows.length) return { ok: false };
  if (rows.every((r) => r.status === "draft")) {
    await db.target.deleteMany({ where: { planId, code } });
    return { ok: true };
  }
  const row = await editableVersion(db, planId, code);
  const entry = JSON.parse(row!.entryJson) as DraftFields;
  await db.target.update({ where: { id: row!.id }, data: { entryJson: JSON.stringify({ ...entry, withdraw: true }) } });
  return { ok: true };
}

/** Add a target the extractor missed, typed as a sentence and read like plan text. */
export async function addDraftTargetFromSentence(
  deps: PlanDeps,
  planId: string,
  sentence: string,
): Promise<{ ok: true; entry: DraftTargetView } | { ok: false; problem: "no_target_found" | "no_plan" }> {
  const { db } = deps;
  const plan = await db.plan.findUnique({ where: { id: planId } });
  if (!plan) return { ok: false, problem: "no_plan" };
  const s = sentence.normalize("NFC").trim();
  const file = (await db.planFile.findFirst({ where: { planId }, select: { name: true, text: true }, orderBy: { id: "asc" } })) ?? null;
  // read it as a bullet under a targets heading, the way plans write them
  const candidates = [
    ...extractDrafts(`II. MỤC TIÊU\n2. Chỉ tiêu cụ thể\n- ${s}`, file?.name ?? "bo-sung.txt"),
    ...extractDrafts(s, file?.name ?? "bo-sung.txt"),
  ];
  const d = candidates.find((c) => c.threshold) ?? candidates[0];
  if (!d) return { ok: false, problem: "no_target_found" };
  const inText = file && file.text.includes(d.citation.quote);
  const citation = inText ? d.citation : { file: file?.name ?? "bo-sung.txt", section: "bổ sung khi rà soát", quote: d.citation.quote.length >= 8 ? d.citation.quote : s };
  const codes = (await db.target.findMany({ where: { planId }, select: { code: true, ordinal: true } }));
  const used = new Set(codes.map((c) => c.code));
  let n = codes.length + 1;
  while (used.has(codeOf(plan.prefix, n))) n++;
  const code = codeOf(plan.prefix, n);
  const ordinal = Math.max(-1, ...codes.map((c) => c.ordinal)) + 1;
  const row = await db.target.create({
    data: { planId, code, version: 1, status: "draft", ordinal, entryJson: JSON.stringify({ ...fieldsOf(d, code, planId), citation, source: d.source }) },
  });
  return { ok: true, entry: view(row) };
}

export type ScopeResult =
  | { ok: true; plan: PlanView }
  | { ok: false; problem: "no_plan" | "bad_period" | "unknown_units"; period?: PlanPeriodProblem; codes?: string[] };

function periodProblem(from?: string, to?: string): PlanPeriodProblem | null {
  try {
    const f = from ? keySpan(from) : null;
    const t = to ? keySpan(to) : null;
    if (f && t && f.start > t.end) return { kind: "order" };
    return null;
  } catch (e) {
    if (e instanceof InvalidPeriodError) return { kind: "invalid", key: e.key };
    throw e;
  }
}

const normKey = (k?: string) => (k ? k.trim().toUpperCase() : undefined);

/** Set the periods a plan is in force for and (optionally) the units whose subtrees it applies to. */
export async function setPlanScope(
  deps: PlanDeps,
  planId: string,
  input: { validFrom?: string; validTo?: string; unitCodes?: string[]; actorId?: number },
): Promise<ScopeResult> {
  const { db } = deps;
  const plan = await db.plan.findUnique({ where: { id: planId } });
  if (!plan) return { ok: false, problem: "no_plan" };
  const bad = periodProblem(input.validFrom ?? plan.validFrom ?? undefined, input.validTo ?? plan.validTo ?? undefined);
  if (bad) return { ok: false, problem: "bad_period", period: bad };
  let unitIds: number[] | null = null;
  if (input.unitCodes) {
    const codes = input.unitCodes.map(normalizeUnitCode);
    const units = await db.unit.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    const unknown = codes.filter((c) => !units.some((u) => u.code === c));
    if (unknown.length) return { ok: false, problem: "unknown_units", codes: unknown };
    unitIds = units.map((u) => u.id);
  }
  await db.$transaction(async (tx) => {
    await tx.plan.update({
      where: { id: planId },
      data: {
        ...(input.validFrom !== undefined ? { validFrom: normKey(input.validFrom) ?? null } : {}),
        ...(input.validTo !== undefined ? { validTo: normKey(input.validTo) ?? null } : {}),
      },
    });
    if (unitIds) {
      await tx.planAssignment.deleteMany({ where: { planId } });
      if (unitIds.length) await tx.planAssignment.createMany({ data: unitIds.map((unitId) => ({ unitId, planId })) });
    }
    await tx.auditLog.create({
      data: { actorId: input.actorId ?? null, action: "plan.scope", entity: "Plan", entityId: planId, details: JSON.stringify({ validFrom: input.validFrom, validTo: input.validTo, unitCodes: input.unitCodes }) },
    });
  });
  deps.catalog?.invalidate();
  return { ok: true, plan: await planView(db, (await db.plan.findUnique({ where: { id: planId } }))!) };
}

export type PublishResult =
  | {
      ok: true;
      plan: PlanView;
      /** Versions published now (first publication: every target at version 1). */
      published: Array<{ code: string; version: number; validFrom: string | null }>;
      withdrawn: string[];
      /** true when no unit has the plan: assign it with `units plan <unit> <planId>`. */
      unassigned: boolean;
    }
  | {
      ok: false;
      problem: "no_plan" | "bad_period" | "nothing_to_publish" | "incomplete";
      period?: PlanPeriodProblem;
      /** incomplete: each target that cannot be published and why. */
      issues?: Array<{ code: string; problems: DraftProblem[] }>;
    };

/**
 * Publish a draft plan (its targets become version 1, in force from `from`, default the current
 * year) or the corrections of a published one (each draft version applies from `from`, default the
 * current period of its frequency; earlier periods keep the earlier version).
 */
export async function publishPlan(
  deps: PlanDeps,
  planId: string,
  input: { from?: string; to?: string; actorId?: number } = {},
): Promise<PublishResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const plan = await db.plan.findUnique({ where: { id: planId } });
  if (!plan) return { ok: false, problem: "no_plan" };
  const bad = periodProblem(input.from, input.to ?? plan.validTo ?? undefined);
  if (bad) return { ok: false, problem: "bad_period", period: bad };
  const from = normKey(input.from);
  const to = normKey(input.to);
  const latest = await latestVersions(db, planId);
  const drafts = latest.filter((t) => t.status === "draft");
  const first = plan.status === "draft";
  if (!drafts.length && !first) return { ok: false, problem: "nothing_to_publish" };
  const issues = drafts.map(view).filter((v) => !v.complete).map((v) => ({ code: v.code, problems: v.problems }));
  if (issues.length) return { ok: false, problem: "incomplete", issues };
  if (first && !drafts.some((d) => !view(d).withdraw)) return { ok: false, problem: "nothing_to_publish" };

  const published: Array<{ code: string; version: number; validFrom: string | null }> = [];
  const withdrawn: string[] = [];
  await db.$transaction(async (tx) => {
    for (const d of drafts) {
      const v = view(d);
      if (first && v.withdraw) {
        await tx.target.delete({ where: { id: d.id } });
        continue;
      }
      const validFrom = first && d.version === 1 ? null : (from ?? currentPeriod(FREQUENCY_KIND[v.entry.frequency], now).key);
      const entry = v.withdraw ? v.entry : CatalogEntry.parse(v.entry);
      await tx.target.update({
        where: { id: d.id },
        data: { status: v.withdraw ? "withdrawn" : "published", validFrom, entryJson: JSON.stringify(entry) },
      });
      await tx.target.updateMany({ where: { planId, code: d.code, version: { lt: d.version }, status: "published" }, data: { status: "superseded" } });
      if (v.withdraw) withdrawn.push(d.code);
      else published.push({ code: d.code, version: d.version, validFrom });
    }
    await tx.plan.update({
      where: { id: planId },
      data: {
        status: "published",
        publishedAt: now,
        ...(first ? { validFrom: from ?? plan.validFrom ?? String(vietnamParts(now).year) } : {}),
        ...(to !== undefined ? { validTo: to } : {}),
      },
    });
    // by default a plan applies to its issuing unit's subtree
    if (first && plan.issuerUnitId && (await tx.planAssignment.count({ where: { planId } })) === 0) {
      await tx.planAssignment.create({ data: { unitId: plan.issuerUnitId, planId } });
    }
    await tx.auditLog.create({
      data: {
        actorId: input.actorId ?? null,
        action: first ? "plan.publish" : "plan.correct",
        entity: "Plan",
        entityId: planId,
        details: JSON.stringify({ from: from ?? null, to: to ?? null, published: published.map((p) => `${p.code}@${p.version}`), withdrawn }),
        at: now,
      },
    });
  });
  deps.catalog?.invalidate();
  const p = (await db.plan.findUnique({ where: { id: planId } }))!;
  const assigned = (await db.planAssignment.count({ where: { planId } })) + (await db.unit.count({ where: { planId } }));
  return { ok: true, plan: await planView(db, p), published, withdrawn, unassigned: assigned === 0 };
}
