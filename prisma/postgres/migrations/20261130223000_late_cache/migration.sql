-- DropIndex
DROP INDEX "Answer_indicatorCode_idx";

-- CreateTable
CREATE TABLE "ReportStamp" (
    "period" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReportStamp_pkey" PRIMARY KEY ("period")
);

-- CreateIndex
CREATE INDEX "Answer_indicatorCode_value_idx" ON "Answer"("indicatorCode", "value");

-- Triggers bump the period's stamp on every change to what the late list reads (core/officials/late.ts
-- caches its lists per period stamp), whoever writes (bot, CLI, seed, hand-written SQL).
-- The adapter of prisma migrate deploy splits scripts on every semicolon: \073 inside E'' strings.
CREATE FUNCTION "report_stamp"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'
BEGIN
  IF TG_OP <> \'INSERT\' THEN
    INSERT INTO "ReportStamp" ("period", "version") VALUES (OLD."period", 1) ON CONFLICT ("period") DO UPDATE SET "version" = "ReportStamp"."version" + 1\073
  END IF\073
  IF TG_OP <> \'DELETE\' AND (TG_OP = \'INSERT\' OR NEW."period" IS DISTINCT FROM OLD."period") THEN
    INSERT INTO "ReportStamp" ("period", "version") VALUES (NEW."period", 1) ON CONFLICT ("period") DO UPDATE SET "version" = "ReportStamp"."version" + 1\073
  END IF\073
  RETURN NULL\073
END ';
CREATE TRIGGER "Report_stamp_insert_delete" AFTER INSERT OR DELETE ON "Report" FOR EACH ROW EXECUTE FUNCTION "report_stamp"();
CREATE TRIGGER "Report_stamp_update" AFTER UPDATE OF "unitId", "period", "status", "onTime", "submittedAt", "firstSubmittedAt", "deadline", "approvalStatus" ON "Report" FOR EACH ROW EXECUTE FUNCTION "report_stamp"();
