-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "pendingDueAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "reason" TEXT;

-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "unreachableAt" TIMESTAMP(3),
ADD COLUMN     "unreachableReason" TEXT;

-- CreateTable
CREATE TABLE "DeadLetter" (
    "id" SERIAL NOT NULL,
    "conversationKey" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "replyKey" TEXT,
    "attempts" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeadLetter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeadLetter_createdAt_idx" ON "DeadLetter"("createdAt");

-- CreateIndex
CREATE INDEX "DeadLetter_conversationKey_idx" ON "DeadLetter"("conversationKey");

-- CreateIndex
CREATE INDEX "Conversation_pendingDueAt_idx" ON "Conversation"("pendingDueAt");
