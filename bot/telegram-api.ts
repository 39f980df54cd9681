/**
 * The bot's Bot API plumbing beyond grammY's defaults:
 *
 * - `fitToTelegram`: a last-line transformer. A sendMessage/editMessageText whose text is over
 *   4,096 characters is sent as several messages cut on line boundaries (HTML kept well formed,
 *   the buttons on the last part); a caption over 1,024 is cut; button labels are cut. Views are
 *   meant to fit already (summaries paginate); this keeps a forgotten case from being rejected.

 *
 * No conversations plugin replays here (the reporting steps live in the database, see
 * bot/features/report.ts), so the throttler and retries run once per real call.
 */
import { type Transformer } from "grammy";
import { MAX_BUTTON_TEXT, MAX_CAPTION, MAX_TEXT, clip, splitMessage } from "./telegram-text.ts";

type Payload = Record<string, unknown>;


function clipButtons(markup: unknown): unknown {
  const kb = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(kb)) return markup;
  let changed = false;
  const rows = kb.map((row: unknown) =>
    Array.isArray(row)
      ? row.map((b: { text?: unknown }) => {
          if (typeof b?.text !== "string" || b.text.length <= MAX_BUTTON_TEXT) return b;
          changed = true;
          return { ...b, text: clip(b.text, MAX_BUTTON_TEXT) };
        })
      : row,
  );
  return changed ? { ...(markup as object), inline_keyboard: rows } : markup;
}

/** See the module comment. Install it last on an Api (outermost), so each part is throttled on its own. */
export const fitToTelegram: Transformer = async (prev, method, payload, signal) => {
  let p = payload as Payload;
  if (p && typeof p === "object" && "reply_markup" in p) {
    const markup = clipButtons(p.reply_markup);
    if (markup !== p.reply_markup) p = { ...p, reply_markup: markup };
  }
  const html = p?.parse_mode === "HTML";
  if (typeof p?.caption === "string" && p.caption.length > MAX_CAPTION) {
    const [first] = splitMessage(p.caption, { max: MAX_CAPTION - 1, html });
    p = { ...p, caption: `${first!.replace(/\n+$/, "")}…` };
  }
  if ((method !== "sendMessage" && method !== "editMessageText") || typeof p?.text !== "string" || p.text.length <= MAX_TEXT) {
    return prev(method, p as never, signal);
  }
  const parts = splitMessage(p.text, { html });
  const { reply_markup, text: _text, ...rest } = p;
  void _text;
  if (method === "editMessageText") {
    // the message edited shows the first part; the rest follow as new messages, the buttons on the last
    const first = await prev(method, { ...rest, text: parts[0] } as never, signal);
    if (!first.ok || typeof rest.chat_id === "undefined") return first;
    const { message_id: _m, inline_message_id: _i, ...send } = rest;
    void _m;
    void _i;
    for (let i = 1; i < parts.length; i++) {
      const res = await prev("sendMessage", { ...send, text: parts[i], ...(i === parts.length - 1 && reply_markup ? { reply_markup } : {}) } as never, signal);
      if (!res.ok) return res as never;
    }
    return first;
  }
  let last: Awaited<ReturnType<typeof prev>> | undefined;
  for (let i = 0; i < parts.length; i++) {
    // a reply quotes the user's message once; the buttons go under the last part
    const base = i === 0 ? rest : { ...rest, reply_parameters: undefined, reply_to_message_id: undefined };
    last = await prev(method, { ...base, text: parts[i], ...(i === parts.length - 1 && reply_markup ? { reply_markup } : {}) } as never, signal);
    if (!last.ok) return last;
  }
  return last!;
};
