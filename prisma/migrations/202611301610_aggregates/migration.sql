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


-- The one meta row; unitVersion grows on every change to the unit tree or plan assignments.
INSERT INTO "AggregateMeta" ("id", "unitVersion") VALUES (1, 0);

-- Triggers mark what the aggregates must recompute (core/officials/aggregates.ts catches up), so
-- no write path (bot, CLI, seed, import, hand-written SQL) can leave them wrong.
CREATE TRIGGER "Answer_aggregate_insert" AFTER INSERT ON "Answer" BEGIN
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") SELECT "unitId", "period" FROM "Report" WHERE "id" = NEW."reportId" AND "status" = 'submitted';
END;
CREATE TRIGGER "Answer_aggregate_update" AFTER UPDATE OF "reportId", "indicatorCode", "value", "numerator", "denominator", "skipped", "meetsTarget", "targetId" ON "Answer" BEGIN
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") SELECT "unitId", "period" FROM "Report" WHERE "id" IN (OLD."reportId", NEW."reportId") AND "status" = 'submitted';
END;
CREATE TRIGGER "Answer_aggregate_delete" AFTER DELETE ON "Answer" BEGIN
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") SELECT "unitId", "period" FROM "Report" WHERE "id" = OLD."reportId" AND "status" = 'submitted';
END;
CREATE TRIGGER "Report_aggregate_insert" AFTER INSERT ON "Report" WHEN NEW."status" = 'submitted' BEGIN
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") VALUES (NEW."unitId", NEW."period");
END;
CREATE TRIGGER "Report_aggregate_update" AFTER UPDATE OF "unitId", "period", "status", "approvalStatus" ON "Report" WHEN OLD."status" = 'submitted' OR NEW."status" = 'submitted' BEGIN
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") VALUES (OLD."unitId", OLD."period");
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") VALUES (NEW."unitId", NEW."period");
END;
CREATE TRIGGER "Report_aggregate_delete" AFTER DELETE ON "Report" WHEN OLD."status" = 'submitted' BEGIN
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") VALUES (OLD."unitId", OLD."period");
END;
CREATE TRIGGER "Unit_aggregate_insert" AFTER INSERT ON "Unit" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") SELECT NEW."parentId", '*' WHERE NEW."parentId" IS NOT NULL;
END;
CREATE TRIGGER "Unit_aggregate_update" AFTER UPDATE ON "Unit" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period")
    SELECT x."id", '*' FROM (SELECT OLD."parentId" AS "id" UNION SELECT NEW."parentId" UNION SELECT NEW."id") x
    WHERE x."id" IS NOT NULL AND (OLD."parentId" IS NOT NEW."parentId" OR OLD."levels" IS NOT NEW."levels");
END;
CREATE TRIGGER "Unit_aggregate_delete" AFTER DELETE ON "Unit" BEGIN
  UPDATE "AggregateMeta" SET "unitVersion" = "unitVersion" + 1 WHERE "id" = 1;
  INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") SELECT x."id", '*' FROM (SELECT OLD."parentId" AS "id" UNION SELECT OLD."id") x WHERE x."id" IS NOT NULL;
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
INSERT OR IGNORE INTO "AggregateDirty" ("nodeId", "period") SELECT DISTINCT "parentId", '*' FROM "Unit" WHERE "parentId" IS NOT NULL;
