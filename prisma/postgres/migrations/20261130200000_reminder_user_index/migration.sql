-- CreateIndex
CREATE INDEX "Reminder_userId_idx" ON "Reminder"("userId");
