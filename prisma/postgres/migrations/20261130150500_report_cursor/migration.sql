-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ReportCursor" (
    "chatId" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "reportId" INTEGER NOT NULL,
    "code" TEXT,
    "awaiting" TEXT NOT NULL,
    "pass" TEXT NOT NULL DEFAULT 'main',
    "value" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "updateId" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReportCursor_pkey" PRIMARY KEY ("chatId")
);

