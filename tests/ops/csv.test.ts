/**
 * CSV export: text a spreadsheet would run as a formula (a unit named "=HYPERLINK(…)") is
 * escaped with a leading apostrophe; numbers and ordinary text are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvSafe, exportPeriod } from "../../core/officials/export.ts";
import { freshDb, type TestDb } from "../support/db.ts";
import { seedHierarchy, testCatalog } from "../officials/fixture.ts";
import { SHEET_WORDS } from "../../bot/messages/officials.ts";

describe("CSV cells that start with =, +, - or @", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb("sqlite");
    await seedHierarchy(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("escapes formula-like text and leaves numbers and plain text alone", () => {
    expect(csvSafe('=HYPERLINK("http://x","bấm")')).toBe(`'=HYPERLINK("http://x","bấm")`);
    for (const s of ["+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]) expect(csvSafe(s)).toBe(`'${s}`);
    expect(csvSafe(-5)).toBe("-5");
    expect(csvSafe("Trường TH Hoa Mai")).toBe("Trường TH Hoa Mai");
    expect(csvSafe("54,1% (60/111)")).toBe("54,1% (60/111)");
    expect(csvSafe(null)).toBe("");
  });

  it("a unit named like a formula is exported as text", async () => {
    const unit = await t.db.unit.findFirstOrThrow({ where: { kind: "school" } });
    await t.db.unit.update({ where: { id: unit.id }, data: { name: '=HYPERLINK("http://evil.example","Bấm")' } });
    const file = await exportPeriod(t.db, testCatalog(), { period: "2026-03", under: "SO-DEMO", format: "csv", now: new Date("2026-03-28T03:00:00Z") }, SHEET_WORDS);
    const text = file.buffer.subarray(3).toString("utf8");
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"",""Bấm"")",`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});
