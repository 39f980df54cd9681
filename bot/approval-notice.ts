/**
 * Tells a unit's focal points at once when an official approves, returns or unapproves their
 * report from the dashboard: the period, the reason, and a button that opens the report to fix it.
 */
import { InlineKeyboard, type Api } from "grammy";
import type { ApprovalResult } from "../core/officials/approval.ts";
import { escapeHtml, unitNameHtml } from "./report-view.ts";

type Done = Extract<ApprovalResult, { ok: true }>;

export function approvalNotice(api: Api) {
  return async (action: "approve" | "return" | "unapprove", r: Done, reason: string | null): Promise<void> => {
    const what = `báo cáo ${r.item.periodLabel} của ${unitNameHtml(r.item.unit.name)}`;
    const why = reason ? `\nLý do: <i>${escapeHtml(reason)}</i>` : "";
    const text =
      action === "approve"
        ? `✅ Cấp trên đã duyệt ${what}. Báo cáo được khóa; nếu cần sửa, hãy liên hệ người duyệt.`
        : action === "return"
          ? `↩️ Cấp trên trả lại ${what} để sửa.${why}\nSửa xong, bấm Gửi để nộp lại.`
          : `🔓 Cấp trên đã mở khóa ${what} để sửa.${why}`;
    const kb = action === "approve" ? undefined : new InlineKeyboard().text("📝 Sửa báo cáo", `b:per:${r.item.unit.id}:${r.item.period}`);
    await Promise.all(r.notify.map((p) => api.sendMessage(p.telegramId, text, { parse_mode: "HTML", reply_markup: kb }).catch(() => undefined)));
  };
}
