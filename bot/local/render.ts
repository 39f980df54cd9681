/**
 * Turns what the bot sends (Telegram HTML or Markdown text, keyboards) into plain text a person
 * reads in a terminal or a test matches against. No grammY import: it works on plain Bot API data.
 */

/** Options for {@link htmlToText}: `ansi` adds terminal bold/italic/underline codes. */
export interface RenderOptions {
  ansi?: boolean;
}

const ANSI = { bold: ["\x1b[1m", "\x1b[22m"], italic: ["\x1b[3m", "\x1b[23m"], under: ["\x1b[4m", "\x1b[24m"], dim: ["\x1b[2m", "\x1b[22m"] } as const;

/** Decodes the HTML entities Telegram accepts (&lt; &gt; &amp; &quot; and numeric ones). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos|nbsp);/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k === "lt") return "<";
    if (k === "gt") return ">";
    if (k === "amp") return "&";
    if (k === "quot") return '"';
    if (k === "apos") return "'";
    if (k === "nbsp") return "\u00a0";
    return String.fromCodePoint(k.startsWith("#x") ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10));
  });
}

/**
 * Renders Telegram HTML (parse_mode "HTML") as readable plain text.
 * `<b>`, `<i>`, `<u>` become ANSI styles when `ansi` is set (plain otherwise); `<code>` becomes
 * `` `x` ``; `<pre>` an indented block; `<a href>` "text (url)"; `<blockquote>` lines prefixed "│ ".
 * @example htmlToText('<b>Hạn nộp</b>: <a href="https://x.vn">xem</a>') // "Hạn nộp: xem (https://x.vn)"
 */
export function htmlToText(html: string, { ansi = false }: RenderOptions = {}): string {
  let out = "";
  const stack: Array<{ tag: string; href?: string; start: number }> = [];
  const re = /<(\/?)([a-zA-Z][\w-]*)([^>]*)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    if (m[4] !== undefined || m[5] !== undefined) {
      out += decodeEntities(m[4] ?? m[5] ?? "");
      continue;
    }
    const closing = m[1] === "/";
    const tag = (m[2] ?? "").toLowerCase();
    const style = tag === "b" || tag === "strong" ? ANSI.bold : tag === "i" || tag === "em" ? ANSI.italic : tag === "u" || tag === "ins" ? ANSI.under : undefined;
    if (!closing) {
      const href = /href\s*=\s*"([^"]*)"|href\s*=\s*'([^']*)'/i.exec(m[3] ?? "");
      stack.push({ tag, href: href ? decodeEntities(href[1] ?? href[2] ?? "") : undefined, start: out.length });
      if (style && ansi) out += style[0];
      else if (tag === "code" && !stack.some((s) => s.tag === "pre")) out += "`";
      else if (tag === "pre") out += out && !out.endsWith("\n") ? "\n" : "";
      continue;
    }
    const idx = stack.map((s) => s.tag).lastIndexOf(tag);
    const open = idx >= 0 ? stack.splice(idx, 1)[0] : undefined;
    if (style && ansi) out += style[1];
    else if (tag === "code" && !stack.some((s) => s.tag === "pre")) out += "`";
    else if (tag === "pre") out = out.slice(0, open?.start ?? 0) + indent(out.slice(open?.start ?? 0), "    ");
    else if (tag === "blockquote") out = out.slice(0, open?.start ?? 0) + indent(out.slice(open?.start ?? 0), "│ ");
    else if (tag === "a" && open?.href) {
      const text = out.slice(open.start);
      if (text.trim() !== open.href) out += ansi ? ` ${ANSI.dim[0]}(${open.href})${ANSI.dim[1]}` : ` (${open.href})`;
    }
  }
  return out;
}

function indent(block: string, prefix: string): string {
  return block.replace(/\n+$/, "").split("\n").map((l) => prefix + l).join("\n");
}

/** Strips Markdown / MarkdownV2 markers and backslash escapes, keeping the words and link URLs. */
export function markdownToText(md: string): string {
  return md
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, t: string, u: string) => `${t} (${u})`)
    .replace(/```\w*\n?([\s\S]*?)```/g, (_m, code: string) => indent(code, "    "))
    .replace(/\\([_*[\]()~`>#+\-=|{}.!\\])/g, "\u0000$1")
    .replace(/(\*\*|__|\|\||[*_~])(?=\S)([\s\S]*?\S)\1/g, "$2")
    .replace(/\u0000/g, "");
}

/** Renders a message's text or caption according to its parse_mode. */
export function formattedToText(text: string, parseMode?: string, opts: RenderOptions = {}): string {
  if (parseMode === "HTML") return htmlToText(text, opts);
  if (parseMode === "Markdown" || parseMode === "MarkdownV2") return markdownToText(text);
  return text;
}

/** One inline or reply-keyboard button, flattened, with what pressing it does. */
export interface Choice {
  label: string;
  kind: "callback" | "url" | "text" | "contact" | "other";
  /** callback_data, URL, or the text a reply-keyboard button sends. */
  value: string;
}

/** Flattens a reply_markup (inline or reply keyboard) into rows of choices; [] when it has none. */
export function keyboardChoices(replyMarkup: unknown): Choice[][] {
  const rm = (replyMarkup ?? {}) as { inline_keyboard?: Array<Array<Record<string, unknown>>>; keyboard?: Array<Array<string | Record<string, unknown>>> };
  if (Array.isArray(rm.inline_keyboard)) {
    return rm.inline_keyboard.map((row) =>
      row.map((b): Choice => {
        const label = String(b.text ?? "");
        if (typeof b.callback_data === "string") return { label, kind: "callback", value: b.callback_data };
        if (typeof b.url === "string") return { label, kind: "url", value: b.url };
        const web = b.web_app as { url?: string } | undefined;
        if (web?.url) return { label, kind: "url", value: web.url };
        return { label, kind: "other", value: "" };
      }),
    );
  }
  if (Array.isArray(rm.keyboard)) {
    return rm.keyboard.map((row) =>
      row.map((b): Choice => {
        if (typeof b === "string") return { label: b, kind: "text", value: b };
        const label = String(b.text ?? "");
        if (b.request_contact) return { label, kind: "contact", value: label };
        return { label, kind: "text", value: label };
      }),
    );
  }
  return [];
}

/** Renders keyboard rows as numbered choices: "[1] Giữ như kỳ trước  [2] Bỏ qua", one line per row. */
export function renderChoices(rows: Choice[][]): string {
  let n = 0;
  return rows
    .map((row) =>
      row
        .map((c) => {
          n += 1;
          const suffix = c.kind === "url" ? ` ↗ ${c.value}` : c.kind === "contact" ? " (gửi số điện thoại)" : "";
          return `[${n}] ${c.label}${suffix}`;
        })
        .join("  "),
    )
    .join("\n");
}
