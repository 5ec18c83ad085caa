-- AlterTable
ALTER TABLE "AnnouncementDelivery" ADD COLUMN "initiatedAt" DATETIME;

-- CreateIndex
CREATE INDEX "AnnouncementDelivery_platform_initiatedAt_idx" ON "AnnouncementDelivery"("platform", "initiatedAt");
