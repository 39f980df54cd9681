/**
 * A target level as a reviewer types it when correcting a drafted target: the plan's own phrasings
 * ("từ 85% trở lên", "không dưới 97%", "tối thiểu 80%", "ít nhất 3 trường", "trên 70%", "100%",
 * "mức 2", "không vượt quá 5%", "dưới 2%") and the short forms ("≥ 85%", ">= 85", "85").
 * A bare number keeps the unit of the threshold being corrected (percent, count or level).
 *
 *   parseThresholdInput("từ 85% trở lên")                       // { op: ">=", value: 85, unit: "%", text: "từ 85% trở lên" }
 *   parseThresholdInput("5", { op: ">=", value: 3, unit: "count", text: "ít nhất 3 trường" })  // { op: ">=", value: 5, unit: "count", … }
 */
import { fold, nfc } from "../text.ts";
import type { Threshold } from "./schema.ts";

export function parseThresholdInput(input: string, current?: Threshold): Threshold | null {
  const text = nfc(input).replace(/\s+/g, " ");
  const f = fold(text).replace(/≥/g, ">=").replace(/≤/g, "<=");
  const m = /(\d{1,7}(?:[.,]\d+)?)/.exec(f);
  if (!m) return null;
  const value = Number(m[1]!.replace(",", "."));
  if (!Number.isFinite(value)) return null;
  const before = f.slice(0, m.index);
  const after = f.slice(m.index + m[0].length);

  let unit: Threshold["unit"];
  if (/^\s*%/.test(after) || /phan tram/.test(f)) unit = "%";
  else if (/\bmuc( do)?\s*$/.test(before)) unit = "level";
  else if (/^\s*[a-z]/.test(after)) unit = "count"; // "3 trường", "20 bài"
  else unit = current?.unit ?? "%";
  if (unit === "%" && value > 100) return null;

  let op: Threshold["op"];
  if (/(khong vuot qua|toi da|<=|nhieu nhat)\s*(muc( do)?\s*)?$/.test(before) || /^\s*%?\s*tro xuong/.test(after)) op = "<=";
  else if (/(khong duoi|toi thieu|it nhat|>=|tu)\s*(muc( do)?\s*)?$/.test(before) || /tro len/.test(after)) op = ">=";
  else if (/(duoi|<)\s*$/.test(before)) op = "<";
  else if (/(tren|>)\s*(muc( do)?\s*)?$/.test(before)) op = ">";
  else if (/(^|\s)=\s*$/.test(before) || /\bdung\s*$/.test(before)) op = "=";
  else op = unit === "%" && value === 100 ? "=" : ">=";
  return { op, value, unit, text };
}
