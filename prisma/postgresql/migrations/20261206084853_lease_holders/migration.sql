-- CreateTable
CREATE TABLE "LeaseHolder" (
    "id" TEXT NOT NULL,
    "beatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LeaseHolder_pkey" PRIMARY KEY ("id")
);
