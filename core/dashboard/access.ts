/**
 * Who may open the dashboard and what they see: the same rule as the chat (an official sees the
 * subtree of their node; an admin sees their node, or the root). Every API call resolves the
 * viewer from the Telegram user id of validated init data, then asks `unitInScope` for any unit
 * it names. A refusal names nothing outside the viewer's scope.
 *
 *   const v = await dashboardViewer(db, "1002");
 *   if (v.ok) await unitInScope(db, v.viewer, "TH-HOAMAI") // null when outside
 */
import type { Db } from "../db/client.ts";
import { officialScope, unitWithin, type OfficialScope } from "../officials/access.ts";

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
  /** The official's scope as core/officials computes it (for approval and the other scoped calls). */
  scope: OfficialScope;
  /** The node the viewer oversees: they see it and everything below it. */
  root: ScopeNode;
}

export type ViewerResult = { ok: true; viewer: Viewer } | { ok: false; problem: "unknown_user" | "not_official" | "no_scope" };

/**
 * The dashboard viewer for a Telegram user id: the official's scope from core/officials/access.ts
 * (the one the chat and the CLI use), so the three can never disagree.
 */
export async function dashboardViewer(db: Db, telegramId: string): Promise<ViewerResult> {
  const user = await db.user.findUnique({ where: { telegramId }, select: { id: true, name: true, role: true } });
  if (!user) return { ok: false, problem: "unknown_user" };
  if (user.role !== "official" && user.role !== "admin") return { ok: false, problem: "not_official" };
  const scope = await officialScope(db, user);
  if (!scope) return { ok: false, problem: "no_scope" };
  const kind = (await db.unit.findUnique({ where: { id: scope.root.id }, select: { kind: true } }))?.kind ?? "";
  return {
    ok: true,
    viewer: { userId: user.id, telegramId, name: user.name, role: scope.role, scope, root: { id: scope.root.id, code: scope.root.code, name: scope.root.name, path: scope.root.path, kind } },
  };
}

/** The unit if it is the viewer's node or below it; null otherwise (unknown or outside: the same answer). */
export async function unitInScope(db: Db, viewer: Viewer, code: string | undefined | null): Promise<ScopeNode | null> {
  if (!code || code === viewer.root.code) return viewer.root;
  const r = await unitWithin(db, viewer.scope, code);
  return r.ok ? r.unit : null;
}

/** The chain from the viewer's node down to `unit` (for breadcrumbs), names only inside the scope. */
export async function breadcrumb(db: Db, viewer: Viewer, unit: ScopeNode): Promise<Array<{ code: string; name: string }>> {
  const codes = unit.path.slice(viewer.root.path.length - viewer.root.code.length - 1).split("/").filter(Boolean);
  const rows = await db.unit.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } });
  const byCode = new Map(rows.map((r) => [r.code, r.name]));
  return codes.map((c) => ({ code: c, name: byCode.get(c) ?? "" }));
}
