-- AlterTable
ALTER TABLE "Answer" ADD COLUMN "targetId" INTEGER;

-- CreateTable
CREATE TABLE "Plan" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "prefix" TEXT NOT NULL,
    "number" TEXT,
    "title" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "place" TEXT,
    "date" TEXT,
    "docType" TEXT NOT NULL DEFAULT 'Kế hoạch',
    "issuerUnitId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "validFrom" TEXT,
    "validTo" TEXT,
    "reportingJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PlanFile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanFile_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Target" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "planId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "entryJson" TEXT NOT NULL,
    "validFrom" TEXT,
    "ordinal" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Target_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanAssignment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "unitId" INTEGER NOT NULL,
    "planId" TEXT NOT NULL,
    "validFrom" TEXT,
    "validTo" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanAssignment_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Plan_prefix_key" ON "Plan"("prefix");

-- CreateIndex
CREATE INDEX "Plan_status_idx" ON "Plan"("status");

-- CreateIndex
CREATE UNIQUE INDEX "PlanFile_planId_name_key" ON "PlanFile"("planId", "name");

-- CreateIndex
CREATE INDEX "Target_status_idx" ON "Target"("status");

-- CreateIndex
CREATE INDEX "Target_code_idx" ON "Target"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Target_planId_code_version_key" ON "Target"("planId", "code", "version");

-- CreateIndex
CREATE INDEX "PlanAssignment_unitId_idx" ON "PlanAssignment"("unitId");

-- CreateIndex
CREATE INDEX "PlanAssignment_planId_idx" ON "PlanAssignment"("planId");

