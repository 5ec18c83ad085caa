-- AlterTable
ALTER TABLE "AnnouncementDelivery" ADD COLUMN     "initiatedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AnnouncementDelivery_platform_initiatedAt_idx" ON "AnnouncementDelivery"("platform", "initiatedAt");
