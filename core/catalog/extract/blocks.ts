/**
 * Plan text → blocks the extractor can read: prose paragraphs (with the section they sit in)
 * and appendix table rows (markdown "| a | b |", tab-separated, HTML-ish "<b>…</b>" cells).
 *
 * Real plan texts are messy, so this layer:
 *  - joins hard-wrapped lines (Đầm Hà) into one paragraph, also across blank lines when the
 *    sentence has not ended;
 *  - skips footnote bodies ("¹ Tại mục…", "1 Theo Thông tư…") and remembers where the paragraph
 *    was cut, so a quote never spans the skipped text (see {@link Paragraph.segments});
 *  - joins table rows broken across page breaks (a continuation line has an empty first cell);
 *  - drops garbled runs from a broken font encoding ("K ?   HO ? CH …").
 *
 *   const { paragraphs, rows } = readBlocks(text);
 */
import {
  cleanCell,
  continuesParagraph,
  endsSentence,
  findFootnotes,
  isGarbled,
  isHeaderRow,
  numberingOf,
  readTable,
  splitCells,
  tableFormatOf,
  type TableFormat,
} from "../../documents/structure.ts";
import { fold } from "../../text.ts";

export { cleanCell };

/** A prose paragraph. `text` is the whitespace-collapsed paragraph. */
export interface Paragraph {
  text: string;
  /** [start, end) offsets in `text` of pieces that are contiguous in the file (quotes stay inside one). */
  segments: Array<[number, number]>;
  /** "mục I.2.1", "mục II.3". */
  section: string;
  /** Inside a "MỤC TIÊU" section (targets), rather than tasks or organisation. */
  inObjectives: boolean;
  /** Target year from a heading such as "Mục tiêu đến năm 2025", else the plan title's year. */
  year?: string;
  /** Numbered target label such as "(7)" this paragraph belongs to (Đầm Hà style). */
  label?: string;
}

/** One appendix table row, page-break continuations already joined. */
export interface TableRow {
  /** "Phụ lục 1" (or "Phụ lục" / "Bảng" when unnumbered). */
  table: string;
  /** Header cells, cleaned ("TT", "Chỉ tiêu", "Đơn vị tính", …). */
  header: string[];
  /** Cells with continuations joined by a space. */
  cells: string[];
  /** Cells of the row's first line only: verbatim, safe to quote. */
  firstLineCells: string[];
  /** The row's first line, whitespace-collapsed (markdown rows are quoted whole). */
  firstLine: string;
  format: "markdown" | "tsv";
}

export interface Blocks {
  paragraphs: Paragraph[];
  rows: TableRow[];
  /** Year of the plan title ("… năm 2025"), when found. */
  planYear?: string;
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** Section headings whose lists are targets: "MỤC TIÊU", "CHỈ TIÊU", "Chỉ tiêu chủ yếu", "Mục tiêu cụ thể". */
const OBJECTIVES_HEADING = /muc tieu|chi tieu/;
/** Sections whose figures describe the past, not targets: "Hiện trạng", "Kết quả thực hiện năm 2026". */
const SKIP_HEADING = /hien trang|ket qua (thuc hien|dat duoc|nam)|tinh hinh thuc hien|danh gia (ket qua|tinh hinh)/;

function headingText(line: string): string {
  return cleanCell(line.replace(/^#+\s*/, "").replace(/\*/g, ""));
}

/** A short line that is a section heading, not a sentence. */
function isHeadingLine(h: string): boolean {
  return h.length > 0 && h.length <= 160 && !/[;]$/.test(h) && !/\d+\s*%/.test(h);
}


/** Read a plan text into paragraphs and table rows. */
export function readBlocks(raw: string): Blocks {
  // footnotes are found by the shared reader (documents/structure.ts), the same ones plan Q&A attaches where cited;
  // here their text is left out and the paragraph remembers the cut (a quote never spans it)
  // (inline "[footnoteRef:n]" markers stay: drafts quote the file verbatim)
  const lines = raw.normalize("NFC").split(/\r?\n/);
  const footnoteLines = new Set(findFootnotes(lines).flatMap((f) => Array.from({ length: f.to - f.from }, (_, k) => f.from + k)));
  const paragraphs: Paragraph[] = [];
  const rows: TableRow[] = [];
  let planYear: string | undefined;

  let roman = "";
  let num = "";
  let sub = "";
  let inObjectives = false;
  let skipSection = false; // "Hiện trạng" (current state): figures there are not targets
  let year: string | undefined;
  let label: string | undefined;
  let appendix: string | undefined;

  let para: { parts: string[]; breaks: number[]; section: string; inObjectives: boolean; year?: string; label?: string } | undefined;
  let pendingBreak = false;
  let afterBlank = false;

  /** Lines of the table being read (structure.ts readTable reads them when the table ends). */
  let table: { lines: string[]; format: TableFormat; name: string } | undefined;
  /** The last header of each appendix's table, for a part continued after a page break. */
  const headers = new Map<string, string[]>();
  const endTable = () => {
    if (!table) return;
    const read = readTable(table.lines, headers.get(table.name) ?? null);
    if (read.header.length) headers.set(table.name, read.header);
    for (const r of read.rows) {
      rows.push({ table: table.name, header: r.header, cells: r.cells, firstLineCells: r.firstLineCells, firstLine: r.firstLine, format: r.format });
    }
    table = undefined;
  };

  const section = () => {
    const tail = sub || num;
    return roman ? `mục ${roman}${tail ? "." + tail : ""}` : tail ? `mục ${tail}` : "phần mở đầu";
  };

  const flush = () => {
    if (!para) return;
    let text = "";
    const segments: Array<[number, number]> = [];
    let segStart = 0;
    para.parts.forEach((p, i) => {
      if (para!.breaks.includes(i) && text) {
        segments.push([segStart, text.length]);
        text += " ";
        segStart = text.length;
      } else if (text) text += " ";
      text += p;
    });
    segments.push([segStart, text.length]);
    const clean = collapse(text);
    if (clean && !isGarbled(clean) && !skipSection) {
      paragraphs.push({ text, segments, section: para.section, inObjectives: para.inObjectives, year: para.year, label: para.label });
    }
    para = undefined;
    pendingBreak = false;
  };

  for (const [lineNo, rawLine] of lines.entries()) {
    const line = rawLine.replace(/\u00a0/g, " ");
    /** A numbered line whose sentence runs on to a next line starting in lower case is a wrapped item, not a heading. */
    const runsOn = () => /^\s*[a-zà-ỹđ]/u.test(lines[lineNo + 1] ?? "") && !/[.:;]$/.test(line.trim());
    const trimmed = line.trim();

    // ---- tables ----
    // a tab-separated table starts at its header row (tabs alone also lay out prose)
    const format = tableFormatOf(line);
    if (format === "markdown" || (format === "tsv" && (table?.format === "tsv" || isHeaderRow(splitCells(line, "tsv"))))) {
      flush();
      const name = appendix ?? "Bảng";
      if (table && (table.name !== name || table.format !== format)) endTable();
      if (!table) table = { lines: [], format, name };
      table.lines.push(line);
      continue;
    }
    if (trimmed && table) endTable(); // a non-table, non-empty line ends a table

    // ---- prose ----
    if (!trimmed) {
      afterBlank = true;
      if (para) {
        const last = para.parts[para.parts.length - 1] ?? "";
        if (endsSentence(last)) flush();
      }
      continue;
    }
    if (footnoteLines.has(lineNo)) {
      if (para) pendingBreak = true;
      continue;
    }
    const wasBlank = afterBlank;
    afterBlank = false;
    const h = headingText(trimmed);
    const fh = fold(h);

    const n = numberingOf(h);
    if (n?.kind === "appendix" && h.length <= 40) {
      flush();
      appendix = n.id ? `Phụ lục ${n.id}` : "Phụ lục";
      inObjectives = false;
      continue;
    }
    if (!planYear && /^(chuyen doi so|thuc hien|ke hoach)/.test(fh)) {
      const y = h.match(/năm (20\d\d)\b/i);
      if (y && !/^thuc hien ke hoach so|^can cu/.test(fh)) planYear = y[1];
    }

    if (n?.kind === "roman" && n.rest && isHeadingLine(h) && h === h.toUpperCase()) {
      flush();
      roman = n.id;
      num = "";
      sub = "";
      label = undefined;
      year = undefined;
      const f = fold(n.rest);
      inObjectives = OBJECTIVES_HEADING.test(f);
      skipSection = SKIP_HEADING.test(f);
      continue;
    }
    // "2.1 Mục tiêu năm 2025" (a sub-section) and "2. Chỉ tiêu cụ thể" (a section)
    if (n?.kind === "number" && n.rest && /^\d{1,2}\.\d{1,2}$/.test(n.id) && isHeadingLine(h) && !/[.]$/.test(h) && !runsOn()) {
      flush();
      sub = n.id;
      num = n.id.split(".")[0]!;
      label = undefined;
      const y = h.match(/năm (20\d\d)/i);
      if (y) year = y[1];
      continue;
    }
    if (n?.kind === "number" && n.rest && n.dotted && /^\d{1,2}$/.test(n.id) && isHeadingLine(h) && !/[.;]$/.test(h) && !runsOn()) {
      flush();
      num = n.id;
      sub = "";
      label = undefined;
      if (OBJECTIVES_HEADING.test(fold(n.rest))) inObjectives = true;
      continue;
    }
    if (h.length <= 60 && /^(cac )?(muc tieu|chi tieu)( cu the| chu yeu| chung| dinh luong)?( nam 20\d\d)?:?$/.test(fh)) {
      // an unnumbered heading line "Chỉ tiêu chủ yếu:" / "Mục tiêu cụ thể"
      flush();
      inObjectives = true;
      continue;
    }

    // the shared paragraph rule (documents/structure.ts), the same one plan Q&A joins lines by
    const startsNew = !para || !continuesParagraph(para.parts[para.parts.length - 1] ?? "", trimmed, wasBlank);
    const labelMatch = trimmed.match(/^\((\d{1,2})\)/);
    if (labelMatch) label = `(${labelMatch[1]})`;
    if (startsNew) {
      flush();
      para = { parts: [], breaks: [], section: section(), inObjectives, year: year ?? planYear, label: inObjectives ? label : undefined };
    }
    if (pendingBreak) {
      para!.breaks.push(para!.parts.length);
      pendingBreak = false;
    }
    para!.parts.push(collapse(trimmed));
  }
  flush();
  endTable();
  return { paragraphs, rows, planYear };
}
