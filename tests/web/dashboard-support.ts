/**
 * The dashboard on a real HTTP server (web/server.ts + web/dashboard/routes.ts) over a real
 * database seeded with the officials' fixture, plus the users who open it:
 *   5001 official of XA-TANKY, 5002 official of XA-BINHAN, 5003 official of SO-DEMO (department),
 *   5004 focal point of TH-SAOMAI (not an official), 6001 focal point of TH-SAOMAI reachable by chat.
 */
import { createWebServer, type WebServer } from "../../web/server.ts";
import { registerDashboard } from "../../web/dashboard/routes.ts";
import { dashboardLink, signInitData } from "../../core/dashboard/index.ts";
import type { ReminderItem } from "../../core/reporting/reminders.ts";
import { freshDb, type DbTarget, type TestDb } from "../support/db.ts";
import { seedHierarchy, testCatalog } from "../officials/fixture.ts";

export const KEY = "123456:TEST-dashboard-key";
/** The dashboard's "now": 28 March 2026 in Vietnam (the fixture's period is March 2026). */
export const NOW = new Date("2026-03-28T10:00:00+07:00");
export const REASON = "Giáo viên mới chuyển đến chưa được cấp chữ ký số";

export interface DashboardServer {
  t: TestDb;
  web: WebServer;
  base: string;
  sent: ReminderItem[][];
  /** Approval steps the dashboard reported to the bot (to tell the focal points). */
  approvals: Array<{ action: string; unit: string; reason: string | null; notify: string[] }>;
  link(telegramId: number, authDate?: Date): string;
  initData(telegramId: number, authDate?: Date): string;
  stop(): Promise<void>;
}

export async function startDashboard(target: DbTarget = "sqlite"): Promise<DashboardServer> {
  const t = await freshDb(target);
  await seedHierarchy(t.db);
  const { db } = t;
  const unit = (code: string) => db.unit.findUniqueOrThrow({ where: { code } });
  const official = async (telegramId: string, code: string, name: string) =>
    db.user.create({ data: { telegramId, name, role: "official", officialUnitId: (await unit(code)).id } });
  await official("5001", "XA-TANKY", "Cán bộ xã Tân Kỳ");
  await official("5002", "XA-BINHAN", "Cán bộ xã Bình An");
  await official("5003", "SO-DEMO", "Cán bộ Sở");
  const saomai = await unit("TH-SAOMAI");
  await db.unit.update({ where: { id: saomai.id }, data: { focalName: "Nguyễn Thị Lan", focalPhone: "0900000201" } });
  const binhan = await unit("XA-BINHAN");
  await db.unit.update({ where: { id: binhan.id }, data: { focalName: "Trần Văn Bình", focalPhone: "0900000202" } });
  const focal = await db.user.create({ data: { telegramId: "5004", name: "Cô Lan", role: "focal" } });
  await db.membership.create({ data: { userId: focal.id, unitId: saomai.id } });
  // THCS Tân Kỳ explains why it is below the digital-signature target
  const thcs = await db.report.findFirstOrThrow({ where: { unit: { code: "THCS-TANKY" }, period: "2026-03" } });
  await db.answer.update({ where: { reportId_indicatorCode: { reportId: thcs.id, indicatorCode: "TK-01" } }, data: { reason: REASON } });

  const catalog = testCatalog();
  const sent: ReminderItem[][] = [];
  const approvals: DashboardServer["approvals"] = [];
  const web = createWebServer({ port: 0, host: "127.0.0.1" });
  registerDashboard(web, {
    db,
    catalog: { get: async () => catalog, invalidate() {} },
    key: KEY,
    now: () => NOW,
    send: async (items) => {
      sent.push(items);
      return { sent: items.length, failed: 0, skipped: 0, unreachable: [] };
    },
    onApproval: async (action, r, reason) => {
      approvals.push({ action, unit: r.item.unit.name, reason, notify: r.notify.map((p) => p.telegramId) });
    },
    log: (level, msg, extra) => {
      if (level === "error") console.error(msg, extra);
    },
  });
  const port = await web.listen();
  const base = `http://127.0.0.1:${port}`;
  const initData = (id: number, authDate = new Date()) => signInitData(KEY, { id, first_name: "Thử" }, authDate);
  return {
    t,
    web,
    base,
    sent,
    approvals,
    initData,
    link: (id, authDate) => dashboardLink(base, initData(id, authDate)),
    async stop() {
      await web.close(1000);
      await t.close();
    },
  };
}

/** Calls the API as a user (or with raw init data). */
export async function api(s: DashboardServer, path: string, who: number | string | null, init: RequestInit = {}) {
  const initData = typeof who === "number" ? s.initData(who) : who;
  const res = await fetch(`${s.base}/api/dashboard/${path}`, {
    ...init,
    headers: { ...(initData !== null ? { authorization: `tma ${initData}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) },
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}
