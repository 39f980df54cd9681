/**
 * Word's automatic numbering ("I.", "1.1.", "a)", "-") lives in numbering.xml, not in the text, and
 * mammoth drops it. Plans number their sections and targets that way, and the extractor and
 * retrieval read those labels, so this writes each numbered paragraph's label into its text
 * (as if it had been typed) and removes the list property:
 *
 *   const bytes2 = await inlineNumbering(bytes);   // same .docx, "a) " now typed in the paragraph
 */
import JSZip from "jszip";

interface Level {
  fmt: string;
  text: string;
  start: number;
}

const attr = (xml: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(xml)?.[1];

interface Num {
  levels: Map<number, Level>;
  /** Numbers continue across list instances of one abstract list unless an instance restarts them. */
  counterKey: string;
}

function readLevels(xml: string): Map<string, Num> {
  const abstract = new Map<string, Map<number, Level>>();
  for (const m of xml.matchAll(/<w:abstractNum\b[^>]*w:abstractNumId="([^"]+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g)) {
    const levels = new Map<number, Level>();
    for (const l of m[2]!.matchAll(/<w:lvl\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g)) {
      const body = l[2]!;
      levels.set(Number(l[1]), {
        fmt: attr(/<w:numFmt\b[^>]*>/.exec(body)?.[0] ?? "", "w:val") ?? "decimal",
        text: attr(/<w:lvlText\b[^>]*>/.exec(body)?.[0] ?? "", "w:val") ?? "",
        start: Number(attr(/<w:start\b[^>]*>/.exec(body)?.[0] ?? "", "w:val") ?? 1),
      });
    }
    abstract.set(m[1]!, levels);
  }
  const nums = new Map<string, Num>();
  for (const m of xml.matchAll(/<w:num\b[^>]*w:numId="([^"]+)"[^>]*>([\s\S]*?)<\/w:num>/g)) {
    const abs = attr(/<w:abstractNumId\b[^>]*>/.exec(m[2]!)?.[0] ?? "", "w:val");
    const levels = new Map(abstract.get(abs ?? "") ?? []);
    let restarts = false;
    for (const o of m[2]!.matchAll(/<w:lvlOverride\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvlOverride>/g)) {
      const start = attr(/<w:startOverride\b[^>]*>/.exec(o[2]!)?.[0] ?? "", "w:val");
      const base = levels.get(Number(o[1]));
      if (start && base) levels.set(Number(o[1]), { ...base, start: Number(start) });
      restarts ||= start !== undefined;
    }
    nums.set(m[1]!, { levels, counterKey: restarts ? `num:${m[1]}` : `abs:${abs}` });
  }
  return nums;
}

const ROMAN: Array<[number, string]> = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
function roman(n: number): string {
  let out = "";
  for (const [v, s] of ROMAN) while (n >= v) (out += s), (n -= v);
  return out;
}
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const letter = (n: number) => (LETTERS[(n - 1) % 26] ?? "a").repeat(Math.floor((n - 1) / 26) + 1);

function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "upperRoman":
      return roman(n);
    case "lowerRoman":
      return roman(n).toLowerCase();
    case "upperLetter":
      return letter(n).toUpperCase();
    case "lowerLetter":
      return letter(n);
    case "decimalZero":
      return String(n).padStart(2, "0");
    case "none":
      return "";
    default:
      return String(n);
  }
}

/** Paragraph style id → its numbering (headings numbered through their style). */
function styleNumbering(stylesXml: string): Map<string, { numId: string; ilvl: number }> {
  const out = new Map<string, { numId: string; ilvl: number }>();
  for (const m of stylesXml.matchAll(/<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>([\s\S]*?)<\/w:style>/g)) {
    const numPr = /<w:numPr>([\s\S]*?)<\/w:numPr>/.exec(m[2]!)?.[1];
    if (!numPr) continue;
    const numId = attr(/<w:numId\b[^>]*>/.exec(numPr)?.[0] ?? "", "w:val");
    if (numId) out.set(m[1]!, { numId, ilvl: Number(attr(/<w:ilvl\b[^>]*>/.exec(numPr)?.[0] ?? "", "w:val") ?? 0) });
  }
  return out;
}

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The .docx with every automatic number written into its paragraph; unchanged when it has none. */
export async function inlineNumbering(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const numberingXml = await zip.file("word/numbering.xml")?.async("string");
  const docFile = zip.file("word/document.xml");
  if (!numberingXml || !docFile) return bytes;
  const nums = readLevels(numberingXml);
  const byStyle = styleNumbering((await zip.file("word/styles.xml")?.async("string")) ?? "");
  const counters = new Map<string, number[]>();
  const doc = await docFile.async("string");
  let changed = false;

  const out = doc.replace(/<w:p\b(?:[^>]*[^/])?>[\s\S]*?<\/w:p>/g, (p) => {
    const pPr = /<w:pPr>[\s\S]*?<\/w:pPr>/.exec(p)?.[0] ?? "";
    const numPr = /<w:numPr>([\s\S]*?)<\/w:numPr>/.exec(pPr)?.[1];
    let numId = numPr ? attr(/<w:numId\b[^>]*>/.exec(numPr)?.[0] ?? "", "w:val") : undefined;
    let ilvl = numPr ? Number(attr(/<w:ilvl\b[^>]*>/.exec(numPr)?.[0] ?? "", "w:val") ?? 0) : 0;
    if (!numPr) {
      const style = attr(/<w:pStyle\b[^>]*>/.exec(pPr)?.[0] ?? "", "w:val");
      const s = style ? byStyle.get(style) : undefined;
      if (s) ({ numId, ilvl } = s);
    }
    if (!numId || numId === "0") return p;
    const num = nums.get(numId);
    const levels = num?.levels;
    const level = levels?.get(ilvl);
    if (!num || !levels || !level) return p;
    const c = counters.get(num.counterKey) ?? [];
    c[ilvl] = c[ilvl] === undefined ? level.start : c[ilvl]! + 1;
    c.length = ilvl + 1; // deeper levels restart
    counters.set(num.counterKey, c);
    let label: string;
    if (level.fmt === "bullet") label = "-";
    else {
      label = level.text.replace(/%(\d)/g, (_m, d: string) => {
        const k = Number(d) - 1;
        const lv = levels.get(k);
        return formatNumber(c[k] ?? lv?.start ?? 1, k === ilvl ? level.fmt : lv?.fmt === "bullet" ? "decimal" : (lv?.fmt ?? "decimal"));
      });
    }
    label = label.trim();
    if (!label) return p;
    changed = true;
    const run = `<w:r><w:t xml:space="preserve">${escapeXml(label)} </w:t></w:r>`;
    // drop the list property (also one inherited from the style) so the paragraph reads as typed text
    const noList = '<w:numPr><w:numId w:val="0"/></w:numPr>';
    const withoutNum = numPr
      ? p.replace(/<w:numPr>[\s\S]*?<\/w:numPr>/, noList)
      : p.replace("</w:pPr>", `${noList}</w:pPr>`);
    const at = withoutNum.indexOf("</w:pPr>");
    if (at >= 0) return withoutNum.slice(0, at + 8) + run + withoutNum.slice(at + 8);
    return withoutNum.replace(/^<w:p\b[^>]*>/, (open) => open + run);
  });
  if (!changed) return bytes;
  zip.file("word/document.xml", out);
  return zip.generateAsync({ type: "uint8array" });
}
