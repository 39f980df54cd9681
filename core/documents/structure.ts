/**
 * The one reader of plan-text structure, shared by the target extractor
 * (core/catalog/extract/blocks.ts) and plan Q&A (core/retrieval/parse.ts): both read the same
 * lines the same way and differ only in what they keep.
 *
 *  - text normalisation (NFC, line ends, no-break spaces) and line/cell cleaning (markdown marks,
 *    HTML-ish tags such as "<b>…</b>");
 *  - numbering of a line: "II.", "2.", "2.1.", "a)", "(3)", "Điều 4.", "PHỤ LỤC 1";
 *  - tables (markdown "| a | b |" or tab-separated): header rows, group rows ("I | Nhóm …"),
 *    numbered rows, and rows broken across a page break joined back (empty first cell);
 *  - garbled text from a broken font encoding ({@link isGarbled}), the one check both use.
 *
 *   const rows = readTable(lines).rows;          // [{ number: "1", cells, header, group, … }]
 *   numberingOf("2.1. Mục tiêu cụ thể")          // { kind: "number", id: "2.1", rest: "Mục tiêu cụ thể" }
 */
import { fold } from "../text.ts";

/**
 * Text (a line or a paragraph) is garbled when its font encoding broke:
 *  - it holds replacement characters (U+FFFD);
 *  - many syllables were replaced by "?" ("ho ? ch", "?n"): at least 3 such words and over 8% of them;
 *  - or it fell apart into lone letters (at least 6 words, over 30% single letters or "?").
 */
export function isGarbled(text: string): boolean {
  if (text.includes("\uFFFD")) return true;
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 4) return false;
  const marks = words.filter((w) => w === "?" || /\?\p{L}|\p{L}\?/u.test(w)).length;
  if (marks >= 3 && marks / words.length > 0.08) return true;
  const lone = words.filter((w) => w.length === 1 && /[A-Za-z?]/.test(w)).length;
  return words.length >= 6 && lone / words.length > 0.3;
}

/** NFC, "\n" line ends, form feeds and no-break spaces as plain spaces. */
export function normalizeSource(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[\f\u00a0]/g, " ");
}

/** Strip markdown heading marks, bold/italic stars and HTML tags from one line (spacing kept). */
export function cleanLine(line: string): string {
  return line
    .replace(/^\s*#{1,6}\s*/, "")
    .replace(/<\/?[a-z]+>/gi, "")
    .replace(/\*{1,3}([^*]*)\*{1,3}/g, "$1")
    .replace(/\*{2,3}/g, "");
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** A table cell or heading: tags and markdown emphasis removed, whitespace collapsed. */
export function cleanCell(s: string): string {
  return collapse(s.replace(/<[^>]+>/g, " ").replace(/\*\*|__/g, ""));
}

// ---------------------------------------------------------------- numbering

export type NumberingKind = "roman" | "number" | "letter" | "paren" | "article" | "appendix";

export interface Numbering {
  kind: NumberingKind;
  /** "II", "2", "2.1", "a", "3" (for "(3)"), "4" (for "Điều 4"), "1" or "" (for "PHỤ LỤC 1"). */
  id: string;
  /** The text after the numbering. */
  rest: string;
  /** A number followed by a dot ("2." rather than "2 "). */
  dotted: boolean;
}

/** The numbering a (cleaned, trimmed) line starts with, or null. Whether it is a heading is the caller's rule. */
export function numberingOf(text: string): Numbering | null {
  let m: RegExpExecArray | null;
  if ((m = /^([IVX]{1,4})\.\s+(.*)$/.exec(text))) return { kind: "roman", id: m[1]!, rest: m[2]!, dotted: true };
  if ((m = /^Điều\s+(\d+)(\.?)\s*(.*)$/u.exec(text))) return { kind: "article", id: m[1]!, rest: m[3]!, dotted: m[2] === "." };
  // "PHỤ LỤC 1", "Phụ lục", also typed without diacritics
  if (/^phu luc\b/.test(fold(text.slice(0, 12))) && (m = /^\p{L}+\s+\p{L}+\s*(\d+)?\s*(.*)$/u.exec(text)))
    return { kind: "appendix", id: m[1] ?? "", rest: m[2]!, dotted: false };
  if ((m = /^(\d+(?:\.\d+)*)(\.?)\s+(.*)$/.exec(text))) return { kind: "number", id: m[1]!, rest: m[3]!, dotted: m[2] === "." };
  if ((m = /^([a-zđ])\)\s+(.*)$/u.exec(text))) return { kind: "letter", id: m[1]!, rest: m[2]!, dotted: false };
  if ((m = /^\((\d+)\)\s+(.*)$/.exec(text))) return { kind: "paren", id: m[1]!, rest: m[2]!, dotted: false };
  return null;
}

// ---------------------------------------------------------------- tables

export type TableFormat = "markdown" | "tsv";

/** "markdown" for "| a | b |", "tsv" for a line of at least 3 tab-separated cells, else null. */
export function tableFormatOf(line: string): TableFormat | null {
  const t = line.trim();
  if (t.startsWith("|") && t.length > 2) return "markdown";
  if (line.includes("\t") && line.replace(/\t/g, "").trim() !== "" && line.split("\t").length >= 3) return "tsv";
  return null;
}

/** A markdown separator row "|---|:---:|". */
export function isSeparatorRow(line: string): boolean {
  return /^\s*\|?[\s:|-]+\|?\s*$/.test(line) && line.includes("-");
}

export function splitCells(line: string, format: TableFormat): string[] {
  if (format === "markdown") {
    const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
    return inner.split("|").map(cleanCell);
  }
  return line.replace(/\s+$/, "").split("\t").map(cleanCell);
}

/** A header row: a "TT"/"STT" cell, or a "Chỉ tiêu"/"Nhiệm vụ" column. */
export function isHeaderRow(cells: string[]): boolean {
  return cells.some((c) => /^(s?tt|t t)$/.test(fold(c))) || cells.some((c) => /chi tieu|nhiem vu/.test(fold(c)));
}

export interface TableRow {
  /** Header cells in force for this row ("TT", "Chỉ tiêu", "Đơn vị tính", …); [] when none was seen. */
  header: string[];
  /** Cells, with the lines continued after a page break joined by a space. */
  cells: string[];
  /** Cells of the row's first line only: verbatim, safe to quote. */
  firstLineCells: string[];
  /** The row's first line, whitespace-collapsed. */
  firstLine: string;
  format: TableFormat;
  /** item: numbered ("1", "12"); group: a Roman-numbered group row ("I", "Nhóm …"); other: anything else. */
  kind: "item" | "group" | "other";
  /** The group row above it ("Chuyển đổi số trong dạy học"), or "". */
  group: string;
}

export interface Table {
  header: string[];
  rows: TableRow[];
}

/** Two header rows as one: "Mức đạt" + "Thực hiện năm 2026" → "Mức đạt Thực hiện năm 2026"; "^"/"<" marks merged cells. */
function mergeHeaderRows(upper: string[], lower: string[]): string[] {
  const n = Math.max(upper.length, lower.length);
  const out: string[] = [];
  let left = "";
  for (let i = 0; i < n; i++) {
    const u = upper[i] === "<" ? left : (upper[i] ?? "");
    left = u;
    const l = lower[i] === "^" || lower[i] === "<" ? "" : (lower[i] ?? "");
    out.push(u && l && u !== l ? `${u} ${l}` : u || l);
  }
  return out;
}

/**
 * Read the lines of one table (contiguous table lines; blank lines between them allowed) into rows.
 * `header`: the header of the same table before a page break, when this part has none. A row whose
 * first cell is empty continues the row above (a page break inside a cell).
 */
export function readTable(lines: string[], header: string[] | null = null): Table {
  let hdr = header ?? [];
  const rows: TableRow[] = [];
  let group = "";
  let last: TableRow | undefined;
  let afterHeader = false;
  for (const line of lines) {
    const format = tableFormatOf(line);
    if (!format || isSeparatorRow(line)) continue;
    const cells = splitCells(line, format);
    if (cells.every((c) => !c)) continue; // an empty header of a table continued after a page break
    const first = cells[0] ?? "";
    if (isHeaderRow(cells) && !/^\d+$/.test(first)) {
      const named = cells.map((c) => (/^T\s?T$/i.test(c) ? "TT" : c));
      // a header on two rows ("Mức đạt" over "Thực hiện năm 2026" | "Chỉ tiêu năm 2027"): one name per column,
      // as the Word and PDF readers print it ("^" continues the cell above, "<" the cell to the left)
      hdr = afterHeader ? mergeHeaderRows(hdr, named) : named;
      afterHeader = true;
      last = undefined;
      continue;
    }
    afterHeader = false;
    if (!first && last) {
      cells.forEach((c, i) => {
        if (c) last!.cells[i] = last!.cells[i] ? `${last!.cells[i]} ${c}` : c;
      });
      continue;
    }
    const kind = /^\d+$/.test(first) ? "item" : /^[IVX]{1,4}$/.test(first) ? "group" : "other";
    if (kind === "group") group = cells.slice(1).filter(Boolean).join(" ");
    last = { header: hdr, cells: [...cells], firstLineCells: cells, firstLine: collapse(line), format, kind, group: kind === "group" ? "" : group };
    rows.push(last);
  }
  return { header: hdr, rows };
}

// ---------------------------------------------------------------- footnotes

/**
 * Footnotes written inline by some converters: "[footnoteRef:1]" where cited and "[1: Tại mục …]"
 * where defined; also "[bookmark:…]" anchors. With `inline`, each footnote's text is placed where it
 * is cited ("… tỉnh (chú thích 1: Tại mục 2.6 …)"); without, the markers and bodies are dropped, so
 * the sentence reads as in the printed plan.
 */
export function bracketFootnotes(text: string, inline = true): string {
  const defs = new Map<string, string>();
  let out = text.replace(/\[bookmark:[^\]]*\]/g, "").replace(/\[(\d+):\s+([^\]]+)\]\s*/g, (_m, n: string, body: string) => {
    defs.set(n, body.trim());
    return "";
  });
  out = out.replace(/\[footnoteRef:(\d+)\]/g, (_m, n: string) => (inline && defs.has(n) ? ` (chú thích ${n}: ${defs.get(n)})` : ""));
  return out;
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const fromSuperscript = (s: string) => [...s].map((c) => String(SUPERSCRIPT.indexOf(c))).join("");

/** A page-bottom footnote: its number, its text, the lines it spans, and the line that cites it. */
export interface Footnote {
  n: string;
  body: string;
  /** [from, to) line indices of the footnote itself. */
  from: number;
  to: number;
  /** Line index of the word that cites it ("đào tạo1", "tỉnh¹"); negative when no mark was found (-1 - the line the page broke after). */
  citing: number;
  /** Matches the citing mark in that line (group 1: the character before it). */
  marker: RegExp;
}

/**
 * Page-bottom footnotes: a line "1 Theo Thông tư …" or "¹ Tại mục …", numbered in order, whose
 * number is glued to a word at most 80 lines above. Its text runs on to the following lines until a
 * blank line, an indented line (the page body resuming) or the next footnote.
 */
export function findFootnotes(lines: string[]): Footnote[] {
  const notes: Footnote[] = [];
  let expected = 1;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(?:(\d{1,2}) |([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})\s*)(\p{Lu}.*)$/u.exec(lines[i]!);
    if (!m) continue;
    const n = m[1] ?? fromSuperscript(m[2]!);
    if (Number(n) !== expected) continue;
    const marker = m[1] ? new RegExp(`(\\p{L})${n}(?=[\\s,.;:)]|$)`, "u") : new RegExp(`(\\S)${m[2]}`, "u");
    let citing = -1;
    for (let k = i - 1; k >= Math.max(0, i - 80); k--) {
      if (marker.test(lines[k]!)) {
        citing = k;
        break;
      }
    }
    // a later footnote of a run already found, cutting a sentence at the page bottom, whose mark is not
    // glued to a letter ("Thông tư số 094"): still a footnote, attached where the page broke
    const prev = lines.slice(0, i).reverse().find((l) => l.trim() !== "");
    if (citing < 0 && expected > 1 && prev !== undefined && !/[.;:]\s*$/.test(prev)) citing = -1 - lines.lastIndexOf(prev, i - 1);
    else if (citing < 0) continue;
    const body = [m[3]!.trim()];
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() !== "" && !/^\s/.test(lines[j]!) && !/^(\d{1,2} \p{Lu}|[⁰¹²³⁴⁵⁶⁷⁸⁹])/u.test(lines[j]!)) {
      body.push(lines[j]!.trim());
      j++;
    }
    notes.push({ n, body: body.join(" "), from: i, to: j, citing, marker });
    expected++;
    i = j - 1;
  }
  return notes;
}

/**
 * Lines with each page-bottom footnote cut out of the flow and its text put right after the word that
 * cites it. A footnote whose mark was not found becomes its own paragraph after the sentence it cut.
 */
export function inlineFootnotes(lines: string[], notes = findFootnotes(lines)): string[] {
  const out = [...lines];
  const after = new Map<number, string[]>();
  for (const f of notes) {
    if (f.citing >= 0) out[f.citing] = out[f.citing]!.replace(f.marker, `$1 (chú thích ${f.n}: ${f.body})`);
    else {
      // no mark to attach it to: its own paragraph, after the sentence the page break cut
      let k = f.to;
      while (k < out.length - 1 && !endsSentence(out[k]!)) k++;
      after.set(k, [...(after.get(k) ?? []), "", `(chú thích ${f.n}: ${f.body})`, ""]);
    }
    for (let k = f.from; k < f.to; k++) out[k] = "\u0000";
  }
  return out.flatMap((l, i) => [...(l === "\u0000" ? [] : [l]), ...(after.get(i) ?? [])]);
}

// ---------------------------------------------------------------- paragraphs

/**
 * A line that starts a new paragraph whatever came before it: a numbered or bulleted item
 * ("II.", "2.1.", "a)", "(3)", "- …", "+ …"), an appendix, article or "Nơi nhận" line, a document-type title,
 * or a short label and its value ("THCS: 174/174 …", "Tiểu học: 57/170 …"), the items of a lead-in.
 */
const PARAGRAPH_START =
  /^(?:[IVX]{1,4}\.\s|\d{1,2}\.(?:\d+\.?)*(?:\s|$)|\d+\.(?:\d+\.?)*\s|[a-zđ]\)|\(\d{1,2}\)|[-+*•–]|PHỤ LỤC|Phụ lục|Nơi nhận|Điều \d+|(?:KẾ HOẠCH|QUYẾT ĐỊNH|HƯỚNG DẪN|CÔNG VĂN|THÔNG BÁO):?\s*$)/u;

export function startsParagraph(line: string): boolean {
  const t = line.trim();
  return PARAGRAPH_START.test(t) || /^\p{Lu}[\p{L}\d &]{0,24}:\s+\S/u.test(t);
}

/** The paragraph's sentence is finished ("…;", "…:", "…./."): a blank line after it ends the paragraph. */
export function endsSentence(text: string): boolean {
  return /[.;:!?…)]$|\/\.$/.test(text.trimEnd());
}

/**
 * Does `line` continue the paragraph ending in `prev` (hard-wrapped lines, Đầm Hà)? Not when it starts
 * an item; yes when it starts in lower case; across a blank line only while the sentence is open.
 * `prevIsHeading`: the previous line is a section heading, which a next line never continues unless lower case.
 */
export function continuesParagraph(prev: string, line: string, afterBlank: boolean, prevIsHeading = false): boolean {
  const t = line.trim();
  if (!t || startsParagraph(t)) return false;
  if (/^\p{Ll}/u.test(t)) return true;
  if (prevIsHeading) return false;
  return afterBlank ? !endsSentence(prev) : true;
}
