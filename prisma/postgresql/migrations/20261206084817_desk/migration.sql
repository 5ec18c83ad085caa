-- CreateTable
CREATE TABLE "DeskInvite" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "DeskInvite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeskSession" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeskSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeskNote" (
    "id" SERIAL NOT NULL,
    "contributionId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DeskNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeskActivity" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "detail" TEXT,

    CONSTRAINT "DeskActivity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeskInvite_tokenHash_key" ON "DeskInvite"("tokenHash");

-- CreateIndex
CREATE INDEX "DeskInvite_name_idx" ON "DeskInvite"("name");

-- CreateIndex
CREATE UNIQUE INDEX "DeskSession_tokenHash_key" ON "DeskSession"("tokenHash");

-- CreateIndex
CREATE INDEX "DeskSession_name_idx" ON "DeskSession"("name");

-- CreateIndex
CREATE INDEX "DeskSession_expiresAt_idx" ON "DeskSession"("expiresAt");

-- CreateIndex
CREATE INDEX "DeskNote_contributionId_id_idx" ON "DeskNote"("contributionId", "id");

-- CreateIndex
CREATE INDEX "DeskActivity_at_idx" ON "DeskActivity"("at");
