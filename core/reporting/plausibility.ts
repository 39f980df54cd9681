/**
 * Checks beyond the threshold: values that parse and meet their bounds but look implausible
 * against the unit's own history or its other answers this period. The user confirms or corrects;
 * a confirmed value is stored with a flag officials see beside it.
 *
 *   findSuspicion(state, teachersEntry, check)
 *   // { kind: "denominator_jump", noun: "tổng số giáo viên", value: 600, previous: 60, factor: 2 }
 *
 * - denominator_jump: a total (denominator) changed by more than the entry's outlierFactor (default
 *   ×2) since last period's submitted report (same denominatorKey).
 * - part_exceeds_whole: a part given larger than its whole given in another question this period
 *   (teachers or managers against all staff, managers + teachers against all staff).
 */
import type { CatalogEntry } from "../catalog/schema.ts";
import type { AnswerCheck } from "./check.ts";
import type { ReportState } from "./reports.ts";

export type Suspicion =
  | { kind: "denominator_jump"; noun: string; value: number; previous: number; factor: number }
  | {
      kind: "part_exceeds_whole";
      noun: string;
      /** The part is two amounts summed: `noun` plus this one (managers plus teachers against all staff). */
      plusNoun?: string;
      value: number;
      wholeNoun: string;
      whole: number;
      wholeQuestion: number;
    };

/** denominatorKey → the keys of totals that contain it. */
const WHOLES: Record<string, string[]> = {
  teachers: ["managers_teachers", "staff"],
  managers: ["managers_teachers", "staff"],
  managers_teachers: ["staff"],
};

const DEFAULT_FACTOR = 2;

interface Known {
  value: number;
  noun: string;
  question: number;
}

function denominatorsBy(state: ReportState, answers: ReportState["answers"], exceptCode?: string): Map<string, Known> {
  const out = new Map<string, Known>();
  state.indicators.forEach((e, i) => {
    if (e.code === exceptCode || e.measure.type !== "ratio" || !e.measure.denominatorKey) return;
    const a = answers.get(e.code);
    if (a && !a.skipped && a.denominator != null) out.set(e.measure.denominatorKey, { value: a.denominator, noun: e.measure.denominator, question: i + 1 });
  });
  return out;
}

/** The first implausible thing about this (valid) answer, or null. */
export function findSuspicion(state: ReportState, entry: CatalogEntry, check: Extract<AnswerCheck, { ok: true }>): Suspicion | null {
  const m = entry.measure;
  if (m.type !== "ratio" || !m.denominatorKey || check.denominator == null) return null;
  const key = m.denominatorKey;
  const value = check.denominator;

  // against the unit's own history: last period's total of the same kind
  const previous = state.previous.get(entry.code)?.denominator ?? denominatorsBy(state, state.previous).get(key)?.value;
  const factor = m.outlierFactor ?? DEFAULT_FACTOR;
  if (previous != null && previous > 0 && value > 0 && (value / previous > factor || previous / value > factor)) {
    return { kind: "denominator_jump", noun: m.denominator, value, previous, factor };
  }

  // against the unit's other answers this period
  const now = denominatorsBy(state, state.answers, entry.code);
  for (const wholeKey of WHOLES[key] ?? []) {
    const whole = now.get(wholeKey);
    if (whole && value > whole.value) return { kind: "part_exceeds_whole", noun: m.denominator, value, wholeNoun: whole.noun, whole: whole.value, wholeQuestion: whole.question };
  }
  for (const [partKey, wholes] of Object.entries(WHOLES)) {
    if (!wholes.includes(key)) continue;
    const part = now.get(partKey);
    if (part && part.value > value) return { kind: "part_exceeds_whole", noun: part.noun, value: part.value, wholeNoun: m.denominator, whole: value, wholeQuestion: state.indicators.indexOf(entry) + 1 };
  }
  if (key === "staff" || key === "managers" || key === "teachers") {
    const d = new Map(now);
    d.set(key, { value, noun: m.denominator, question: state.indicators.indexOf(entry) + 1 });
    const managers = d.get("managers");
    const teachers = d.get("teachers");
    const staff = d.get("staff");
    if (managers && teachers && staff && managers.value + teachers.value > staff.value) {
      return {
        kind: "part_exceeds_whole",
        noun: managers.noun,
        plusNoun: teachers.noun,
        value: managers.value + teachers.value,
        wholeNoun: staff.noun,
        whole: staff.value,
        wholeQuestion: staff.question,
      };
    }
  }
  return null;
}
