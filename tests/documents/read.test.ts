import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readProblemMessage } from "../../bot/messages/documents.ts";
import { htmlToText } from "../../core/documents/docx.ts";
import { convertLegacy, detectLegacyEncoding } from "../../core/documents/legacy.ts";
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
    expect(text).toContain("Căn cứ Kế hoạch số 12/KH-UBND của Uỷ ban nhân dân xã Hoà Phong");
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("Chỉ tiêu năm 2027", "utf16le").swap16()]);
    expect(okText(await read("be.txt", be))).toBe("Chỉ tiêu năm 2027\n");
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
    expect(r.ok && r.warnings.join(" ")).toMatch(/bảng mã cũ/);
    expect(text).toContain("Cộng h");
    expect(text).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(text).toContain("KẾ HOẠCH");
    expect(text).toContain("a) Phấn đấu tỷ lệ giáo viên được cấp và sử dụng chữ ký số đạt từ 85% trở lên.");
    expect(text).toContain("100% trường học sử dụng học bạ số.");
  });

  it("legacy text that does not convert into Vietnamese is refused as legacy_encoding", async () => {
    const junk = "µ¸¹ ®ª« ¬µ¸ ¹®ª «¬µ ¸¹® ª«¬ µ¸¹ ®ª« ¬µ¸ ¹®ª «¬µ";
    expect(convertLegacy("tr\u00adêng", "tcvn3")).toBe("trường");
    const r = await read("cu.txt", Buffer.from(junk, "latin1"));
    expect(r).toMatchObject({ ok: false, problem: "legacy_encoding", detail: "tcvn3" });
  });
});

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
