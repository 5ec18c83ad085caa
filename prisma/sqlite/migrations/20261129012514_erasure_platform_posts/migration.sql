-- CreateTable
CREATE TABLE "PlatformPost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "contributionId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "redactFrom" DATETIME
);

-- CreateIndex
CREATE INDEX "PlatformPost_contributionId_idx" ON "PlatformPost"("contributionId");

-- CreateIndex
CREATE INDEX "PlatformPost_platform_redactFrom_idx" ON "PlatformPost"("platform", "redactFrom");
