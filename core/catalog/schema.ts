/**
 * The target catalog's shape. Catalog files (core/catalog/data/*.json) are data, validated here.
 *
 * Keep apart what one unit is ASKED (measure, unitThreshold) and how the target is MEASURED
 * across units (rollup, threshold):
 *  - "100% trường dùng học bạ số": boolean per school, rollup share_yes, threshold = 100 (%).
 *  - "≥ 6 trường thí điểm AI":      boolean per school, rollup count_yes, threshold ≥ 6 (count).
 *  - "≥ 90% giáo viên được tập huấn": ratio per school (trained / all teachers),
 *                                    rollup sum_ratio (Σ numerators ÷ Σ denominators), threshold ≥ 90 (%).
 */
import { z } from "zod";

/** Levels and offices a question can apply to (GLOSSARY: cấp học / đơn vị). */
export const LEVELS = ["mn", "th", "thcs", "thpt", "gdtx", "so", "phong", "xa"] as const;
export const Level = z.enum(LEVELS);
export type Level = z.infer<typeof Level>;

export const Measure = z.discriminatedUnion("type", [
  /** numerator / denominator, e.g. teachers with a digital signature / all teachers. */
  z.object({
    type: z.literal("ratio"),
    numerator: z.string().min(1), // "giáo viên có chữ ký số"
    denominator: z.string().min(1), // "tổng số giáo viên"
    /** Same key ⇒ the same denominator must be given across indicators of one unit and period. */
    denominatorKey: z.string().optional(), // e.g. "teachers", "students", "staff", "classrooms"
    /** A denominator that changes by more than this factor since last period is confirmed with the user (default 2). */
    outlierFactor: z.number().min(1).optional(),
  }),
  /** A plain percentage 0–100 with no natural denominator. */
  z.object({ type: z.literal("percent") }),
  /** A non-negative count, e.g. number of digital lessons. */
  z.object({ type: z.literal("count"), unit: z.string().min(1) }),
  /** Yes / no, e.g. "Trường đã triển khai học bạ số chưa?" */
  z.object({ type: z.literal("boolean") }),
  /** A level on a scale, e.g. digital-transformation level 1–3. */
  z.object({ type: z.literal("level"), min: z.number().int(), max: z.number().int() }),
]);
export type Measure = z.infer<typeof Measure>;

export const Threshold = z.object({
  op: z.enum([">=", ">", "=", "<=", "<"]),
  value: z.number(),
  /** "%" for percentages, "count" for counts, "level" for levels. */
  unit: z.enum(["%", "count", "level"]),
  /** As the plan writes it: "≥ 90%", "100%", "trên 50%", "tối thiểu mức độ 2". */
  text: z.string().min(1),
});
export type Threshold = z.infer<typeof Threshold>;

/**
 * How unit answers roll up into the target:
 *  - sum_ratio:     Σ numerator ÷ Σ denominator × 100, compared with threshold (%)
 *  - share_yes:     % of units answering yes
 *  - count_yes:     number of units answering yes
 *  - sum:           Σ counts
 *  - share_meeting: % of units whose own answer meets unitThreshold
 */
export const Rollup = z.enum(["sum_ratio", "share_yes", "count_yes", "sum", "share_meeting"]);
export type Rollup = z.infer<typeof Rollup>;

export const Frequency = z.enum(["monthly", "quarterly", "half-yearly", "yearly"]);
export type Frequency = z.infer<typeof Frequency>;

export const Citation = z.object({
  /** Plan file name as shipped, e.g. "001_3eb15a9a7d9006f6.txt". */
  file: z.string().min(1),
  /** Section or appendix row, e.g. "mục I.2.3" or "Phụ lục 1, dòng 4". */
  section: z.string().min(1),
  /** Verbatim text from the file (must occur in it; a test checks). */
  quote: z.string().min(8),
});
export type Citation = z.infer<typeof Citation>;

/** The fields of an entry, without the cross-field checks (drafts reuse them). */
export const CatalogEntryFields = z.object({
    /** Stable code, e.g. "NB-03" (plan prefix + number). Never reuse or renumber. */
    code: z.string().regex(/^[A-Z]{2,4}-\d{2,3}[a-z]?$/),
    /** Plan id, matches CatalogFile.plan.id. */
    plan: z.string().min(1),
    /** The target as the plan states it. */
    target: z.string().min(1),
    /** The question as a focal point is asked it, in Vietnamese. */
    question: z.string().min(1),
    /** Short label for tables and charts. */
    short: z.string().min(1).max(60),
    measure: Measure,
    /** Target across units (how the plan measures it). */
    threshold: Threshold,
    /** What one unit must reach to count as meeting the target; defaults from measure & threshold. */
    unitThreshold: Threshold.optional(),
    rollup: Rollup,
    levels: z.array(Level).min(1),
    frequency: Frequency,
    /** Deadline as written: "Tháng 12/2025", "Quý III/2026", "Thường xuyên". */
    deadline: z.string().optional(),
    /** The unit in charge, where the plan names one (e.g. "Phòng CNTT-KHCN-GDCN"). */
    owner: z.string().optional(),
    citation: Citation,
});

export const CatalogEntry = CatalogEntryFields.superRefine((e, ctx) => {
    const rollupFits: Record<Measure["type"], Rollup[]> = {
      ratio: ["sum_ratio", "share_meeting"],
      percent: ["share_meeting"],
      count: ["sum", "share_meeting"],
      boolean: ["share_yes", "count_yes"],
      level: ["share_meeting"],
    };
    if (!rollupFits[e.measure.type].includes(e.rollup)) {
      ctx.addIssue({
        code: "custom",
        message: `${e.code}: rollup "${e.rollup}" does not fit measure "${e.measure.type}" (use ${rollupFits[e.measure.type].join(" or ")})`,
      });
    }
    if (e.rollup === "count_yes" && e.threshold.unit !== "count") {
      ctx.addIssue({ code: "custom", message: `${e.code}: count_yes needs a count threshold` });
    }
  });
export type CatalogEntry = z.infer<typeof CatalogEntry>;

/** Reporting rhythm; Ninh Bình 27/KH-SGDĐT mục V.3 is the default. */
export const ReportingRules = z.object({
  /** Monthly reports are due before this day of the month (i.e. by day-1, 23:59:59 Vietnam time). */
  monthlyBeforeDay: z.number().int().min(1).max(28).default(20),
  /** Quarterly: before this day of the quarter's last month. */
  quarterlyBeforeDay: z.number().int().min(1).max(28).default(20),
  /** Yearly: before this day/month, e.g. {day: 10, month: 12}. */
  yearlyBefore: z.object({ day: z.number().int(), month: z.number().int() }).default({ day: 10, month: 12 }),
  /**
   * Six-monthly: before this day of the half's last month (June, December). Absent: the first half
   * is due before 20/6 and the second half follows yearlyBefore (reported with the year).
   */
  halfYearlyBefore: z.object({ day: z.number().int().min(1).max(28) }).optional(),
  citation: Citation.optional(),
});
export type ReportingRules = z.infer<typeof ReportingRules>;

export const PlanInfo = z.object({
  /** Short stable id, e.g. "NB-27-2025". */
  id: z.string().min(1),
  /** Code prefix of its entries, e.g. "NB". */
  prefix: z.string().regex(/^[A-Z]{2,4}$/),
  number: z.string().optional(), // "27/KH-SGDĐT"
  title: z.string().min(1),
  issuer: z.string().min(1),
  place: z.string().min(1),
  date: z.string().min(1), // as written: "19/9/2025"
  /** All files of this plan (a plan may be shipped in several extractions). */
  files: z.array(z.string()).min(1),
  reporting: ReportingRules.default({
    monthlyBeforeDay: 20,
    quarterlyBeforeDay: 20,
    yearlyBefore: { day: 10, month: 12 },
  }),
});
export type PlanInfo = z.infer<typeof PlanInfo>;

export const CatalogFile = z.object({ plan: PlanInfo, entries: z.array(CatalogEntry).min(1) });
export type CatalogFile = z.infer<typeof CatalogFile>;
