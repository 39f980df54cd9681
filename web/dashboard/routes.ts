/**
 * The officials' dashboard on the bot's HTTP server: static files under /app/ (plain HTML/CSS/JS,
 * no build step, nothing from a CDN) and a JSON API under /api/dashboard/. Every API call carries
 * the Mini App's init data (`Authorization: tma <initData>`), validated on each call; the viewer and
 * every unit it names are resolved by core (core/dashboard), exactly as in chat. This file only
 * translates HTTP to core calls.
 *
 *   registerDashboard(web, { db, catalog, key, adminTelegramIds, now, send });
 *
 * 401: init data missing, tampered or older than an hour. 403: not an official or admin, or a
 * unit outside the viewer's scope (the answer names nothing). 400: a bad parameter.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CatalogStore } from "../../core/plans/index.ts";
import type { Db } from "../../core/db/client.ts";
import type { ReminderItem } from "../../core/reporting/reminders.ts";
import {
  checkInitData,
  dashboardViewer,
  lateView,
  nudgePreview,
  queueView,
  overviewView,
  periodChoices,
  progressView,
  schoolView,
  trendView,
  unitInScope,
  viewWorkbook,
  type Viewer,
} from "../../core/dashboard/index.ts";
import { parsePeriod } from "../../core/reporting/periods.ts";
import { nudgePlan } from "../../core/officials/access.ts";
import { approvalQueue, approveReport, returnReport, unapproveReport, type ApprovalResult } from "../../core/officials/approval.ts";
import { formatPeriod } from "../../core/reporting/periods.ts";
import type { WebServer } from "../server.ts";
import { approvalProblemText, VIEW_SHEET_WORDS, VIEW_WORDS } from "./words.ts";

export interface DashboardDeps {
  db: Db;
  catalog: CatalogStore;
  /** The key init data is signed with (the bot token, or the local key). */
  key: string;
  now?: () => Date;
  /** Delivers nudges (the bot's reminder delivery); absent: nudging is unavailable. */
  send?: (items: ReminderItem[]) => Promise<{ sent: number; failed: number; skipped: number; unreachable: string[] }>;
  /** Tells the unit's focal points about an approval step (the bot's messages); absent: nobody is told. */
  onApproval?: (action: "approve" | "return" | "unapprove", result: Extract<ApprovalResult, { ok: true }>, reason: string | null) => Promise<void>;
  log?: (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "public");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const REFUSED = "Bạn không có quyền xem đơn vị này. Hãy chọn một đơn vị trong phạm vi của bạn.";

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64_000) throw new HttpError(413, "Yêu cầu quá lớn.");
    chunks.push(c as Buffer);
  }
  if (!chunks.length) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, "Yêu cầu không hợp lệ.");
  }
}

export function registerDashboard(web: WebServer, deps: DashboardDeps): void {
  const now = deps.now ?? (() => new Date());

  web.route("GET", "/app", (_req, res) => void res.writeHead(302, { location: "/app/" }).end());
  web.route("GET", "/app/*", async (req, res) => {
    const rel = decodeURIComponent((req.url ?? "/").split("?")[0]!.slice("/app/".length)) || "index.html";
    const file = path.join(PUBLIC_DIR, path.normalize(rel));
    if (!file.startsWith(PUBLIC_DIR + path.sep) || !TYPES[path.extname(file)]) return void res.writeHead(404).end("not found\n");
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)]!, "cache-control": "no-cache" }).end(body);
    } catch {
      res.writeHead(404).end("not found\n");
    }
  });

  /** The viewer behind the request's init data, or an HttpError (401/403). */
  async function viewerOf(req: IncomingMessage): Promise<Viewer> {
    const header = req.headers.authorization ?? "";
    const initData = header.startsWith("tma ") ? header.slice(4) : undefined;
    const check = checkInitData(initData, deps.key);
    if (!check.ok) {
      throw new HttpError(401, check.problem === "expired" ? "Phiên đăng nhập đã hết hạn. Hãy đóng và mở lại bảng điều khiển từ Telegram." : "Không xác thực được. Hãy mở bảng điều khiển từ nút trong Telegram.");
    }
    const v = await dashboardViewer(deps.db, check.telegramId);
    if (!v.ok) throw new HttpError(403, "Bảng điều khiển dành cho cán bộ quản lý. Nếu bạn là cán bộ quản lý, hãy xin mã mời từ quản trị viên.");
    return v.viewer;
  }

  async function scoped(viewer: Viewer, code: string | null) {
    const unit = await unitInScope(deps.db, viewer, code);
    if (!unit) throw new HttpError(403, REFUSED);
    return unit;
  }

  function periodParam(q: URLSearchParams): string {
    const p = q.get("period") || periodChoices(now()).current;
    try {
      return parsePeriod(p).key;
    } catch {
      throw new HttpError(400, "Kỳ báo cáo không hợp lệ. Hãy chọn kỳ trong danh sách.");
    }
  }

  async function view(kind: string, viewer: Viewer, q: URLSearchParams) {
    const catalog = await deps.catalog.get();
    const under = await scoped(viewer, q.get("under"));
    if (kind === "overview") return { kind, view: await overviewView(deps.db, catalog, viewer, { period: periodParam(q), under, now: now() }, VIEW_WORDS) } as const;
    if (kind === "progress") return { kind, view: await progressView(deps.db, catalog, viewer, { period: periodParam(q), under, target: q.get("target") || undefined }, VIEW_WORDS) } as const;
    if (kind === "late") return { kind, view: await lateView(deps.db, catalog, { period: periodParam(q), under, now: now() }, VIEW_WORDS) } as const;
    if (kind === "school") return { kind, view: await schoolView(deps.db, catalog, viewer, under, VIEW_WORDS) } as const;
    throw new HttpError(404, "Không có trang này.");
  }

  const handle = (method: "GET" | "POST") => async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const name = url.pathname.slice("/api/dashboard/".length);
    const q = url.searchParams;
    try {
      const viewer = await viewerOf(req);
      if (method === "GET" && name === "me") {
        const p = periodChoices(now());
        return json(res, 200, {
          name: viewer.name,
          role: viewer.role === "admin" ? "Quản trị viên" : "Cán bộ quản lý",
          root: { ref: viewer.root.code, label: viewer.root.name },
          periods: p.choices,
          period: p.current,
          canNudge: !!deps.send,
        });
      }
      if (method === "GET" && ["overview", "progress", "late", "school"].includes(name)) return json(res, 200, (await view(name, viewer, q)).view);
      if (method === "GET" && name === "trend") {
        const under = await scoped(viewer, q.get("under"));
        const t = await trendView(deps.db, await deps.catalog.get(), { code: q.get("target") ?? "", under, period: periodParam(q) }, VIEW_WORDS);
        if (!t) throw new HttpError(404, "Không tìm thấy chỉ tiêu này.");
        return json(res, 200, t);
      }
      if (method === "GET" && name === "export") {
        const file = await viewWorkbook(await view(q.get("view") ?? "", viewer, q), VIEW_SHEET_WORDS);
        res.writeHead(200, {
          "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "content-disposition": `attachment; filename="${file.filename}"`,
          "cache-control": "no-store",
        });
        return void res.end(file.buffer);
      }
      if (method === "GET" && name === "queue") {
        const period = periodParam(q);
        const status = q.get("status") === "approved" || q.get("status") === "returned" ? (q.get("status") as "approved" | "returned") : "pending";
        const queue = await approvalQueue({ db: deps.db, catalog: await deps.catalog.get(), now: now() }, viewer.scope, { period, status, limit: 100 });
        return json(res, 200, queueView(queue, formatPeriod(parsePeriod(period)), VIEW_WORDS));
      }
      if (method === "POST" && (name === "approve" || name === "return" || name === "unapprove")) {
        const body = await readBody(req);
        const reportId = Number(body.report);
        if (!Number.isInteger(reportId) || reportId <= 0) throw new HttpError(400, "Yêu cầu không hợp lệ. Hãy tải lại danh sách.");
        const reason = typeof body.reason === "string" ? body.reason : "";
        const coreDeps = { db: deps.db, catalog: await deps.catalog.get(), now: now() };
        const r =
          name === "approve"
            ? await approveReport(coreDeps, viewer.scope, { reportId })
            : name === "return"
              ? await returnReport(coreDeps, viewer.scope, { reportId, reason })
              : await unapproveReport(coreDeps, viewer.scope, { reportId, reason });
        if (!r.ok) throw new HttpError(r.problem === "not_found" ? 403 : r.problem === "reason_required" ? 400 : 409, approvalProblemText(r.problem));
        await deps.onApproval?.(name, r, reason || null).catch((e) => deps.log?.("warn", "approval notice failed", { err: String(e) }));
        return json(res, 200, { ok: true, statusLabel: name === "approve" ? "Đã duyệt" : name === "return" ? "Đã trả lại" : "Chờ duyệt", unit: r.item.unit.name, periodLabel: r.item.periodLabel });
      }
      if (method === "POST" && (name === "nudge/preview" || name === "nudge/confirm")) {
        const body = await readBody(req);
        const under = await scoped(viewer, typeof body.under === "string" ? body.under : null);
        const period = periodParam(new URLSearchParams({ period: typeof body.period === "string" ? body.period : "" }));
        const planned = await nudgePlan({ db: deps.db, catalog: await deps.catalog.get(), now: now() }, viewer.scope, { period, area: under.code });
        if (!planned.ok) throw new HttpError(403, REFUSED);
        const plan = planned.plan;
        const preview = nudgePreview(plan, VIEW_WORDS);
        if (name === "nudge/preview") return json(res, 200, preview);
        if (!deps.send) throw new HttpError(503, "Chưa gửi được nhắc nhở lúc này (bot chưa kết nối Telegram). Hãy thử lại sau.");
        const result = await deps.send(plan.items);
        deps.log?.("info", "dashboard nudge", { sent: result.sent, failed: result.failed, skipped: result.skipped });
        return json(res, 200, { ...preview, sent: result.sent, failed: result.failed, skipped: result.skipped });
      }
      throw new HttpError(404, "Không có trang này.");
    } catch (e) {
      if (e instanceof HttpError) return json(res, e.status, { error: e.message });
      deps.log?.("error", "dashboard api failed", { err: e, path: url.pathname });
      return json(res, 500, { error: "Có lỗi khi tải dữ liệu. Hãy thử lại sau ít phút." });
    }
  };
  web.route("GET", "/api/dashboard/*", handle("GET"));
  web.route("POST", "/api/dashboard/*", handle("POST"));
}
