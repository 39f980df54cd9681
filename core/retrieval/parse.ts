/**
 * Plan text → structure: metadata, section tree, footnotes attached where cited, appendix rows with
 * their headers, and citable chunks. Messy input is handled here, never hand-fixed:
 *
 *   const plan = parsePlan("001_3eb15a9a7d9006f6.txt", text);
 *   plan.meta.number        // "27/KH-SGDĐT"
 *   plan.chunks[0].label    // "KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025), mục I"
 */
import { createHash } from "node:crypto";
import {
  bracketFootnotes,
  cleanLine,
  inlineFootnotes,
  isGarbled,
  normalizeSource,
  numberingOf,
  readTable,
  tableFormatOf,
  continuesParagraph,
  type TableRow,
} from "../documents/structure.ts";
import { fold } from "../text.ts";

export { isGarbled };

export interface PlanMeta {
  /** "Kế hoạch", "Quyết định", "Hướng dẫn", "Công văn", "Thông báo": from the title line (or "V/v" for a letter). */
  docType?: DocType;
  number: string | null;
  issuer: string | null;
  place: string | null;
  date: string | null;
  title: string | null;
  /** Who signed, with their title as printed ("GIÁM ĐỐC Nguyễn Tiên Dũng"). */
  signer?: string | null;
  /** The province or city the issuer belongs to, as the text names it ("tỉnh Quảng Ninh", "thành phố Hải Phòng"). */
  province?: string | null;
  /** Issuing body as printed above the number ("UBND HUYỆN ĐẦM HÀ – PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"). */
  issuerLines?: string | null;
}

export type DocType = "Kế hoạch" | "Quyết định" | "Hướng dẫn" | "Công văn" | "Thông báo";

/** Short form used in citations: KH 27/KH-SGDĐT, QĐ 131/QĐ-TTg, HD …, CV …, TB …. */
export const DOC_ABBR: Record<DocType, string> = { "Kế hoạch": "KH", "Quyết định": "QĐ", "Hướng dẫn": "HD", "Công văn": "CV", "Thông báo": "TB" };
const TYPE_TITLE: Array<[RegExp, DocType]> = [
  [/^KẾ HOẠCH\s*$/u, "Kế hoạch"],
  [/^QUYẾT ĐỊNH\s*$/u, "Quyết định"],
  [/^HƯỚNG DẪN\s*$/u, "Hướng dẫn"],
  [/^CÔNG VĂN\s*$/u, "Công văn"],
  [/^THÔNG BÁO\s*$/u, "Thông báo"],
];

/** text: a paragraph (a lead-in keeps its list); table_row: a row with its headers; header: the document's own facts. */
export type ChunkKind = "text" | "table_row" | "footnote" | "header";

/** Section path of the document-facts passage (number, issuer, date, signer, province). */
export const HEADER_SECTION = "thông tin văn bản";

export interface ParsedSection {
  path: string;
  heading: string;
  ordinal: number;
}

export interface ParsedChunk {
  id: string;
  ordinal: number;
  sectionPath: string;
  label: string;
  kind: ChunkKind;
  text: string;
}

export interface ParsedPlan {
  file: string;
  hash: string;
  meta: PlanMeta;
  /** Short citation prefix, e.g. "KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025)". */
  labelBase: string;
  sections: ParsedSection[];
  chunks: ParsedChunk[];
  /** Lines left out because their text is garbled (broken font encoding). */
  garbledLines: number;
}

/** sha256 of the normalized text: re-ingesting an unchanged file changes nothing. */
export function textHash(text: string): string {
  return createHash("sha256").update(normalizeSource(text)).digest("hex");
}

function isHeadingLike(p: string): boolean {
  return (
    /^(?:[IVX]{1,4}\.|\d+(?:\.\d+)*\.|Điều \d+\.?)\s/u.test(p) && p.length <= 170 && !/[.;]$/.test(p.trim())
  );
}

interface Block {
  kind: "para" | "table";
  text: string;
  lines?: string[];
}

/** Join hard-wrapped lines into paragraphs; keep table lines (TSV or markdown) together. */
function toBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let cur: { text: string } | null = null;
  let blankSince = false;
  const flush = () => {
    if (cur && cur.text.trim()) blocks.push({ kind: "para", text: cur.text.replace(/\s+/g, " ").trim() });
    cur = null;
  };
  for (const rawLine of lines) {
    if (/^\s*$/.test(rawLine) || /^\s*\d{1,3}\s*$/.test(rawLine)) {
      blankSince = true;
      continue;
    }
    if (tableFormatOf(rawLine)) {
      flush();
      const last = blocks[blocks.length - 1];
      if (last && last.kind === "table") last.lines!.push(rawLine);
      else blocks.push({ kind: "table", text: "", lines: [rawLine] });
      blankSince = false;
      continue;
    }
    const line = cleanLine(rawLine);
    const text = line.trim();
    if (!text) continue;
    const c = cur as { text: string } | null;
    const join = c !== null && continuesParagraph(c.text, text, blankSince, isHeadingLike(c.text.trim()));
    if (join && c) {
      const t = c.text.trimEnd();
      c.text = /\p{L}-$/u.test(t) ? t + text : `${t} ${text}`;
    } else {
      flush();
      cur = { text };
    }
    blankSince = false;
  }
  flush();
  return blocks;
}

/** Split long text into sentence-bounded pieces of at most ~`max` characters. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.;!?])\s+(?=[\p{Lu}\d("“+-])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function splitLong(text: string, max = 900): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let cur = "";
  for (const s of splitSentences(text)) {
    if (cur && cur.length + s.length + 1 > max) {
      out.push(cur);
      cur = s;
    } else cur = cur ? `${cur} ${s}` : s;
  }
  if (cur) out.push(cur);
  return out;
}

const ISSUER_BY_SUFFIX: Array<[RegExp, string]> = [
  [/SGD/i, "Sở GDĐT"],
  [/PGD/i, "Phòng GDĐT"],
  [/UBND/i, "UBND"],
];
/** Central bodies: named without the place their documents are signed in ("Hà Nội"). */
const CENTRAL_BY_SUFFIX: Array<[RegExp, string]> = [
  [/^BGDĐT$/u, "Bộ Giáo dục và Đào tạo"],
  [/^TTg$/u, "Thủ tướng Chính phủ"],
  [/^CP$/u, "Chính phủ"],
];

/** Document metadata from the header: number, issuer, place, date, title. */
export function parseMeta(text: string): PlanMeta {
  const head = text.slice(0, 3000);
  const num = /Số:\s*(\d*)\s*\/\s*([\p{Lu}&-]+(?:-[\p{Lu}&]+)*)/u.exec(head);
  const number = num ? `${num[1]}/${num[2]!.replace(/-+$/, "")}` : null;
  const pd = /^\s*([\p{Lu}][\p{L} ]{1,40}?),\s*ngày\s*(\d*)\s*tháng\s*(\d+)\s*năm\s*(\d{4})/mu.exec(head);
  const place = pd ? pd[1]!.trim() : null;
  const date = pd ? (pd[2] ? `${Number(pd[2])}/${Number(pd[3])}/${pd[4]}` : `${pd[3]}/${pd[4]}`) : null;
  let issuer: string | null = null;
  if (number) {
    const suffix = number.split("/")[1] ?? "";
    const body = suffix.split("-").slice(1).join("-");
    const central = CENTRAL_BY_SUFFIX.find(([re]) => re.test(body))?.[1];
    const org = ISSUER_BY_SUFFIX.find(([re]) => re.test(suffix))?.[1] ?? null;
    if (central) issuer = central;
    else if (org) issuer = org === "UBND" && place ? `UBND xã ${place}` : place ? `${org} ${place}` : org;
  }
  const lines = head.split("\n").map((l) => cleanLine(l).trim());
  let docType: DocType = "Kế hoạch";
  let k = -1;
  for (const [re, t] of TYPE_TITLE) {
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0 && (k < 0 || i < k)) {
      k = i;
      docType = t;
    }
  }
  let title: string | null = null;
  if (k >= 0) {
    const next = lines.slice(k + 1).find((l) => l.length > 0);
    title = next ?? null;
  } else if (/^V\/v\s/mu.test(head)) {
    docType = "Công văn";
    title = /^V\/v\s+(.*)$/mu.exec(head)![1]!.trim();
  }
  return { docType, number, issuer, place, date, title, signer: signerOf(text), province: provinceOf(text, place), issuerLines: issuerLinesOf(head) };
}

const SIGNER_TITLE = /(GIÁM ĐỐC|CHỦ TỊCH|TRƯỞNG PHÒNG|TRƯỞNG BAN|HIỆU TRƯỞNG|BỘ TRƯỞNG|THỨ TRƯỞNG)\s*$/u;

/** "GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / "CHỦ TỊCH" followed by a name line: the signer. */
function signerOf(text: string): string | null {
  const lines = text.split("\n").map((l) => cleanLine(l).replace(/\*/g, "").trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = SIGNER_TITLE.exec(lines[i]!);
    if (!t || lines[i]!.length > 60) continue;
    const name = lines.slice(i + 1, i + 4).find((l) => l !== "");
    if (name && /^\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){1,4}$/u.test(name)) {
      const title = lines[i]!.replace(/^(KT|TM)\.?\s.*$/u, "").trim() || t[1]!;
      return `${title} ${name}`;
    }
  }
  return null;
}

/** The province or city named most in the text ("tỉnh Ninh Bình", "thành phố Hải Phòng"). */
function provinceOf(text: string, place: string | null): string | null {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/(tỉnh|thành phố)\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?)/gu)) {
    const k = `${m[1]} ${m[2]}`;
    counts.set(k, (counts.get(k) ?? 0) + (place && m[2] === place ? 3 : 1));
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Capitalized issuer lines printed above "Số:" (not the national motto). */
function issuerLinesOf(head: string): string | null {
  const out: string[] = [];
  for (const raw of head.split("\n")) {
    const l = cleanLine(raw).trim();
    if (/^Số:/u.test(l)) break;
    if (!l || /CỘNG HÒA|Độc lập/u.test(l)) continue;
    if (/^[\p{Lu}\s&.,-]+$/u.test(l) && /\p{Lu}{2}/u.test(l)) out.push(l.replace(/\s+/g, " "));
  }
  return out.length ? out.join(" – ") : null;
}

/** The document's own facts as one passage, every value taken from its header and signature. */
export function headerText(meta: PlanMeta): string | null {
  const parts: string[] = [];
  const hasNumber = meta.number && /^\d/.test(meta.number);
  const type = meta.docType ?? "Kế hoạch";
  const name = hasNumber ? `${type} số ${meta.number}` : meta.number ? `${type} ký hiệu ${meta.number} (chưa ghi số)` : type;
  parts.push(meta.title ? `${name}: ${meta.title}.` : `${name}.`);
  const by = meta.issuerLines ?? meta.issuer;
  if (by) parts.push(`Cơ quan ban hành: ${by}.`);
  if (meta.place || meta.date) {
    // the date as the document writes it ("ngày 29 tháng 3 năm 2022"), then as figures ("29/3/2022")
    const [d, m, y] = meta.date?.split("/").length === 3 ? meta.date.split("/") : [null, ...(meta.date?.split("/") ?? [])];
    const when = meta.date ? `${d ? `ngày ${d} ` : ""}tháng ${m} năm ${y} (${meta.date})` : "";
    parts.push(`Ban hành${meta.place ? ` tại ${meta.place}` : ""}${when ? `, ${when}` : ""}.`);
  }
  if (meta.province && meta.place && !meta.province.endsWith(meta.place)) parts.push(`${meta.place} thuộc ${meta.province}.`);
  else if (meta.province) parts.push(`Địa phương: ${meta.province}.`);
  if (meta.signer) parts.push(`Người ký: ${meta.signer}.`);
  return parts.length > 1 ? parts.join(" ") : null;
}

/**
 * Citation prefix. A plan: "KH 27/KH-SGDĐT (Ninh Bình, 19/9/2025)" or, with no number, "KH UBND xã
 * Tân Kỳ (3/2026)". Any other document under its own type, spelt out: "Quyết định số 1468/QĐ-BGDĐT
 * của Bộ Giáo dục và Đào tạo (12/10/2026)".
 */
export function labelBaseOf(meta: PlanMeta): string {
  const hasNumber = meta.number && /^\d/.test(meta.number);
  const type = meta.docType ?? "Kế hoạch";
  if (type !== "Kế hoạch") {
    const name = hasNumber ? `${type} số ${meta.number}` : meta.number ? `${type} ${meta.number}` : type;
    const by = meta.issuer ? ` của ${meta.issuer}` : "";
    // an issuer not recognised from the number: the place it was signed in says where it is from
    const when = [meta.issuer ? null : meta.place, meta.date?.replace(/^0/, "")].filter(Boolean).join(", ");
    return `${name}${by}${when ? ` (${when})` : ""}`;
  }
  const abbr = DOC_ABBR[meta.docType ?? "Kế hoạch"];
  const name = hasNumber ? `${abbr} ${meta.number}` : `${abbr} ${meta.issuer ?? meta.place ?? "không số"}`;
  const place = meta.place && !name.includes(meta.place) ? meta.place : null;
  const when = [place, meta.date?.replace(/^0/, "")].filter(Boolean).join(", ");
  return when ? `${name} (${when})` : name;
}

/** The type of a document from its citation prefix ("QĐ 131/…", "Quyết định số …", "KH …"). */
export function docTypeOfLabel(labelBase: string): DocType {
  for (const [type, abbr] of Object.entries(DOC_ABBR) as Array<[DocType, string]>) {
    if (labelBase.startsWith(`${abbr} `) || labelBase.startsWith(type)) return type;
  }
  return "Kế hoạch";
}

/** A citation label without its section: "…, mục V.3" / "…, Điều 2" / "…, Phụ lục 1, dòng 3" → the document part. */
export function labelBaseFromLabel(label: string): string {
  return label.replace(/, (?:mục |Phụ lục|phần mở đầu|phần đầu văn bản|Điều \d).*$/u, "");
}

function chunkId(file: string, sectionPath: string, text: string, taken: Set<string>): string {
  const base = `${file.slice(0, 3)}-${createHash("sha1").update(`${file}|${sectionPath}|${text}`).digest("hex").slice(0, 10)}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function rowText(header: string[], row: TableRow): string {
  const parts: string[] = [];
  for (let i = 1; i < row.cells.length; i++) {
    const v = row.cells[i]?.replace(/\s+/g, " ").trim();
    if (!v) continue;
    const h = header[i]?.replace(/\s+/g, " ").trim();
    parts.push(h ? `${h}: ${v}` : v);
  }
  return parts.join("; ");
}

/** Parse one plan file's text. */
export function parsePlan(file: string, source: string): ParsedPlan {
  const normalized = normalizeSource(source);
  const hash = createHash("sha256").update(normalized).digest("hex");
  const meta = parseMeta(normalized);
  const labelBase = labelBaseOf(meta);
  let lines = bracketFootnotes(normalized, true).split("\n");
  const before = lines.length;
  lines = lines.filter((l) => !isGarbled(l));
  const garbledLines = before - lines.length;
  lines = inlineFootnotes(lines);
  const blocks = toBlocks(lines);

  const sections: ParsedSection[] = [];
  const chunks: ParsedChunk[] = [];
  const taken = new Set<string>();
  const path: string[] = []; // [roman, number, item]
  let appendix: string | null = null;
  let appendixTitle = "";
  let tableHeader: string[] | null = null;
  let skipping = false;
  let started = false;

  const sectionPath = () => (appendix ? appendix : path.filter(Boolean).join("."));
  const labelOf = (sp: string) =>
    sp === HEADER_SECTION
      ? `${labelBase}, phần đầu văn bản`
      : sp.startsWith("Phụ lục") || sp.startsWith("Điều")
        ? `${labelBase}, ${sp}`
        : sp
          ? `${labelBase}, mục ${sp}`
          : `${labelBase}, phần mở đầu`;
  const addSection = (p: string, heading: string) => sections.push({ path: p, heading, ordinal: sections.length });
  const addChunk = (kind: ChunkKind, sp: string, text: string, label = labelOf(sp)) => {
    for (const piece of splitLong(text)) {
      if (fold(piece).replace(/[^a-z0-9]/g, "").length < 12) continue;
      chunks.push({ id: chunkId(file, sp, piece, taken), ordinal: chunks.length, sectionPath: sp, label, kind, text: piece });
    }
  };

  const header = headerText(meta);
  if (header) addChunk("header", HEADER_SECTION, header);

  // A lead-in paragraph ("… việc dạy học tin học ở các trường:") keeps the list items that follow it.
  let pending: { sp: string; text: string; items: number } | null = null;
  const flushPending = () => {
    if (pending) addChunk("text", pending.sp, pending.text);
    pending = null;
  };
  const addParagraph = (sp: string, p: string) => {
    const cur = pending as { sp: string; text: string; items: number } | null;
    const leadIn = /:\s*$/.test(p) && p.length < 300;
    if (cur && cur.sp === sp && !(leadIn && cur.items > 0) && cur.text.length + p.length < 880) {
      cur.text += `\n${p}`;
      cur.items++;
      return;
    }
    flushPending();
    if (leadIn) pending = { sp, text: p, items: 0 };
    else addChunk("text", sp, p);
  };

  for (const b of blocks) {
    const n = b.kind === "para" ? numberingOf(b.text) : null;
    if (b.kind === "table" || (n && n.kind !== "article") || /^Nơi nhận/u.test(b.text)) flushPending();
    if (b.kind === "table") {
      if (!appendix) continue;
      const table = readTable(b.lines!, tableHeader);
      // a table with no "TT"/"Chỉ tiêu" header row: its first line names the columns
      const header = table.header.length ? table.header : (table.rows.shift()?.cells ?? []);
      tableHeader = header.length ? header : null;
      for (const row of table.rows) {
        if (row.kind !== "item") continue;
        const sp = `${appendix}, dòng ${row.cells[0]}`;
        const text = rowText(header, row);
        if (text) addChunk("table_row", sp, text, `${labelBase}, ${sp}`);
      }
      continue;
    }
    const p = b.text;
    if (n?.kind === "appendix" && !/đính kèm|kèm theo\s*$/i.test(p) && p.length < 160 && (n.rest === "" || /^[\p{Lu}\s,]+$/u.test(n.rest) || /^[A-ZĐ\p{Lu}]/u.test(n.rest))) {
      appendix = `Phụ lục${n.id ? ` ${n.id}` : ""}`;
      appendixTitle = n.rest.trim();
      tableHeader = null;
      skipping = false;
      addSection(appendix, appendixTitle);
      continue;
    }
    if (/^Nơi nhận/.test(p)) {
      skipping = true;
      continue;
    }
    if (skipping) continue;
    if (appendix) {
      if (!appendixTitle && !/^\(/.test(p)) {
        appendixTitle = p;
        sections[sections.length - 1]!.heading = p;
      }
      continue; // appendix titles and notes are headings, not passages
    }
    if (n?.kind === "article") {
      // a decision's articles are its top-level sections
      started = true;
      path.length = 0;
      path.push(`Điều ${n.id}`);
      addSection(sectionPath(), n.rest);
      if (!isHeadingLike(p)) addParagraph(sectionPath(), p);
      continue;
    }
    if (n?.kind === "roman") {
      started = true;
      path.length = 0;
      path.push(n.id);
      addSection(sectionPath(), n.rest);
      if (!isHeadingLike(p)) addChunk("text", sectionPath(), p);
      continue;
    }
    if (started && n?.kind === "number" && !/^\d+(?:\.\d+)*\s*%/.test(p) && Number(n.id.split(".")[0]) < 30) {
      path.length = Math.min(path.length, 1);
      path.push(n.id);
      addSection(sectionPath(), n.rest);
      if (!isHeadingLike(p)) addChunk("text", sectionPath(), p);
      continue;
    }
    if (started && (n?.kind === "letter" || n?.kind === "paren")) {
      path.length = Math.min(path.length, 2);
      path.push(n.kind === "paren" ? `(${n.id})` : n.id);
      addParagraph(sectionPath(), p);
      continue;
    }
    if (!started) {
      // preamble: the header lines are metadata; the opening paragraph is a passage
      if (p.length > 120) addChunk("text", "", p);
      continue;
    }
    addParagraph(sectionPath(), p);
  }
  flushPending();
  // "(3)" items read better as "II.1 (3)" than "II.1.(3)"
  for (const c of chunks) {
    const pretty = c.sectionPath.replace(/\.\((\d+)\)/, " ($1)");
    if (pretty !== c.sectionPath) {
      c.label = c.label.replace(c.sectionPath, pretty);
      c.sectionPath = pretty;
    }
  }
  return { file, hash, meta, labelBase, sections, chunks, garbledLines };
}

/** Heading chain of a section path ("I.2.1" → headings of I, I.2, I.2.1), for indexing context. */
export function headingChain(sections: Array<{ path: string; heading: string }>, sectionPath: string): string {
  const byPath = new Map(sections.map((s) => [s.path, s.heading]));
  const base = sectionPath.replace(/, dòng .*$/, "").replace(/ \(\d+\)$/, "");
  const parts = base.split(".");
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const h = byPath.get(parts.slice(0, i).join("."));
    if (h) out.push(h);
  }
  return out.join(" / ");
}
