/**
 * A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and the local terminal chat.
 *
 * The real bot runs unchanged against it: `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`
 * with long polling (`bot.start()` or `run(bot)` from @grammyjs/runner). The server answers the
 * Bot API methods a reporting bot uses (a method table below), in the Bot API's shape and with the
 * Bot API's errors (400 for bad HTML or "message is not modified", 403 for a blocked user, 429 when
 * told to fail). The human side is played by {@link FakeBotApi.userSays}, {@link FakeBotApi.tapButton},
 * {@link FakeBotApi.shareContact}; what the bot sent is read with {@link FakeBotApi.messages} and
 * awaited with {@link FakeBotApi.waitFor} (event-driven, no polling).
 *
 * @example
 * const fake = new FakeBotApi(); await fake.start();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
 * bot.command("start", (ctx) => ctx.reply("Xin chào"));
 * void bot.start();
 * fake.userSays({ id: 1, first_name: "Lan" }, "/start");
 * await fake.nextReply(1); // { text: "Xin chào", ... }
 */
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { htmlToText } from "./render.ts";

/** A human on the fake Telegram. Their private chat with the bot has chat id = user id. */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
}

/** A file the bot uploaded (sendPhoto/sendDocument) or a user sent. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_name: string;
  mime_type: string;
  bytes: Buffer;
}

/** One earlier state of an edited message. */
export interface MessageRevision {
  at: number;
  text?: string;
  caption?: string;
  reply_markup?: unknown;
}

/** A message the bot sent, kept current as the bot edits it; `edits` holds the earlier states. */
export interface BotMessage {
  message_id: number;
  chat_id: number;
  date: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  reply_markup?: unknown;
  photo?: StoredFile & { width: number; height: number };
  document?: StoredFile;
  edits: MessageRevision[];
  deleted: boolean;
}

/** Something that happened to a bot message; `message` is a snapshot taken at that moment. */
export interface BotEvent {
  seq: number;
  kind: "sent" | "edited" | "deleted";
  chatId: number;
  message: BotMessage;
}

/** One HTTP call the bot made, for rate and behaviour assertions. */
export interface ApiCall {
  method: string;
  at: number;
  chatId?: number;
  params: Record<string, unknown>;
  /** HTTP status the fake answered with (200 when ok). */
  status: number;
  /** The error's description when the status is not 200. */
  description?: string;
}

/** An answerCallbackQuery the bot made (the toast a user sees after tapping). */
export interface CallbackAnswer {
  callback_query_id: string;
  chat_id: number;
  text?: string;
  show_alert: boolean;
  at: number;
}

/** A Bot API update, as sent to the bot (see Telegram's Update object). */
export type Update = { update_id: number } & Record<string, unknown>;

/** Options of {@link FakeBotApi.failNext}. */
export interface FailureOptions {
  /** HTTP status and Bot API error_code: 429 (default), 400, 403, 500… */
  status?: number;
  /** Seconds for 429's parameters.retry_after (default 1). */
  retryAfter?: number;
  /** How many consecutive calls fail (default 1). */
  times?: number;
  /** Overrides the error description. */
  description?: string;
}

/** Options of the FakeBotApi constructor. */
export interface FakeBotApiOptions {
  token?: string;
  /** Fields merged into the getMe result. */
  botInfo?: Partial<BotInfo>;
  /** Reject HTML that Telegram would reject ("can't parse entities"); default true. */
  strictHtml?: boolean;
}

/** The getMe result. */
export interface BotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
  can_connect_to_business: boolean;
  has_main_web_app: boolean;
}

/** A Bot API error a method handler throws; becomes {ok:false, error_code, description}. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

/** Methods counted by {@link FakeBotApi.maxRate} by default: those that put a new message in a chat. */
export const MESSAGE_METHODS = ["sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage"];

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);

interface ChatState {
  id: number;
  user?: FakeUser;
  nextMessageId: number;
  messages: BotMessage[];
}

interface Poller {
  limit: number;
  finish: (updates: Update[]) => void;
}

interface RequestContext {
  params: Record<string, unknown>;
  files: Map<string, { filename: string; mimeType: string; bytes: Buffer }>;
  res: http.ServerResponse;
}

type Handler = (ctx: RequestContext) => unknown;

/** The fake Telegram Bot API server. See the module comment. */
export class FakeBotApi {
  readonly token: string;
  readonly botInfo: BotInfo;
  /** Every API call, in order, with its time (ms since epoch). */
  readonly calls: ApiCall[] = [];
  /** Every change to a bot message, in order. */
  readonly events: BotEvent[] = [];
  /** Every answerCallbackQuery, in order. */
  readonly callbackAnswers: CallbackAnswer[] = [];
  /** Commands stored by setMyCommands, keyed by scope+language ("default" for the default scope). */
  readonly commandsByScope = new Map<string, Array<{ command: string; description: string }>>();
  /** Menu buttons stored by setChatMenuButton, by chat id ("default" without a chat). */
  readonly menuButtons = new Map<string, unknown>();
  /** Files the bot uploaded or users sent, by file_id. */
  readonly files = new Map<string, StoredFile>();
  /** Every update handed to users' side, in order (including confirmed ones). */
  readonly updates: Update[] = [];

  private readonly strictHtml: boolean;
  private readonly emitter = new EventEmitter();
  private server?: http.Server;
  private port = 0;
  private stopping = false;
  private queue: Update[] = [];
  private nextUpdateId = 1;
  private lastDeliveredId = 0;
  private nextFileId = 1;
  private nextCallbackId = 1;
  private readonly pollers = new Set<Poller>();
  private readonly chats = new Map<number, ChatState>();
  private readonly failures = new Map<string, Array<Required<Omit<FailureOptions, "description">> & { description?: string }>>();
  private readonly blocked = new Set<number>();
  private storm: { share429: number; share5xx: number; retryAfter: number; wanted: Set<string>; random: () => number } | undefined;
  private readonly notStarted = new Set<number>();
  private readonly openCallbacks = new Map<string, number>();
  private lastActivity = Date.now();
  private inflight = 0;

  constructor({ token = "123456:TEST", botInfo = {}, strictHtml = true }: FakeBotApiOptions = {}) {
    this.token = token;
    this.strictHtml = strictHtml;
    this.botInfo = {
      id: Number(token.split(":")[0]) || 123456,
      is_bot: true,
      first_name: "CĐS Báo cáo (demo)",
      username: "cds_demo_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      ...botInfo,
    };
    this.emitter.setMaxListeners(0);
  }

  /** "http://127.0.0.1:PORT", to pass as grammY's `client.apiRoot`. Valid after start(). */
  get apiRoot(): string {
    if (!this.port) throw new Error("FakeBotApi: call `await fake.start()` before reading apiRoot");
    return `http://127.0.0.1:${this.port}`;
  }

  /** Commands set for the default scope and language. */
  get commands(): Array<{ command: string; description: string }> {
    return this.commandsByScope.get("default") ?? [];
  }

  /** Commands set for a scope (e.g. `{ type: "all_private_chats" }`) and optional language. */
  commandsFor(scope?: { type: string }, languageCode?: string): Array<{ command: string; description: string }> {
    return this.commandsByScope.get(scopeKey({ scope, language_code: languageCode })) ?? [];
  }

  /** Listens on an ephemeral port of 127.0.0.1. */
  async start(): Promise<void> {
    this.stopping = false;
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Releases held getUpdates with [] and closes the server and every connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const p of [...this.pollers]) p.finish([]);
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Let the released getUpdates answers reach their sockets before cutting the connections.
    for (let i = 0; i < 50 && this.inflight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    server.closeAllConnections();
    await closed;
  }

  // ---------------------------------------------------------------- failure injection

  /** Makes the next `times` calls of `method` ("*" = any method but getUpdates) fail. */
  failNext(method: string, { status = 429, retryAfter = 1, times = 1, description }: FailureOptions = {}): void {
    const key = method.toLowerCase();
    const list = this.failures.get(key) ?? [];
    list.push({ status, retryAfter, times, description });
    this.failures.set(key, list);
  }

  /**
   * A storm: from now on each call of `methods` (default: those that send a message) answers 429
   * (with retry_after) with probability `share429`, or 500/502 with probability `share5xx`, before
   * doing anything. `random` makes it reproducible. Call with shares 0 to end it.
   */
  failRandomly({ share429 = 0, share5xx = 0, retryAfter = 1, methods = MESSAGE_METHODS, random = Math.random }: { share429?: number; share5xx?: number; retryAfter?: number; methods?: string[]; random?: () => number }): void {
    const wanted = new Set(methods.map((m) => m.toLowerCase()));
    this.storm = share429 + share5xx > 0 ? { share429, share5xx, retryAfter, wanted, random } : undefined;
  }

  /** The user of this chat blocked the bot: sending there answers 403 "bot was blocked by the user". */
  blockChat(chatId: number): void {
    this.blocked.add(chatId);
  }

  /** The user unblocked the bot. */
  unblockChat(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** This user never pressed Start: sending answers 403 until they send the bot something. */
  neverStarted(chatId: number): void {
    this.notStarted.add(chatId);
  }

  // ---------------------------------------------------------------- user side

  /** The user types `text` in their private chat. "/cmd args" gets a bot_command entity. */
  userSays(user: FakeUser, text: string): Update {
    const message: Record<string, unknown> = { ...this.userMessageBase(user), text };
    const cmd = /^\/[^\s]+/.exec(text);
    if (cmd) message.entities = [{ type: "bot_command", offset: 0, length: cmd[0].length }];
    return this.enqueue(user, { message });
  }

  /**
   * The user taps the inline button carrying `callbackData`, on message `messageId` or else on the
   * latest bot message in their chat that shows such a button. Throws when no such button is visible.
   */
  tapButton(user: FakeUser, callbackData: string, messageId?: number): Update {
    const chat = this.chat(user.id);
    const carries = (m: BotMessage) => !m.deleted && inlineButtons(m.reply_markup).some((b) => b.callback_data === callbackData);
    const msg = messageId !== undefined ? chat.messages.find((m) => m.message_id === messageId) : [...chat.messages].reverse().find(carries);
    if (!msg || !carries(msg)) {
      const visible = chat.messages
        .filter((m) => !m.deleted && inlineButtons(m.reply_markup).length)
        .slice(-3)
        .map((m) => `  #${m.message_id}: ${inlineButtons(m.reply_markup).map((b) => `${JSON.stringify(b.text)}→${JSON.stringify(b.callback_data ?? b.url ?? "")}`).join(", ")}`);
      throw new Error(
        `FakeBotApi.tapButton: no visible inline button with callback_data ${JSON.stringify(callbackData)}` +
          `${messageId !== undefined ? ` on message #${messageId}` : ""} in chat ${user.id}. ` +
          (visible.length ? `Buttons shown:\n${visible.join("\n")}` : "The bot has shown no inline buttons in this chat."),
      );
    }
    const id = String(this.nextCallbackId++);
    this.openCallbacks.set(id, user.id);
    const callback_query = { id, from: this.userObject(user), message: this.apiMessage(msg), chat_instance: `ci${user.id}`, data: callbackData };
    return this.enqueue(user, { callback_query });
  }

  /**
   * A callback query with any data, as a modified client could send: on message `messageId` or the
   * chat's latest bot message, whether or not a button carries that data (fuzzing, forged presses).
   */
  forgeCallback(user: FakeUser, callbackData: string, messageId?: number): Update {
    const chat = this.chat(user.id);
    const msg = messageId !== undefined ? chat.messages.find((m) => m.message_id === messageId) : chat.messages[chat.messages.length - 1];
    const id = String(this.nextCallbackId++);
    this.openCallbacks.set(id, user.id);
    const callback_query: Record<string, unknown> = { id, from: this.userObject(user), chat_instance: `ci${user.id}`, data: callbackData };
    if (msg) callback_query.message = this.apiMessage(msg);
    return this.enqueue(user, { callback_query });
  }

  /** The user shares their phone number (as the request_contact button does). */
  shareContact(user: FakeUser, phone: string): Update {
    const contact: Record<string, unknown> = { phone_number: phone, first_name: user.first_name, user_id: user.id };
    if (user.last_name) contact.last_name = user.last_name;
    return this.enqueue(user, { message: { ...this.userMessageBase(user), contact } });
  }

  /** The user sends a file; the bot can fetch it with getFile and GET /file/bot<token>/<file_path>. */
  sendDocumentFromUser(user: FakeUser, file: { fileName: string; bytes: Buffer; mimeType?: string; caption?: string }): Update {
    const stored = this.storeFile(file.bytes, file.fileName, file.mimeType);
    const document = { file_id: stored.file_id, file_unique_id: stored.file_unique_id, file_name: stored.file_name, mime_type: stored.mime_type, file_size: stored.bytes.length };
    const message: Record<string, unknown> = { ...this.userMessageBase(user), document };
    if (file.caption) message.caption = file.caption;
    return this.enqueue(user, { message });
  }

  // ---------------------------------------------------------------- observing

  /** The bot's messages in a chat, in order, current text after edits (deleted ones flagged). */
  messages(chatId: number): BotMessage[] {
    return this.chat(chatId).messages;
  }

  /** Sequence number of the latest event (pass as `since` to wait only for later ones). */
  get seq(): number {
    return this.events.length;
  }

  /** Resolves with the first new bot message or edit in the chat. */
  nextReply(chatId: number, { timeout = 5000, since }: { timeout?: number; since?: number } = {}): Promise<BotMessage> {
    return this.waitFor(chatId, () => true, { timeout, since });
  }

  /**
   * Resolves with a snapshot of the first bot message sent or edited in `chatId` after event `since`
   * (default: now) that satisfies `predicate`; rejects after `timeout` ms showing the last messages.
   */
  waitFor(
    chatId: number,
    predicate: (message: BotMessage, event: BotEvent) => boolean,
    { timeout = 5000, since = this.seq }: { timeout?: number; since?: number } = {},
  ): Promise<BotMessage> {
    const matches = (e: BotEvent) => e.chatId === chatId && e.kind !== "deleted" && predicate(e.message, e);
    const past = this.events.slice(since).find(matches);
    if (past) return Promise.resolve(past.message);
    return new Promise((resolve, reject) => {
      const onEvent = (e: BotEvent) => {
        if (!matches(e)) return;
        cleanup();
        resolve(e.message);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeBotApi.waitFor: no matching bot message in chat ${chatId} within ${timeout} ms.\n${this.describeChat(chatId)}`));
      }, timeout);
      const cleanup = () => {
        clearTimeout(timer);
        this.emitter.off("event", onEvent);
      };
      this.emitter.on("event", onEvent);
    });
  }

  /** The last few messages of a chat as readable text (used in timeout errors). */
  describeChat(chatId: number, count = 5): string {
    const msgs = this.chat(chatId).messages.slice(-count);
    if (!msgs.length) return "The bot has sent nothing to this chat.";
    return `Last bot messages:\n${msgs.map((m) => `  #${m.message_id}${m.deleted ? " (deleted)" : ""}: ${JSON.stringify(plainText(m))}${inlineButtons(m.reply_markup).length ? ` [${inlineButtons(m.reply_markup).map((b) => b.text).join(" | ")}]` : ""}`).join("\n")}`;
  }

  /**
   * Resolves once every update was handed to the bot and the bot made no API call (other than
   * getUpdates) for `quietMs`; rejects after `timeout`.
   */
  waitForIdle({ quietMs = 300, timeout = 10_000 }: { quietMs?: number; timeout?: number } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      let quiet: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(quiet);
        const wait = Math.max(0, this.lastActivity + quietMs - Date.now());
        quiet = setTimeout(() => {
          if (this.pendingUpdates() > 0 || Date.now() - this.lastActivity < quietMs) return arm();
          cleanup();
          resolve();
        }, wait);
      };
      const limit = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeBotApi.waitForIdle: the bot was still busy after ${timeout} ms (${this.pendingUpdates()} updates not yet fetched)`));
      }, timeout);
      const cleanup = () => {
        clearTimeout(quiet);
        clearTimeout(limit);
        this.emitter.off("activity", arm);
      };
      this.emitter.on("activity", arm);
      arm();
    });
  }

  /** Updates enqueued but not yet handed to a getUpdates call. */
  pendingUpdates(): number {
    return this.queue.filter((u) => u.update_id > this.lastDeliveredId).length;
  }

  /** Subscribes to bot-message events; returns the unsubscribe function. */
  onEvent(listener: (e: BotEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  /** Subscribes to callback answers (toasts); returns the unsubscribe function. */
  onCallbackAnswer(listener: (a: CallbackAnswer) => void): () => void {
    this.emitter.on("answer", listener);
    return () => this.emitter.off("answer", listener);
  }

  /**
   * The most calls of `methods` (default {@link MESSAGE_METHODS}) made within any `windowMs` window,
   * optionally to one chat. E.g. `maxRate({ chatId: 42 }) <= 1` checks Telegram's ~1 msg/s per chat.
   */
  maxRate({ windowMs = 1000, chatId, methods = MESSAGE_METHODS }: { windowMs?: number; chatId?: number; methods?: string[] } = {}): number {
    const wanted = new Set(methods.map((m) => m.toLowerCase()));
    const times = this.calls.filter((c) => c.status === 200 && wanted.has(c.method.toLowerCase()) && (chatId === undefined || c.chatId === chatId)).map((c) => c.at);
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while ((times[j] ?? 0) - (times[i] ?? 0) >= windowMs) i++;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inflight++;
    res.once("close", () => this.inflight--);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const reply = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const fileRoute = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileRoute) return this.serveFile(fileRoute[1] ?? "", decodeURIComponent(fileRoute[2] ?? ""), res);
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
    if (route[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const method = route[2] ?? "";
    let parsed: Pick<RequestContext, "params" | "files">;
    try {
      parsed = await readParams(req, url);
    } catch (err) {
      return reply(400, { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` });
    }
    const { params } = parsed;
    const chatId = params.chat_id !== undefined ? Number(params.chat_id) : undefined;
    const call: ApiCall = { method, at: Date.now(), chatId, params, status: 200 };
    this.calls.push(call);
    if (method.toLowerCase() !== "getupdates") this.touch();
    try {
      const injected = this.takeFailure(method);
      if (injected) throw injected;
      const handler = this.methods[method.toLowerCase()];
      if (!handler) throw new ApiError(404, "Not Found: method not found");
      if (chatId !== undefined && method.toLowerCase() !== "getchat") this.checkReachable(chatId);
      const result = await handler({ ...parsed, res });
      reply(200, { ok: true, result });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${(err as Error).message}`);
      call.status = e.code;
      call.description = e.message;
      const body: Record<string, unknown> = { ok: false, error_code: e.code, description: e.message };
      if (e.parameters) body.parameters = e.parameters;
      reply(e.code, body);
    }
  }

  private serveFile(token: string, filePath: string, res: http.ServerResponse): void {
    const id = filePath.split("/")[1] ?? "";
    const file = token === this.token ? this.files.get(id) : undefined;
    if (!file) {
      res.writeHead(404).end("Not Found");
      return;
    }
    res.writeHead(200, { "content-type": file.mime_type, "content-length": file.bytes.length });
    res.end(file.bytes);
  }

  private takeFailure(method: string): ApiError | undefined {
    const keys = [method.toLowerCase(), ...(method.toLowerCase() === "getupdates" ? [] : ["*"])];
    for (const key of keys) {
      const list = this.failures.get(key);
      const f = list?.[0];
      if (!list || !f) continue;
      f.times -= 1;
      if (f.times <= 0) list.shift();
      if (f.status === 429) {
        return new ApiError(429, f.description ?? `Too Many Requests: retry after ${f.retryAfter}`, { retry_after: f.retryAfter });
      }
      const defaults: Record<number, string> = { 400: "Bad Request: injected failure", 403: "Forbidden: bot was blocked by the user", 500: "Internal Server Error" };
      return new ApiError(f.status, f.description ?? defaults[f.status] ?? `Error ${f.status}`);
    }
    const storm = this.storm;
    if (storm?.wanted.has(method.toLowerCase())) {
      const r = storm.random();
      if (r < storm.share429) return new ApiError(429, `Too Many Requests: retry after ${storm.retryAfter}`, { retry_after: storm.retryAfter });
      if (r < storm.share429 + storm.share5xx) return r < storm.share429 + storm.share5xx / 2 ? new ApiError(500, "Internal Server Error") : new ApiError(502, "Bad Gateway");
    }
    return undefined;
  }

  private checkReachable(chatId: number): void {
    if (this.blocked.has(chatId)) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    if (this.notStarted.has(chatId)) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
  }

  // ---------------------------------------------------------------- method table

  private readonly methods: Record<string, Handler> = {
    getme: () => this.botInfo,
    getupdates: (ctx) => this.getUpdates(ctx),
    deletewebhook: () => true,
    setwebhook: () => true,
    getwebhookinfo: () => ({ url: "", has_custom_certificate: false, pending_update_count: this.pendingUpdates() }),
    setmycommands: ({ params }) => {
      const commands = asArray(params.commands).map((c) => c as { command: string; description: string });
      for (const c of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(String(c.command ?? ""))) throw new ApiError(400, "Bad Request: BOT_COMMAND_INVALID");
        const d = String(c.description ?? "");
        if (d.length < 1 || d.length > 256) throw new ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
      }
      this.commandsByScope.set(scopeKey(params), commands);
      return true;
    },
    setchatmenubutton: ({ params }) => {
      const button = typeof params.menu_button === "string" ? JSON.parse(params.menu_button) : params.menu_button;
      this.menuButtons.set(params.chat_id !== undefined ? String(params.chat_id) : "default", button ?? { type: "default" });
      return true;
    },
    getmycommands: ({ params }) => this.commandsByScope.get(scopeKey(params)) ?? [],
    deletemycommands: ({ params }) => {
      this.commandsByScope.delete(scopeKey(params));
      return true;
    },
    getchatmenubutton: ({ params }) => this.menuButtons.get(params.chat_id !== undefined ? String(params.chat_id) : "default") ?? { type: "commands" },
    setmydescription: () => true,
    setmyshortdescription: () => true,
    setmyname: () => true,
    close: () => true,
    logout: () => true,
    getchat: ({ params }) => this.chatObject(Number(params.chat_id)),
    sendchataction: ({ params }) => {
      requireChat(params);
      return true;
    },
    sendmessage: ({ params }) => {
      const chatId = requireChat(params);
      const text = String(params.text ?? "");
      this.checkText(text, params.parse_mode, 4096, "message text");
      checkMarkup(params.reply_markup);
      return this.apiMessage(this.addBotMessage(chatId, { text, parse_mode: str(params.parse_mode), reply_markup: params.reply_markup }));
    },
    sendphoto: ({ params, files }) => {
      const chatId = requireChat(params);
      const file = this.resolveFile(params.photo, files, "photo");
      const caption = this.checkCaption(params);
      checkMarkup(params.reply_markup);
      const photo = { ...file, ...imageSize(file.bytes) };
      return this.apiMessage(this.addBotMessage(chatId, { photo, caption, parse_mode: str(params.parse_mode), reply_markup: params.reply_markup }));
    },
    senddocument: ({ params, files }) => {
      const chatId = requireChat(params);
      const document = this.resolveFile(params.document, files, "document");
      const caption = this.checkCaption(params);
      checkMarkup(params.reply_markup);
      return this.apiMessage(this.addBotMessage(chatId, { document, caption, parse_mode: str(params.parse_mode), reply_markup: params.reply_markup }));
    },
    sendmediagroup: ({ params, files }) => {
      const chatId = requireChat(params);
      const media = asArray(params.media) as Array<{ type?: string; media?: unknown; caption?: string; parse_mode?: string }>;
      if (media.length < 2 || media.length > 10) throw new ApiError(400, "Bad Request: wrong number of media in the group (2-10)");
      return media.map((item) => {
        const file = this.resolveFile(item.media, files, String(item.type ?? "document"));
        const content = item.type === "photo" ? { photo: { ...file, ...imageSize(file.bytes) } } : { document: file };
        return this.apiMessage(this.addBotMessage(chatId, { ...content, caption: item.caption, parse_mode: str(item.parse_mode) }));
      });
    },
    editmessagetext: ({ params }) => {
      const msg = this.findMessage(params, "message to edit not found");
      if (msg.text === undefined) throw new ApiError(400, "Bad Request: there is no text in the message to edit");
      const text = String(params.text ?? "");
      this.checkText(text, params.parse_mode, 4096, "message text");
      checkMarkup(params.reply_markup);
      return this.applyEdit(msg, { text, parse_mode: str(params.parse_mode), reply_markup: params.reply_markup });
    },
    editmessagecaption: ({ params }) => {
      const msg = this.findMessage(params, "message to edit not found");
      const caption = this.checkCaption(params) ?? "";
      checkMarkup(params.reply_markup);
      return this.applyEdit(msg, { caption, parse_mode: str(params.parse_mode), reply_markup: params.reply_markup });
    },
    editmessagereplymarkup: ({ params }) => {
      const msg = this.findMessage(params, "message to edit not found");
      checkMarkup(params.reply_markup);
      return this.applyEdit(msg, { reply_markup: params.reply_markup });
    },
    deletemessage: ({ params }) => {
      const msg = this.findMessage(params, "message to delete not found");
      this.deleteMessage(msg);
      return true;
    },
    deletemessages: ({ params }) => {
      for (const id of asArray(params.message_ids)) {
        const msg = this.chat(requireChat(params)).messages.find((m) => m.message_id === Number(id) && !m.deleted);
        if (msg) this.deleteMessage(msg);
      }
      return true;
    },
    answercallbackquery: ({ params }) => {
      const id = String(params.callback_query_id ?? "");
      const chatId = this.openCallbacks.get(id);
      if (chatId === undefined) throw new ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
      this.openCallbacks.delete(id);
      const answer: CallbackAnswer = { callback_query_id: id, chat_id: chatId, text: str(params.text), show_alert: params.show_alert === true || params.show_alert === "true", at: Date.now() };
      this.callbackAnswers.push(answer);
      this.emitter.emit("answer", answer);
      return true;
    },
    getfile: ({ params }) => {
      const file = this.files.get(String(params.file_id ?? ""));
      if (!file) throw new ApiError(400, "Bad Request: invalid file_id");
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length, file_path: `files/${file.file_id}/${file.file_name}` };
    },
  };

  private getUpdates({ params, res }: RequestContext): Update[] | Promise<Update[]> {
    const offset = Number(params.offset ?? 0);
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100) || 100));
    const timeout = Number(params.timeout ?? 0);
    if (this.queue.length || timeout <= 0 || this.stopping) return this.deliver(this.queue.slice(0, limit));
    return new Promise((resolve) => {
      const timer = setTimeout(() => poller.finish([]), timeout * 1000);
      const poller: Poller = {
        limit,
        finish: (updates) => {
          clearTimeout(timer);
          this.pollers.delete(poller);
          res.off("close", onClose);
          resolve(this.deliver(updates));
        },
      };
      const onClose = () => {
        clearTimeout(timer);
        this.pollers.delete(poller);
      };
      res.once("close", onClose);
      this.pollers.add(poller);
    });
  }

  private deliver(updates: Update[]): Update[] {
    const last = updates[updates.length - 1];
    if (last && last.update_id > this.lastDeliveredId) {
      this.lastDeliveredId = last.update_id;
      this.touch();
    }
    return updates;
  }

  // ---------------------------------------------------------------- state helpers

  private touch(): void {
    this.lastActivity = Date.now();
    this.emitter.emit("activity");
  }

  private chat(chatId: number): ChatState {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { id: chatId, nextMessageId: 1, messages: [] };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  private userObject(user: FakeUser): Record<string, unknown> {
    return { id: user.id, is_bot: false, first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}), ...(user.username ? { username: user.username } : {}), language_code: "vi" };
  }

  private chatObject(chatId: number): Record<string, unknown> {
    const user = this.chats.get(chatId)?.user;
    if (user) return { id: user.id, type: "private", first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}), ...(user.username ? { username: user.username } : {}) };
    return chatId < 0 ? { id: chatId, type: "group", title: `Nhóm ${-chatId}` } : { id: chatId, type: "private", first_name: `Người dùng ${chatId}` };
  }

  private userMessageBase(user: FakeUser): Record<string, unknown> {
    const chat = this.chat(user.id);
    chat.user = user;
    return { message_id: chat.nextMessageId++, from: this.userObject(user), chat: this.chatObject(user.id), date: now() };
  }

  private enqueue(user: FakeUser, body: Record<string, unknown>): Update {
    this.notStarted.delete(user.id);
    this.chat(user.id).user = user;
    const update: Update = { update_id: this.nextUpdateId++, ...body };
    this.queue.push(update);
    this.updates.push(update);
    this.touch();
    for (const p of [...this.pollers]) p.finish(this.queue.slice(0, p.limit));
    return update;
  }

  private addBotMessage(chatId: number, content: Partial<BotMessage>): BotMessage {
    const chat = this.chat(chatId);
    const msg: BotMessage = { message_id: chat.nextMessageId++, chat_id: chatId, date: now(), edits: [], deleted: false, ...dropUndefined(content) };
    chat.messages.push(msg);
    this.emit("sent", msg);
    return msg;
  }

  private applyEdit(msg: BotMessage, change: { text?: string; caption?: string; parse_mode?: string; reply_markup?: unknown }): Record<string, unknown> {
    const next = { text: change.text ?? msg.text, caption: change.caption ?? msg.caption, reply_markup: change.reply_markup };
    if (next.text === msg.text && next.caption === msg.caption && JSON.stringify(next.reply_markup) === JSON.stringify(msg.reply_markup) && (change.parse_mode ?? msg.parse_mode) === msg.parse_mode) {
      throw new ApiError(400, NOT_MODIFIED);
    }
    msg.edits.push({ at: Date.now(), text: msg.text, caption: msg.caption, reply_markup: msg.reply_markup });
    msg.text = next.text;
    msg.caption = next.caption;
    msg.reply_markup = next.reply_markup;
    if (change.text !== undefined || change.caption !== undefined) msg.parse_mode = change.parse_mode;
    this.emit("edited", msg);
    return { ...this.apiMessage(msg), edit_date: now() };
  }

  private deleteMessage(msg: BotMessage): void {
    msg.deleted = true;
    this.emit("deleted", msg);
  }

  private emit(kind: BotEvent["kind"], msg: BotMessage): void {
    const event: BotEvent = { seq: this.events.length + 1, kind, chatId: msg.chat_id, message: { ...msg, edits: [...msg.edits] } };
    this.events.push(event);
    this.emitter.emit("event", event);
  }

  private findMessage(params: Record<string, unknown>, notFound: string): BotMessage {
    if (params.inline_message_id !== undefined) throw new ApiError(400, "Bad Request: inline messages are not supported by the fake");
    const chatId = requireChat(params);
    const msg = this.chat(chatId).messages.find((m) => m.message_id === Number(params.message_id));
    if (!msg || msg.deleted) throw new ApiError(400, `Bad Request: ${notFound}`);
    return msg;
  }

  /** The Bot API Message object for a bot message (reply keyboards are not echoed, like Telegram). */
  private apiMessage(msg: BotMessage): Record<string, unknown> {
    const out: Record<string, unknown> = { message_id: msg.message_id, from: { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username }, chat: this.chatObject(msg.chat_id), date: msg.date };
    if (msg.text !== undefined) out.text = msg.parse_mode ? plainText(msg) : msg.text;
    if (msg.caption !== undefined) out.caption = msg.parse_mode ? plainText(msg) : msg.caption;
    if (msg.photo) out.photo = [{ file_id: msg.photo.file_id, file_unique_id: msg.photo.file_unique_id, width: msg.photo.width, height: msg.photo.height, file_size: msg.photo.bytes.length }];
    if (msg.document) out.document = { file_id: msg.document.file_id, file_unique_id: msg.document.file_unique_id, file_name: msg.document.file_name, mime_type: msg.document.mime_type, file_size: msg.document.bytes.length };
    if (isInlineMarkup(msg.reply_markup)) out.reply_markup = msg.reply_markup;
    if (msg.edits.length) out.edit_date = now();
    return out;
  }

  private storeFile(bytes: Buffer, fileName: string, mimeType?: string): StoredFile {
    const n = this.nextFileId++;
    const file: StoredFile = { file_id: `FILE${n}_${Math.random().toString(36).slice(2, 10)}`, file_unique_id: `U${n}`, file_name: fileName, mime_type: mimeType && mimeType !== "application/octet-stream" ? mimeType : guessMime(fileName), bytes };
    this.files.set(file.file_id, file);
    return file;
  }

  private resolveFile(value: unknown, files: RequestContext["files"], field: string): StoredFile {
    const ref = String(value ?? "");
    if (ref.startsWith("attach://")) {
      const part = files.get(ref.slice("attach://".length));
      if (!part) throw new ApiError(400, `Bad Request: ${field} attach:// part not found`);
      return this.storeFile(part.bytes, part.filename, part.mimeType);
    }
    const part = files.get(field);
    if (part) return this.storeFile(part.bytes, part.filename, part.mimeType);
    const known = this.files.get(ref);
    if (known) return known;
    throw new ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified");
  }

  private checkText(text: string, parseMode: unknown, max: number, what: string): void {
    let plain = text;
    if (parseMode === "HTML") {
      const problem = this.strictHtml ? htmlProblem(text) : undefined;
      if (problem) throw new ApiError(400, `Bad Request: can't parse entities: ${problem}`);
      plain = htmlToText(text);
    }
    if (!plain.trim()) throw new ApiError(400, `Bad Request: ${what} is empty`);
    if (plain.length > max) throw new ApiError(400, what === "message text" ? "Bad Request: message is too long" : "Bad Request: message caption is too long");
  }

  private checkCaption(params: Record<string, unknown>): string | undefined {
    if (params.caption === undefined) return undefined;
    const caption = String(params.caption);
    if (caption) this.checkText(caption, params.parse_mode, 1024, "message caption");
    return caption;
  }
}

// ---------------------------------------------------------------- pure helpers

/** The plain (rendered) text or caption of a bot message. */
export function plainText(m: Pick<BotMessage, "text" | "caption" | "parse_mode">): string {
  const raw = m.text ?? m.caption ?? "";
  return m.parse_mode === "HTML" ? htmlToText(raw) : raw;
}

/** The inline buttons of a reply_markup, flattened (empty for none or a reply keyboard). */
export function inlineButtons(replyMarkup: unknown): Array<{ text: string; callback_data?: string; url?: string }> {
  if (!isInlineMarkup(replyMarkup)) return [];
  return replyMarkup.inline_keyboard.flat();
}

function isInlineMarkup(rm: unknown): rm is { inline_keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>> } {
  return typeof rm === "object" && rm !== null && Array.isArray((rm as { inline_keyboard?: unknown }).inline_keyboard);
}

/** Why Telegram would reject this HTML, or undefined when it is fine. */
export function htmlProblem(html: string): string | undefined {
  const stack: string[] = [];
  const at = (i: number) => Buffer.byteLength(html.slice(0, i));
  for (let i = html.indexOf("<"); i >= 0; i = html.indexOf("<", i + 1)) {
    const m = /^<(\/?)([a-zA-Z][\w-]*)?([^<>]*)>/.exec(html.slice(i));
    if (!m) return `Unsupported start tag "" at byte offset ${at(i)}`;
    const tag = (m[2] ?? "").toLowerCase();
    if (m[1]) {
      if (stack[stack.length - 1] !== tag) return stack.length ? `Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"` : `Unexpected end tag at byte offset ${at(i)}`;
      stack.pop();
    } else {
      if (!ALLOWED_TAGS.has(tag)) return `Unsupported start tag "${tag}" at byte offset ${at(i)}`;
      if (tag === "span" && !/class\s*=\s*["']tg-spoiler["']/.test(m[3] ?? "")) return `Tag "span" must have class "tg-spoiler" at byte offset ${at(i)}`;
      stack.push(tag);
    }
  }
  const open = stack[stack.length - 1];
  return open ? `Can't find end tag corresponding to start tag "${open}"` : undefined;
}

function checkMarkup(rm: unknown): void {
  if (rm === undefined) return;
  if (typeof rm !== "object" || rm === null) throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  for (const b of inlineButtons(rm)) {
    if (!b.text) throw new ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard");
    if (b.callback_data !== undefined) {
      const n = Buffer.byteLength(b.callback_data);
      if (n < 1 || n > 64) throw new ApiError(400, "Bad Request: BUTTON_DATA_INVALID");
    }
  }
}

function requireChat(params: Record<string, unknown>): number {
  if (params.chat_id === undefined || params.chat_id === "") throw new ApiError(400, "Bad Request: chat_id is empty");
  const id = Number(params.chat_id);
  if (!Number.isFinite(id)) throw new ApiError(400, "Bad Request: chat not found");
  return id;
}

function scopeKey(params: Record<string, unknown>): string {
  const scope = params.scope as { type?: string } | undefined;
  const base = !scope || scope.type === "default" ? "default" : JSON.stringify(scope);
  return params.language_code ? `${base}|${String(params.language_code)}` : base;
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const MIME: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", svg: "image/svg+xml",
  pdf: "application/pdf", txt: "text/plain", csv: "text/csv", json: "application/json", html: "text/html",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  doc: "application/msword", xls: "application/vnd.ms-excel", zip: "application/zip",
};

function guessMime(fileName: string): string {
  return MIME[fileName.split(".").pop()?.toLowerCase() ?? ""] ?? "application/octet-stream";
}

/** Width and height of a PNG or JPEG (0×0 when unknown). */
function imageSize(b: Buffer): { width: number; height: number } {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) break;
      const marker = b[i + 1] ?? 0;
      if (marker >= 0xc0 && marker <= 0xc3) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return { width: 0, height: 0 };
}

// ---------------------------------------------------------------- request parsing

async function readParams(req: http.IncomingMessage, url: URL): Promise<Pick<RequestContext, "params" | "files">> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks);
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  const params: Record<string, unknown> = {};
  const files: RequestContext["files"] = new Map();
  for (const [k, v] of url.searchParams) params[k] = parseField(v);
  if (!body.length) return { params, files };
  if (type.startsWith("application/json")) {
    Object.assign(params, JSON.parse(body.toString("utf8")));
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) params[k] = parseField(v);
  } else if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers["content-type"]));
    if (!boundary) throw new Error("multipart boundary missing");
    for (const part of parseMultipart(body, boundary[1] ?? boundary[2] ?? "")) {
      if (part.filename !== undefined) files.set(part.name, { filename: part.filename, mimeType: part.mimeType, bytes: part.bytes });
      else params[part.name] = parseField(part.bytes.toString("utf8"));
    }
  }
  return { params, files };
}

/** Form fields are strings: JSON objects/arrays (reply_markup, commands…) are parsed back. */
function parseField(v: string): unknown {
  if (/^\s*[[{]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

interface Part {
  name: string;
  filename?: string;
  mimeType: string;
  bytes: Buffer;
}

/** Splits a multipart/form-data body into parts (tolerates grammY's unquoted filenames). */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let chunk = body.subarray(start, next);
    if (chunk.subarray(0, 2).toString() === "\r\n") chunk = chunk.subarray(2);
    if (chunk.subarray(-2).toString() === "\r\n") chunk = chunk.subarray(0, -2);
    const headerEnd = chunk.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString("utf8");
      const name = /(?:^|[;\s:])name="([^"]*)"|(?:^|[;\s:])name=([^;\r\n]*)/i.exec(headers);
      const filename = /filename="([^"]*)"|filename=([^;\r\n]*)/i.exec(headers);
      const mime = /content-type:\s*([^;\r\n]+)/i.exec(headers);
      parts.push({
        name: (name?.[1] ?? name?.[2] ?? "").trim(),
        filename: filename ? (filename[1] ?? filename[2] ?? "").trim() : undefined,
        mimeType: (mime?.[1] ?? "application/octet-stream").trim(),
        bytes: Buffer.from(chunk.subarray(headerEnd + 4)),
      });
    }
    pos = next;
  }
  return parts;
}
