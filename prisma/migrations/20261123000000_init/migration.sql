-- CreateTable
CREATE TABLE "Unit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "levels" TEXT NOT NULL,
    "parentId" INTEGER,
    "path" TEXT NOT NULL,
    "planId" TEXT,
    "focalName" TEXT,
    "focalPhone" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramId" TEXT NOT NULL,
    "name" TEXT,
    "phone" TEXT,
    "role" TEXT NOT NULL DEFAULT 'citizen',
    "officialUnitId" INTEGER,
    "reachable" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'focal',
    CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Membership_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Invite" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "unitId" INTEGER NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'focal',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usedByUserId" INTEGER,
    "usedAt" DATETIME,
    CONSTRAINT "Invite_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Report" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "unitId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "periodKind" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "deadline" DATETIME NOT NULL,
    "firstSubmittedAt" DATETIME,
    "submittedAt" DATETIME,
    "onTime" BOOLEAN,
    "submittedById" INTEGER,
    "pendingJson" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Report_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Answer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER NOT NULL,
    "indicatorCode" TEXT NOT NULL,
    "value" REAL,
    "numerator" REAL,
    "denominator" REAL,
    "skipped" BOOLEAN NOT NULL DEFAULT false,
    "raw" TEXT NOT NULL,
    "meetsTarget" BOOLEAN,
    "reason" TEXT,
    "answeredById" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Answer_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ReportRevision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reportId" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "userId" INTEGER,
    "reason" TEXT,
    "onTime" BOOLEAN NOT NULL,
    "answersJson" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReportRevision_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "details" TEXT
);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "unitId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Session" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PlanDocument" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "file" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "number" TEXT,
    "issuer" TEXT,
    "place" TEXT,
    "date" TEXT,
    "title" TEXT,
    "duplicateOfId" INTEGER,
    "ingestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PlanSection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "documentId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "heading" TEXT NOT NULL,
    "ordinal" INTEGER NOT NULL,
    CONSTRAINT "PlanSection_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "PlanDocument" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PlanChunk" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "documentId" INTEGER NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "sectionPath" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "embedding" BLOB,
    "embeddingModel" TEXT,
    CONSTRAINT "PlanChunk_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "PlanDocument" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Unit_code_key" ON "Unit"("code");

-- CreateIndex
CREATE INDEX "Unit_path_idx" ON "Unit"("path");

-- CreateIndex
CREATE INDEX "Unit_parentId_idx" ON "Unit"("parentId");

-- CreateIndex
CREATE INDEX "Unit_focalPhone_idx" ON "Unit"("focalPhone");

-- CreateIndex
CREATE UNIQUE INDEX "User_telegramId_key" ON "User"("telegramId");

-- CreateIndex
CREATE INDEX "Membership_unitId_idx" ON "Membership"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_unitId_key" ON "Membership"("userId", "unitId");

-- CreateIndex
CREATE INDEX "Report_period_status_idx" ON "Report"("period", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Report_unitId_period_key" ON "Report"("unitId", "period");

-- CreateIndex
CREATE INDEX "Answer_indicatorCode_idx" ON "Answer"("indicatorCode");

-- CreateIndex
CREATE UNIQUE INDEX "Answer_reportId_indicatorCode_key" ON "Answer"("reportId", "indicatorCode");

-- CreateIndex
CREATE UNIQUE INDEX "ReportRevision_reportId_revision_key" ON "ReportRevision"("reportId", "revision");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "Reminder_unitId_userId_period_kind_key" ON "Reminder"("unitId", "userId", "period", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "PlanDocument_file_key" ON "PlanDocument"("file");

-- CreateIndex
CREATE INDEX "PlanSection_documentId_idx" ON "PlanSection"("documentId");

-- CreateIndex
CREATE INDEX "PlanChunk_documentId_idx" ON "PlanChunk"("documentId");

