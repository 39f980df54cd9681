/**
 * Who may open the dashboard and what they see: the same rule as the chat (an official sees the
 * subtree of their node; an admin sees their node, or the root). Every API call resolves the
 * viewer from the Telegram user id of validated init data, then asks `unitInScope` for any unit
 * it names. A refusal names nothing outside the viewer's scope.
 *
 *   const v = await dashboardViewer(db, "1002", { adminTelegramIds: [] });
 *   if (v.ok) await unitInScope(db, v.viewer, "TH-HOAMAI") // null when outside
 */
import type { Db } from "../db/client.ts";
import { rootUnits } from "../officials/scope.ts";

export interface ScopeNode {
  id: number;
  code: string;
  name: string;
  path: string;
  kind: string;
}

export interface Viewer {
  userId: number;
  telegramId: string;
  name: string | null;
  role: "official" | "admin";
  /** The node the viewer oversees: they see it and everything below it. */
  root: ScopeNode;
}

export type ViewerResult = { ok: true; viewer: Viewer } | { ok: false; problem: "unknown_user" | "not_official" | "no_scope" };

const NODE = { id: true, code: true, name: true, path: true, kind: true } as const;

/** The dashboard viewer for a Telegram user id (officials and admins only). */
export async function dashboardViewer(db: Db, telegramId: string, opts: { adminTelegramIds?: readonly string[] } = {}): Promise<ViewerResult> {
  const user = await db.user.findUnique({ where: { telegramId } });
  const isAdmin = (opts.adminTelegramIds ?? []).includes(telegramId) || user?.role === "admin";
  if (!user && !isAdmin) return { ok: false, problem: "unknown_user" };
  if (!isAdmin && user?.role !== "official") return { ok: false, problem: "not_official" };
  let root: ScopeNode | null = null;
  if (user?.officialUnitId) root = await db.unit.findUnique({ where: { id: user.officialUnitId }, select: NODE });
  if (!root && isAdmin) {
    const [top] = await rootUnits(db);
    root = top ? await db.unit.findUnique({ where: { code: top.code }, select: NODE }) : null;
  }
  if (!root) return { ok: false, problem: "no_scope" };
  return {
    ok: true,
    viewer: { userId: user?.id ?? 0, telegramId, name: user?.name ?? null, role: isAdmin ? "admin" : "official", root },
  };
}

/** The unit if it is the viewer's node or below it; null otherwise (unknown or outside: the same answer). */
export async function unitInScope(db: Db, viewer: Viewer, code: string | undefined | null): Promise<ScopeNode | null> {
  if (!code) return viewer.root;
  if (code === viewer.root.code) return viewer.root;
  const unit = await db.unit.findUnique({ where: { code }, select: NODE });
  return unit && unit.path.startsWith(viewer.root.path) ? unit : null;
}

/** The chain from the viewer's node down to `unit` (for breadcrumbs), names only inside the scope. */
export async function breadcrumb(db: Db, viewer: Viewer, unit: ScopeNode): Promise<Array<{ code: string; name: string }>> {
  const codes = unit.path.slice(viewer.root.path.length - viewer.root.code.length - 1).split("/").filter(Boolean);
  const rows = await db.unit.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } });
  const byCode = new Map(rows.map((r) => [r.code, r.name]));
  return codes.map((c) => ({ code: c, name: byCode.get(c) ?? "" }));
}
