/**
 * Read a plan (or any official document) file into plain text that the extractor and retrieval
 * both read: NFC, paragraphs separated by blank lines, tables as markdown rows with their header.
 *
 *   const r = await readDocument({ name: "ke-hoach.pdf", bytes });
 *   if (r.ok) r.text           // "KẾ HOẠCH\n\n…\n\n| TT | Chỉ tiêu | Mức đạt 2026 |\n| --- | --- | --- |\n| 1 | … |"
 *   else r.problem             // "scanned_pdf" | "legacy_encoding" | "too_large" | …  (bot/messages/documents.ts words it)
 *
 * Formats: .pdf (text layer, unpdf/pdf.js), .docx (mammoth), .txt and .md (UTF-8, or UTF-16 with BOM).
 * Text in a legacy font encoding (TCVN3, VNI) is converted when recognised, with a tagged warning
 * ({@link ReadWarning}; bot/messages/documents.ts words it).
 */
import { convertLegacy, convertLegacyLines, detectLegacyEncoding, syllableShare } from "./legacy.ts";
import { docxToText } from "./docx.ts";
import { pdfToText } from "./pdf.ts";

export type DocumentFormat = "pdf" | "docx" | "txt" | "md";
export type ReadProblem =
  | "unsupported"
  | "too_large"
  | "empty"
  | "binary"
  | "encrypted"
  | "scanned_pdf"
  | "legacy_encoding"
  | "unreadable"
  /** The content is another kind of file than the name says (detail: the kind found, see {@link fileKind}). */
  | "mismatch";

/** Something the reader did to the text that the sender should check (legacy font text converted). */
export type ReadWarning =
  /** The whole text was in a legacy font encoding and was converted to Unicode. */
  | { kind: "legacy_converted"; encoding: "tcvn3" | "vni" }
  /** Some lines (pasted from an old document) were in a legacy encoding and were converted. */
  | { kind: "legacy_lines"; encoding: "tcvn3" | "vni"; lines: number };

/** Largest file accepted: 20 MB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export type ReadResult =
  | {
      ok: true;
      format: DocumentFormat;
      /** NFC; tables as markdown rows ("| a | b |") under their header row. */
      text: string;
      pages?: number;
      /** set when legacy TCVN3/VNI text was detected and converted to Unicode */
      converted?: "tcvn3" | "vni";
      warnings: ReadWarning[];
    }
  | { ok: false; problem: ReadProblem; format?: DocumentFormat; detail?: string; limitBytes?: number };

/** Extensions read, for callers that list files (ingestion of a folder). */
export const DOCUMENT_EXTENSIONS = [".pdf", ".docx", ".txt", ".md"] as const;

export function documentFormat(name: string): DocumentFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
  if (ext === "pdf" || ext === "docx" || ext === "txt" || ext === "md") return ext;
  if (ext === "markdown") return "md";
  return null;
}

/** Read one document. Never throws for a bad file: the problem comes back tagged. */
export async function readDocument(input: { name: string; bytes: Uint8Array }): Promise<ReadResult> {
  const { name, bytes } = input;
  const format = documentFormat(name);
  if (!format) {
    const ext = /\.([a-z0-9]+)$/i.exec(name.trim())?.[1]?.toLowerCase();
    return { ok: false, problem: "unsupported", detail: ext ? `.${ext}` : undefined };
  }
  if (bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, problem: "too_large", format, limitBytes: MAX_DOCUMENT_BYTES };
  if (bytes.length === 0) return { ok: false, problem: "empty", format };
  const actual = fileKind(bytes);
  if (actual && ((format === "pdf" && actual !== "PDF") || (format === "docx" && actual !== "DOCX" && actual !== "ZIP" && actual !== "DOC/XLS"))) {
    return { ok: false, problem: "mismatch", format, detail: actual };
  }

  let text: string;
  let pages: number | undefined;
  const warnings: ReadWarning[] = [];
  try {
    if (format === "pdf") {
      const r = await pdfToText(bytes);
      if (!r.ok) return { ok: false, problem: r.problem, format, detail: r.detail };
      text = r.text;
      pages = r.pages;
    } else if (format === "docx") {
      const r = await docxToText(bytes);
      if (!r.ok) return { ok: false, problem: r.problem, format, detail: r.detail };
      text = r.text;
      warnings.push(...r.warnings);
    } else {
      const r = decodeText(bytes);
      if (!r.ok) return { ok: false, problem: r.problem, format, detail: r.detail };
      text = r.text;
    }
  } catch (e) {
    return { ok: false, problem: "unreadable", format, detail: e instanceof Error ? e.message.slice(0, 200) : undefined };
  }

  // Text files keep their layout byte for byte (trailing tabs are empty table cells); only NFC and line ends.
  text = format === "txt" || format === "md" ? text.normalize("NFC").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n") : tidy(text);
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, problem: format === "pdf" ? "scanned_pdf" : "empty", format };

  const legacy = detectLegacyEncoding(text);
  if (legacy) {
    const converted = convertLegacy(text, legacy);
    if (detectLegacyEncoding(converted) || syllableShare(converted) < 0.7) {
      return { ok: false, problem: "legacy_encoding", format, detail: legacy };
    }
    warnings.push({ kind: "legacy_converted", encoding: legacy });
    return { ok: true, format, text: converted, pages, converted: legacy, warnings };
  }
  // lines pasted from an old document into a Unicode one
  const mixed = convertLegacyLines(text);
  if (mixed.lines > 0 && mixed.encoding) {
    warnings.push({ kind: "legacy_lines", encoding: mixed.encoding, lines: mixed.lines });
    return { ok: true, format, text: mixed.text, ...(pages !== undefined ? { pages } : {}), converted: mixed.encoding, warnings };
  }
  return { ok: true, format, text, ...(pages !== undefined ? { pages } : {}), warnings };
}

/** NFC, LF line ends, no trailing spaces, at most one blank line in a row, one final newline. */
function tidy(text: string): string {
  return text
    .normalize("NFC")
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+/, "")
    .replace(/\s+$/, "") + "\n";
}

type Decoded = { ok: true; text: string } | { ok: false; problem: ReadProblem; detail?: string };

const MAGIC: Array<[number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46], "PDF"],
  [[0x50, 0x4b, 0x03, 0x04], "ZIP/DOCX/XLSX"],
  [[0xd0, 0xcf, 0x11, 0xe0], "DOC/XLS"],
  [[0x89, 0x50, 0x4e, 0x47], "PNG"],
  [[0xff, 0xd8, 0xff], "JPEG"],
  [[0x47, 0x49, 0x46, 0x38], "GIF"],
  [[0x7f, 0x45, 0x4c, 0x46], "ELF"],
  [[0x4d, 0x5a], "EXE"],
  [[0x1f, 0x8b], "GZIP"],
  [[0x52, 0x61, 0x72, 0x21], "RAR"],
  [[0x37, 0x7a, 0xbc, 0xaf], "7Z"],
];

/** What kind of binary file the bytes start like, if any. */
export function binaryKind(bytes: Uint8Array): string | null {
  for (const [sig, kind] of MAGIC) if (sig.every((b, i) => bytes[i] === b)) return kind;
  return null;
}

/**
 * What the bytes are, by their signature: "PDF", "DOCX", "XLSX", "ZIP" (another or a broken
 * archive), "DOC/XLS" (old Office), "PNG", "JPEG", "GIF", "ELF", "EXE", "GZIP", "RAR", "7Z"; null for
 * anything else (text, or an unknown binary). A PDF may have a little junk before "%PDF-".
 */
export function fileKind(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString("latin1");
  if (head.includes("%PDF-")) return "PDF";
  const kind = binaryKind(bytes);
  if (kind !== "ZIP/DOCX/XLSX") return kind;
  // an Office file is a ZIP whose entry names (stored uncompressed) say what it is
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  if (all.includes("word/document.xml")) return "DOCX";
  if (all.includes("xl/workbook.xml")) return "XLSX";
  return "ZIP";
}

/** .txt / .md bytes → text: UTF-8 (BOM optional), UTF-16 with BOM, or legacy 8-bit TCVN3/VNI. */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  const kind = binaryKind(bytes);
  if (kind) return { ok: false, problem: "binary", detail: kind };
  const head = bytes.subarray(0, 65536);
  let control = 0;
  for (const b of head) {
    if (b === 0) return { ok: false, problem: "binary", detail: "NUL" };
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  if (control / Math.max(1, head.length) > 0.01) return { ok: false, problem: "binary" };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    // Not UTF-8: an 8-bit file. TCVN3 and VNI text was typed on Windows-1252 code pages.
    const text = new TextDecoder("windows-1252").decode(bytes);
    if (detectLegacyEncoding(text)) return { ok: true, text };
    return { ok: false, problem: "unreadable", detail: "not UTF-8" };
  }
}
