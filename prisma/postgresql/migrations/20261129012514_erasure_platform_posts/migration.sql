-- CreateTable
CREATE TABLE "PlatformPost" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "contributionId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "redactFrom" TIMESTAMP(3),

    CONSTRAINT "PlatformPost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PlatformPost_contributionId_idx" ON "PlatformPost"("contributionId");

-- CreateIndex
CREATE INDEX "PlatformPost_platform_redactFrom_idx" ON "PlatformPost"("platform", "redactFrom");
