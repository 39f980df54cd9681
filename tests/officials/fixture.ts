/**
 * A small fictional hierarchy with known answers, shared by the officials' tests.
 *
 * SO-DEMO (department, plan TK-2026)
 *  ├ XA-TANKY (commune)      2026-03 on time
 *  │   ├ TH-HOAMAI           on time   TK-01 9/10,  TK-02 yes, TK-04 30
 *  │   ├ THCS-TANKY          LATE      TK-01 50/100, TK-02 no, TK-03 yes, TK-04 20
 *  │   └ TH-SAOMAI           draft only (missing)
 *  └ XA-BINHAN (commune)     nothing (missing)
 *      ├ TH-BINHAN           on time   TK-01 1/1,   TK-02 yes, TK-04 50
 *      └ THCS-BINHAN         plan XX-0000 (asks only preschools): not expected
 * 2026-02: TH-HOAMAI submitted TK-01 5/10.
 */
import { buildCatalog, type Catalog, type CatalogEntry } from "../../core/catalog/index.ts";
import { CatalogFile } from "../../core/catalog/schema.ts";
import type { Db } from "../../core/db/client.ts";

const citation = { file: "003_demo.txt", section: "mục II", quote: "trích dẫn thử nghiệm" };

function entry(e: Partial<CatalogEntry> & Pick<CatalogEntry, "code" | "short" | "measure" | "threshold" | "rollup" | "levels">): CatalogEntry {
  return {
    plan: "TK-2026",
    target: e.short,
    question: `${e.short}?`,
    frequency: "monthly",
    citation,
    ...e,
  } as CatalogEntry;
}

export function testCatalog(): Catalog {
  const file = CatalogFile.parse({
    plan: {
      id: "TK-2026",
      prefix: "TK",
      title: "Kế hoạch chuyển đổi số xã Tân Kỳ năm 2026",
      issuer: "UBND xã Tân Kỳ",
      place: "Tân Kỳ",
      date: "01/01/2026",
      files: ["003_demo.txt"],
    },
    entries: [
      entry({
        code: "TK-01",
        short: "Giáo viên có chữ ký số",
        target: "100% giáo viên được cấp chữ ký số",
        question: "Có bao nhiêu giáo viên đã có chữ ký số trên tổng số giáo viên?",
        measure: { type: "ratio", numerator: "giáo viên có chữ ký số", denominator: "tổng số giáo viên", denominatorKey: "teachers" },
        threshold: { op: ">=", value: 90, unit: "%", text: "≥ 90%" },
        rollup: "sum_ratio",
        levels: ["th", "thcs"],
      }),
      entry({
        code: "TK-02",
        short: "Trường dùng học bạ số",
        target: "100% trường triển khai học bạ số",
        question: "Trường đã triển khai học bạ số chưa?",
        measure: { type: "boolean" },
        threshold: { op: ">=", value: 100, unit: "%", text: "100%" },
        rollup: "share_yes",
        levels: ["th", "thcs"],
      }),
      entry({
        code: "TK-03",
        short: "Trường thí điểm AI",
        target: "Ít nhất 2 trường THCS thí điểm trí tuệ nhân tạo",
        question: "Trường có thí điểm ứng dụng AI trong dạy học không?",
        measure: { type: "boolean" },
        threshold: { op: ">=", value: 2, unit: "count", text: "≥ 2 trường" },
        rollup: "count_yes",
        levels: ["thcs"],
      }),
      entry({
        code: "TK-04",
        short: "Bài giảng điện tử",
        target: "Xây dựng ít nhất 100 bài giảng điện tử",
        question: "Trường đã xây dựng bao nhiêu bài giảng điện tử?",
        measure: { type: "count", unit: "bài giảng" },
        threshold: { op: ">=", value: 100, unit: "count", text: "≥ 100 bài" },
        rollup: "sum",
        levels: ["th", "thcs"],
      }),
      entry({
        code: "TK-05",
        short: "Hồ sơ xử lý trực tuyến",
        target: "Trên 80% hồ sơ thủ tục hành chính được xử lý trực tuyến",
        question: "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến là bao nhiêu phần trăm?",
        measure: { type: "percent" },
        threshold: { op: ">=", value: 80, unit: "%", text: "≥ 80%" },
        rollup: "share_meeting",
        levels: ["xa"],
      }),
      entry({
        code: "TK-06",
        short: "Thanh toán không dùng tiền mặt",
        target: "100% trường thu học phí không dùng tiền mặt",
        question: "Trường đã thu học phí không dùng tiền mặt chưa?",
        measure: { type: "boolean" },
        threshold: { op: ">=", value: 100, unit: "%", text: "100%" },
        rollup: "share_yes",
        levels: ["th", "thcs"],
        frequency: "quarterly",
      }),
    ],
  });
  // a plan in force that asks nothing of THCS-BINHAN's level: the school is not expected
  const other = CatalogFile.parse({
    plan: { id: "XX-0000", prefix: "XX", title: "Kế hoạch khác", issuer: "UBND khác", place: "Khác", date: "01/01/2026", files: ["003_demo.txt"] },
    entries: [entry({ code: "XX-01", plan: "XX-0000", short: "Mầm non", measure: { type: "boolean" }, threshold: { op: ">=", value: 100, unit: "%", text: "100%" }, rollup: "share_yes", levels: ["mn"] })],
  });
  return buildCatalog([file, other]);
}

/** Vietnam wall clock → instant. */
const vn = (iso: string) => new Date(`${iso}+07:00`);
export const MARCH_DEADLINE = vn("2026-03-20T00:00:00");

type AnswerSeed = { code: string; value?: number; numerator?: number; denominator?: number; meetsTarget?: boolean };

export async function seedHierarchy(db: Db): Promise<void> {
  const units: Array<[code: string, name: string, kind: string, levels: string, parent: string | null, planId?: string]> = [
    ["SO-DEMO", "Sở GDĐT Demo", "department", "so", null, "TK-2026"],
    ["XA-TANKY", "UBND xã Tân Kỳ", "commune", "xa", "SO-DEMO"],
    ["TH-HOAMAI", "Trường Tiểu học Hoa Mai", "school", "th", "XA-TANKY"],
    ["THCS-TANKY", "Trường THCS Tân Kỳ", "school", "thcs", "XA-TANKY"],
    ["TH-SAOMAI", "Trường Tiểu học Sao Mai", "school", "th", "XA-TANKY"],
    ["XA-BINHAN", "UBND xã Bình An", "commune", "xa", "SO-DEMO"],
    ["TH-BINHAN", "Trường Tiểu học Bình An", "school", "th", "XA-BINHAN"],
    ["THCS-BINHAN", "Trường THCS Bình An", "school", "thcs", "XA-BINHAN", "XX-0000"],
  ];
  const ids = new Map<string, { id: number; path: string }>();
  for (const [code, name, kind, levels, parent, planId] of units) {
    const p = parent ? ids.get(parent)! : null;
    const path = `${p?.path ?? "/"}${code}/`;
    const u = await db.unit.create({ data: { code, name, kind, levels, path, parentId: p?.id ?? null, planId: planId ?? null, createdAt: new Date("2025-01-01T00:00:00Z") } });
    ids.set(code, { id: u.id, path });
  }
  const report = async (unit: string, period: string, status: "draft" | "submitted", submitted: Date | null, answers: AnswerSeed[]) => {
    const deadline = period === "2026-03" ? MARCH_DEADLINE : vn("2026-02-20T00:00:00");
    await db.report.create({
      data: {
        unitId: ids.get(unit)!.id,
        period,
        periodKind: "month",
        planId: "TK-2026",
        status,
        revision: status === "submitted" ? 1 : 0,
        deadline,
        firstSubmittedAt: submitted,
        submittedAt: submitted,
        onTime: submitted ? submitted.getTime() < deadline.getTime() : null,
        answers: {
          create: answers.map((a) => ({
            indicatorCode: a.code,
            value: a.value ?? (a.numerator !== undefined && a.denominator ? (a.numerator / a.denominator) * 100 : null),
            numerator: a.numerator ?? null,
            denominator: a.denominator ?? null,
            raw: String(a.value ?? `${a.numerator}/${a.denominator}`),
            meetsTarget: a.meetsTarget ?? null,
          })),
        },
      },
    });
  };
  await report("XA-TANKY", "2026-03", "submitted", vn("2026-03-10T09:00:00"), [{ code: "TK-05", value: 85, meetsTarget: true }]);
  await report("TH-HOAMAI", "2026-03", "submitted", vn("2026-03-15T08:30:00"), [
    { code: "TK-01", numerator: 9, denominator: 10, meetsTarget: true },
    { code: "TK-02", value: 1, meetsTarget: true },
    { code: "TK-04", value: 30 },
  ]);
  await report("THCS-TANKY", "2026-03", "submitted", vn("2026-03-25T14:00:00"), [
    { code: "TK-01", numerator: 50, denominator: 100, meetsTarget: false },
    { code: "TK-02", value: 0, meetsTarget: false },
    { code: "TK-03", value: 1, meetsTarget: true },
    { code: "TK-04", value: 20 },
  ]);
  await report("TH-SAOMAI", "2026-03", "draft", null, [{ code: "TK-01", numerator: 1, denominator: 20 }]);
  await report("TH-BINHAN", "2026-03", "submitted", vn("2026-03-19T23:59:00"), [
    { code: "TK-01", numerator: 1, denominator: 1, meetsTarget: true },
    { code: "TK-02", value: 1, meetsTarget: true },
    { code: "TK-04", value: 50 },
  ]);
  await report("TH-HOAMAI", "2026-02", "submitted", vn("2026-02-10T08:00:00"), [
    { code: "TK-01", numerator: 5, denominator: 10, meetsTarget: false },
  ]);
}
