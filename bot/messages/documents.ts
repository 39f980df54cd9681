/**
 * Vietnamese wording for a document that could not be read (core/documents/read.ts), each with
 * what to do next. Plain functions: the bot and the CLI both use them.
 *
 *   const r = await readDocument({ name, bytes });
 *   if (!r.ok) reply(readProblemMessage(r));
 *   else if (r.warnings.length) reply(readWarningsMessage(r));
 */
import { MAX_DOCUMENT_BYTES, type ReadResult, type ReadWarning } from "../../core/documents/read.ts";
import { formatNumber } from "../../core/reporting/format.ts";

type ReadFailure = Extract<ReadResult, { ok: false }>;

const ACCEPTED = "PDF có lớp chữ, Word (.docx), .txt hoặc .md";

/** "20 MB" (decimal comma when needed). */
export function formatMegabytes(bytes: number): string {
  return `${formatNumber(bytes / (1024 * 1024))} MB`;
}

/** One message: what is wrong with the file, then what to do instead. Nothing was stored. */
export function readProblemMessage(result: ReadFailure): string {
  const kind = result.format === "pdf" ? "tệp PDF" : result.format === "docx" ? "tệp Word" : "tệp";
  switch (result.problem) {
    case "unsupported":
      return result.detail === ".doc"
        ? "Tệp Word cũ (.doc) chưa đọc được. Vui lòng mở tệp trong Word, chọn Lưu thành (Save As) định dạng .docx hoặc PDF, rồi gửi lại."
        : `Chưa đọc được loại tệp ${result.detail ? `"${result.detail}"` : "này"}. Vui lòng gửi kế hoạch dưới dạng ${ACCEPTED}.`;
    case "too_large":
      return `Tệp quá lớn: giới hạn là ${formatMegabytes(result.limitBytes ?? MAX_DOCUMENT_BYTES)}. Vui lòng bỏ bớt ảnh, hình quét hoặc phụ lục không cần thiết (hoặc lưu lại thành PDF nhẹ hơn) rồi gửi lại.`;
    case "empty":
      return `${capitalize(kind)} không có nội dung chữ nào. Vui lòng kiểm tra lại đúng tệp kế hoạch rồi gửi lại.`;
    case "binary":
      return `Tệp có đuôi .${result.format ?? "txt"} nhưng nội dung không phải văn bản (có thể là tệp khác bị đổi tên). Vui lòng gửi đúng tệp kế hoạch dưới dạng ${ACCEPTED}.`;
    case "mismatch":
      return `Tệp có đuôi .${result.format ?? "?"} nhưng nội dung là ${fileKindWords(result.detail)} (có thể bị đổi tên nhầm). Vui lòng gửi đúng tệp kế hoạch dưới dạng ${ACCEPTED}.`;
    case "encrypted":
      return `${capitalize(kind)} được đặt mật khẩu nên không đọc được. Vui lòng mở tệp, bỏ mật khẩu (hoặc lưu một bản không đặt mật khẩu) rồi gửi lại.`;
    case "scanned_pdf":
      return "Tệp PDF này là bản scan (ảnh chụp), không có lớp chữ nên không đọc được nội dung. Vui lòng gửi tệp Word (.docx) hoặc PDF xuất trực tiếp từ Word; nếu chỉ có bản scan, hãy nhận dạng chữ (OCR) trước rồi gửi lại.";
    case "legacy_encoding":
      return `Văn bản dùng bảng mã cũ ${LEGACY_FONT[result.detail === "vni" ? "vni" : "tcvn3"]} và không chuyển được sang Unicode một cách chắc chắn. Vui lòng chuyển mã sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey), lưu lại rồi gửi lại.`;
    case "unreadable":
    default:
      return `Không đọc được ${kind} này (tệp có thể bị hỏng hoặc không đúng định dạng). Vui lòng mở thử tệp trên máy, lưu lại dưới dạng ${ACCEPTED} rồi gửi lại.`;
  }
}

const LEGACY_FONT = { tcvn3: "TCVN3 (phông .VnTime)", vni: "VNI (phông VNI-Times)" } as const;

/** One reader warning as a sentence. */
export function readWarningText(w: ReadWarning): string {
  switch (w.kind) {
    case "legacy_converted":
      return `Văn bản dùng bảng mã cũ ${LEGACY_FONT[w.encoding]}, đã được chuyển sang Unicode; nên kiểm tra lại các con số và dấu.`;
    case "legacy_lines":
      return `${w.lines} dòng dùng bảng mã cũ ${LEGACY_FONT[w.encoding]} đã được chuyển sang Unicode; nên kiểm tra lại các dòng đó.`;
  }
}

/** Warnings from a successful read (legacy text converted), one per line; "" when none. */
export function readWarningsMessage(result: Extract<ReadResult, { ok: true }>): string {
  return result.warnings.map((w) => `⚠️ ${readWarningText(w)}`).join("\n");
}

/** A fileKind (core/documents/read.ts) in Vietnamese words: "bảng tính Excel (.xlsx)". */
export function fileKindWords(kind: string | null | undefined): string {
  switch (kind) {
    case "PDF":
      return "tệp PDF";
    case "DOCX":
      return "tệp Word (.docx)";
    case "XLSX":
      return "bảng tính Excel (.xlsx)";
    case "DOC/XLS":
      return "tệp Word/Excel đời cũ (.doc/.xls)";
    case "PNG":
    case "JPEG":
    case "GIF":
      return "một ảnh";
    case "ELF":
    case "EXE":
      return "một tệp chương trình";
    case "ZIP":
    case "GZIP":
    case "RAR":
    case "7Z":
      return "một tệp nén";
    default:
      return "một loại tệp khác";
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
