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
    "num" REAL NOT NULL,
    "den" REAL NOT NULL,
    "yes" INTEGER NOT NULL,
    "total" REAL NOT NULL,
    "meeting" INTEGER NOT NULL,

    PRIMARY KEY ("nodeId", "period", "indicatorCode", "targetId", "level", "approved")
);

-- CreateTable
CREATE TABLE "AggregateDirty" (
    "nodeId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,

    PRIMARY KEY ("nodeId", "period")
);

-- CreateTable
CREATE TABLE "AggregateMeta" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "unitVersion" INTEGER NOT NULL DEFAULT 0
);


-- The one meta row. unitVersion grows on every change to the unit tree or plan assignments.
INSERT INTO "AggregateMeta" ("id", "unitVersion") VALUES (1, 0);

-- Triggers mark what the aggregates must recompute (core/officials/aggregates.ts catches up), so
-- no write path (bot, CLI, seed, import, hand-written SQL) can leave them wrong.
CREATE TRIGGER "Answer_aggregate_insert" AFTER INSERT ON "Answer" BEGIN
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT "unitId" AS "nodeId", "period" AS "period" FROM "Report" WHERE "id" = NEW."reportId" AND "status" = 'submitted') m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
END;
CREATE TRIGGER "Answer_aggregate_update" AFTER UPDATE OF "reportId", "indicatorCode", "value", "numerator", "denominator", "skipped", "meetsTarget", "targetId" ON "Answer" BEGIN
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT "unitId" AS "nodeId", "period" AS "period" FROM "Report" WHERE "id" IN (OLD."reportId", NEW."reportId") AND "status" = 'submitted') m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
END;
CREATE TRIGGER "Answer_aggregate_delete" AFTER DELETE ON "Answer" BEGIN
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT "unitId" AS "nodeId", "period" AS "period" FROM "Report" WHERE "id" = OLD."reportId" AND "status" = 'submitted') m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
END;
CREATE TRIGGER "Report_aggregate_insert" AFTER INSERT ON "Report" WHEN NEW."status" = 'submitted' BEGIN
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT NEW."unitId", NEW."period" WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = NEW."unitId" AND d."period" = NEW."period");
END;
CREATE TRIGGER "Report_aggregate_update" AFTER UPDATE OF "unitId", "period", "status", "approvalStatus" ON "Report" WHEN OLD."status" = 'submitted' OR NEW."status" = 'submitted' BEGIN
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT OLD."unitId", OLD."period" WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = OLD."unitId" AND d."period" = OLD."period");
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT NEW."unitId", NEW."period" WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = NEW."unitId" AND d."period" = NEW."period");
END;
CREATE TRIGGER "Report_aggregate_delete" AFTER DELETE ON "Report" WHEN OLD."status" = 'submitted' BEGIN
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT OLD."unitId", OLD."period" WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = OLD."unitId" AND d."period" = OLD."period");
END;
CREATE TRIGGER "Unit_aggregate_insert" AFTER INSERT ON "Unit" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT NEW."parentId" AS "nodeId", '*' AS "period" WHERE NEW."parentId" IS NOT NULL) m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
END;
CREATE TRIGGER "Unit_aggregate_update" AFTER UPDATE ON "Unit" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT x."id" AS "nodeId", '*' AS "period" FROM (SELECT OLD."parentId" AS "id" UNION SELECT NEW."parentId" UNION SELECT NEW."id") x
    WHERE x."id" IS NOT NULL AND (OLD."parentId" IS NOT NEW."parentId" OR OLD."levels" IS NOT NEW."levels")) m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
END;
CREATE TRIGGER "Unit_aggregate_delete" AFTER DELETE ON "Unit" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
  INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT x."id" AS "nodeId", '*' AS "period" FROM (SELECT OLD."parentId" AS "id" UNION SELECT OLD."id") x WHERE x."id" IS NOT NULL) m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
END;
CREATE TRIGGER "PlanAssignment_version_insert" AFTER INSERT ON "PlanAssignment" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "PlanAssignment_version_update" AFTER UPDATE ON "PlanAssignment" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
END;
CREATE TRIGGER "PlanAssignment_version_delete" AFTER DELETE ON "PlanAssignment" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
END;

-- Backfill: every unit with children is recomputed for every period on the first read (or at
-- bot start, or `npm run cli -- aggregates rebuild`).
INSERT INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT * FROM (SELECT DISTINCT "parentId" AS "nodeId", '*' AS "period" FROM "Unit" WHERE "parentId" IS NOT NULL) m WHERE NOT EXISTS (SELECT 1 FROM "AggregateDirty" d WHERE d."nodeId" = m."nodeId" AND d."period" = m."period");
