-- AlterTable
ALTER TABLE "Participant" ADD COLUMN "announcementsOffAt" DATETIME;

-- CreateTable
CREATE TABLE "Announcement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "callId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "uniqueKey" TEXT,
    "texts" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "expiresAt" DATETIME,
    "status" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "recipientsAt" DATETIME
);

-- CreateTable
CREATE TABLE "AnnouncementDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "announcementId" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "claim" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AnnouncementDelivery_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "Announcement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AnnouncementDelivery_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Announcement_uniqueKey_key" ON "Announcement"("uniqueKey");

-- CreateIndex
CREATE INDEX "Announcement_status_idx" ON "Announcement"("status");

-- CreateIndex
CREATE INDEX "AnnouncementDelivery_announcementId_status_idx" ON "AnnouncementDelivery"("announcementId", "status");

-- CreateIndex
CREATE INDEX "AnnouncementDelivery_participantId_status_idx" ON "AnnouncementDelivery"("participantId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementDelivery_announcementId_participantId_key" ON "AnnouncementDelivery"("announcementId", "participantId");
