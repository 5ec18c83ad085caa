-- DropIndex
DROP INDEX "Contribution_callId_createdAt_state_topic_idx";

-- DropIndex
DROP INDEX "Contribution_callId_state_topic_language_platform_wordCount_createdAt_idx";

-- CreateIndex
CREATE INDEX "Contribution_callId_state_topic_language_platform_createdAt_idx" ON "Contribution"("callId", "state", "topic", "language", "platform", "createdAt");

-- CreateIndex
CREATE INDEX "Contribution_callId_topic_createdAt_state_idx" ON "Contribution"("callId", "topic", "createdAt", "state");

-- CreateIndex
CREATE INDEX "Contribution_callId_wordCount_state_idx" ON "Contribution"("callId", "wordCount", "state");
