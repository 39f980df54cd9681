/**
 * Turn a text/markdown plan source into a Word file and a PDF, for test fixtures and evaluation plans.
 *
 *   npx tsx scripts/make-fixture-docs.ts plan.md [--out dir] [--formats docx,pdf]
 *     → dir/plan.docx, dir/plan.pdf   (dir defaults to the source's folder)
 *   npx tsx scripts/make-fixture-docs.ts plan.md --bad [--out dir]
 *     → the bad-file fixtures (scanned.pdf, encrypted.pdf, legacy-*.txt/pdf/docx, pdf-renamed.txt, utf16.txt)
 *
 * Source lines: "# Heading" (any level), paragraphs (consecutive lines join; a blank line ends one),
 * list items kept with their marker as text ("- ", "+ ", "• ", "1. ", "1.1. ", "a) ", "(3) "), and
 * markdown tables ("| TT | Chỉ tiêu | … |", the "|---|" separator optional; the first row is the header).
 *
 * The PDF embeds Be Vietnam Pro (TrueType), so its text layer reads back with diacritics intact.
 * Also exported for tests: makeDocx, makePdf (optionally password-protected), makeScannedPdf (image only).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const FONT_DIR = path.dirname(require.resolve("@expo-google-fonts/be-vietnam-pro/package.json"));
const FONT = path.join(FONT_DIR, "400Regular/BeVietnamPro_400Regular.ttf");
const FONT_BOLD = path.join(FONT_DIR, "700Bold/BeVietnamPro_700Bold.ttf");

export type SourceBlock =
  | { kind: "heading"; level: number; text: string }
  | { kind: "para"; text: string }
  | { kind: "item"; text: string; indent: number }
  | { kind: "table"; rows: string[][] };

const ITEM = /^(?:[-+•*]\s|\d{1,2}(?:\.\d{1,2})*\.\s|[a-zđ]\)\s|\(\d{1,2}\)\s)/u;

/** Parse the source text into headings, paragraphs, list items and tables. */
export function parseSource(source: string): SourceBlock[] {
  const blocks: SourceBlock[] = [];
  let para: string[] = [];
  let table: string[][] | null = null;
  const endPara = () => {
    if (para.length) blocks.push({ kind: "para", text: para.join(" ") });
    para = [];
  };
  const endTable = () => {
    if (table?.length) blocks.push({ kind: "table", rows: table });
    table = null;
  };
  for (const raw of source.normalize("NFC").replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    const t = line.trim();
    if (t.startsWith("|") && t.endsWith("|") && t.length > 1) {
      endPara();
      if (/^\|[\s\-:|]+\|$/.test(t)) continue;
      table ??= [];
      table.push(t.slice(1, -1).split("|").map((c) => c.trim()));
      continue;
    }
    endTable();
    if (!t) {
      endPara();
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(t);
    if (h) {
      endPara();
      blocks.push({ kind: "heading", level: h[1]!.length, text: h[2]!.trim() });
      continue;
    }
    if (ITEM.test(t)) {
      endPara();
      blocks.push({ kind: "item", text: t, indent: Math.floor((line.length - line.trimStart().length) / 2) });
      continue;
    }
    para.push(t);
  }
  endPara();
  endTable();
  return blocks;
}

/** A .docx with real Word paragraphs, headings and a bordered table (first row = header, bold). */
export async function makeDocx(source: string): Promise<Buffer> {
  const d = await import("docx");
  const children: Array<InstanceType<typeof d.Paragraph> | InstanceType<typeof d.Table>> = [];
  const levels = [d.HeadingLevel.HEADING_1, d.HeadingLevel.HEADING_2, d.HeadingLevel.HEADING_3, d.HeadingLevel.HEADING_4];
  for (const b of parseSource(source)) {
    if (b.kind === "heading") {
      children.push(new d.Paragraph({ heading: levels[Math.min(b.level, 4) - 1], children: [new d.TextRun({ text: b.text, bold: true })] }));
    } else if (b.kind === "para") {
      children.push(new d.Paragraph({ children: [new d.TextRun(b.text)], spacing: { after: 120 } }));
    } else if (b.kind === "item") {
      children.push(new d.Paragraph({ children: [new d.TextRun(b.text)], indent: { left: 360 * (b.indent + 1) } }));
    } else {
      const width = Math.max(...b.rows.map((r) => r.length));
      children.push(
        new d.Table({
          width: { size: 100, type: d.WidthType.PERCENTAGE },
          rows: b.rows.map(
            (r, i) =>
              new d.TableRow({
                tableHeader: i === 0,
                children: Array.from({ length: width }, (_, k) =>
                  new d.TableCell({ children: [new d.Paragraph({ children: [new d.TextRun({ text: r[k] ?? "", bold: i === 0 })] })] }),
                ),
              }),
          ),
        }),
      );
      children.push(new d.Paragraph({ children: [] }));
    }
  }
  const doc = new d.Document({
    creator: "cds-baocao-bot fixtures",
    styles: { default: { document: { run: { font: "Times New Roman", size: 26 } } } },
    sections: [{ children }],
  });
  return d.Packer.toBuffer(doc);
}

type PdfDoc = InstanceType<typeof import("pdfkit")>;

async function newPdf(options: Record<string, unknown> = {}): Promise<PdfDoc> {
  const PDFDocument = (await import("pdfkit")).default;
  return new PDFDocument({ size: "A4", margins: { top: 56, bottom: 56, left: 62, right: 50 }, info: { Title: "fixture", CreationDate: new Date(Date.UTC(2026, 0, 1)) }, ...options });
}

function finish(doc: PdfDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

/** A text PDF with an embedded TrueType font; tables drawn as ruled grids of left-aligned cells. */
export async function makePdf(source: string, opts: { userPassword?: string } = {}): Promise<Buffer> {
  const doc = await newPdf(opts.userPassword ? { userPassword: opts.userPassword, ownerPassword: `${opts.userPassword}-owner`, pdfVersion: "1.7" } : {});
  doc.registerFont("body", FONT);
  doc.registerFont("bold", FONT_BOLD);
  const left = doc.page.margins.left;
  const usable = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  for (const b of parseSource(source)) {
    if (b.kind === "heading") {
      doc.moveDown(0.4).font("bold").fontSize(b.level === 1 ? 13 : 11.5).text(b.text, left, doc.y, { width: usable, align: b.level === 1 ? "center" : "left" });
      doc.moveDown(0.3);
    } else if (b.kind === "para") {
      doc.font("body").fontSize(11).text(b.text, left, doc.y, { width: usable, align: "left", paragraphGap: 6 });
    } else if (b.kind === "item") {
      const indent = 14 * (b.indent + 1);
      doc.font("body").fontSize(11).text(b.text, left + indent, doc.y, { width: usable - indent, paragraphGap: 3 });
    } else {
      const width = Math.max(...b.rows.map((r) => r.length));
      const lens = Array.from({ length: width }, (_, k) => Math.max(6, ...b.rows.map((r) => Math.min(40, (r[k] ?? "").length))));
      const total = lens.reduce((a, n) => a + n, 0);
      const widths = lens.map((n) => (usable * n) / total);
      const pad = 4;
      doc.moveDown(0.3);
      b.rows.forEach((r, i) => {
        doc.font(i === 0 ? "bold" : "body").fontSize(10);
        const heights = widths.map((w, k) => doc.heightOfString(r[k] ?? "", { width: w - 2 * pad }));
        const h = Math.max(...heights) + 2 * pad;
        if (doc.y + h > bottom()) doc.addPage();
        const y = doc.y;
        let x = left;
        widths.forEach((w, k) => {
          doc.rect(x, y, w, h).lineWidth(0.5).stroke();
          doc.text(r[k] ?? "", x + pad, y + pad, { width: w - 2 * pad, lineBreak: true });
          x += w;
        });
        doc.x = left;
        doc.y = y + h;
      });
      doc.moveDown(0.6);
    }
  }
  return finish(doc);
}

/** An image-only PDF, as a scanner makes: pages with a picture and no text layer. */
export async function makeScannedPdf(pages = 1): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const lines = Array.from({ length: 14 }, (_, i) => `<rect x="40" y="${60 + i * 36}" width="${300 + ((i * 53) % 160)}" height="12" fill="#333"/>`).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842"><rect width="595" height="842" fill="#f4f1ea"/>${lines}</svg>`;
  const png = new Resvg(svg, { fitTo: { mode: "width", value: 400 } }).render().asPng();
  const doc = await newPdf();
  for (let p = 0; p < pages; p++) {
    if (p > 0) doc.addPage();
    doc.image(png, 0, 0, { width: doc.page.width });
  }
  return finish(doc);
}

/** Sample text in the TCVN3 (.VnTime) and VNI (VNI-Times) legacy encodings, as Latin-1 characters. */
export const LEGACY_SAMPLES = {
  tcvn3:
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n\nKÕ HO¹CH\nChuyÓn ®æi sè ngµnh Gi¸o dôc vµ §µo t¹o x· Hoµ Phong n¨m 2027\n\n" +
    "a) PhÊn ®Êu tû lÖ gi¸o viªn ®\u00adîc cÊp vµ sö dông ch÷ ký sè ®¹t tõ 85% trë lªn.\nb) 100% tr\u00adêng häc sö dông häc b¹ sè.\n",
  vni:
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n\nKEÁ HOAÏCH\nChuyeån ñoåi soá ngaønh Giaùo duïc vaø Ñaøo taïo xaõ Hoøa Phong naêm 2027\n\n" +
    "a) Phaán ñaáu tyû leä giaùo vieân ñöôïc caáp vaø söû duïng chöõ kyù soá ñaït töø 85% trôû leân.\nb) 100% tröôøng hoïc söû duïng hoïc baï soá.\n",
};

/** A PDF whose text layer is TCVN3, as a plan typed in .VnTime and printed to PDF reads back. */
export async function makeLegacyPdf(text: string): Promise<Buffer> {
  const doc = await newPdf();
  doc.font("Times-Roman").fontSize(12);
  for (const para of text.split("\n\n")) doc.text(para, { paragraphGap: 8 });
  return finish(doc);
}

/** The bad-file fixtures under `dir`: scanned, encrypted, legacy-encoded, binary renamed .txt, UTF-16. */
export async function makeBadFixtures(dir: string, source: string): Promise<string[]> {
  const files: Array<[string, Buffer]> = [
    ["scanned.pdf", await makeScannedPdf(1)],
    ["encrypted.pdf", await makePdf(source.split("\n").slice(0, 4).join("\n"), { userPassword: "matkhau" })],
    ["legacy-tcvn3.txt", Buffer.from(LEGACY_SAMPLES.tcvn3, "latin1")],
    ["legacy-vni.txt", Buffer.from(LEGACY_SAMPLES.vni, "latin1")],
    ["legacy-tcvn3.pdf", await makeLegacyPdf(LEGACY_SAMPLES.tcvn3)],
    ["legacy-vni.docx", await makeDocx(LEGACY_SAMPLES.vni)],
    ["utf16.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source.split("\n\n").slice(0, 3).join("\n\n"), "utf16le")])],
  ];
  files.push(["pdf-renamed.txt", files[0]![1]]);
  for (const [name, bytes] of files) writeFileSync(path.join(dir, name), bytes);
  return files.map(([name]) => path.join(dir, name));
}

async function main(argv: string[]) {
  const args = [...argv];
  const opt = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const out = opt("--out");
  const bad = args.includes("--bad");
  if (bad) args.splice(args.indexOf("--bad"), 1);
  const formats = (opt("--formats") ?? "docx,pdf").split(",");
  const [src] = args;
  if (!src) {
    console.error("usage: tsx scripts/make-fixture-docs.ts <source.md|.txt> [--out dir] [--formats docx,pdf] [--bad]");
    process.exit(2);
  }
  const source = readFileSync(src, "utf8");
  const base = path.join(out ?? path.dirname(src), path.basename(src).replace(/\.(md|txt)$/i, ""));
  if (bad) {
    for (const f of await makeBadFixtures(out ?? path.dirname(src), source)) console.log(f);
    return;
  }
  for (const f of formats) {
    const file = `${base}.${f}`;
    if (f === "docx") writeFileSync(file, await makeDocx(source));
    else if (f === "pdf") writeFileSync(file, await makePdf(source));
    else throw new Error(`unknown format ${f}`);
    console.log(file);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
