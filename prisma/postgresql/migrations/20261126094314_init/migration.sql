-- CreateTable
CREATE TABLE "Participant" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "consentAt" TIMESTAMP(3),
    "draftedAt" TIMESTAMP(3),
    "lastInboundAt" TIMESTAMP(3),
    "erasedAt" TIMESTAMP(3),
    "name" TEXT,
    "organisation" TEXT,
    "country" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "key" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "pending" TEXT NOT NULL DEFAULT '[]',
    "pendingRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Contribution" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "callId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "topic" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Contribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContributionRevision" (
    "id" SERIAL NOT NULL,
    "contributionId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "wordCount" INTEGER NOT NULL,
    "name" TEXT,
    "organisation" TEXT,
    "country" TEXT,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContributionRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContributionStateChange" (
    "id" SERIAL NOT NULL,
    "contributionId" TEXT NOT NULL,
    "fromState" TEXT,
    "toState" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContributionStateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "platform" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("platform","eventId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Participant_platform_platformUserId_key" ON "Participant"("platform", "platformUserId");

-- CreateIndex
CREATE INDEX "Conversation_updatedAt_idx" ON "Conversation"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Contribution_code_key" ON "Contribution"("code");

-- CreateIndex
CREATE INDEX "Contribution_participantId_idx" ON "Contribution"("participantId");

-- CreateIndex
CREATE INDEX "Contribution_callId_createdAt_id_idx" ON "Contribution"("callId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ContributionRevision_contributionId_number_key" ON "ContributionRevision"("contributionId", "number");

-- CreateIndex
CREATE INDEX "ContributionStateChange_contributionId_idx" ON "ContributionStateChange"("contributionId");

-- AddForeignKey
ALTER TABLE "Contribution" ADD CONSTRAINT "Contribution_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionRevision" ADD CONSTRAINT "ContributionRevision_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContributionStateChange" ADD CONSTRAINT "ContributionStateChange_contributionId_fkey" FOREIGN KEY ("contributionId") REFERENCES "Contribution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
