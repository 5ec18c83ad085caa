-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "pendingDueAt" DATETIME;

-- AlterTable
ALTER TABLE "Notice" ADD COLUMN "reason" TEXT;

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN "unreachableAt" DATETIME;
ALTER TABLE "Participant" ADD COLUMN "unreachableReason" TEXT;

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationKey" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "replyKey" TEXT,
    "attempts" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DeadLetter_createdAt_idx" ON "DeadLetter"("createdAt");

-- CreateIndex
CREATE INDEX "DeadLetter_conversationKey_idx" ON "DeadLetter"("conversationKey");

-- CreateIndex
CREATE INDEX "Conversation_pendingDueAt_idx" ON "Conversation"("pendingDueAt");
