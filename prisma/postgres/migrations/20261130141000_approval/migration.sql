-- AlterTable
ALTER TABLE "User" ADD COLUMN     "approvalNotify" TEXT NOT NULL DEFAULT 'each';

-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "approvalAt" TIMESTAMP(3),
ADD COLUMN     "approvalById" INTEGER,
ADD COLUMN     "approvalReason" TEXT,
ADD COLUMN     "approvalStatus" TEXT NOT NULL DEFAULT 'pending';

-- CreateIndex
CREATE INDEX "Report_status_approvalStatus_idx" ON "Report"("status", "approvalStatus");

