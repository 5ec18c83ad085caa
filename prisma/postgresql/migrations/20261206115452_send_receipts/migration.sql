-- CreateTable
CREATE TABLE "SendReceipt" (
    "key" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "noticeId" TEXT,
    "deliveryId" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,
    "failedAt" TIMESTAMP(3),

    CONSTRAINT "SendReceipt_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SendReceipt_at_idx" ON "SendReceipt"("at");

-- CreateIndex
CREATE INDEX "SendReceipt_participantId_idx" ON "SendReceipt"("participantId");
