/**
 * Deadline arithmetic in Vietnam time: month, quarter and year ends, leap years, instants either side
 * of Vietnam midnight, reminder slots, and the same answers whatever the server's time zone.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ReportingRules } from "../../core/catalog/schema.ts";
import {
  InvalidPeriodError,
  currentPeriod,
  deadlineOf,
  formatPeriod,
  formatVietnamDate,
  isOnTime,
  parsePeriod,
  periodEnd,
  periodStart,
  periodWithin,
  previousPeriod,
  reminderSchedule,
  vietnamParts,
  vietnamTime,
} from "../../core/reporting/periods.ts";
import { invalidPeriodText } from "../../bot/messages/report.ts";

const RULES: ReportingRules = { monthlyBeforeDay: 20, quarterlyBeforeDay: 20, yearlyBefore: { day: 10, month: 12 } };
/** Due before the 1st: the deadline is Vietnam midnight at the turn of the month. */
const FIRST: ReportingRules = { monthlyBeforeDay: 1, quarterlyBeforeDay: 1, yearlyBefore: { day: 1, month: 1 } };
const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);

describe("deadlines (Ninh Bình 27/KH-SGDĐT mục V.3)", () => {
  it.each([
    ["2026-03", "2026-03-19T17:00:00.000Z"],
    ["2026-01", "2026-01-19T17:00:00.000Z"],
    ["2026-12", "2026-12-19T17:00:00.000Z"],
    ["2026-Q1", "2026-03-19T17:00:00.000Z"],
    ["2026-Q2", "2026-06-19T17:00:00.000Z"],
    ["2026-Q3", "2026-09-19T17:00:00.000Z"],
    ["2026-Q4", "2026-12-19T17:00:00.000Z"],
    ["2026", "2026-12-09T17:00:00.000Z"],
  ])("%s is due before %s", (key, deadline) => {
    expect(iso(deadlineOf(parsePeriod(key), RULES))).toBe(deadline);
  });

  it("on time up to the last second before Vietnam midnight of the 20th", () => {
    const march = parsePeriod("2026-03");
    expect(isOnTime(march, RULES, at("2026-03-19T16:59:59Z"))).toBe(true);
    expect(isOnTime(march, RULES, at("2026-03-19T16:59:59.999Z"))).toBe(true);
    expect(isOnTime(march, RULES, at("2026-03-19T17:00:00Z"))).toBe(false);
    // 19/3 23:59 in Vietnam is still the 19th there, although UTC already says 16:59
    expect(formatVietnamDate(at("2026-03-19T16:59:59Z"), true)).toBe("23:59 19/03/2026");
    expect(formatVietnamDate(at("2026-03-19T17:00:00Z"), true)).toBe("00:00 20/03/2026");
  });

  it("a deadline at the turn of the month, quarter and year lands on the previous UTC day", () => {
    expect(iso(deadlineOf(parsePeriod("2026-03"), FIRST))).toBe("2026-02-28T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2027-01"), FIRST))).toBe("2026-12-31T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2026-Q2"), FIRST))).toBe("2026-05-31T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2027"), FIRST))).toBe("2026-12-31T17:00:00.000Z");
  });

  it("leap years: 29 February exists in 2024 and 2028, not in 2026 or 2100", () => {
    expect(iso(deadlineOf(parsePeriod("2024-03"), FIRST))).toBe("2024-02-29T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2028-03"), FIRST))).toBe("2028-02-29T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2026-03"), FIRST))).toBe("2026-02-28T17:00:00.000Z");
    expect(iso(periodStart(parsePeriod("2100-03")))).toBe("2100-02-28T17:00:00.000Z");
    expect(currentPeriod("month", at("2024-02-29T16:59:00Z")).key).toBe("2024-02");
    expect(currentPeriod("month", at("2024-02-29T17:00:00Z")).key).toBe("2024-03");
    expect(vietnamParts(at("2024-02-29T12:00:00Z"))).toMatchObject({ year: 2024, month: 2, day: 29, hour: 19 });
  });
});

describe("current and previous periods in Vietnam time", () => {
  it("31/12 23:30 in Vietnam (16:30Z) is still December, quarter IV, the old year", () => {
    const now = at("2026-12-31T16:30:00Z");
    expect(currentPeriod("month", now).key).toBe("2026-12");
    expect(currentPeriod("quarter", now).key).toBe("2026-Q4");
    expect(currentPeriod("year", now).key).toBe("2026");
  });

  it("01/01 00:30 in Vietnam (31/12 17:30Z, UTC still December) is January of the next year", () => {
    const now = at("2026-12-31T17:30:00Z");
    expect(now.getUTCFullYear()).toBe(2026);
    expect(currentPeriod("month", now).key).toBe("2027-01");
    expect(currentPeriod("quarter", now).key).toBe("2027-Q1");
    expect(currentPeriod("year", now).key).toBe("2027");
    expect(formatVietnamDate(now, true)).toBe("00:30 01/01/2027");
  });

  it("quarter ends switch at Vietnam midnight", () => {
    expect(currentPeriod("quarter", at("2026-03-31T16:59:59Z")).key).toBe("2026-Q1");
    expect(currentPeriod("quarter", at("2026-03-31T17:00:00Z")).key).toBe("2026-Q2");
    expect(currentPeriod("quarter", at("2026-09-30T17:00:00Z")).key).toBe("2026-Q4");
  });

  it("previous period crosses year ends", () => {
    expect(previousPeriod(parsePeriod("2026-01")).key).toBe("2025-12");
    expect(previousPeriod(parsePeriod("2026-Q1")).key).toBe("2025-Q4");
    expect(previousPeriod(parsePeriod("2026-07")).key).toBe("2026-06");
    expect(previousPeriod(parsePeriod("2026")).key).toBe("2025");
  });

  it("period starts are Vietnam midnights", () => {
    expect(iso(periodStart(parsePeriod("2027-01")))).toBe("2026-12-31T17:00:00.000Z");
    expect(iso(periodStart(parsePeriod("2026-Q2")))).toBe("2026-03-31T17:00:00.000Z");
    expect(iso(periodStart(parsePeriod("2026")))).toBe("2025-12-31T17:00:00.000Z");
    expect(iso(vietnamTime(2026, 1, 1))).toBe("2025-12-31T17:00:00.000Z");
  });
});

describe("period keys and labels", () => {
  it("parses and formats", () => {
    expect(parsePeriod("2026-q3")).toEqual({ kind: "quarter", year: 2026, quarter: 3, key: "2026-Q3" });
    expect(parsePeriod("2026-3").key).toBe("2026-03");
    expect(formatPeriod(parsePeriod("2026-03"))).toBe("tháng 3/2026");
    expect(formatPeriod(parsePeriod("2026-Q4"))).toBe("quý IV/2026");
    expect(formatPeriod(parsePeriod("2026"))).toBe("năm 2026");
  });
  it("rejects bad keys with a Vietnamese hint", () => {
    expect(() => parsePeriod("2026-13")).toThrow(InvalidPeriodError);
    expect(() => parsePeriod("2026-Q5")).toThrow(InvalidPeriodError);
    const error = (() => {
      try {
        parsePeriod("03/2026");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ kind: "invalid_period", key: "03/2026" });
    // the words live in bot/messages: what was typed and the forms to use
    expect(invalidPeriodText("03/2026")).toBe(
      'Kỳ báo cáo không hợp lệ: "03/2026". Dùng dạng 2026-03 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng đầu năm) hoặc 2026 (năm).',
    );
  });
});

describe("half-year periods (6 tháng đầu năm / 6 tháng cuối năm)", () => {
  /** A plan that states its six-monthly day: "báo cáo 6 tháng trước ngày 15/6 và 15/12". */
  const HALF15: ReportingRules = { ...RULES, halfYearlyBefore: { day: 15 } };

  it("parses 2027-H1 / 2027-h2 and names them in words", () => {
    expect(parsePeriod("2027-H1")).toEqual({ kind: "half", year: 2027, half: 1, key: "2027-H1" });
    expect(parsePeriod(" 2027-h2 ").key).toBe("2027-H2");
    expect(formatPeriod(parsePeriod("2027-H1"))).toBe("6 tháng đầu năm 2027");
    expect(formatPeriod(parsePeriod("2027-H2"))).toBe("6 tháng cuối năm 2027");
    expect(() => parsePeriod("2027-H3")).toThrow(InvalidPeriodError);
    expect(() => parsePeriod("2027-H0")).toThrow(InvalidPeriodError);
  });

  it("H1 is due before 20/6 by default, H2 with the year (10/12) when the plan states no six-monthly day", () => {
    expect(iso(deadlineOf(parsePeriod("2027-H1"), RULES))).toBe("2027-06-19T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2027-H2"), RULES))).toBe("2027-12-09T17:00:00.000Z");
    expect(formatVietnamDate(new Date(deadlineOf(parsePeriod("2027-H1"), RULES).getTime() - 1))).toBe("19/06/2027");
  });

  it("a stated six-monthly day applies to both halves' last months", () => {
    expect(iso(deadlineOf(parsePeriod("2027-H1"), HALF15))).toBe("2027-06-14T17:00:00.000Z");
    expect(iso(deadlineOf(parsePeriod("2027-H2"), HALF15))).toBe("2027-12-14T17:00:00.000Z");
    expect(isOnTime(parsePeriod("2027-H1"), HALF15, at("2027-06-14T16:59:59Z"))).toBe(true);
    expect(isOnTime(parsePeriod("2027-H1"), HALF15, at("2027-06-14T17:00:00Z"))).toBe(false);
    // the month and quarter rules are untouched by it
    expect(iso(deadlineOf(parsePeriod("2027-Q2"), HALF15))).toBe("2027-06-19T17:00:00.000Z");
  });

  it("the half switches at Vietnam midnight of 1/7 and of 1/1", () => {
    expect(currentPeriod("half", at("2027-06-30T16:59:59Z")).key).toBe("2027-H1");
    expect(currentPeriod("half", at("2027-06-30T17:00:00Z")).key).toBe("2027-H2");
    expect(currentPeriod("half", at("2027-12-31T16:30:00Z")).key).toBe("2027-H2");
    expect(currentPeriod("half", at("2027-12-31T17:30:00Z")).key).toBe("2028-H1");
  });

  it("previous half crosses the year end", () => {
    expect(previousPeriod(parsePeriod("2027-H1")).key).toBe("2026-H2");
    expect(previousPeriod(parsePeriod("2027-H2")).key).toBe("2027-H1");
  });

  it("starts and (exclusive) ends are Vietnam midnights, for every kind", () => {
    expect(iso(periodStart(parsePeriod("2027-H1")))).toBe("2026-12-31T17:00:00.000Z");
    expect(iso(periodStart(parsePeriod("2027-H2")))).toBe("2027-06-30T17:00:00.000Z");
    expect(iso(periodEnd(parsePeriod("2027-H1")))).toBe("2027-06-30T17:00:00.000Z");
    expect(iso(periodEnd(parsePeriod("2027-H2")))).toBe("2027-12-31T17:00:00.000Z");
    expect(iso(periodEnd(parsePeriod("2027-12")))).toBe("2027-12-31T17:00:00.000Z");
    expect(iso(periodEnd(parsePeriod("2024-02")))).toBe("2024-02-29T17:00:00.000Z");
    expect(iso(periodEnd(parsePeriod("2027-Q3")))).toBe("2027-09-30T17:00:00.000Z");
    expect(iso(periodEnd(parsePeriod("2027")))).toBe("2027-12-31T17:00:00.000Z");
    // every period ends exactly where the next one starts
    for (const k of ["2027-01", "2027-12", "2027-Q1", "2027-Q4", "2027-H1", "2027-H2", "2027"]) {
      const p = parsePeriod(k);
      expect(iso(periodEnd(previousPeriod(p)))).toBe(iso(periodStart(p)));
    }
  });

  it("periodWithin compares periods of different kinds by their start and end", () => {
    expect(periodWithin(parsePeriod("2027-03"), "2027", "2027")).toBe(true);
    expect(periodWithin("2027-H2", "2027-H2")).toBe(true);
    expect(periodWithin("2027-H1", "2027-H2")).toBe(false);
    expect(periodWithin("2027", "2027-H2")).toBe(false); // the year begins before its second half
    expect(periodWithin("2027-Q3", "2027-H2", "2027-H2")).toBe(true);
    expect(periodWithin("2027-Q2", "2027-H2", "2027-H2")).toBe(false);
    expect(periodWithin("2030-12", "2026", "2030")).toBe(true);
    expect(periodWithin("2031-01", "2026", "2030")).toBe(false);
    expect(periodWithin("2025-12", "2026")).toBe(false);
    expect(periodWithin("2025-12")).toBe(true); // no bounds: always in force
    expect(periodWithin("2027-H1", undefined, "2027-06")).toBe(true);
    expect(periodWithin("2027-H1", undefined, "2027-05")).toBe(false);
    expect(periodWithin("2027-H1", null, "2027-Q2")).toBe(true);
  });

  it("reminds before, on and after the six-monthly deadline", () => {
    expect(reminderSchedule(parsePeriod("2027-H1"), RULES).map((s) => [s.kind, formatVietnamDate(s.at, true)])).toEqual([
      ["before-3", "08:00 16/06/2027"],
      ["due", "08:00 19/06/2027"],
      ["after-1", "08:00 20/06/2027"],
    ]);
    expect(reminderSchedule(parsePeriod("2027-H2"), HALF15).map((s) => formatVietnamDate(s.at))).toEqual(["11/12/2027", "14/12/2027", "15/12/2027"]);
  });
});

describe("reminder schedule (08:00 Vietnam time)", () => {
  it("monthly: 3 days before the last day, on the last day, the day after the deadline", () => {
    const slots = reminderSchedule(parsePeriod("2026-03"), RULES);
    expect(slots.map((s) => [s.kind, iso(s.at)])).toEqual([
      ["before-3", "2026-03-16T01:00:00.000Z"],
      ["due", "2026-03-19T01:00:00.000Z"],
      ["after-1", "2026-03-20T01:00:00.000Z"],
    ]);
    expect(slots.map((s) => formatVietnamDate(s.at, true))).toEqual(["08:00 16/03/2026", "08:00 19/03/2026", "08:00 20/03/2026"]);
    for (const s of slots.slice(0, 2)) expect(s.at < deadlineOf(parsePeriod("2026-03"), RULES)).toBe(true);
  });

  it("across a leap-year month end", () => {
    const slots = reminderSchedule(parsePeriod("2024-03"), FIRST);
    expect(slots.map((s) => formatVietnamDate(s.at, true))).toEqual(["08:00 26/02/2024", "08:00 29/02/2024", "08:00 01/03/2024"]);
  });

  it("across a year end, with other offsets", () => {
    const slots = reminderSchedule(parsePeriod("2027"), FIRST, 5, 2);
    expect(slots.map((s) => [s.kind, formatVietnamDate(s.at, true)])).toEqual([
      ["before-5", "08:00 26/12/2026"],
      ["due", "08:00 31/12/2026"],
      ["after-2", "08:00 02/01/2027"],
    ]);
  });

  it("yearly default (before 10/12)", () => {
    const slots = reminderSchedule(parsePeriod("2026"), RULES);
    expect(slots.map((s) => formatVietnamDate(s.at))).toEqual(["06/12/2026", "09/12/2026", "10/12/2026"]);
  });
});

describe("independent of the server's time zone", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const script = `
    const m = await import("./core/reporting/periods.ts");
    const rules = { monthlyBeforeDay: 20, quarterlyBeforeDay: 20, yearlyBefore: { day: 10, month: 12 } };
    const first = { monthlyBeforeDay: 1, quarterlyBeforeDay: 1, yearlyBefore: { day: 1, month: 1 } };
    const out = {
      deadlines: ["2026-03", "2026-Q4", "2026", "2024-03"].map((k) => m.deadlineOf(m.parsePeriod(k), k === "2024-03" ? first : rules).toISOString()),
      onTime: [m.isOnTime(m.parsePeriod("2026-03"), rules, new Date("2026-03-19T16:59:59Z")), m.isOnTime(m.parsePeriod("2026-03"), rules, new Date("2026-03-19T17:00:00Z"))],
      current: ["2026-12-31T16:30:00Z", "2026-12-31T17:30:00Z"].map((s) => m.currentPeriod("month", new Date(s)).key),
      reminders: m.reminderSchedule(m.parsePeriod("2024-03"), first).map((r) => r.at.toISOString()),
      label: m.formatVietnamDate(new Date("2026-12-31T17:30:00Z"), true),
      halves: {
        deadlines: ["2027-H1", "2027-H2"].map((k) => m.deadlineOf(m.parsePeriod(k), { ...rules, halfYearlyBefore: { day: 1 } }).toISOString()),
        current: ["2027-06-30T16:59:59Z", "2027-06-30T17:00:00Z", "2027-12-31T17:30:00Z"].map((s) => m.currentPeriod("half", new Date(s)).key),
        ends: ["2027-H1", "2027-H2"].map((k) => m.periodEnd(m.parsePeriod(k)).toISOString()),
        within: [m.periodWithin("2027-Q3", "2027-H2", "2027-H2"), m.periodWithin("2027-H1", "2027-H2")],
        label: m.formatPeriod(m.parsePeriod("2027-H2")),
      },
      offset: new Date(2026, 0, 1).getTimezoneOffset(),
    };
    console.log(JSON.stringify(out));`;
  const runIn = async (tz: string) => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      env: { ...process.env, TZ: tz },
      encoding: "utf8",
    });
    return JSON.parse(stdout) as { offset: number } & Record<string, unknown>;
  };

  it("gives the same deadlines, periods and reminders in Los Angeles, UTC and Tokyo", async () => {
    const [la, utc, tokyo] = await Promise.all([runIn("America/Los_Angeles"), runIn("UTC"), runIn("Asia/Tokyo")]);
    // the zones really differ…
    expect(new Set([la.offset, utc.offset, tokyo.offset]).size).toBe(3);
    // …and the results do not
    const { offset: _a, ...laResult } = la;
    const { offset: _b, ...utcResult } = utc;
    const { offset: _c, ...tokyoResult } = tokyo;
    expect(laResult).toEqual(utcResult);
    expect(tokyoResult).toEqual(utcResult);
    expect(utcResult).toEqual({
      deadlines: ["2026-03-19T17:00:00.000Z", "2026-12-19T17:00:00.000Z", "2026-12-09T17:00:00.000Z", "2024-02-29T17:00:00.000Z"],
      onTime: [true, false],
      current: ["2026-12", "2027-01"],
      reminders: ["2024-02-26T01:00:00.000Z", "2024-02-29T01:00:00.000Z", "2024-03-01T01:00:00.000Z"],
      label: "00:30 01/01/2027",
      halves: {
        deadlines: ["2027-05-31T17:00:00.000Z", "2027-11-30T17:00:00.000Z"],
        current: ["2027-H1", "2027-H2", "2028-H1"],
        ends: ["2027-06-30T17:00:00.000Z", "2027-12-31T17:00:00.000Z"],
        within: [true, false],
        label: "6 tháng cuối năm 2027",
      },
    });
  }, 20_000);
});
