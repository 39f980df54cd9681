-- AlterTable
ALTER TABLE "Answer" ADD COLUMN     "flag" TEXT;

