/**
 * PDF text layer → text, through unpdf 1.7.0 (pdf.js; 1.8 needs Node 22; one pdf.js per process).
 *
 * pdf.js gives positioned text runs. They are put back into lines (same baseline), lines into
 * paragraphs (a blank line where the vertical gap is large), and runs separated by a wide gap into
 * cells. Three or more cells on a line start a table; following lines that keep to its columns are
 * its rows (a line whose first column is empty continues the row above: wrapped cell text). Tables
 * come out as markdown rows under their header row. Two-cell lines outside a table (the header
 * block "UBND …   CỘNG HÒA …") become two lines.
 */
import type { ReadProblem } from "./read.ts";

type PdfText = { ok: true; text: string; pages: number } | { ok: false; problem: ReadProblem; detail?: string };

interface Run {
  x: number;
  xEnd: number;
  y: number;
  size: number;
  s: string;
}
interface Group {
  x: number;
  xEnd: number;
  text: string;
  runs: Run[];
}
interface Line {
  y: number;
  size: number;
  groups: Group[];
  page: number;
}

export async function pdfToText(bytes: Uint8Array): Promise<PdfText> {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (!head.includes("%PDF-")) return { ok: false, problem: "unreadable", detail: "not a PDF" };
  const { getDocumentProxy, getResolvedPDFJS } = await import("unpdf");
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (e) {
    const name = (e as { name?: string })?.name ?? "";
    if (name === "PasswordException") return { ok: false, problem: "encrypted" };
    return { ok: false, problem: "unreadable", detail: e instanceof Error ? e.message.slice(0, 200) : undefined };
  }
  try {
    const lines: Line[] = [];
    let images = 0;
    const OPS = (await getResolvedPDFJS()).OPS as Record<string, number>;
    const imageOps = new Set([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat].filter((n) => n !== undefined));
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      const runs: Run[] = [];
      for (const item of content.items) {
        if (!("str" in item) || !item.str || !item.str.trim()) continue;
        const [a, b, , , e, f] = item.transform as number[];
        const size = Math.hypot(a!, b!) || item.height || 10;
        runs.push({ x: e!, xEnd: e! + item.width, y: f!, size, s: item.str });
      }
      if (runs.length === 0) {
        const ops = await page.getOperatorList();
        images += ops.fnArray.filter((fn) => imageOps.has(fn)).length;
      }
      lines.push(...withoutPageNumbers(toLines(runs, p)));
      page.cleanup();
    }
    const text = layout(lines);
    if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, problem: images > 0 ? "scanned_pdf" : "empty" };
    return { ok: true, text, pages: pdf.numPages };
  } finally {
    await pdf.destroy();
  }
}

/** Text of runs on one line, a space where they are apart. */
function joinRuns(runs: Run[]): string {
  let text = "";
  let prev: Run | undefined;
  for (const r of runs) {
    const gap = prev ? r.x - prev.xEnd : 0;
    text += (prev && gap > 0.12 * r.size && !/\s$/.test(text) && !/^\s/.test(r.s) ? " " : "") + r.s;
    prev = r;
  }
  return text.replace(/\s+/g, " ").trim();
}

/** Runs on one baseline → a line; runs apart by more than ~1.2 em → separate groups (cells). */
function toLines(runs: Run[], page: number): Line[] {
  runs.sort((r1, r2) => r2.y - r1.y || r1.x - r2.x);
  const rows: Run[][] = [];
  for (const r of runs) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0]!.y - r.y) <= Math.max(2, 0.45 * Math.min(row[0]!.size, r.size))) row.push(r);
    else rows.push([r]);
  }
  return rows.map((row) => {
    row.sort((r1, r2) => r1.x - r2.x);
    const size = Math.max(...row.map((r) => r.size));
    const groups: Group[] = [];
    let prev: Run | undefined;
    for (const r of row) {
      const g = groups[groups.length - 1];
      if (!g || !prev || r.x - prev.xEnd > 1.2 * size) groups.push({ x: r.x, xEnd: r.xEnd, text: "", runs: [r] });
      else {
        g.xEnd = Math.max(g.xEnd, r.xEnd);
        g.runs.push(r);
      }
      prev = r;
    }
    for (const gr of groups) gr.text = joinRuns(gr.runs);
    return { y: row[0]!.y, size, groups: groups.filter((gr) => gr.text), page };
  }).filter((l) => l.groups.length > 0);
}

const PAGE_NUMBER = /^(?:trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*\/\s*\d{1,3})?$/i;

/** Drop a page number set apart at the top or bottom of a page ("3", "- 3 -", "Trang 3/12"). */
function withoutPageNumbers(lines: Line[]): Line[] {
  const isNumber = (l: Line | undefined, other: Line | undefined) =>
    l !== undefined && l.groups.length === 1 && PAGE_NUMBER.test(l.groups[0]!.text) && (!other || Math.abs(l.y - other.y) > 1.8 * l.size);
  let out = lines;
  if (isNumber(out[out.length - 1], out[out.length - 2])) out = out.slice(0, -1);
  if (isNumber(out[0], out[1])) out = out.slice(1);
  return out;
}

interface TableState {
  /** Right end of each header cell's text: column k starts somewhere after ends[k-1]. */
  ends: number[];
  /** Left end of each header cell's text. */
  starts: number[];
  rows: string[][];
  tol: number;
  /** Just read a header row repeated at the top of a page: its wrapped lines are skipped too. */
  inRepeatedHeader?: boolean;
}

/** Lines → text with blank lines between paragraphs and markdown tables. */
function layout(lines: Line[]): string {
  const out: string[] = [];
  let table: TableState | undefined;
  let prev: Line | undefined;

  const endTable = () => {
    if (!table) return;
    const width = table.ends.length;
    const row = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => (cells[i] ?? "").replace(/\|/g, "/").trim()).join(" | ")} |`;
    if (out.length && out[out.length - 1] !== "") out.push("");
    out.push(row(table.rows[0]!), `| ${Array(width).fill("---").join(" | ")} |`, ...table.rows.slice(1).map(row), "");
    table = undefined;
  };

  /**
   * Column of a group. Header texts may be centred and body cells left-aligned, so a column's border
   * lies somewhere in the gap between two header texts: a cell belongs to the last column whose
   * gap (the end of the previous header text) starts at or left of it.
   */
  const column = (t: TableState, g: Group) => {
    let k = 0;
    for (let i = 1; i < t.ends.length; i++) if (t.ends[i - 1]! <= g.x + t.tol) k = i;
    return k;
  };
  /**
   * Cells in a tight table can sit closer than the gap that separates groups: split a group where
   * one of its runs ends and the next begins inside the gap between two header texts. A group that
   * still spans such a gap is prose, not a cell (null).
   */
  const cellsOf = (t: TableState, l: Line): Line | null => {
    const groups: Group[] = [];
    for (const g of l.groups) {
      let rest = g.runs;
      for (let i = 0; i < t.ends.length - 1; i++) {
        const from = t.ends[i]! - t.tol;
        const to = t.starts[i + 1]! + t.tol;
        const spans = rest[0]!.x < from && rest[rest.length - 1]!.xEnd > to;
        // a boundary wider than a space, inside the gap between two header texts
        const j = rest.findIndex((r, k) => {
          const before = rest[k - 1];
          if (!before || r.x - before.xEnd <= (spans ? 0.25 : 0.5) * r.size) return false;
          const mid = (r.x + before.xEnd) / 2;
          return mid >= from && mid <= to;
        });
        if (j < 0) {
          if (spans) return null;
          continue;
        }
        const head = rest.slice(0, j);
        groups.push({ x: head[0]!.x, xEnd: Math.max(...head.map((r) => r.xEnd)), text: joinRuns(head), runs: head });
        rest = rest.slice(j);
      }
      groups.push(rest === g.runs ? g : { x: rest[0]!.x, xEnd: Math.max(...rest.map((r) => r.xEnd)), text: joinRuns(rest), runs: rest });
    }
    return { ...l, groups: groups.filter((g) => g.text) };
  };

  // Line spacing varies by document (single, 1.15, 1.5): a paragraph break is a gap clearly above
  // the usual one between lines, or a first line indented from the left margin.
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!, b = lines[i]!;
    if (a.page === b.page && a.y > b.y && Math.abs(a.size - b.size) < 0.5) gaps.push((a.y - b.y) / b.size);
  }
  gaps.sort((a, b) => a - b);
  const usualGap = gaps.length ? gaps[Math.floor(gaps.length / 2)]! : 1.2;
  const margin = lines.reduce((m, l) => Math.min(m, l.groups[0]!.x), Infinity);
  const right = lines.reduce((m, l) => Math.max(m, l.groups[l.groups.length - 1]!.xEnd), -Infinity);
  const startsParagraph = (a: Line, b: Line, gap: number) => {
    const size = Math.max(a.size, b.size);
    if (gap > Math.max(usualGap * 1.15, usualGap + 0.12) * size) return true;
    const ax = a.groups[0]!.x;
    const bx = b.groups[0]!.x;
    if (bx > margin + 1.2 * size && bx > ax + 1.2 * size) return true; // an indented first line after a flush line
    if (bx < ax - 4 * size) return true; // body text after a centred title
    // a one-line indented paragraph (short of the right edge) followed by another indented line
    const aEnd = a.groups[a.groups.length - 1]!.xEnd;
    return ax > margin + 1.2 * size && Math.abs(bx - ax) < 0.5 * size && aEnd < right - 3 * size;
  };

  for (const raw of lines) {
    const gap = prev ? (prev.page === raw.page ? prev.y - raw.y : Infinity) : 0;
    const newPage = prev !== undefined && prev.page !== raw.page;
    const split = table ? cellsOf(table, raw) : null;
    const line = split ?? raw;

    if (table && split && split.groups.length && (gap < 4 * line.size || newPage) && (line.groups.length >= 2 || column(table, line.groups[0]!) > 0 || gap < 2.2 * line.size)) {
      const t = table;
      const cells: string[] = [];
      const exact = line.groups.length === t.ends.length;
      line.groups.forEach((g, i) => {
        const k = exact ? i : column(t, g);
        cells[k] = cells[k] ? `${cells[k]} ${g.text}` : g.text;
      });
      const startsRow = cells[0] !== undefined && cells[0] !== "";
      const last = t.rows[t.rows.length - 1]!;
      const headerGoesOn = t.rows.length === 1 && !exact && gap < 1.6 * line.size && !newPage;
      if (!startsRow && t.inRepeatedHeader) {
        prev = line;
        continue;
      }
      t.inRepeatedHeader = false;
      if (headerGoesOn) {
        // the header's next line: wrapped header text, or sub-headers under a merged cell
        // ("Mức đạt" over "Năm 2026 | Năm 2027"), which split that column in two
        const byColumn = new Map<number, Group[]>();
        for (const g of line.groups) byColumn.set(column(t, g), [...(byColumn.get(column(t, g)) ?? []), g]);
        for (const [k, gs] of [...byColumn].sort((a, b) => b[0] - a[0])) {
          const parent = last[k] ?? "";
          if (gs.length >= 2) {
            last.splice(k, 1, ...gs.map((g) => `${parent} ${g.text}`.trim()));
            t.ends.splice(k, 1, ...gs.map((g) => g.xEnd));
            t.starts.splice(k, 1, ...gs.map((g) => g.x));
          } else {
            last[k] = `${parent} ${gs[0]!.text}`.trim();
            t.ends[k] = Math.max(t.ends[k]!, gs[0]!.xEnd);
            t.starts[k] = Math.min(t.starts[k]!, gs[0]!.x);
          }
        }
      } else if (!startsRow) {
        // wrapped cell text: continue the row above
        cells.forEach((c, k) => {
          if (c) last[k] = last[k] ? `${last[k]} ${c}` : c;
        });
      } else {
        const row = Array.from({ length: t.ends.length }, (_, k) => cells[k] ?? "");
        // a header row repeated at the top of the next page is not a row
        const repeated = newPage && row.filter(Boolean).length >= 2 && row.every((c, k) => !c || t.rows[0]![k]!.startsWith(c));
        if (!repeated) t.rows.push(row);
        else t.inRepeatedHeader = true;
      }
      prev = line;
      continue;
    }
    endTable();

    if (line.groups.length >= 3) {
      table = {
        ends: line.groups.map((g) => g.xEnd),
        starts: line.groups.map((g) => g.x),
        rows: [line.groups.map((g) => g.text)],
        tol: Math.max(3, 0.6 * line.size),
      };
      prev = line;
      continue;
    }
    if (prev && out.length && out[out.length - 1] !== "" && (newPage || startsParagraph(prev, line, gap))) out.push("");
    if (line.groups.length === 2) out.push(line.groups[0]!.text, line.groups[1]!.text);
    else out.push(line.groups[0]!.text);
    prev = line;
  }
  endTable();
  return out.join("\n");
}
