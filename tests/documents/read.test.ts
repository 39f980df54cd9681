import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readProblemMessage, readWarningText } from "../../bot/messages/documents.ts";
import { htmlToText } from "../../core/documents/docx.ts";
import { convertLegacy, detectLegacyEncoding, syllableShare } from "../../core/documents/legacy.ts";
import { MAX_DOCUMENT_BYTES, readDocument, type ReadResult } from "../../core/documents/read.ts";
import { LEGACY_SAMPLES, makeDocx, makePdf, makeScannedPdf } from "../../scripts/make-fixture-docs.ts";

const DIR = path.join(import.meta.dirname, "../fixtures/documents");
const fixture = (name: string) => readFileSync(path.join(DIR, name));
const read = (name: string, bytes: Uint8Array = fixture(name)) => readDocument({ name, bytes });

function okText(r: ReadResult): string {
  if (!r.ok) throw new Error(`expected ok, got ${r.problem} ${r.detail ?? ""}`);
  expect(r.text).toBe(r.text.normalize("NFC"));
  return r.text;
}

const TABLE_HEADER = "| TT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2026 | Chỉ tiêu năm 2027 |";
const TABLE_ROW_2 = "| 2 | Số trường thí điểm ứng dụng trí tuệ nhân tạo trong dạy học và quản lý nhà trường | Trường | 2 | 6 |";

describe("readDocument: formats", () => {
  it.each(["plan-sample.docx", "plan-sample.pdf"])("%s keeps diacritics, list items and the table with its header", async (name) => {
    const text = okText(await read(name));
    expect(text).toContain("KẾ HOẠCH");
    expect(text).toContain("Chuyển đổi số ngành Giáo dục xã Hoà Phong năm 2027");
    expect(text).toContain("a) Phấn đấu tỷ lệ giáo viên được cấp và sử dụng chữ ký số đạt từ 85% trở lên.");
    expect(text).toContain("- Mỗi trường có tối thiểu 20 bài giảng điện tử được đưa lên kho học liệu số.");
    const lines = text.split("\n");
    const h = lines.indexOf(TABLE_HEADER);
    expect(h).toBeGreaterThan(0);
    expect(lines[h + 1]).toBe("| --- | --- | --- | --- | --- |");
    expect(lines[h + 2]).toBe("| 1 | Tỷ lệ giáo viên sử dụng chữ ký số | % | 62 | ≥ 85 |");
    expect(lines[h + 3]).toBe(TABLE_ROW_2); // a wrapped cell (PDF) comes back as one row
    expect(lines[h + 4]).toBe("| 3 | Tỷ lệ học sinh được học kỹ năng số, an toàn thông tin | % | 48 | ≥ 90 |");
  });

  it("the PDF reports its page count; paragraphs are separated by blank lines", async () => {
    const r = await read("plan-sample.pdf");
    expect(r.ok && r.pages).toBe(1);
    expect(okText(r)).toMatch(/xây dựng kế hoạch như sau\.\n\nI\. MỤC TIÊU/);
  });

  it("a .docx keeps paragraphs apart with blank lines (Word headings become plain lines)", async () => {
    const text = okText(await read("plan-sample.docx"));
    expect(text).toContain("\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung\n\n");
  });

  it("a table that runs over a page break keeps its columns and rows in a PDF", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `| ${i + 1} | Chỉ tiêu số ${i + 1} về học liệu số của trường | % | ≥ ${50 + (i % 50)} |`);
    const src = ["# Phụ lục", "", "| TT | Chỉ tiêu | Đơn vị tính | Mức đạt 2027 |", ...rows].join("\n");
    const r = await read("dai.pdf", await makePdf(src));
    const text = okText(r);
    expect(r.ok && r.pages).toBeGreaterThan(1);
    expect(text).toContain("| TT | Chỉ tiêu | Đơn vị tính | Mức đạt 2027 |");
    for (const i of [1, 30, 60]) expect(text).toContain(`| ${i} | Chỉ tiêu số ${i} về học liệu số của trường | % | ≥ ${50 + ((i - 1) % 50)} |`);
  });

  it.each(["plan-word.pdf", "plan-word.docx"])("%s (as printed from Word): header block as lines, centred table headers, repeated header rows, page numbers dropped", async (name) => {
    const r = await read(name);
    const text = okText(r);
    const lines = text.split("\n").filter(Boolean);
    for (const l of ["UBND XÃ HOÀ PHONG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 45/KH-UBND", "Hoà Phong, ngày 10 tháng 1 năm 2027"]) {
      expect(lines).toContain(l);
    }
    expect(lines).toContain("| TT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2026 | Chỉ tiêu năm 2027 | Ghi chú |");
    expect(lines).toContain("| 1 | Tỷ lệ giáo viên sử dụng chữ ký số | % | 62 | ≥ 85 |  |");
    expect(lines).toContain("| 2 | Số trường thí điểm ứng dụng trí tuệ nhân tạo trong dạy học và quản lý nhà trường | Trường | 2 | 6 | Ưu tiên trường THCS |");
    expect(lines.filter((l) => l === "| TT | Nhiệm vụ | Thời gian thực hiện | Đơn vị chủ trì |")).toHaveLength(1);
    const tasks = lines.filter((l) => l.startsWith("| ") && l.includes("Nhiệm vụ số"));
    expect(tasks).toHaveLength(40);
    expect(tasks[39]).toBe("| 40 | Nhiệm vụ số 40: triển khai nền tảng học liệu số dùng chung cho các trường trên địa bàn xã | Quý 1 | Trường TH và THCS |");
    expect(lines.some((l) => /^\d{1,3}$/.test(l))).toBe(false);
    if (name.endsWith(".pdf")) expect(r.ok && r.pages).toBeGreaterThan(1);
    // paragraphs apart (Word-like PDF: first-line indent and 3 pt after, no blank gap), wrapped lines together
    const paras = text.split("\n\n").map((p) => p.replace(/\n/g, " "));
    expect(paras).toContain("Trường hợp có khó khăn, vướng mắc, các đơn vị báo cáo kịp thời về Uỷ ban nhân dân xã để được hướng dẫn.");
    expect(paras.find((p) => p.startsWith("Các trường rà soát"))).toBe(
      "Các trường rà soát hạ tầng, thiết bị và đăng ký nhu cầu bồi dưỡng kỹ năng số cho giáo viên trước ngày 20 hằng tháng; kết quả tổng hợp gửi về Phòng Văn hoá - Xã hội để theo dõi, đôn đốc.",
    );
  });

  it.each(["two-row-header.pdf", "two-row-header.docx"])("%s: a header on two rows (merged cells), repeated on every page, becomes one header row", async (name) => {
    const r = await read(name);
    const lines = okText(r).split("\n");
    const header = "| TT | Chỉ tiêu | Đơn vị tính | Mức đạt Thực hiện năm 2026 | Mức đạt Chỉ tiêu năm 2027 |";
    expect(lines.filter((l) => l === header)).toHaveLength(1);
    expect(lines[lines.indexOf(header) + 1]).toBe("| --- | --- | --- | --- | --- |");
    const rows = lines.filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(45);
    rows.forEach((row, i) => {
      const n = i + 1;
      expect(row).toBe(`| ${n} | Chỉ tiêu số ${n} về học liệu số và kỹ năng số của học sinh trong trường | % | ${40 + (n % 50)} | ≥ ${50 + (n % 50)} |`);
    });
    if (name.endsWith(".pdf")) expect(r.ok && r.pages).toBeGreaterThan(2);
  });

  it(".txt and .md pass through in NFC: markdown, tab-separated and HTML-ish tables untouched", async () => {
    const src = "Kế hoạch số 5\n\n| TT | Chỉ tiêu |\n|---|---|\n| 1 | Học bạ số |\n\nTT\tChỉ tiêu\tMức đạt\n1\tChữ ký số\t100%\n<b>T T</b>\t<b>Danh mục nhiệm vụ</b>\n";
    const md = okText(await read("ke-hoach.md", Buffer.from(src.normalize("NFD"))));
    expect(md).toBe(src);
    const txt = await read("KE-HOACH.TXT", Buffer.from("\uFEFF" + src, "utf8"));
    expect(txt.ok && txt.format).toBe("txt");
    expect(okText(txt)).toBe(src);
  });

  it("UTF-16 text with a byte-order mark", async () => {
    const text = okText(await read("utf16.txt"));
    expect(text).toBe("UBND XÃ HOÀ PHONG\n\nSố: 45/KH-UBND\n\nHoà Phong, ngày 10 tháng 1 năm 2027");
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("Chỉ tiêu năm 2027", "utf16le").swap16()]);
    expect(okText(await read("be.txt", be))).toBe("Chỉ tiêu năm 2027");
  });

  it("Word's automatic numbering is written into the text (I., 1., a), bullets), counting on across lists", async () => {
    const d = await import("docx");
    const left = d.AlignmentType.LEFT;
    const doc = new d.Document({
      numbering: {
        config: [
          {
            reference: "muc",
            levels: [
              { level: 0, format: d.LevelFormat.UPPER_ROMAN, text: "%1.", alignment: left },
              { level: 1, format: d.LevelFormat.DECIMAL, text: "%1.%2.", alignment: left },
              { level: 2, format: d.LevelFormat.LOWER_LETTER, text: "%3)", alignment: left },
            ],
          },
          { reference: "gach", levels: [{ level: 0, format: d.LevelFormat.BULLET, text: "\u2022", alignment: left }] },
        ],
      },
      sections: [
        {
          children: [
            ["MỤC TIÊU", "muc", 0],
            ["Mục tiêu chung", "muc", 1],
            ["Mục tiêu cụ thể", "muc", 1],
            ["Phấn đấu 100% giáo viên có chữ ký số.", "muc", 2],
            ["Ít nhất 70% học sinh học trực tuyến.", "muc", 2],
            ["Mỗi trường có 20 bài giảng điện tử.", "gach", 0],
            ["NHIỆM VỤ", "muc", 0],
            ["Hạ tầng số", "muc", 1],
          ].map(([text, reference, level]) => new d.Paragraph({ text: text as string, numbering: { reference: reference as string, level: level as number } })),
        },
      ],
    });
    const text = okText(await read("so-tu-dong.docx", await d.Packer.toBuffer(doc)));
    expect(text.split("\n").filter(Boolean)).toEqual([
      "I. MỤC TIÊU",
      "I.1. Mục tiêu chung",
      "I.2. Mục tiêu cụ thể",
      "a) Phấn đấu 100% giáo viên có chữ ký số.",
      "b) Ít nhất 70% học sinh học trực tuyến.",
      "- Mỗi trường có 20 bài giảng điện tử.",
      "II. NHIỆM VỤ",
      "II.1. Hạ tầng số",
    ]);
  });

  it("Word tables with merged cells keep their columns", () => {
    const html =
      "<p>Phụ lục 2</p><table><tr><td><p>TT</p></td><td><p>Nhiệm vụ</p></td><td><p>Thời gian</p></td></tr>" +
      '<tr><td rowspan="2"><p>1</p></td><td><p>Triển khai học bạ số</p></td><td><p>Quý I</p></td></tr>' +
      '<tr><td><p>Tập huấn &amp; hướng dẫn</p><p>cho giáo viên</p></td><td><p>Quý II</p></td></tr>' +
      '<tr><td colspan="2"><p>Tổng cộng</p></td><td><p>2</p></td></tr></table>';
    expect(htmlToText(html).split("\n")).toEqual([
      "Phụ lục 2",
      "",
      "| TT | Nhiệm vụ | Thời gian |",
      "| --- | --- | --- |",
      "| 1 | Triển khai học bạ số | Quý I |",
      "|  | Tập huấn & hướng dẫn cho giáo viên | Quý II |",
      "| Tổng cộng |  | 2 |",
      "",
    ]);
  });

  it("a Word table with a two-row header (merged cells) gets one header row naming each column", async () => {
    const d = await import("docx");
    const cell = (text: string, o: { rowSpan?: number; columnSpan?: number } = {}) =>
      new d.TableCell({ ...o, children: [new d.Paragraph(text)] });
    const table = new d.Table({
      rows: [
        new d.TableRow({ children: [cell("TT", { rowSpan: 2 }), cell("Chỉ tiêu", { rowSpan: 2 }), cell("Mức đạt", { columnSpan: 2 })] }),
        new d.TableRow({ children: [cell("Thực hiện năm 2026"), cell("Chỉ tiêu năm 2027")] }),
        new d.TableRow({ children: [cell("1"), cell("Giáo viên dùng chữ ký số (%)"), cell("62"), cell("≥ 85")] }),
      ],
    });
    const bytes = await d.Packer.toBuffer(new d.Document({ sections: [{ children: [new d.Paragraph("PHỤ LỤC"), table] }] }));
    expect(okText(await read("hai-tang.docx", bytes)).split("\n")).toEqual([
      "PHỤ LỤC",
      "",
      "| TT | Chỉ tiêu | Mức đạt Thực hiện năm 2026 | Mức đạt Chỉ tiêu năm 2027 |",
      "| --- | --- | --- | --- |",
      "| 1 | Giáo viên dùng chữ ký số (%) | 62 | ≥ 85 |",
      "",
    ]);
  });

  it("Word footnotes: the reference mark leaves the sentence, the note follows the body", async () => {
    const d = await import("docx");
    const doc = new d.Document({
      footnotes: { 1: { children: [new d.Paragraph("Theo Thông tư số 02/2025/TT-BGDĐT.")] } },
      sections: [
        {
          children: [
            new d.Paragraph({
              children: [new d.TextRun("100% giáo viên được bồi dưỡng năng lực số"), new d.FootnoteReferenceRun(1), new d.TextRun(" trong năm 2027.")],
            }),
          ],
        },
      ],
    });
    expect(okText(await read("chu-thich.docx", await d.Packer.toBuffer(doc)))).toBe(
      "100% giáo viên được bồi dưỡng năng lực số trong năm 2027.\n\n(chú thích 1) Theo Thông tư số 02/2025/TT-BGDĐT.\n",
    );
  });

  it("Word lists keep a marker; the national-motto layout table reads as paragraphs", () => {
    const html =
      "<table><tr><td><p>UBND XÃ HOÀ PHONG</p></td><td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p></td></tr></table>" +
      "<ol><li>Mục tiêu<ul><li>Học bạ số</li></ul></li><li>Nhiệm vụ</li></ol>";
    const text = htmlToText(html);
    expect(text).toContain("UBND XÃ HOÀ PHONG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc");
    expect(text).not.toContain("|");
    expect(text).toContain("1. Mục tiêu\n\n  - Học bạ số\n\n2. Nhiệm vụ");
  });
});

describe("readDocument: legacy font encodings", () => {
  it("detects TCVN3 and VNI, and leaves Unicode Vietnamese alone", () => {
    expect(detectLegacyEncoding(LEGACY_SAMPLES.tcvn3)).toBe("tcvn3");
    expect(detectLegacyEncoding(LEGACY_SAMPLES.vni)).toBe("vni");
    const plan = readFileSync(path.join(import.meta.dirname, "../../data/plans/001_3eb15a9a7d9006f6.txt"), "utf8");
    expect(detectLegacyEncoding(plan)).toBeNull();
    expect(detectLegacyEncoding("Hello world, this is plain English text with café and naïve words.")).toBeNull();
  });

  it.each([
    ["legacy-tcvn3.txt", "tcvn3"],
    ["legacy-vni.txt", "vni"],
    ["legacy-tcvn3.pdf", "tcvn3"],
    ["legacy-vni.docx", "vni"],
  ])("%s is converted to Unicode, with a warning", async (name, enc) => {
    const r = await read(name);
    const text = okText(r);
    expect(r.ok && r.converted).toBe(enc);
    expect(r.ok && r.warnings.map(readWarningText).join(" ")).toMatch(/bảng mã cũ/);
    expect(text).toContain("Cộng h");
    expect(text).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(text).toContain("KẾ HOẠCH");
    expect(text).toContain("a) Phấn đấu tỷ lệ giáo viên được cấp và sử dụng chữ ký số đạt từ 85% trở lên.");
    expect(text).toContain("100% trường học sử dụng học bạ số.");
  });

  it("syllableShare tells Vietnamese from legacy bytes and from other languages", () => {
    expect(syllableShare("Người học được hướng dẫn khai thác học liệu số của trường, khuya và quốc gia")).toBe(1);
    expect(syllableShare("Céng hoµ x· héi chñ nghÜa ViÖt Nam")).toBeLessThan(0.6);
    expect(syllableShare("The quick brown fox jumps over the lazy dog")).toBeLessThan(0.5);
  });

  it("lines pasted from an old document into a Unicode one are converted, other lines untouched", async () => {
    const src = [
      "Kế hoạch chuyển đổi số năm 2027",
      "PhÊn ®Êu tû lÖ gi¸o viªn ®\u00adîc cÊp ch÷ ký sè ®¹t tõ 85% trë lªn.",
      "Microsoft® Office® 365 © 2026",
      "Tỷ lệ học sinh có tài khoản học trực tuyến",
    ].join("\n");
    const r = await read("dan-tu-ban-cu.txt", Buffer.from(src));
    expect(r).toMatchObject({ ok: true, converted: "tcvn3" });
    expect(okText(r).split("\n")).toEqual([
      "Kế hoạch chuyển đổi số năm 2027",
      "Phấn đấu tỷ lệ giáo viên được cấp chữ ký số đạt từ 85% trở lên.",
      "Microsoft® Office® 365 © 2026",
      "Tỷ lệ học sinh có tài khoản học trực tuyến",
    ]);
    expect(r.ok && readWarningText(r.warnings[0]!)).toMatch(/^1 dòng dùng bảng mã cũ TCVN3/);
    // the shipped plans have no such line
    const plan = await read("001.txt", readFileSync(path.join(import.meta.dirname, "../../data/plans/001_3eb15a9a7d9006f6.txt")));
    expect(plan).toMatchObject({ ok: true, warnings: [] });
    expect(plan.ok && plan.converted).toBeUndefined();
  });

  it("legacy text that does not convert into Vietnamese is refused as legacy_encoding", async () => {
    const junk = "µ¸¹ ®ª« ¬µ¸ ¹®ª «¬µ ¸¹® ª«¬ µ¸¹ ®ª« ¬µ¸ ¹®ª «¬µ";
    expect(convertLegacy("tr\u00adêng", "tcvn3")).toBe("trường");
    const r = await read("cu.txt", Buffer.from(junk, "latin1"));
    expect(r).toMatchObject({ ok: false, problem: "legacy_encoding", detail: "tcvn3" });
  });
});

/** A real .xlsx (exceljs). */
async function makeXlsx(): Promise<Uint8Array> {
  const ExcelJS = (await import("exceljs")).default;
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet("Đơn vị").addRow(["code", "name"]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("readDocument: bad files are refused with a tagged problem", () => {
  const cases: Array<[string, () => Promise<Uint8Array> | Uint8Array, Partial<ReadResult>]> = [
    ["scanned.pdf", () => fixture("scanned.pdf"), { problem: "scanned_pdf", format: "pdf" }],
    ["scan-3-trang.pdf", () => makeScannedPdf(3), { problem: "scanned_pdf" }],
    ["encrypted.pdf", () => fixture("encrypted.pdf"), { problem: "encrypted", format: "pdf" }],
    ["pdf-renamed.txt", () => fixture("pdf-renamed.txt"), { problem: "binary", format: "txt", detail: "PDF" }],
    ["word-renamed.md", () => makeDocx("# Kế hoạch"), { problem: "binary", format: "md" }],
    ["rac.txt", () => Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256), { problem: "binary" }],
    ["rong.txt", () => new Uint8Array(0), { problem: "empty", format: "txt" }],
    ["trang.md", () => Buffer.from(" \n\n\t \n"), { problem: "empty", format: "md" }],
    ["rong.pdf", () => makePdf(""), { problem: "empty", format: "pdf" }],
    ["rong.docx", () => makeDocx(""), { problem: "empty", format: "docx" }],
    ["qua-lon.pdf", () => new Uint8Array(MAX_DOCUMENT_BYTES + 1), { problem: "too_large", limitBytes: MAX_DOCUMENT_BYTES }],
    ["bang.xlsx", () => Buffer.from("x"), { problem: "unsupported", detail: ".xlsx" }],
    ["cu.doc", () => Buffer.from("x"), { problem: "unsupported", detail: ".doc" }],
    ["khong-duoi", () => Buffer.from("Kế hoạch"), { problem: "unsupported" }],
    ["hong.pdf", () => Buffer.from("%PDF-1.7\nnot really a pdf"), { problem: "unreadable", format: "pdf" }],
    // files that are not what their name says
    ["word-renamed.pdf", () => makeDocx("# Kế hoạch"), { problem: "mismatch", format: "pdf", detail: "DOCX" }],
    ["excel-renamed.docx", () => makeXlsx(), { problem: "mismatch", format: "docx", detail: "XLSX" }],
    ["excel-renamed.pdf", () => makeXlsx(), { problem: "mismatch", format: "pdf", detail: "XLSX" }],
    ["pdf-renamed.docx", () => makePdf("Kế hoạch chuyển đổi số"), { problem: "mismatch", format: "docx", detail: "PDF" }],
    ["anh.pdf", () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]), { problem: "mismatch", detail: "PNG" }],
    ["chuong-trinh.docx", () => Buffer.concat([Buffer.from("MZ"), Buffer.alloc(300, 1)]), { problem: "mismatch", detail: "EXE" }],
    ["excel-renamed.txt", () => makeXlsx(), { problem: "binary", format: "txt" }],
    ["khong-phai.pdf", () => Buffer.from("Kế hoạch chuyển đổi số"), { problem: "unreadable", format: "pdf" }],
    ["hong.docx", () => Buffer.from("PK\u0003\u0004 broken zip"), { problem: "unreadable", format: "docx" }],
    ["latin1.txt", () => Buffer.from("Résumé of the café meeting, in Latin-1.", "latin1"), { problem: "unreadable", format: "txt" }],
    [
      "mat-khau.docx",
      () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504), Buffer.from("EncryptedPackage", "utf16le")]),
      { problem: "encrypted", format: "docx" },
    ],
    ["that-la-doc.docx", () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]), { problem: "unsupported", detail: ".doc" }],
  ];

  it.each(cases)("%s", async (name, bytes, expected) => {
    const r = await read(name, await bytes());
    expect(r).toMatchObject({ ok: false, ...expected });
    if (r.ok) return;
    const msg = readProblemMessage(r);
    expect(msg.length).toBeGreaterThan(40);
    expect(msg).toMatch(/Vui lòng/); // always a next step
    expect(msg).not.toMatch(/scanned_pdf|legacy_encoding|too_large|unreadable|undefined/);
  });

  it("the size message states the limit", () => {
    expect(readProblemMessage({ ok: false, problem: "too_large", format: "pdf", limitBytes: MAX_DOCUMENT_BYTES })).toContain("20 MB");
    expect(readProblemMessage({ ok: false, problem: "scanned_pdf", format: "pdf" })).toContain("scan");
    expect(readProblemMessage({ ok: false, problem: "legacy_encoding", detail: "vni" })).toContain("VNI");
  });
});
