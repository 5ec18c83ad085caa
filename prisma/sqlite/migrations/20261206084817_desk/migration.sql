-- CreateTable
CREATE TABLE "DeskInvite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "DeskSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DeskNote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "contributionId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DeskActivity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "detail" TEXT
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
