-- CreateTable
CREATE TABLE "ReportCursor" (
    "chatId" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "reportId" INTEGER NOT NULL,
    "code" TEXT,
    "awaiting" TEXT NOT NULL,
    "pass" TEXT NOT NULL DEFAULT 'main',
    "value" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "updateId" BIGINT,
    "updatedAt" DATETIME NOT NULL
);

-- AlterTable
ALTER TABLE "Report" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;
