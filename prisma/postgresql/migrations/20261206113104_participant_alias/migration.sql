-- CreateTable
CREATE TABLE "ParticipantAlias" (
    "platform" TEXT NOT NULL,
    "aliasKey" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ParticipantAlias_pkey" PRIMARY KEY ("platform","aliasKey")
);

-- CreateIndex
CREATE INDEX "ParticipantAlias_participantId_idx" ON "ParticipantAlias"("participantId");

-- AddForeignKey
ALTER TABLE "ParticipantAlias" ADD CONSTRAINT "ParticipantAlias_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
