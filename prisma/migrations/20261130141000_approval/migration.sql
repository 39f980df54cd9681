-- AlterTable
ALTER TABLE "User" ADD COLUMN "approvalNotify" TEXT NOT NULL DEFAULT 'each';

-- AlterTable
ALTER TABLE "Report" ADD COLUMN "approvalStatus" TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE "Report" ADD COLUMN "approvalById" INTEGER;
ALTER TABLE "Report" ADD COLUMN "approvalAt" DATETIME;
ALTER TABLE "Report" ADD COLUMN "approvalReason" TEXT;

-- CreateIndex
CREATE INDEX "Report_status_approvalStatus_idx" ON "Report"("status", "approvalStatus");
