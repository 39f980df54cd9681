/**
 * Telegram's limits on what a bot sends, as pure functions: a message text is at most 4,096
 * characters, a caption 1,024, callback data 64 bytes, and HTML (parse_mode "HTML") must use the
 * allowed tags, properly nested, with <, > and & outside tags written as entities.
 *
 * `splitMessage` cuts a long text on line boundaries (words, at worst characters) into parts that
 * each fit, closing the HTML tags open at a cut and opening them again in the next part.
 * `clip` shortens a name or an echo of user input for display.
 */

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
export const MAX_CALLBACK_BYTES = 64;
/** Button labels are cut to this many characters (Telegram shows about this much on a phone). */
export const MAX_BUTTON_TEXT = 64;

export { clip, echo } from "../core/text.ts";

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);
const NAMED_ENTITIES = new Set(["lt", "gt", "amp", "quot"]);

/**
 * Why Telegram would reject this text as parse_mode HTML, or undefined when it is well formed.
 * Stricter than Telegram where Telegram is lenient: a bare "&" or ">" must be escaped too.
 */
export function htmlProblem(html: string): string | undefined {
  const stack: string[] = [];
  const re = /<[^<>]*>|&[^;\s<>&]*;?|[<>]/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const tok = m[0];
    if (tok === "<") return `unescaped "<" at ${m.index}`;
    if (tok === ">") return `unescaped ">" at ${m.index}`;
    if (tok.startsWith("&")) {
      const name = tok.slice(1, -1);
      const ok = tok.endsWith(";") && (NAMED_ENTITIES.has(name) || /^#\d{1,7}$/.test(name) || /^#x[0-9a-fA-F]{1,6}$/.test(name));
      if (!ok) return `unescaped "&" at ${m.index}`;
      continue;
    }
    const t = /^<(\/?)([a-zA-Z][\w-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))*)\s*>$/.exec(tok);
    if (!t) return `malformed tag at ${m.index}`;
    const name = t[2]!.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) return `unsupported tag <${name}> at ${m.index}`;
    if (t[1]) {
      if (t[3]) return `attributes on an end tag at ${m.index}`;
      if (stack[stack.length - 1] !== name) return `end tag </${name}> does not close <${stack[stack.length - 1] ?? "nothing"}> at ${m.index}`;
      stack.pop();
      continue;
    }
    const attrs = t[3] ?? "";
    if (name === "a" && !/^\s+href\s*=/.test(attrs)) return `<a> without href at ${m.index}`;
    if (name === "span" && !/class\s*=\s*["']?tg-spoiler/.test(attrs)) return `<span> without class tg-spoiler at ${m.index}`;
    if (name === "a" && stack.includes("a")) return `nested <a> at ${m.index}`;
    stack.push(name);
  }
  return stack.length ? `unclosed <${stack[stack.length - 1]}>` : undefined;
}

/** The text Telegram shows for an HTML text (tags dropped, entities decoded). */
export function htmlVisibleText(html: string): string {
  return html
    .replace(/<[^<>]*>/g, "")
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e === "lt" ? "<" : e === "gt" ? ">" : e === "amp" ? "&" : e === "quot" ? '"' : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
    );
}

interface Token {
  raw: string;
  kind: "open" | "close" | "text";
  name?: string;
}

function tokenize(text: string, html: boolean): Token[] {
  if (!html) return [{ raw: text, kind: "text" }];
  const out: Token[] = [];
  const re = /<(\/?)([a-zA-Z][\w-]*)[^<>]*>|&[#a-zA-Z0-9]+;|[^<&]+|[<&]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2]) out.push({ raw: m[0], kind: m[1] ? "close" : "open", name: m[2].toLowerCase() });
    else out.push({ raw: m[0], kind: "text" });
  }
  return out;
}

/** Pieces of a text token no longer than `max`: cut after a newline, else a space, else anywhere (code points kept whole). */
function cutText(raw: string, max: number): string[] {
  const out: string[] = [];
  let rest = raw;
  while (rest.length > max) {
    let at = rest.lastIndexOf("\n", max - 1) + 1;
    if (at < max / 2) at = rest.lastIndexOf(" ", max - 1) + 1;
    if (at < max / 2) at = max;
    const code = rest.charCodeAt(at - 1);
    if (code >= 0xd800 && code <= 0xdbff) at -= 1; // do not split a surrogate pair
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * `text` in parts of at most `max` characters each (raw length, so the shown text is shorter
 * still), cut at line ends where possible. With `html`, tags open at a cut are closed at the end of
 * the part and opened again at the start of the next, so each part is well-formed on its own.
 */
export function splitMessage(text: string, { max = MAX_TEXT, html = false }: { max?: number; html?: boolean } = {}): string[] {
  if (text.length <= max) return [text];
  // Pieces: each text token cut to lines (and long lines to words); tags and entities stay whole.
  const reserve = html ? 200 : 0; // room for re-opened and closing tags
  const pieceMax = Math.max(16, Math.floor((max - reserve) / 2));
  const pieces: Token[] = [];
  for (const t of tokenize(text, html)) {
    if (t.kind !== "text") pieces.push(t);
    else for (const line of t.raw.split(/(?<=\n)/)) for (const p of cutText(line, pieceMax)) pieces.push({ raw: p, kind: "text" });
  }
  const parts: string[] = [];
  const stack: Token[] = [];
  const closing = () => stack.map((t) => `</${t.name}>`).reverse().join("");
  let body = "";
  let start = 0; // length of the re-opened tags at the start of `body`
  let hasText = false;
  // The last good place to cut (after a newline) in `body`, with the tags open there.
  let cut: { at: number; stack: Token[] } | null = null;
  const flush = (upTo: number, openThere: Token[]) => {
    const tail = body.slice(upTo);
    parts.push(body.slice(0, upTo) + openThere.map((t) => `</${t.name}>`).reverse().join(""));
    const reopen = openThere.map((t) => t.raw).join("");
    body = reopen + tail;
    start = reopen.length;
    hasText = tail.length > 0;
    cut = null;
  };
  for (const p of pieces) {
    const extra = p.kind === "open" ? p.name!.length + 3 : 0;
    while (hasText && body.length + p.raw.length + closing().length + extra > max) {
      if (cut && cut.at > start) flush(cut.at, cut.stack);
      else flush(body.length, [...stack]);
    }
    body += p.raw;
    if (p.kind === "open") stack.push(p);
    else if (p.kind === "close") {
      const i = stack.map((t) => t.name).lastIndexOf(p.name);
      if (i >= 0) stack.splice(i, 1);
    } else {
      hasText = true;
      if (p.raw.endsWith("\n")) cut = { at: body.length, stack: [...stack] };
    }
  }
  if (body.trim()) parts.push(body + closing());
  return parts.filter((s) => (html ? htmlVisibleText(s) : s).trim().length > 0);
}
