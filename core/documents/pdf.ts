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
      lines.push(...toLines(runs, p));
      page.cleanup();
    }
    const text = layout(lines);
    if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, problem: images > 0 ? "scanned_pdf" : "empty" };
    return { ok: true, text, pages: pdf.numPages };
  } finally {
    await pdf.destroy();
  }
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
    let g: Group | undefined;
    let prev: Run | undefined;
    for (const r of row) {
      const gap = prev ? r.x - prev.xEnd : 0;
      if (!g || gap > 1.2 * size) {
        g = { x: r.x, xEnd: r.xEnd, text: r.s };
        groups.push(g);
      } else {
        const joiner = gap > 0.12 * size && !/\s$/.test(g.text) && !/^\s/.test(r.s) ? " " : "";
        g.text += joiner + r.s;
        g.xEnd = Math.max(g.xEnd, r.xEnd);
      }
      prev = r;
    }
    for (const gr of groups) gr.text = gr.text.replace(/\s+/g, " ").trim();
    return { y: row[0]!.y, size, groups: groups.filter((gr) => gr.text), page };
  });
}

interface TableState {
  cols: number[];
  rows: string[][];
  tol: number;
}

/** Lines → text with blank lines between paragraphs and markdown tables. */
function layout(lines: Line[]): string {
  const out: string[] = [];
  let table: TableState | undefined;
  let prev: Line | undefined;

  const endTable = () => {
    if (!table) return;
    const width = table.cols.length;
    const row = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => (cells[i] ?? "").replace(/\|/g, "/").trim()).join(" | ")} |`;
    if (out.length && out[out.length - 1] !== "") out.push("");
    out.push(row(table.rows[0]!), `| ${Array(width).fill("---").join(" | ")} |`, ...table.rows.slice(1).map(row), "");
    table = undefined;
  };

  /** Column of a group: the last column starting at or left of it. */
  const column = (t: TableState, g: Group) => {
    let k = 0;
    for (let i = 0; i < t.cols.length; i++) if (t.cols[i]! <= g.x + t.tol) k = i;
    return k;
  };
  /** A group crossing a column start is prose, not a cell. */
  const fits = (t: TableState, l: Line) =>
    l.groups.every((g) => !t.cols.some((c, i) => i > 0 && g.x < c - t.tol && g.xEnd > c + t.tol));

  for (const line of lines) {
    const gap = prev ? (prev.page === line.page ? prev.y - line.y : Infinity) : 0;
    const newPage = prev !== undefined && prev.page !== line.page;

    if (table && fits(table, line) && (gap < 4 * line.size || newPage) && (line.groups.length >= 2 || column(table, line.groups[0]!) > 0 || gap < 2.2 * line.size)) {
      const cells: string[] = [];
      const exact = line.groups.length === table.cols.length;
      line.groups.forEach((g, i) => {
        const k = exact ? i : column(table!, g);
        if (exact) table!.cols[i] = Math.min(table!.cols[i]!, g.x);
        cells[k] = cells[k] ? `${cells[k]} ${g.text}` : g.text;
      });
      const startsRow = cells[0] !== undefined && cells[0] !== "";
      const last = table.rows[table.rows.length - 1]!;
      if (!startsRow || (table.rows.length === 1 && !exact && gap < 1.6 * line.size && !newPage)) {
        // wrapped cell text (also a header on two lines): continue the row above
        cells.forEach((c, k) => {
          if (c) last[k] = last[k] ? `${last[k]} ${c}` : c;
        });
      } else {
        table.rows.push(Array.from({ length: table.cols.length }, (_, k) => cells[k] ?? ""));
      }
      prev = line;
      continue;
    }
    endTable();

    if (line.groups.length >= 3) {
      table = { cols: line.groups.map((g) => g.x), rows: [line.groups.map((g) => g.text)], tol: Math.max(3, 0.6 * line.size) };
      prev = line;
      continue;
    }
    if (prev && (newPage || gap > 1.75 * Math.max(line.size, prev.size)) && out.length && out[out.length - 1] !== "") out.push("");
    if (line.groups.length === 2) out.push(line.groups[0]!.text, line.groups[1]!.text);
    else out.push(line.groups[0]!.text);
    prev = line;
  }
  endTable();
  return out.join("\n");
}
