/**
 * .docx → text through mammoth's HTML: paragraphs and headings become lines separated by blank
 * lines, Word's automatic numbers are written into the text ("I. ", "1.1. ", "a) ", "- "; see
 * docx-numbering.ts), other list items keep a marker ("- " or "1. "), tables become markdown rows under their header
 * row (merged cells repeated as empty cells so columns stay aligned). Layout tables (the national
 * motto header, the "Nơi nhận" signature block) are read as plain paragraphs.
 */
import { inlineNumbering } from "./docx-numbering.ts";
import type { ReadProblem, ReadWarning } from "./read.ts";

type DocxText = { ok: true; text: string; warnings: ReadWarning[] } | { ok: false; problem: ReadProblem; detail?: string };

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export async function docxToText(bytes: Uint8Array): Promise<DocxText> {
  if (OLE.every((b, i) => bytes[i] === b)) {
    // An encrypted Word file is an OLE container holding "EncryptedPackage"; otherwise a legacy .doc renamed.
    const marker = Buffer.from("EncryptedPackage", "utf16le");
    return Buffer.from(bytes).includes(marker) ? { ok: false, problem: "encrypted" } : { ok: false, problem: "unsupported", detail: ".doc" };
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) return { ok: false, problem: "unreadable", detail: "not a zip" };
  const mammoth = (await import("mammoth")).default;
  // Word's automatic numbers ("I.", "a)") written into the text, as the readers of plans expect them
  const numbered = await inlineNumbering(bytes).catch(() => bytes);
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(numbered) },
    { convertImage: mammoth.images.imgElement(async () => ({ src: "" })), ignoreEmptyParagraphs: true },
  );
  return { ok: true, text: htmlToText(result.value), warnings: [] };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

interface Cell {
  paras: string[];
  colspan: number;
  rowspan: number;
}
interface Table {
  rows: Cell[][];
  row: Cell[] | null;
  cell: Cell | null;
}

/** mammoth's HTML (a small, well-formed subset) → text lines. */
export function htmlToText(html: string): string {
  const out: string[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const tables: Table[] = [];
  let buf = "";
  let prefix = "";
  let skip = 0; // inside a footnote back-link or reference marker

  const emitPara = (text: string) => {
    const t = collapse(text);
    if (!t) return;
    const table = tables[tables.length - 1];
    if (table?.cell) table.cell.paras.push(t);
    else out.push(prefix + t, "");
  };
  const flush = () => {
    const lines = buf.split("\n");
    buf = "";
    // a <br> inside a paragraph keeps its line break
    const text = lines.map(collapse).filter(Boolean).join("\n");
    if (text) {
      const table = tables[tables.length - 1];
      if (table?.cell) emitPara(text.replace(/\n/g, " "));
      else {
        out.push(prefix + text, "");
      }
    }
    prefix = "";
  };

  const re = /<(\/?)([a-zA-Z0-9]+)([^>]*?)(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const [, close, rawTag, attrs = "", selfClose, textPart] = m;
    if (textPart !== undefined) {
      if (!skip) buf += decode(textPart);
      continue;
    }
    const tag = rawTag!.toLowerCase();
    const closing = close === "/";
    if (tag === "a" || tag === "sup") {
      if (!closing && /href="#footnote-ref-|href="#endnote-ref-|id="(?:footnote|endnote)-ref-/.test(attrs)) skip++;
      else if (!closing && tag === "sup" && skip) skip++;
      else if (closing && skip) skip--;
      continue;
    }
    if (skip) continue;
    switch (tag) {
      case "p":
      case "h1":
      case "h2":
      case "h3":
      case "h4":
      case "h5":
      case "h6":
        if (closing) flush();
        else if (buf.trim()) flush();
        break;
      case "br":
        buf += "\n";
        break;
      case "ul":
      case "ol":
        if (buf.trim()) flush();
        if (closing) lists.pop();
        else lists.push({ ordered: tag === "ol", n: 0 });
        break;
      case "li":
        if (buf.trim()) flush();
        if (!closing) {
          const list = lists[lists.length - 1];
          const indent = "  ".repeat(Math.max(0, lists.length - 1));
          const note = /id="(?:footnote|endnote)-(\d+)"/.exec(attrs)?.[1];
          if (note) prefix = `(chú thích ${note}) `; // footnotes, listed after the body
          else if (list) {
            list.n++;
            prefix = indent + (list.ordered ? `${list.n}. ` : "- ");
          }
        }
        break;
      case "table":
        if (buf.trim()) flush();
        if (!closing) tables.push({ rows: [], row: null, cell: null });
        else {
          const t = tables.pop()!;
          const parent = tables[tables.length - 1];
          const lines = renderTable(t);
          if (parent?.cell) parent.cell.paras.push(lines.map((l) => l.replace(/^\| | \|$/g, "")).join("; "));
          else out.push(...lines, "");
        }
        break;
      case "tr": {
        const t = tables[tables.length - 1];
        if (!t) break;
        if (!closing) t.row = [];
        else if (t.row) {
          t.rows.push(t.row);
          t.row = null;
        }
        break;
      }
      case "td":
      case "th": {
        const t = tables[tables.length - 1];
        if (!t) break;
        if (!closing) {
          if (buf.trim()) flush();
          const span = (name: string) => Math.max(1, Math.min(50, Number(new RegExp(`${name}="(\\d+)"`).exec(attrs)?.[1] ?? 1)));
          t.cell = { paras: [], colspan: span("colspan"), rowspan: span("rowspan") };
        } else {
          if (buf.trim()) flush();
          if (t.cell && t.row) t.row.push(t.cell);
          t.cell = null;
        }
        break;
      }
      default:
        if (selfClose) break;
    }
  }
  if (buf.trim()) flush();
  return out.join("\n");
}

/** Text of the header and signature blocks that Word lays out in borderless two-column tables. */
const LAYOUT = /cong hoa xa hoi chu nghia|doc lap - tu do|noi nhan|(?:^|\s)so: |ngay \.*\s*\d*\s*thang .*nam \d{4}|tm\. uy ban|kt\. (?:giam doc|chu tich|truong phong)/;
const foldVi = (s: string) =>
  s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();

/** Rows with merged cells expanded: a colspan repeats as empty cells, a rowspan leaves empty cells below. */
function renderTable(t: Table): string[] {
  const spans: Array<{ left: number; text: string }> = [];
  const grid: string[][] = [];
  /** Like grid, but a merged cell's text fills every cell it covers (for multi-row headers). */
  const covered: string[][] = [];
  for (const row of t.rows) {
    const cells: string[] = [];
    const cover: string[] = [];
    const fillSpanned = () => {
      for (let s = spans[cells.length]; s && s.left > 0; s = spans[cells.length]) {
        s.left--;
        cells.push("");
        cover.push(s.text);
      }
    };
    for (const cell of row) {
      fillSpanned();
      const col = cells.length;
      const text = cell.paras.join(" ");
      for (let k = 0; k < cell.colspan; k++) {
        cells.push(k === 0 ? text : "");
        cover.push(text);
        if (cell.rowspan > 1) spans[col + k] = { left: cell.rowspan - 1, text };
      }
    }
    fillSpanned();
    grid.push(cells);
    covered.push(cover);
  }
  const all = grid.flat().join(" ");
  const width = Math.max(0, ...grid.map((r) => r.length));
  if (width === 0) return [];
  if (width <= 2 && LAYOUT.test(foldVi(all))) {
    // a layout table: its cells are paragraphs
    return t.rows.flatMap((r) => r.flatMap((c) => c.paras.flatMap((p) => [p, ""])));
  }
  if (width === 1) return grid.flatMap((r) => [r[0] ?? "", ""]).filter((l, i, a) => l || a[i - 1]);
  const line = (cells: string[]) => {
    const full = [...cells, ...Array(width - cells.length).fill("")];
    return `| ${full.map((c) => collapse(c).replace(/\|/g, "/")).join(" | ")} |`;
  };
  // A header on several rows ("Mức đạt" over "Năm 2026 | Năm 2027"): one header row whose cells
  // join the texts above each column ("Mức đạt Năm 2027").
  const headerRows = Math.min(grid.length, Math.max(1, ...(t.rows[0] ?? []).map((c) => c.rowspan)));
  const header = Array.from({ length: width }, (_, k) => {
    const texts = covered.slice(0, headerRows).map((r) => collapse(r[k] ?? "")).filter(Boolean);
    return texts.filter((x, i) => texts.indexOf(x) === i).join(" ");
  });
  return [line(header), `| ${Array(width).fill("---").join(" | ")} |`, ...grid.slice(headerRows).map(line)];
}
