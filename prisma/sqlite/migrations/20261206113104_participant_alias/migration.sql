-- CreateTable
CREATE TABLE "ParticipantAlias" (
    "platform" TEXT NOT NULL,
    "aliasKey" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "aliasKey"),
    CONSTRAINT "ParticipantAlias_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ParticipantAlias_participantId_idx" ON "ParticipantAlias"("participantId");
