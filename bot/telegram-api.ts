/**
 * The bot's Bot API plumbing beyond grammY's defaults:
 *
 * - `fitToTelegram`: a last-line transformer. A sendMessage/editMessageText whose text is over
 *   4,096 characters is sent as several messages cut on line boundaries (HTML kept well formed,
 *   the buttons on the last part); a caption over 1,024 is cut; button labels are cut. Views are
 *   meant to fit already (summaries paginate); this keeps a forgotten case from being rejected.
 *
 * - Flat replays in conversations. The conversations plugin (v2) builds its own Api object for the
 *   code inside a conversation and replays the conversation from its log on every update: a call
 *   made on an earlier update is answered from the log, not sent again. Transformers installed on
 *   that Api (its `plugins`) wrap the replay layer, so a throttler there would make every replayed
 *   call wait out Telegram's per-chat limit again (the k-th re-ask waited about k seconds). Here the
 *   conversation's Api gets one outer transformer, `conversationGate`, that only marks the call; the
 *   replay layer then either answers from its log or performs the real HTTP call, and that real
 *   call — caught in `gatedFetch`, below the replay layer — goes through the throttled, retrying
 *   `real` Api. So throttling and retries happen once per real call, never on a replay.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { Api, GrammyError, type Transformer } from "grammy";
import { MAX_BUTTON_TEXT, MAX_CAPTION, MAX_TEXT, clip, splitMessage } from "./telegram-text.ts";

type Payload = Record<string, unknown>;
type Fetch = (url: string, init?: unknown) => Promise<{ json(): Promise<unknown> }>;

/** grammY's own default fetch (node-fetch, with its keep-alive agents), for calls we pass through. */
const grammyFetch = createRequire(createRequire(import.meta.url).resolve("grammy"))("node-fetch") as Fetch;

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

interface PendingCall {
  method: string;
  payload: unknown;
  signal?: unknown;
  real: Api;
  taken: boolean;
}

const pending = new AsyncLocalStorage<PendingCall>();

/**
 * The Bot client's fetch: an ordinary fetch, except for a real call a conversation makes (marked
 * by {@link conversationGate}), which goes through the `real` Api's transformers instead.
 */
export function gatedFetch(inner?: Fetch): Fetch {
  const base = inner ?? grammyFetch;
  return async (url, init) => {
    const call = pending.getStore();
    if (!call || call.taken || !url.endsWith(`/${call.method}`)) return base(url, init);
    call.taken = true;
    const response = await pending.exit(async () => {
      try {
        const result = await (call.real.raw as unknown as Record<string, (p: unknown, s?: unknown) => Promise<unknown>>)[call.method]!(call.payload ?? {}, call.signal);
        return { ok: true, result };
      } catch (e) {
        if (e instanceof GrammyError) return { ok: false, error_code: e.error_code, description: e.description, parameters: e.parameters };
        throw e;
      }
    });
    return { json: async () => response };
  };
}

/** The one transformer a conversation's Api gets: marks its calls so the real ones go through `real`. */
export function conversationGate(real: Api): Transformer {
  return (prev, method, payload, signal) => pending.run({ method, payload, signal, real, taken: false }, () => prev(method, payload, signal));
}

/** An Api that performs calls with `fetch` (no gate) through `transformers` (installed in order: the last is outermost). */
export function transformedApi(token: string, options: ConstructorParameters<typeof Api>[1], fetch: Fetch | undefined, transformers: Transformer[]): Api {
  const api = new Api(token, { ...options, fetch: (fetch ?? grammyFetch) as never });
  for (const t of transformers) api.config.use(t);
  return api;
}
