import { copyFileSync, mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readWarningText } from "../../bot/messages/documents.ts";
import { formatIngestSummary } from "../../cli/commands/plans.ts";
import { createQaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { ingestPlans, planFiles } from "../../core/retrieval/ingest.ts";
import { allDbTargets, freshDb, type TestDb } from "../support/db.ts";

const FIXTURES = path.join(import.meta.dirname, "../fixtures/documents");

let t: TestDb | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function folderWith(...names: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "plans-in-"));
  for (const n of names) copyFileSync(path.join(FIXTURES, n), path.join(dir, n));
  return dir;
}

for (const { target, skip } of allDbTargets()) describe.skipIf(skip)(`plan ingestion through the document reader (${target})`, () => {
  it("ingests a PDF plan (answerable with a citation) and refuses bad files, storing nothing for them", async () => {
    t = await freshDb(target);
    const dir = folderWith("plan-sample.pdf", "pdf-renamed.txt", "scanned.pdf", "encrypted.pdf", "legacy-vni.txt");
    expect(planFiles(dir).map((f) => path.basename(f))).toEqual(["encrypted.pdf", "legacy-vni.txt", "pdf-renamed.txt", "plan-sample.pdf", "scanned.pdf"]);

    const s = await ingestPlans(t.db, dir);
    const by = new Map(s.files.map((f) => [f.file, f]));
    expect(by.get("plan-sample.pdf")).toMatchObject({ status: "added" });
    expect(by.get("legacy-vni.txt")).toMatchObject({ status: "added" });
    expect(readWarningText(by.get("legacy-vni.txt")!.warnings![0]!)).toMatch(/VNI/);
    expect(by.get("pdf-renamed.txt")).toMatchObject({ status: "skipped", problem: "binary", chunks: 0 });
    expect(by.get("scanned.pdf")).toMatchObject({ status: "skipped", problem: "scanned_pdf" });
    expect(by.get("encrypted.pdf")).toMatchObject({ status: "skipped", problem: "encrypted" });
    expect(s.added).toBe(2);

    const stored = (await t.db.planDocument.findMany({ select: { file: true } })).map((d) => d.file).sort();
    expect(stored).toEqual(["legacy-vni.txt", "plan-sample.pdf"]);
    const row = await t.db.planChunk.findFirst({ where: { text: { contains: "Tỷ lệ giáo viên sử dụng chữ ký số" } } });
    expect(row?.kind).toBe("table_row");
    expect(row?.text).toContain("Chỉ tiêu năm 2027");

    const qa = await createQaEngine({ db: t.db, words: QA_WORDS });
    const r = await qa.ask("Xã Hoà Phong đặt chỉ tiêu bao nhiêu phần trăm giáo viên sử dụng chữ ký số năm 2027?");
    expect(r.status).toBe("answered");
    expect(r.citations[0]?.file).toBe("plan-sample.pdf");
    expect(r.answer).toContain("85");

    const text = formatIngestSummary(s);
    expect(text).toContain("pdf-renamed.txt (bỏ qua)");
    expect(text).toMatch(/scan/);
    expect(text).toMatch(/mật khẩu/);

    expect((await ingestPlans(t.db, dir)).unchanged).toBe(2);

    // an oversized file is refused before it is read, with the limit
    const big = path.join(dir, "qua-lon.pdf");
    writeFileSync(big, "");
    truncateSync(big, 21 * 1024 * 1024);
    const again = await ingestPlans(t.db, big);
    expect(again.files[0]).toMatchObject({ status: "skipped", problem: "too_large" });
    expect(formatIngestSummary(again)).toContain("20 MB");
  });

  it("a .docx plan keeps its appendix table rows with their headers", async () => {
    t = await freshDb(target);
    const s = await ingestPlans(t.db, path.join(folderWith("plan-sample.docx"), "plan-sample.docx"));
    expect(s.files[0]).toMatchObject({ status: "added", label: expect.stringContaining("45/KH-UBND") });
    const row = await t.db.planChunk.findFirst({ where: { text: { contains: "trí tuệ nhân tạo trong dạy học và quản lý" } } });
    expect(row?.kind).toBe("table_row");
  });
});
