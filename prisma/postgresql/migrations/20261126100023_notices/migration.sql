-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "notice" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notice_participantId_status_idx" ON "Notice"("participantId", "status");

-- CreateIndex
CREATE INDEX "Notice_status_idx" ON "Notice"("status");

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
