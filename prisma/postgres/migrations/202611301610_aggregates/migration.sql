-- CreateTable
CREATE TABLE "ProgressCell" (
    "nodeId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "indicatorCode" TEXT NOT NULL,
    "targetId" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "approved" BOOLEAN NOT NULL,
    "answered" INTEGER NOT NULL,
    "ratioAnswered" INTEGER NOT NULL,
    "num" DOUBLE PRECISION NOT NULL,
    "den" DOUBLE PRECISION NOT NULL,
    "yes" INTEGER NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "meeting" INTEGER NOT NULL,

    CONSTRAINT "ProgressCell_pkey" PRIMARY KEY ("nodeId","period","indicatorCode","targetId","level","approved")
);

-- CreateTable
CREATE TABLE "AggregateDirty" (
    "nodeId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,

    CONSTRAINT "AggregateDirty_pkey" PRIMARY KEY ("nodeId","period")
);

-- CreateTable
CREATE TABLE "AggregateMeta" (
    "id" INTEGER NOT NULL,
    "unitVersion" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AggregateMeta_pkey" PRIMARY KEY ("id")
);


-- The one meta row. unitVersion grows on every change to the unit tree or plan assignments.
INSERT INTO "AggregateMeta" ("id", "unitVersion") VALUES (1, 0);

-- The adapter of prisma migrate deploy splits scripts on every semicolon, so the function
-- bodies below write it as \073 inside E'' strings.
-- Triggers mark what the aggregates must recompute (core/officials/aggregates.ts catches up), so
-- no write path (bot, CLI, seed, import, hand-written SQL) can leave them wrong.
CREATE FUNCTION "aggregate_mark_answer"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'
BEGIN
  IF TG_OP <> \'INSERT\' THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT "unitId", "period" FROM "Report" WHERE "id" = OLD."reportId" AND "status" = \'submitted\' ON CONFLICT DO NOTHING\073
  END IF\073
  IF TG_OP <> \'DELETE\' THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT "unitId", "period" FROM "Report" WHERE "id" = NEW."reportId" AND "status" = \'submitted\' ON CONFLICT DO NOTHING\073
  END IF\073
  RETURN NULL\073
END ';
CREATE TRIGGER "Answer_aggregate_insert_delete" AFTER INSERT OR DELETE ON "Answer" FOR EACH ROW EXECUTE FUNCTION "aggregate_mark_answer"();
CREATE TRIGGER "Answer_aggregate_update" AFTER UPDATE OF "reportId", "indicatorCode", "value", "numerator", "denominator", "skipped", "meetsTarget", "targetId" ON "Answer" FOR EACH ROW EXECUTE FUNCTION "aggregate_mark_answer"();

CREATE FUNCTION "aggregate_mark_report"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'
BEGIN
  IF TG_OP <> \'INSERT\' AND OLD."status" = \'submitted\' THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") VALUES (OLD."unitId", OLD."period") ON CONFLICT DO NOTHING\073
  END IF\073
  IF TG_OP <> \'DELETE\' AND NEW."status" = \'submitted\' THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") VALUES (NEW."unitId", NEW."period") ON CONFLICT DO NOTHING\073
  END IF\073
  RETURN NULL\073
END ';
CREATE TRIGGER "Report_aggregate_insert_delete" AFTER INSERT OR DELETE ON "Report" FOR EACH ROW EXECUTE FUNCTION "aggregate_mark_report"();
CREATE TRIGGER "Report_aggregate_update" AFTER UPDATE OF "unitId", "period", "status", "approvalStatus" ON "Report" FOR EACH ROW EXECUTE FUNCTION "aggregate_mark_report"();

CREATE FUNCTION "aggregate_mark_unit"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'
BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1\073
  IF TG_OP = \'INSERT\' THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT NEW."parentId", \'*\' WHERE NEW."parentId" IS NOT NULL ON CONFLICT DO NOTHING\073
  ELSIF TG_OP = \'DELETE\' THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT x, \'*\' FROM unnest(ARRAY[OLD."parentId", OLD."id"]) x WHERE x IS NOT NULL ON CONFLICT DO NOTHING\073
  ELSIF OLD."parentId" IS DISTINCT FROM NEW."parentId" OR OLD."levels" IS DISTINCT FROM NEW."levels" THEN
    INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT x, \'*\' FROM unnest(ARRAY[OLD."parentId", NEW."parentId", NEW."id"]) x WHERE x IS NOT NULL ON CONFLICT DO NOTHING\073
  END IF\073
  RETURN NULL\073
END ';
CREATE TRIGGER "Unit_aggregate" AFTER INSERT OR UPDATE OR DELETE ON "Unit" FOR EACH ROW EXECUTE FUNCTION "aggregate_mark_unit"();

CREATE FUNCTION "aggregate_unit_version"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'
BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1\073
  RETURN NULL\073
END ';
CREATE TRIGGER "PlanAssignment_version" AFTER INSERT OR UPDATE OR DELETE ON "PlanAssignment" FOR EACH STATEMENT EXECUTE FUNCTION "aggregate_unit_version"();

-- Backfill: every unit with children is recomputed for every period on the first read (or at
-- bot start, or `npm run cli -- aggregates rebuild`).
INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT "parentId", '*' FROM "Unit" WHERE "parentId" IS NOT NULL ON CONFLICT DO NOTHING;
