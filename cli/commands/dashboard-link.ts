/**
 * `npm run cli -- dashboard-link <telegram id> [--base <url>]`: prints the dashboard's address with
 * init data signed for that user (valid one hour), for local use and tests. The key is the bot
 * token, or without one the local key the bot process uses (data/dashboard.key). Only officials and
 * admins get a link. Base: --base, else DASHBOARD_URL, else http://localhost:<WEB_PORT>.
 */
import { dashboardKey, dashboardLink, dashboardViewer, signInitData } from "../../core/dashboard/index.ts";
import { cliConfig, openCliDb } from "../db.ts";

const USAGE = "Cách dùng: npm run cli -- dashboard-link <telegram id> [--base <địa chỉ>]";

export async function run(args: string[]): Promise<number> {
  const baseAt = args.indexOf("--base");
  const base = baseAt >= 0 ? args[baseAt + 1] : undefined;
  const rest = args.filter((_, i) => i !== baseAt && i !== baseAt + 1 || baseAt < 0);
  const telegramId = rest[0];
  if (!telegramId || !/^\d+$/.test(telegramId) || (baseAt >= 0 && !base)) {
    console.error(USAGE);
    return 2;
  }
  const config = cliConfig();
  const db = await openCliDb();
  try {
    const v = await dashboardViewer(db, telegramId);
    if (!v.ok) {
      console.error(
        v.problem === "no_scope"
          ? "Người dùng này chưa được gán đơn vị quản lý. Gán bằng: npm run cli -- officials add <telegram id> <mã đơn vị>."
          : "Người dùng này không phải cán bộ quản lý hay quản trị viên. Cấp quyền bằng: npm run cli -- officials add <telegram id> <mã đơn vị>.",
      );
      return 2;
    }
    const initData = signInitData(dashboardKey(config.BOT_TOKEN), { id: Number(telegramId), first_name: v.viewer.name ?? "Cán bộ" });
    console.log(dashboardLink(base ?? config.dashboardUrl ?? `http://localhost:${config.WEB_PORT}`, initData));
    return 0;
  } finally {
    await db.$disconnect();
  }
}
