-- CreateTable
CREATE TABLE "LeaseHolder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "beatAt" DATETIME NOT NULL
);
