-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Contribution" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "callId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "topic" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "wordCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contribution_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Contribution" ("callId", "code", "createdAt", "id", "language", "participantId", "platform", "revision", "state", "topic", "updatedAt") SELECT "callId", "code", "createdAt", "id", "language", "participantId", "platform", "revision", "state", "topic", "updatedAt" FROM "Contribution";
DROP TABLE "Contribution";
ALTER TABLE "new_Contribution" RENAME TO "Contribution";
CREATE UNIQUE INDEX "Contribution_code_key" ON "Contribution"("code");
CREATE INDEX "Contribution_participantId_idx" ON "Contribution"("participantId");
CREATE INDEX "Contribution_callId_createdAt_id_idx" ON "Contribution"("callId", "createdAt", "id");
CREATE INDEX "Contribution_callId_state_topic_language_platform_wordCount_createdAt_idx" ON "Contribution"("callId", "state", "topic", "language", "platform", "wordCount", "createdAt");
CREATE INDEX "Contribution_callId_createdAt_state_topic_idx" ON "Contribution"("callId", "createdAt", "state", "topic");
CREATE INDEX "Contribution_callId_participantId_idx" ON "Contribution"("callId", "participantId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Participant_erasedAt_consentAt_draftedAt_idx" ON "Participant"("erasedAt", "consentAt", "draftedAt");

-- Backfill: the latest revision's word count of every existing contribution.
UPDATE "Contribution" SET "wordCount" = COALESCE((SELECT r."wordCount" FROM "ContributionRevision" r WHERE r."contributionId" = "Contribution"."id" AND r."number" = "Contribution"."revision"), 0);
