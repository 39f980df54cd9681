/**
 * TODO(lead): replace with core/documents/read.ts (helper "reader") when merged — same interface
 * (BRIEF.md "Document reader"). This stand-in reads .txt, .md and .docx only.
 */
export type DocumentFormat = "pdf" | "docx" | "txt" | "md";
export type ReadProblem = "unsupported" | "too_large" | "empty" | "binary" | "encrypted" | "scanned_pdf" | "legacy_encoding" | "unreadable";
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export type ReadResult =
  | { ok: true; format: DocumentFormat; text: string; pages?: number; converted?: "tcvn3" | "vni"; warnings: string[] }
  | { ok: false; problem: ReadProblem; format?: DocumentFormat; detail?: string; limitBytes?: number };

export async function readDocument(input: { name: string; bytes: Uint8Array }): Promise<ReadResult> {
  const ext = input.name.toLowerCase().split(".").pop() ?? "";
  const format: DocumentFormat | null = ext === "txt" || ext === "md" || ext === "docx" || ext === "pdf" ? ext : null;
  if (!format || format === "pdf") return { ok: false, problem: "unsupported", format: format ?? undefined };
  if (input.bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, problem: "too_large", format, limitBytes: MAX_DOCUMENT_BYTES };
  if (input.bytes.length === 0) return { ok: false, problem: "empty", format };
  let text: string;
  if (format === "docx") {
    try {
      const mammoth = (await import("mammoth")).default;
      text = (await mammoth.extractRawText({ buffer: Buffer.from(input.bytes) })).value;
    } catch (e) {
      return { ok: false, problem: "unreadable", format, detail: (e as Error).message };
    }
  } else {
    if (input.bytes.includes(0)) return { ok: false, problem: "binary", format };
    text = new TextDecoder("utf-8").decode(input.bytes);
  }
  text = text.normalize("NFC").replace(/\r\n?/g, "\n");
  if (!text.trim()) return { ok: false, problem: "empty", format };
  return { ok: true, format, text, warnings: [] };
}
