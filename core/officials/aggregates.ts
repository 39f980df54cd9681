/**
 * Progress aggregates kept current as reports change (DHIS2 precomputes its analytics tables):
 * one "ProgressCell" row per (unit with children, period, indicator, Target version, level,
 * approved) holding the sums progressReport needs, so a province's progress reads ~100 rows
 * instead of aggregating 400,000 answers.
 *
 *   await applyReportToAggregates(tx, reportId);        // in the transaction that changed it
 *   const rows = await progressCells(db, unitId, ["2026-06", "2026-05"], { level, approvedOnly });
 *   await rebuildAggregates(db);                         // `npm run cli -- aggregates rebuild`
 *
 * Correctness does not depend on every writer calling the hook: database triggers (migration
 * 202611301610_aggregates) mark each changed (unit, period) in "AggregateDirty" — answers and
 * reports of submitted reports, and tree changes ("*" = every period). catchUp() recomputes what
 * is marked; progressReport catches up a small backlog before reading and falls back to the live
 * query over the answers when the backlog is large (a rebuild after a big import), so figures are
 * never stale.
 *
 * A node's cell = the node's own answers + its leaf children's answers + the cells of its
 * children that have children. Recomputing a node reads at most (children × indicators × levels)
 * rows; a change recomputes the unit and its ancestors (3–4 nodes), deepest first, in the same
 * transaction. No delta arithmetic: each recompute is idempotent and self-correcting.
 */
import { Prisma } from "../../generated/sqlite/client.ts";
import type { Db } from "../db/client.ts";
import { splitLevels } from "./scope.ts";

/** A transaction client or the client itself. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends"> | Db;

/** More marked (node, period) pairs than this: progress reads the answers live; catch up at start or with the CLI. */
export const INLINE_CATCH_UP_LIMIT = 200;

interface CellSums {
  answered: number;
  ratioAnswered: number;
  num: number;
  den: number;
  yes: number;
  total: number;
  meeting: number;
}

/** One period's sums of one indicator, shaped like progress.ts's live GROUP BY row. */
export interface CellRow {
  code: string;
  period: string;
  answered: number;
  num: number | null;
  den: number | null;
  yes: number;
  total: number | null;
  meeting: number;
  targetId: number | null;
}

const n = (x: unknown): number => (x === null || x === undefined ? 0 : Number(x));

function add(into: CellSums, r: CellSums): void {
  into.answered += n(r.answered);
  into.ratioAnswered += n(r.ratioAnswered);
  into.num += n(r.num);
  into.den += n(r.den);
  into.yes += n(r.yes);
  into.total += n(r.total);
  into.meeting += n(r.meeting);
}

const empty = (): CellSums => ({ answered: 0, ratioAnswered: 0, num: 0, den: 0, yes: 0, total: 0, meeting: 0 });

/** Recompute one node's cells for one period from its own and its children's data. */
async function recompute(tx: Tx, nodeId: number, period: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "ProgressCell" WHERE "nodeId" = ${nodeId} AND "period" = ${period}`;
  const children = await tx.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "Unit" WHERE "parentId" = ${nodeId}`;
  if (n(children[0]?.n) === 0) return; // a leaf (or a deleted unit): no cells, its parent reads its answers
  // The node's own answers and its leaf children's, by the unit's level list.
  const own = await tx.$queryRaw<Array<CellSums & { levels: string; code: string; targetId: number | bigint; approved: number | bigint }>>`
    SELECT u."levels" AS "levels", a."indicatorCode" AS "code", COALESCE(a."targetId", 0) AS "targetId",
      CASE WHEN r."approvalStatus" = 'approved' THEN 1 ELSE 0 END AS "approved",
      COUNT(*) AS "answered",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN 1 ELSE 0 END) AS "ratioAnswered",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN a."numerator" ELSE 0 END) AS "num",
      SUM(CASE WHEN a."denominator" > 0 AND a."numerator" IS NOT NULL THEN a."denominator" ELSE 0 END) AS "den",
      SUM(CASE WHEN a."value" <> 0 THEN 1 ELSE 0 END) AS "yes",
      SUM(COALESCE(a."value", 0)) AS "total",
      SUM(CASE WHEN a."meetsTarget" THEN 1 ELSE 0 END) AS "meeting"
    FROM "Unit" u
      JOIN "Report" r ON r."unitId" = u."id" AND r."period" = ${period} AND r."status" = 'submitted'
      JOIN "Answer" a ON a."reportId" = r."id"
    WHERE (u."id" = ${nodeId} OR (u."parentId" = ${nodeId} AND NOT EXISTS (SELECT 1 FROM "Unit" g WHERE g."parentId" = u."id")))
      AND a."skipped" = false AND (a."value" IS NOT NULL OR a."numerator" IS NOT NULL)
    GROUP BY u."levels", a."indicatorCode", COALESCE(a."targetId", 0), CASE WHEN r."approvalStatus" = 'approved' THEN 1 ELSE 0 END`;
  // The cells of its children that have children.
  const below = await tx.$queryRaw<Array<CellSums & { level: string; code: string; targetId: number | bigint; approved: boolean | number }>>`
    SELECT c."level" AS "level", c."indicatorCode" AS "code", c."targetId" AS "targetId", c."approved" AS "approved",
      SUM(c."answered") AS "answered", SUM(c."ratioAnswered") AS "ratioAnswered", SUM(c."num") AS "num", SUM(c."den") AS "den",
      SUM(c."yes") AS "yes", SUM(c."total") AS "total", SUM(c."meeting") AS "meeting"
    FROM "ProgressCell" c
    WHERE c."period" = ${period} AND c."nodeId" IN (
      SELECT u."id" FROM "Unit" u WHERE u."parentId" = ${nodeId} AND EXISTS (SELECT 1 FROM "Unit" g WHERE g."parentId" = u."id"))
    GROUP BY c."level", c."indicatorCode", c."targetId", c."approved"`;
  const cells = new Map<string, CellSums & { level: string; code: string; targetId: number; approved: boolean }>();
  const into = (level: string, code: string, targetId: number, approved: boolean, sums: CellSums) => {
    const key = `${level}|${code}|${targetId}|${approved ? 1 : 0}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { ...empty(), level, code, targetId, approved }));
    add(cell, sums);
  };
  for (const r of own) {
    const approved = n(r.approved) === 1;
    for (const level of ["", ...new Set(splitLevels(r.levels))]) into(level, r.code, n(r.targetId), approved, r);
  }
  for (const r of below) into(r.level, r.code, n(r.targetId), Boolean(n(r.approved)), r);
  if (!cells.size) return;
  await tx.progressCell.createMany({
    data: [...cells.values()].map((c) => ({
      nodeId,
      period,
      indicatorCode: c.code,
      targetId: c.targetId,
      level: c.level,
      approved: c.approved,
      answered: c.answered,
      ratioAnswered: c.ratioAnswered,
      num: c.num,
      den: c.den,
      yes: c.yes,
      total: c.total,
      meeting: c.meeting,
    })),
  });
}

/** Ancestors of each unit (nearest first), walking parentId one level per query. */
async function ancestorChains(tx: Tx, ids: number[]): Promise<Map<number, number[]>> {
  const parent = new Map<number, number | null>();
  let todo = [...new Set(ids)];
  while (todo.length) {
    const rows = await tx.unit.findMany({ where: { id: { in: todo } }, select: { id: true, parentId: true } });
    for (const id of todo) parent.set(id, null);
    for (const r of rows) parent.set(r.id, r.parentId);
    todo = [...new Set(rows.map((r) => r.parentId).filter((p): p is number => p !== null && !parent.has(p)))];
  }
  const chains = new Map<number, number[]>();
  for (const id of new Set(ids)) {
    const chain: number[] = [];
    for (let p = parent.get(id) ?? null; p !== null && !chain.includes(p); p = parent.get(p) ?? null) chain.push(p);
    chains.set(id, chain);
  }
  return chains;
}

/**
 * Recompute what the triggers marked (all of it, or only `only`'s (unit, period)), deepest node
 * first, and clear the marks. Run it inside a transaction; it takes the "AggregateMeta" row lock
 * first, so concurrent catch-ups (PostgreSQL) run one after the other and each sees the other's cells.
 */
export async function catchUp(tx: Tx, only?: { unitId: number; period: string }): Promise<number> {
  await tx.$executeRaw`UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" WHERE "id" = 1`;
  const marks = only
    ? await tx.$queryRaw<Array<{ nodeId: number | bigint; period: string }>>`
        SELECT "nodeId", "period" FROM "AggregateDirty" WHERE "nodeId" = ${only.unitId} AND "period" = ${only.period}`
    : await tx.$queryRaw<Array<{ nodeId: number | bigint; period: string }>>`SELECT "nodeId", "period" FROM "AggregateDirty"`;
  if (!marks.length) return 0;
  const chains = await ancestorChains(tx, marks.map((m) => n(m.nodeId)));
  let allPeriods: string[] | null = null;
  const work = new Map<string, { nodeId: number; period: string; depth: number }>();
  for (const m of marks) {
    const unitId = n(m.nodeId);
    const chain = [unitId, ...(chains.get(unitId) ?? [])];
    let periods = [m.period];
    if (m.period === "*") {
      allPeriods ??= (
        await tx.$queryRaw<Array<{ period: string }>>`
          SELECT DISTINCT "period" FROM "Report" WHERE "status" = 'submitted'
          UNION SELECT DISTINCT "period" FROM "ProgressCell"`
      ).map((r) => r.period);
      periods = allPeriods;
    }
    chain.forEach((nodeId, i) => {
      for (const period of periods) work.set(`${nodeId}|${period}`, { nodeId, period, depth: chain.length - i });
    });
  }
  // Only units with children hold cells: a school's mark recomputes its commune and above, and a
  // unit that lost its last child (a "*" mark) has its cells dropped.
  const internal = new Set(
    (await tx.$queryRaw<Array<{ id: number | bigint }>>`SELECT DISTINCT "parentId" AS "id" FROM "Unit" WHERE "parentId" IS NOT NULL`).map((r) => n(r.id)),
  );
  const dropped = [...new Set(marks.filter((m) => m.period === "*" && !internal.has(n(m.nodeId))).map((m) => n(m.nodeId)))];
  if (dropped.length) await tx.progressCell.deleteMany({ where: { nodeId: { in: dropped } } });
  const ordered = [...work.values()].filter((w) => internal.has(w.nodeId)).sort((a, b) => b.depth - a.depth);
  for (const w of ordered) await recompute(tx, w.nodeId, w.period);
  // Delete exactly the marks read (a concurrent writer's new mark on PostgreSQL stays), 400 at a
  // time: 2 bound values a mark, and Prisma allows 999 a query on SQLite (a national rebuild marks 536+ nodes).
  for (let i = 0; i < marks.length; i += 400) {
    await tx.aggregateDirty.deleteMany({ where: { OR: marks.slice(i, i + 400).map((m) => ({ nodeId: n(m.nodeId), period: m.period })) } });
  }
  return ordered.length;
}

/**
 * The hook for every write path that changes a report's counted answers (submit, edit,
 * approve, return, unapprove): call it inside the same transaction, after the writes.
 */
export async function applyReportToAggregates(tx: Tx, reportId: number): Promise<void> {
  const report = await tx.report.findUnique({ where: { id: reportId }, select: { unitId: true, period: true } });
  if (report) await catchUp(tx, report);
}

/** Catch up every mark (bot start, CLI). Returns the number of (node, period) cells recomputed. */
export async function refreshAggregates(db: Db): Promise<number> {
  return db.$transaction((tx) => catchUp(tx), { timeout: 30 * 60_000, maxWait: 60_000 });
}

/** Drop every cell and recompute from the answers (`npm run cli -- aggregates rebuild`). */
export async function rebuildAggregates(db: Db): Promise<number> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`DELETE FROM "ProgressCell"`;
      await tx.$executeRaw`DELETE FROM "AggregateDirty"`;
      const parents = await tx.$queryRaw<Array<{ id: number | bigint }>>`SELECT DISTINCT "parentId" AS "id" FROM "Unit" WHERE "parentId" IS NOT NULL`;
      for (const p of parents) await tx.aggregateDirty.create({ data: { nodeId: n(p.id), period: "*" } });
      return catchUp(tx);
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
}

/** How many (node, period) marks wait to be recomputed. */
export async function pendingMarks(db: Tx): Promise<number> {
  const rows = await db.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "AggregateDirty"`;
  return n(rows[0]?.n);
}

/**
 * The aggregates of `nodeId`'s subtree for these periods, or null when they cannot be used: the
 * node has no children (its own answers are cheaper to read live), or more than
 * INLINE_CATCH_UP_LIMIT marks wait (a small backlog is caught up first).
 */
export async function progressCells(
  db: Db,
  nodeId: number,
  periods: [string, string?],
  opts: { level?: string; approvedOnly?: boolean },
): Promise<CellRow[] | null> {
  const pending = await pendingMarks(db);
  if (pending > INLINE_CATCH_UP_LIMIT) return null;
  if (pending > 0) await db.$transaction((tx) => catchUp(tx), { timeout: 60_000, maxWait: 30_000 });
  const level = opts.level?.toLowerCase() ?? "";
  const everyReport = opts.approvedOnly ? 0 : 1;
  const [first, second = first] = periods;
  const rows = await db.$queryRaw<Array<CellSums & { code: string; period: string; targetId: number | bigint }>>`
    SELECT "indicatorCode" AS "code", "period", "targetId",
      SUM("answered") AS "answered", SUM("ratioAnswered") AS "ratioAnswered", SUM("num") AS "num", SUM("den") AS "den",
      SUM("yes") AS "yes", SUM("total") AS "total", SUM("meeting") AS "meeting"
    FROM "ProgressCell"
    WHERE "nodeId" = ${nodeId} AND "period" IN (${first}, ${second}) AND "level" = ${level}
      AND ("approved" = ${true} OR ${everyReport} = 1)
    GROUP BY "indicatorCode", "period", "targetId"`;
  if (!rows.length) {
    // No cells: either nothing was submitted, or the node is a leaf (no cells ever).
    const children = await db.unit.count({ where: { parentId: nodeId } });
    if (children === 0) return null;
  }
  const out = new Map<string, CellRow & { ratioAnswered: number }>();
  for (const r of rows) {
    if (n(r.answered) === 0) continue;
    const key = `${r.period}|${r.code}`;
    let row = out.get(key);
    if (!row) out.set(key, (row = { code: r.code, period: r.period, answered: 0, ratioAnswered: 0, num: 0, den: 0, yes: 0, total: 0, meeting: 0, targetId: null }));
    row.answered += n(r.answered);
    row.ratioAnswered += n(r.ratioAnswered);
    row.num = n(row.num) + n(r.num);
    row.den = n(row.den) + n(r.den);
    row.yes += n(r.yes);
    row.total = n(row.total) + n(r.total);
    row.meeting += n(r.meeting);
    const t = n(r.targetId);
    if (t > 0 && (row.targetId === null || t > row.targetId)) row.targetId = t;
  }
  return [...out.values()].map(({ ratioAnswered, ...r }) => (ratioAnswered > 0 ? r : { ...r, num: null, den: null }));
}

/** One indicator's sums for one period of `nodeId`'s subtree (every level, every submitted report); num/den null without ratio answers. */
export type PeriodCell = Omit<CellRow, "code" | "targetId">;

/**
 * One indicator's aggregates of `nodeId`'s subtree over several periods (a trend), or null when
 * they cannot be used (a leaf, or a large backlog; see progressCells). Periods without answers
 * are absent.
 */
export async function periodCells(db: Db, nodeId: number, code: string, periods: string[]): Promise<PeriodCell[] | null> {
  if (!periods.length) return [];
  const pending = await pendingMarks(db);
  if (pending > INLINE_CATCH_UP_LIMIT) return null;
  if ((await db.unit.count({ where: { parentId: nodeId } })) === 0) return null;
  if (pending > 0) await db.$transaction((tx) => catchUp(tx), { timeout: 60_000, maxWait: 30_000 });
  const rows = await db.$queryRaw<Array<CellSums & { period: string }>>`
    SELECT "period",
      SUM("answered") AS "answered", SUM("ratioAnswered") AS "ratioAnswered", SUM("num") AS "num", SUM("den") AS "den",
      SUM("yes") AS "yes", SUM("total") AS "total", SUM("meeting") AS "meeting"
    FROM "ProgressCell"
    WHERE "nodeId" = ${nodeId} AND "indicatorCode" = ${code} AND "level" = ''
      AND "period" IN (${Prisma.join(periods)})
    GROUP BY "period"`;
  return rows
    .filter((r) => n(r.answered) > 0)
    .map((r) => {
      const ratio = n(r.ratioAnswered) > 0;
      return { period: r.period, answered: n(r.answered), num: ratio ? n(r.num) : null, den: ratio ? n(r.den) : null, yes: n(r.yes), total: n(r.total), meeting: n(r.meeting) };
    });
}
