/**
 * What an official may see and do — the ONE place the bot, the CLI and the dashboard get an
 * official's scope and run the officials' queries through (so they can never disagree).
 *
 *   const scope = await officialScope(db, user);               // null: not an official/admin
 *   const late = await scopedLate({ db, catalog }, scope, { period: "2026-03" });
 *   if (!late.ok) …late.problem === "outside_scope"             // names only the asker's own node
 *   const p = await scopedProgress({ db, catalog }, scope, { period: "2026-03", approvedOnly: true });
 *   const h = await scopedHistory({ db, catalog }, scope, { unitCode: "TH-A1" });
 *   const n = await nudgePlan({ db, catalog, now }, scope, { period: "2026-03" }); // who would be nudged
 *
 * A refusal never names a unit outside the asker's scope: it carries only the scope's own name.
 */
import type { Db } from "../db/client.ts";
import type { Catalog } from "../catalog/index.ts";
import { effectivePlanId } from "../units/tree.ts";
import { vietnamParts } from "../reporting/periods.ts";
import type { ReminderItem } from "../reporting/reminders.ts";
import { lateReport, type LateReport } from "./late.ts";
import { progressReport, type ProgressOptions, type ProgressReport } from "./progress.ts";
import { unitHistory, type UnitHistory } from "./history.ts";
import { exportPeriod, type ExportFile, type SheetWords } from "./export.ts";
import { rootUnits, UnknownUnitError } from "./scope.ts";

/** The node an official (or admin) oversees: they see its whole subtree. */
export interface OfficialScope {
  userId: number;
  role: "official" | "admin";
  root: { id: number; code: string; name: string; path: string; planId: string | null };
}

export interface OfficialDeps {
  db: Db;
  catalog: Catalog;
  now?: Date;
}

/** A query refused: the unit asked about is outside the scope, or unknown. Names only the scope. */
export type Refusal = { ok: false; problem: "outside_scope" | "unknown_unit"; scopeName: string };

/**
 * The official's scope: an official's node, an admin's node or else the first root unit.
 * Null for focal points and citizens (and an official whose node was deleted).
 */
export async function officialScope(db: Db, user: { id: number } | null | undefined): Promise<OfficialScope | null> {
  if (!user) return null;
  const u = await db.user.findUnique({ where: { id: user.id }, select: { id: true, role: true, officialUnitId: true } });
  if (!u || (u.role !== "official" && u.role !== "admin")) return null;
  const select = { id: true, code: true, name: true, path: true, planId: true } as const;
  let root = u.officialUnitId !== null ? await db.unit.findUnique({ where: { id: u.officialUnitId }, select }) : null;
  if (!root && u.role === "admin") {
    const [first] = await rootUnits(db);
    root = first ? await db.unit.findUnique({ where: { code: first.code }, select }) : null;
  }
  return root ? { userId: u.id, role: u.role, root } : null;
}

/** The scope of the user with this Telegram id (CLI `--as`, dashboard init data). */
export async function officialScopeByTelegramId(db: Db, telegramId: string): Promise<OfficialScope | null> {
  const u = await db.user.findUnique({ where: { telegramId }, select: { id: true } });
  return officialScope(db, u);
}

/** Is this unit path inside the scope (the root itself included)? */
export function pathWithin(scope: OfficialScope, path: string): boolean {
  return path.startsWith(scope.root.path);
}

/** A unit by code, only when inside the scope. */
export async function unitWithin(
  db: Db,
  scope: OfficialScope,
  code: string | undefined,
): Promise<{ ok: true; unit: { id: number; code: string; name: string; path: string; kind: string } } | Refusal> {
  if (!code) return { ok: true, unit: { ...scope.root, kind: "" } };
  const unit = await db.unit.findUnique({ where: { code }, select: { id: true, code: true, name: true, path: true, kind: true } });
  if (!unit) return { ok: false, problem: "unknown_unit", scopeName: scope.root.name };
  if (!pathWithin(scope, unit.path)) return { ok: false, problem: "outside_scope", scopeName: scope.root.name };
  return { ok: true, unit };
}

/** Late and missing units under the scope (or an area inside it). */
export async function scopedLate(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: { period: string; area?: string; level?: string },
): Promise<{ ok: true; report: LateReport } | Refusal> {
  const area = await unitWithin(deps.db, scope, opts.area);
  if (!area.ok) return area;
  const report = await lateReport(deps.db, deps.catalog, { period: opts.period, under: area.unit.code, now: deps.now, level: opts.level });
  return { ok: true, report };
}

/** Progress against the targets under the scope (or an area inside it); approved reports only when asked. */
export async function scopedProgress(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: Omit<ProgressOptions, "under"> & { area?: string },
): Promise<{ ok: true; report: ProgressReport } | Refusal> {
  const area = await unitWithin(deps.db, scope, opts.area);
  if (!area.ok) return area;
  const { area: _area, ...rest } = opts;
  return { ok: true, report: await progressReport(deps.db, deps.catalog, { ...rest, under: area.unit.code }) };
}

/** One unit's reports over periods, only for a unit inside the scope. */
export async function scopedHistory(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: { unitCode: string | undefined; periods?: string[] },
): Promise<{ ok: true; history: UnitHistory } | Refusal> {
  if (!opts.unitCode) return { ok: false, problem: "unknown_unit", scopeName: scope.root.name };
  const unit = await unitWithin(deps.db, scope, opts.unitCode);
  if (!unit.ok) return unit;
  return { ok: true, history: await unitHistory(deps.db, deps.catalog, { unitCode: unit.unit.code, periods: opts.periods }) };
}

/** The consolidation sheet of the scope (or an area inside it). */
export async function scopedExport(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: { period: string; area?: string; format?: "xlsx" | "csv" },
  words: SheetWords,
): Promise<{ ok: true; file: ExportFile } | Refusal> {
  const area = await unitWithin(deps.db, scope, opts.area);
  if (!area.ok) return area;
  return { ok: true, file: await exportPeriod(deps.db, deps.catalog, { period: opts.period, under: area.unit.code, format: opts.format, now: deps.now }, words) };
}

/**
 * What an official's words may name: every commune/district/department (so a question about
 * another area can be recognized and refused), the units inside the scope, and the plans in force
 * under it (indicator words match only those plans' targets).
 */
export async function wordsContext(db: Db, scope: OfficialScope): Promise<{ units: Array<{ code: string; name: string; kind: string }>; planIds: string[] }> {
  const units = await db.unit.findMany({
    where: { OR: [{ kind: { in: ["commune", "district", "department"] } }, { path: { startsWith: scope.root.path } }] },
    select: { code: true, name: true, kind: true },
  });
  const own = await effectivePlanId(db, scope.root);
  const below = await db.unit.findMany({ where: { path: { startsWith: scope.root.path }, planId: { not: null } }, select: { planId: true }, distinct: ["planId"] });
  return { units, planIds: [...new Set([own, ...below.map((u) => u.planId)].filter((p): p is string => !!p))] };
}

/** Someone to call about a unit: the focal point's name and phone (imported, else their Telegram profile). */
export interface FocalContact {
  unitId: number;
  unitName: string;
  name: string | null;
  phone: string | null;
}

export interface NudgePlan {
  report: LateReport;
  /** One reminder per reachable focal point of each missing unit. */
  items: ReminderItem[];
  /** Missing units no one can be messaged for: no focal point registered, or never pressed Start. */
  unreachable: FocalContact[];
  /** Contacts by user id, to name a focal point Telegram refuses during delivery. */
  contacts: Map<number, FocalContact>;
}

/**
 * Who an official's nudge would reach for a period: the focal points of every missing unit under
 * the scope (or an area inside it). Nothing is sent here; the bot shows it, asks, then delivers.
 * Each nudge is recorded once a day (kind "nudge:<yyyy-mm-dd>", Vietnam time).
 */
export async function nudgePlan(
  deps: OfficialDeps,
  scope: OfficialScope,
  opts: { period: string; area?: string },
): Promise<{ ok: true; plan: NudgePlan } | Refusal> {
  const late = await scopedLate(deps, scope, opts);
  if (!late.ok) return late;
  const r = late.report;
  const now = deps.now ?? new Date();
  const ids = r.missing.map((u) => u.id);
  const [members, units] = await Promise.all([
    deps.db.membership.findMany({ where: { unitId: { in: ids } }, include: { user: true } }),
    deps.db.unit.findMany({ where: { id: { in: ids } }, select: { id: true, focalName: true, focalPhone: true } }),
  ]);
  const unitRow = new Map(units.map((u) => [u.id, u]));
  const v = vietnamParts(now);
  const kind = `nudge:${v.year}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}`;
  const items: ReminderItem[] = [];
  const unreachable: FocalContact[] = [];
  const contacts = new Map<number, FocalContact>();
  for (const u of r.missing) {
    const row = unitRow.get(u.id);
    const ms = members.filter((m) => m.unitId === u.id);
    if (ms.length === 0) unreachable.push({ unitId: u.id, unitName: u.name, name: row?.focalName ?? null, phone: row?.focalPhone ?? null });
    for (const m of ms) {
      const contact: FocalContact = {
        unitId: u.id,
        unitName: u.name,
        name: m.user.name ?? row?.focalName ?? null,
        phone: m.user.phone ?? row?.focalPhone ?? null,
      };
      contacts.set(m.userId, contact);
      if (!m.user.reachable) {
        unreachable.push(contact);
        continue;
      }
      items.push({
        unitId: u.id,
        unitName: u.name,
        userId: m.userId,
        telegramId: m.user.telegramId,
        period: r.period,
        kind,
        deadline: u.deadline ?? r.deadline,
        hasPrevious: false,
        from: r.under.name,
      });
    }
  }
  return { ok: true, plan: { report: r, items, unreachable, contacts } };
}

/** Mark a focal point Telegram refused (blocked the bot, never pressed Start) as unreachable. */
export async function markUnreachable(db: Db, userId: number): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { reachable: false } });
}

/**
 * The scope of the machine's operator (the CLI without `--as`): the whole subtree of one unit.
 * Throws UnknownUnitError for an unknown code.
 */
export async function operatorScope(db: Db, code: string): Promise<OfficialScope> {
  const root = await db.unit.findUnique({ where: { code }, select: { id: true, code: true, name: true, path: true, planId: true } });
  if (!root) throw new UnknownUnitError(code);
  return { userId: 0, role: "admin", root };
}
