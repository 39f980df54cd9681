-- CreateTable
CREATE TABLE "UpdateClaim" (
    "updateId" BIGINT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "UpdateClaim_pkey" PRIMARY KEY ("updateId")
);

-- CreateIndex
CREATE INDEX "UpdateClaim_claimedAt_idx" ON "UpdateClaim"("claimedAt");

