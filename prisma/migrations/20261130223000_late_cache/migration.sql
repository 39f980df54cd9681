-- DropIndex
DROP INDEX "Answer_indicatorCode_idx";

-- CreateIndex
CREATE INDEX "Answer_indicatorCode_value_idx" ON "Answer"("indicatorCode", "value");

-- CreateTable
CREATE TABLE "ReportStamp" (
    "period" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0
);

-- Triggers bump the period's stamp on every change to what the late list reads (core/officials/late.ts
-- caches its lists per period stamp), whoever writes (bot, CLI, seed, hand-written SQL).
-- No INSERT OR IGNORE: an outer statement's ON CONFLICT clause (Prisma's upsert) overrides it inside a trigger.
CREATE TRIGGER "Report_stamp_insert" AFTER INSERT ON "Report" BEGIN
  INSERT INTO "ReportStamp" ("period", "version") SELECT NEW."period", 0 WHERE NOT EXISTS (SELECT 1 FROM "ReportStamp" s WHERE s."period" = NEW."period");
  UPDATE "ReportStamp" SET "version" = "version" + 1 WHERE "period" = NEW."period";
END;
CREATE TRIGGER "Report_stamp_update" AFTER UPDATE OF "unitId", "period", "status", "onTime", "submittedAt", "firstSubmittedAt", "deadline", "approvalStatus" ON "Report" BEGIN
  INSERT INTO "ReportStamp" ("period", "version") SELECT OLD."period", 0 WHERE NOT EXISTS (SELECT 1 FROM "ReportStamp" s WHERE s."period" = OLD."period");
  INSERT INTO "ReportStamp" ("period", "version") SELECT NEW."period", 0 WHERE NOT EXISTS (SELECT 1 FROM "ReportStamp" s WHERE s."period" = NEW."period");
  UPDATE "ReportStamp" SET "version" = "version" + 1 WHERE "period" IN (OLD."period", NEW."period");
END;
CREATE TRIGGER "Report_stamp_delete" AFTER DELETE ON "Report" BEGIN
  INSERT INTO "ReportStamp" ("period", "version") SELECT OLD."period", 0 WHERE NOT EXISTS (SELECT 1 FROM "ReportStamp" s WHERE s."period" = OLD."period");
  UPDATE "ReportStamp" SET "version" = "version" + 1 WHERE "period" = OLD."period";
END;
