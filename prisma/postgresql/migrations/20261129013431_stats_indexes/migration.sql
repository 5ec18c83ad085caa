-- AlterTable
ALTER TABLE "Contribution" ADD COLUMN     "wordCount" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Contribution_callId_state_topic_language_platform_wordCount_idx" ON "Contribution"("callId", "state", "topic", "language", "platform", "wordCount", "createdAt");

-- CreateIndex
CREATE INDEX "Contribution_callId_createdAt_state_topic_idx" ON "Contribution"("callId", "createdAt", "state", "topic");

-- CreateIndex
CREATE INDEX "Contribution_callId_participantId_idx" ON "Contribution"("callId", "participantId");

-- CreateIndex
CREATE INDEX "Participant_erasedAt_consentAt_draftedAt_idx" ON "Participant"("erasedAt", "consentAt", "draftedAt");

-- Backfill: the latest revision's word count of every existing contribution.
UPDATE "Contribution" SET "wordCount" = COALESCE((SELECT r."wordCount" FROM "ContributionRevision" r WHERE r."contributionId" = "Contribution"."id" AND r."number" = "Contribution"."revision"), 0);
