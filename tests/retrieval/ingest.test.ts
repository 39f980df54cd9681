import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { afterEach, describe, expect, it } from "vitest";
import { PLANS_DIR } from "../../core/catalog/index.ts";
import { createQaEngine } from "../../core/retrieval/engine.ts";
import { QA_WORDS } from "../../bot/messages/qa.ts";
import { ingestPlans } from "../../core/retrieval/ingest.ts";
import { freshDb, type TestDb } from "../support/db.ts";

let t: TestDb | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A minimal .docx (one paragraph per line) built with jszip, which exceljs already depends on. */
async function tinyDocx(file: string, lines: string[]): Promise<void> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    "_rels/.rels",
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const body = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${l}</w:t></w:r></w:p>`).join("");
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  writeFileSync(file, await zip.generateAsync({ type: "nodebuffer" }));
}

describe("plan ingestion (SQLite)", () => {
  it("stores the plans, recognises the duplicate extraction and is idempotent", async () => {
    t = await freshDb("sqlite");
    const first = await ingestPlans(t.db, PLANS_DIR);
    expect(first.added).toBe(5);
    const docs = await t.db.planDocument.findMany({ orderBy: { file: "asc" } });
    const byFile = new Map(docs.map((d) => [d.file, d]));
    expect(byFile.get("000_c42f861d772fd98b.txt")!.duplicateOfId).toBe(byFile.get("001_3eb15a9a7d9006f6.txt")!.id);
    expect(byFile.get("001_3eb15a9a7d9006f6.txt")!.duplicateOfId).toBeNull();
    expect(byFile.get("002_f5043da23d7d53c2.txt")).toMatchObject({ number: "504/KH-SGDĐT", place: "Hưng Yên" });
    const chunks = await t.db.planChunk.count();
    const ids = (await t.db.planChunk.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);

    const again = await ingestPlans(t.db, PLANS_DIR);
    expect(again.unchanged).toBe(5);
    expect(await t.db.planChunk.count()).toBe(chunks);
    expect((await t.db.planChunk.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id)).toEqual(ids);

    // the engine built from the DB answers like the one built from files, never citing both extractions
    const qa = await createQaEngine({ db: t.db, words: QA_WORDS });
    expect(qa.droppedDuplicates).toBeGreaterThan(30);
    const r = await qa.ask("Các trường phải báo cáo hằng tháng trước ngày nào?");
    expect(r.status).toBe("answered");
    expect(r.citations[0]).toMatchObject({ file: "001_3eb15a9a7d9006f6.txt", section: "V.3" });
    expect(r.citations.some((c) => c.file.startsWith("000_"))).toBe(false);
  });

  it("ingests a .docx through mammoth", async () => {
    t = await freshDb("sqlite");
    const dir = mkdtempSync(path.join(os.tmpdir(), "plan-docx-"));
    const file = path.join(dir, "kh-thu.docx");
    await tinyDocx(file, [
      "Số: 12/KH-SGDĐT",
      "Hòa Bình, ngày 5 tháng 1 năm 2026",
      "KẾ HOẠCH",
      "Chuyển đổi số năm 2026 (kế hoạch thử)",
      "I. MỤC TIÊU",
      "1. Mục tiêu cụ thể",
      "- 100% trường học triển khai sổ điểm điện tử trước tháng 6/2026.",
    ]);
    const s = await ingestPlans(t.db, file);
    expect(s.files[0]).toMatchObject({ file: "kh-thu.docx", status: "added" });
    const chunk = await t.db.planChunk.findFirst({ where: { text: { contains: "sổ điểm điện tử" } } });
    expect(chunk?.label).toBe("KH 12/KH-SGDĐT (Hòa Bình, 5/1/2026), mục I.1");
  });

  it("a plan added at runtime is answered after reload(), without restarting", async () => {
    t = await freshDb("sqlite");
    await ingestPlans(t.db, PLANS_DIR);
    const qa = await createQaEngine({ db: t.db, words: QA_WORDS });
    const q = "Ở Hòa Bình, sổ điểm điện tử phải triển khai trước tháng mấy?";
    expect((await qa.ask(q)).status).not.toBe("answered");
    const dir = mkdtempSync(path.join(os.tmpdir(), "plan-reload-"));
    writeFileSync(
      path.join(dir, "kh-hoa-binh.txt"),
      ["Số: 12/KH-SGDĐT", "", "Hòa Bình, ngày 5 tháng 1 năm 2026", "", "KẾ HOẠCH", "Chuyển đổi số năm 2026", "", "I. MỤC TIÊU", "", "- 100% trường học ở tỉnh Hòa Bình triển khai sổ điểm điện tử trước tháng 6/2026."].join("\n"),
    );
    await ingestPlans(t.db, dir);
    await qa.reload();
    const r = await qa.ask(q);
    expect(r.status).toBe("answered");
    expect(r.answer.split("\n")[0]).toMatch(/^Theo kế hoạch Hòa Bình \(KH 12\/KH-SGDĐT\): .*tháng 6\/2026/);
    expect(r.citations[0]!.file).toBe("kh-hoa-binh.txt");
  });

  it("an admin adds another kind of official document (a decision): it is cited under its own type", async () => {
    t = await freshDb("sqlite");
    await ingestPlans(t.db, PLANS_DIR);
    const qa = await createQaEngine({ db: t.db, words: QA_WORDS });
    const dir = mkdtempSync(path.join(os.tmpdir(), "doc-qd-"));
    // a fictional decision, written for this test only
    writeFileSync(
      path.join(dir, "qd-thu-nghiem.txt"),
      [
        "BỘ THỬ NGHIỆM",
        "Số: 999/QĐ-BTN",
        "",
        "Hà Nội, ngày 2 tháng 6 năm 2025",
        "",
        "QUYẾT ĐỊNH",
        "Ban hành Kế hoạch thử nghiệm phong trào “Bình dân học vụ số”",
        "",
        "Điều 1. Phong trào “Bình dân học vụ số” là phong trào thử nghiệm phổ cập kỹ năng số cơ bản cho mọi người dân trong văn bản thử nghiệm này.",
        "",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
      ].join("\n"),
    );
    const s = await ingestPlans(t.db, dir);
    expect(s.files[0]).toMatchObject({ status: "added", label: "Quyết định số 999/QĐ-BTN (Hà Nội, 2/6/2025)" });
    await qa.reload();
    const r = await qa.ask("Bình dân học vụ số là gì?");
    expect(r.answer.split("\n")[0]).toMatch(/^Theo Quyết định số 999\/QĐ-BTN \(Hà Nội, 2\/6\/2025\): Phong trào “Bình dân học vụ số” là phong trào thử nghiệm/);
    expect(r.citations[0]!.label).toBe("Quyết định số 999/QĐ-BTN (Hà Nội, 2/6/2025), Điều 1");
    const who = await qa.ask("Quyết định 999 ban hành ngày nào?");
    expect(who.answer.split("\n")[0]).toBe("Theo Quyết định số 999/QĐ-BTN (Hà Nội, 2/6/2025): Ban hành tại Hà Nội, ngày 2 tháng 6 năm 2025 (2/6/2025).");
  });
});
