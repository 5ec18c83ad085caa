-- CreateTable
CREATE TABLE "SendReceipt" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "participantId" TEXT NOT NULL,
    "noticeId" TEXT,
    "deliveryId" INTEGER,
    "at" DATETIME NOT NULL,
    "failedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "SendReceipt_at_idx" ON "SendReceipt"("at");

-- CreateIndex
CREATE INDEX "SendReceipt_participantId_idx" ON "SendReceipt"("participantId");
