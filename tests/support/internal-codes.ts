/**
 * Nothing a user reads may carry an internal code (issue 8 §3): no indicator codes ("TK-03"),
 * no period keys ("2026-10", "2026-Q1", "2027-H1"), no plan ids ("NB-27-2025"). Every fake Bot
 * API started by the tests is watched: each message, edit, button and document (csv text, xlsx
 * cells) the bot sends is scanned, and the test that made the bot send it fails when it stops.
 */
import ExcelJS from "exceljs";
import type { BotEvent, BotMessage, FakeBotApi } from "../../bot/local/fake-bot-api.ts";
import { inlineButtons } from "../../bot/local/fake-bot-api.ts";

export const INTERNAL_CODE = /\b[A-Z]{2,4}-\d{2,3}[a-z]?\b|\b20\d\d-(0[1-9]|1[0-2]|Q[1-4]|H[12])\b/;

/** The texts a user sees in a message: its text or caption and its button labels. */
function visibleTexts(m: BotMessage): string[] {
  return [m.text ?? "", m.caption ?? "", m.document?.file_name ?? "", ...inlineButtons(m.reply_markup).map((b) => b.text)];
}

/** What a reader sees in a workbook: sheet names and every cell's text. */
export async function workbookTexts(bytes: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const texts: string[] = [];
  wb.eachSheet((ws) => {
    texts.push(ws.name);
    ws.eachRow((row) => row.eachCell((cell) => texts.push(cell.text)));
  });
  return texts;
}

/** The internal codes in `texts`, each with its context. */
export function internalCodesIn(texts: string[], where = ""): string[] {
  const found: string[] = [];
  for (const t of texts) {
    const hit = INTERNAL_CODE.exec(t);
    if (hit) found.push(`"${hit[0]}" in ${where}: ${t.slice(Math.max(0, hit.index - 60), hit.index + 60).replace(/\s+/g, " ")}`);
  }
  return found;
}

async function documentTexts(m: BotMessage): Promise<string[]> {
  const doc = m.document;
  if (!doc) return [];
  if (/\.csv$/i.test(doc.file_name)) return [doc.bytes.toString("utf8")];
  if (/\.xlsx$/i.test(doc.file_name)) return workbookTexts(doc.bytes);
  return [];
}

/** Watch `fake`; returns a check that throws listing every internal code the bot showed. */
export function watchInternalCodes(fake: FakeBotApi): () => Promise<void> {
  const found: string[] = [];
  const pending: Array<Promise<void>> = [];
  const scan = (e: BotEvent) => {
    if (e.kind === "deleted") return;
    const m = e.message;
    for (const t of visibleTexts(m)) {
      const hit = INTERNAL_CODE.exec(t);
      if (hit) found.push(`"${hit[0]}" in: ${t.slice(Math.max(0, hit.index - 60), hit.index + 60).replace(/\s+/g, " ")}`);
    }
    pending.push(
      documentTexts(m).then((texts) => void found.push(...internalCodesIn(texts, m.document?.file_name))),
    );
  };
  const off = fake.onEvent(scan);
  return async () => {
    off();
    await Promise.all(pending);
    if (found.length > 0) {
      throw new Error(`The bot showed internal codes to a user (${found.length}):\n${[...new Set(found)].slice(0, 20).join("\n")}`);
    }
  };
}
