-- CreateTable
CREATE TABLE "UpdateClaim" (
    "updateId" BIGINT NOT NULL PRIMARY KEY,
    "claimedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME
);

-- CreateIndex
CREATE INDEX "UpdateClaim_claimedAt_idx" ON "UpdateClaim"("claimedAt");

